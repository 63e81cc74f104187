#!/usr/bin/env python3
"""The HTML report's cost: generation time, file size and time to open, by experiment size,
beside Optuna 3.1's plotly views of the same trials.

For each size, a real experiment is run through the `tune` binary first (not timed):
samples/experiments/curve_asha.toml with N trials and no simulated work, and with --long
bench/report/curve_fifo_long.toml (10,000 trials x 100 iterations = 1,000,000 results). Then,
each --repeats times, medians of:
  tune report    `tune report DIR` wall time (the process, reading every file) and the page's size;
  page           headless Chromium, from navigation until every view is drawn (tune_report_page);
  optuna         the same trials as an Optuna study (converting them is not timed), then
                 plot_optimization_history + plot_intermediate_values + plot_parallel_coordinate
                 written to one self-contained HTML (plotly.js inlined once): Optuna's equivalent
                 of three of the report's views; its size, and its page until the plots are drawn.

    python3 bench/report/report_bench.py [--sizes 100,1000,10000] [--long] [--repeats 5]
                                         [--no-optuna] [--build build] [--dir DIR]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLOTLY_READY = ("document.querySelectorAll('.js-plotly-plot').length >= 3 && "
                "[...document.querySelectorAll('.js-plotly-plot')].every(p => p._fullLayout && p.querySelector('.main-svg'))")


def run(args, **kwargs):
    done = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
    if done.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (done.returncode, " ".join(args), done.stdout[-3000:]))
    return done.stdout


def generate(tune, folder, name, trials, long_run):
    experiment = os.path.join(ROOT, "bench", "report", "curve_fifo_long.toml") if long_run else \
        os.path.join(ROOT, "samples", "experiments", "curve_asha.toml")
    args = [tune, "run", experiment, "--progress", "quiet", "--overwrite", "--set", "experiment.results_dir=" + folder,
            "--set", "experiment.name=" + name]
    if not long_run:
        args += ["--set", "experiment.num_samples=%d" % trials, "--set", "trainable.config.sleep_ms=0"]
    started = time.perf_counter()
    run(args)
    return os.path.join(folder, name), time.perf_counter() - started


def timed(args, repeats):
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        run(args)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def page_open(page_tool, html, repeats, ready=None):
    seconds = []
    for _ in range(repeats):
        args = [page_tool, html] + (["--ready", ready] if ready else [])
        seen = json.loads(run(args))
        if not seen["ready"] or seen.get("errors") or seen.get("failed_views"):
            sys.exit("the page did not draw cleanly: %s\n%s" % (html, json.dumps(seen)[:2000]))
        seconds.append(seen["open_s"])
    return statistics.median(seconds)


def optuna_study(experiment):
    """The experiment's trials as an Optuna study: params, intermediate values, final value."""
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    distributions = {"x": optuna.distributions.FloatDistribution(-1.0, 1.0),
                     "y": optuna.distributions.FloatDistribution(-1.0, 1.0),
                     "rate": optuna.distributions.FloatDistribution(0.05, 2.0, log=True)}
    study = optuna.create_study(direction="minimize")
    trials = []
    for entry in sorted(os.listdir(experiment)):
        if not entry.startswith("trial_"):
            continue
        with open(os.path.join(experiment, entry, "params.json")) as f:
            params = json.load(f)
        values = {}
        with open(os.path.join(experiment, entry, "result.jsonl")) as rows:
            for line in rows:
                row = json.loads(line)
                values[row["training_iteration"]] = row["loss"]
        if not values:
            continue
        trials.append(optuna.trial.create_trial(params=params, distributions=distributions, value=values[max(values)],
                                                intermediate_values=values))
    study.add_trials(trials)
    return study


def optuna_html(study, html):
    import optuna.visualization as views
    figures = [views.plot_optimization_history(study), views.plot_intermediate_values(study),
               views.plot_parallel_coordinate(study)]
    parts = [figure.to_html(full_html=False, include_plotlyjs=(i == 0)) for i, figure in enumerate(figures)]
    with open(html, "w") as f:
        f.write("<!doctype html><html><head><meta charset='utf-8'></head><body>%s</body></html>" % "".join(parts))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--long", action="store_true", help="also 10,000 trials x 100 iterations (1,000,000 results)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-optuna", action="store_true")
    parser.add_argument("--dir", default=None, help="where the experiments go (default: a temporary folder)")
    options = parser.parse_args()
    tune = os.path.join(options.build, "bin", "tune")
    page_tool = os.path.join(options.build, "bin", "tune_report_page")
    folder = options.dir or tempfile.mkdtemp(prefix="tune-report-bench-")

    cases = [(int(n), False) for n in options.sizes.split(",") if n]
    if options.long:
        cases.append((10000, True))
    rows = []
    for trials, long_run in cases:
        name = "fifo_long" if long_run else "asha_%d" % trials
        experiment, generate_s = generate(tune, folder, name, trials, long_run)
        results = sum(1 for entry in os.listdir(experiment) if entry.startswith("trial_")
                      for _ in open(os.path.join(experiment, entry, "result.jsonl")))
        report_s = timed([tune, "report", experiment], options.repeats)
        html = os.path.join(experiment, "report.html")
        row = {"experiment": name, "trials": trials, "results": results, "generate_s": generate_s,
               "report_s": report_s, "report_mb": os.path.getsize(html) / 1e6,
               "page_s": page_open(page_tool, html, options.repeats)}
        if not options.no_optuna:
            study = optuna_study(experiment)
            optuna_file = os.path.join(experiment, "optuna.html")
            seconds = []
            for _ in range(options.repeats):
                started = time.perf_counter()
                optuna_html(study, optuna_file)
                seconds.append(time.perf_counter() - started)
            row.update({"optuna_s": statistics.median(seconds), "optuna_mb": os.path.getsize(optuna_file) / 1e6,
                        "optuna_page_s": page_open(page_tool, optuna_file, options.repeats, PLOTLY_READY)})
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)

    print("\nmedians of %d runs; experiments in %s" % (options.repeats, folder))
    header = "| experiment | trials | results | tune report (s) | page (MB) | opens in (s) |"
    rule = "| --- | --- | --- | --- | --- | --- |"
    if not options.no_optuna:
        header += " Optuna 3 views (s) | Optuna page (MB) | Optuna opens in (s) | time ratio | open ratio |"
        rule += " --- | --- | --- | --- | --- |"
    print(header)
    print(rule)
    for r in rows:
        line = "| %s | %d | %d | %.3f | %.2f | %.2f |" % (r["experiment"], r["trials"], r["results"], r["report_s"],
                                                       r["report_mb"], r["page_s"])
        if "optuna_s" in r:
            line += " %.2f | %.2f | %.2f | %.2fx | %.2fx |" % (r["optuna_s"], r["optuna_mb"], r["optuna_page_s"],
                                                            r["report_s"] / r["optuna_s"], r["page_s"] / r["optuna_page_s"])
        print(line)


if __name__ == "__main__":
    main()
