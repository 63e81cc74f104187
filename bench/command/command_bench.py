#!/usr/bin/env python3
"""The command trainable's overhead against a plugin trainable on the same (no) work (issue 14).

Runs, through `tune run`, the noop plugin org.tune.bench.noop (bench/noop_trainable.cpp) and
its program twin tune_bench_noop_program (bench/command/noop_program.c, the same results
printed as `tune-result` lines through tune/report.h and run by org.tune.command), side by
side in each repeat:

  per result   1 trial of R results (20,000): wall_time_s / R
  per trial    T trials of 1 result each (200), one at a time: wall_time_s / T

and prints the median over the repeats of each, and the command trainable's figure over the
plugin's. wall_time_s is the experiment's own time in summary.json (tune's start, which loads
the plugin libraries, left out). Per result, the difference is a pipe write and read and a JSON
parse more per result; per trial, a fork and exec of the program (the plugin reuses its
instance).

    python3 bench/command/command_bench.py [--build build] [--repeats 5] [--results 20000] [--trials 200]
                                           [--dir /dev/shm]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def experiment(program, plugin_dir, results, trials, command, folder):
    if command:
        trainable = '''[trainable]
plugin = "command"
[trainable.config.command]
argv = ["%s", "{x}", "%d"]
config_file = false
''' % (program, results)
    else:
        trainable = '''[trainable]
plugin = "org.tune.bench.noop"
'''
    text = '''[experiment]
name = "bench"
metric = "loss"
mode = "min"
num_samples = %d
seed = 1
max_concurrent_trials = 1
results_dir = "%s"
%s
[search_space]
x = { uniform = [1.0, 2.0] }
[stop]
training_iteration = %d
[checkpoint]
at_end = false
''' % (trials, folder, trainable, results)
    path = os.path.join(folder, "experiment.toml")
    with open(path, "w") as f:
        f.write(text)
    return path


def run(tune, plugin_dir, path, folder):
    done = subprocess.run([tune, "--plugin-path", plugin_dir, "run", path, "--progress", "quiet", "--overwrite"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit("tune run %s failed (%d):\n%s%s" % (path, done.returncode, done.stdout, done.stderr))
    with open(os.path.join(folder, "bench", "summary.json")) as f:
        summary = json.load(f)
    statuses = {t["status"] for t in summary["trials"]}
    if statuses != {"TERMINATED"}:
        sys.exit("%s: trials ended %s" % (path, statuses))
    return summary["wall_time_s"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--results", type=int, default=20000)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--dir", default=None, help="where the results folders go (default: the system's temp folder)")
    options = parser.parse_args()
    tune = os.path.join(options.build, "bin", "tune")
    program = os.path.join(options.build, "bin", "tune_bench_noop_program")
    plugin_dir = os.path.join(options.build, "bench", "plugins")
    for needed in (tune, program, os.path.join(plugin_dir, "tune_bench_noop.so")):
        if not os.path.exists(needed):
            sys.exit("missing %s: build with -DTUNE_BUILD_BENCHMARKS=ON" % needed)

    figures = {(kind, command): [] for kind in ("result", "trial") for command in (False, True)}
    with tempfile.TemporaryDirectory(prefix="tune-command-bench-", dir=options.dir) as folder:
        for repeat in range(options.repeats):
            for command in (False, True):
                path = experiment(program, plugin_dir, options.results, 1, command, folder)
                figures[("result", command)].append(run(tune, plugin_dir, path, folder) / options.results)
                path = experiment(program, plugin_dir, 1, options.trials, command, folder)
                figures[("trial", command)].append(run(tune, plugin_dir, path, folder) / options.trials)
            print("repeat %d: per result %.4f / %.4f ms, per trial %.3f / %.3f ms (plugin / command)" %
                  (repeat + 1, figures[("result", False)][-1] * 1e3, figures[("result", True)][-1] * 1e3,
                   figures[("trial", False)][-1] * 1e3, figures[("trial", True)][-1] * 1e3))
            sys.stdout.flush()

    print()
    print("median of %d repeats | plugin (org.tune.bench.noop) | command (org.tune.command) | command / plugin"
          % options.repeats)
    for kind, label, count in (("result", "per result (1 trial x %d)" % options.results, options.results),
                               ("trial", "per trial (%d trials x 1 result)" % options.trials, options.trials)):
        plugin = statistics.median(figures[(kind, False)]) * 1e3
        command = statistics.median(figures[(kind, True)]) * 1e3
        print("%-34s | %10.4f ms | %10.4f ms | %.2fx" % (label, plugin, command, command / plugin))


if __name__ == "__main__":
    main()
