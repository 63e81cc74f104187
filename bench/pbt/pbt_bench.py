#!/usr/bin/env python3
"""PBT against random search with ASHA, and plain random search, on the same budget.

Runs samples/experiments/noisy_quadratic_pbt.toml and noisy_quadratic_asha.toml (and the
PBT file with the FIFO scheduler: random search, every trial trained to the end) with seeds
1..N through the real `tune` binary, and prints per method the median over seeds of the best
trial's final loss, and the training iterations the run spent (result rows written: an
exploited trial's redone iterations count, an early-stopped trial's missing ones do not).
The ASHA run's num_samples is chosen so that its median spend is closest to PBT's.

    python3 bench/pbt/pbt_bench.py [--tune build/bin/tune] [--seeds 7]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(tune, experiment, seed, results, overrides):
    # One trial at a time: results then reach the schedulers in an order that no timing
    # changes, and every figure repeats exactly.
    args = [tune, "run", os.path.join(ROOT, "samples", "experiments", experiment + ".toml"), "--progress", "quiet",
            "--overwrite", "--set", "experiment.seed=%d" % seed, "--set", "experiment.results_dir=" + results,
            "--set", "experiment.max_concurrent_trials=1"]
    for key, value in overrides:
        args += ["--set", "%s=%s" % (key, value)]
    done = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        sys.exit("tune failed (%d): %s\n%s" % (done.returncode, " ".join(args), done.stdout))
    folder = os.path.join(results, experiment)
    with open(os.path.join(folder, "summary.json")) as f:
        summary = json.load(f)
    spent = 0
    for trial in summary["trials"]:
        with open(os.path.join(folder, trial["dir"], "result.jsonl")) as rows:
            spent += sum(1 for _ in rows)
    best = summary["best_trial"]
    return best["value"], spent


def method(tune, name, experiment, seeds, results, overrides=()):
    losses, spends = [], []
    for seed in seeds:
        loss, spent = run(tune, experiment, seed, results, overrides)
        losses.append(loss)
        spends.append(spent)
    return {"name": name, "loss": statistics.median(losses), "spent": statistics.median(spends), "losses": losses}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tune", default=os.path.join(ROOT, "build", "bin", "tune"))
    parser.add_argument("--seeds", type=int, default=7)
    options = parser.parse_args()
    seeds = range(1, options.seeds + 1)
    with tempfile.TemporaryDirectory(prefix="tune-pbt-bench-") as results:
        pbt = method(options.tune, "PBT (8 trials)", "noisy_quadratic_pbt", seeds, results)
        random_fifo = method(options.tune, "random search (8 trials, FIFO)", "noisy_quadratic_pbt", seeds, results,
                             [("scheduler.plugin", "fifo"), ("scheduler.options", "{}")])
        # ASHA: as many trials as spend what PBT spent, within 10%.
        samples, tried = 24, {}
        while samples not in tried:
            tried[samples] = method(options.tune, "random search + ASHA (%d trials)" % samples, "noisy_quadratic_asha",
                                    seeds, results, [("experiment.num_samples", samples)])
            ratio = pbt["spent"] / tried[samples]["spent"]
            if abs(ratio - 1) <= 0.1:
                break
            samples = max(1, round(samples * ratio))
        asha = min(tried.values(), key=lambda m: abs(m["spent"] - pbt["spent"]))
    print("noisy quadratic, best trial's final loss (lower is better), median of %d seeds" % len(seeds))
    print("%-36s %12s %16s %10s" % ("method", "best loss", "iterations spent", "vs PBT"))
    for m in (pbt, asha, random_fifo):
        print("%-36s %12.4g %16d %9.2fx" % (m["name"], m["loss"], m["spent"], m["loss"] / pbt["loss"]))
    for m in (pbt, asha, random_fifo):
        print("  %s per seed: %s" % (m["name"], ", ".join("%.4g" % v for v in m["losses"])))


if __name__ == "__main__":
    main()
