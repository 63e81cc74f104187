#!/usr/bin/env python3
"""tune's TPE and random search against Optuna's TPESampler and RandomSampler (issue 13).

For each synthetic function (bench/tpe/<function>.toml, the org.tune.sample.synthetic
trainable: Branin, Hartmann-6, 10-D Rosenbrock by default), each method and each seed
1..S, runs T trials (100) and prints one table per function: the median and interquartile
range over seeds of the simple regret (the best value found so far minus the function's
known minimum) after T/4, T/2 and T trials (25, 50, 100), each method's median regret as a
multiple of Optuna TPE's (below 1: better than Optuna TPE) with the two-sided Mann-Whitney U
test's p-value for "its regrets and Optuna TPE's come from one distribution" (SciPy; a large
p says the seeds' spread explains the difference in medians), and each method's wall time per
run (median over seeds).

The methods:

  tune TPE       build/bin/tune run bench/tpe/F.toml --set searcher.plugin=tpe
                 (org.tune.searcher.tpe with its default options)
  tune random    the same file with its own searcher, org.tune.searcher.random
  Optuna TPE     optuna.samplers.TPESampler(seed=S), its defaults
  Optuna random  optuna.samplers.RandomSampler(seed=S)

tune runs go through the real binary, with --set experiment.num_samples=T --set
experiment.seed=S --progress quiet. The files run one trial at a time
(max_concurrent_trials = 1) and ask the searcher for a point only once the previous trial has
ended ([searcher] max_concurrent = 1; without it, tune suggests the next trial while one runs,
and whether TPE has seen the latest result is up to timing). The script reads each trial's
value from the results folder in trial order (trial ids are creation order). Optuna runs a
Python copy of the same functions over the same bounds (suggest_float per coordinate),
sequentially (n_jobs=1). Before the runs, the script checks its Python copies against the
plugin, through tune, at each function's minimiser and at 5 random points, and it checks
every tune trial's value against the copy again as it reads it. A method's wall time is the
whole `tune run` process (start, worker, results folder) or the whole Optuna study
(create_study and optimize); for tune also the experiment's own (summary.json's
wall_time_s), without tune's start, in which it loads every plugin library it finds (seconds
where the LibTorch CIFAR-10 plugin is built).

If org.tune.searcher.tpe is not among the plugins `tune plugins` lists, the script says so
and runs the other three methods. Optuna is Debian's python3-optuna 3.1
(apt-get install -y python3-optuna); if the `python3` running the script lacks it (a pyenv
Python, say), the script restarts itself under /usr/bin/python3.

    python3 bench/tpe/tpe_bench.py [--tune build/bin/tune] [--seeds 10] [--trials 100]
                                   [--functions branin,hartmann6,rosenbrock10]
                                   [--methods tune-tpe,tune-random,optuna-tpe,optuna-random]
                                   [--per-seed] [--json FILE]

Functions: branin, hartmann6, rosenbrock10, sphere10 (each a file in bench/tpe). --per-seed
also prints every seed's final regret; --json writes every run's values and times.
"""
import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "bench", "tpe")
SYSTEM_PYTHON = "/usr/bin/python3"

try:
    import optuna
except ImportError:
    optuna = None
    if (os.path.exists(SYSTEM_PYTHON) and os.path.realpath(sys.executable) != os.path.realpath(SYSTEM_PYTHON)
            and not os.environ.get("TPE_BENCH_REEXEC")):
        os.environ["TPE_BENCH_REEXEC"] = "1"
        os.execv(SYSTEM_PYTHON, [SYSTEM_PYTHON, os.path.abspath(__file__)] + sys.argv[1:])
try:
    from scipy.stats import mannwhitneyu  # installed with python3-optuna
except ImportError:
    mannwhitneyu = None

# ---------------------------------------------------------------------------------------------
# The functions: Python copies of plugins/sample_synthetic/synthetic_trainable.cpp.

BRANIN_MIN = 5.0 / (4.0 * math.pi)  # 0.397887...
HARTMANN_ALPHA = (1.0, 1.2, 3.0, 3.2)
HARTMANN3_A = ((3.0, 10.0, 30.0), (0.1, 10.0, 35.0), (3.0, 10.0, 30.0), (0.1, 10.0, 35.0))
HARTMANN3_P = ((0.3689, 0.1170, 0.2673), (0.4699, 0.4387, 0.7470), (0.1091, 0.8732, 0.5547),
               (0.0381, 0.5743, 0.8828))
HARTMANN6_A = ((10.0, 3.0, 17.0, 3.5, 1.7, 8.0), (0.05, 10.0, 17.0, 0.1, 8.0, 14.0),
               (3.0, 3.5, 1.7, 10.0, 17.0, 8.0), (17.0, 8.0, 0.05, 10.0, 0.1, 14.0))
HARTMANN6_P = ((0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886), (0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991),
               (0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650), (0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381))


def branin(x):
    b, c, t = 5.1 / (4.0 * math.pi * math.pi), 5.0 / math.pi, 1.0 / (8.0 * math.pi)
    inner = x[1] - b * x[0] * x[0] + c * x[0] - 6.0
    return inner * inner + 10.0 * (1.0 - t) * math.cos(x[0]) + 10.0


def hartmann(x, a, p):
    total = 0.0
    for i in range(4):
        exponent = sum(a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]) for j in range(len(x)))
        total += HARTMANN_ALPHA[i] * math.exp(-exponent)
    return -total


def rosenbrock(x):
    return sum(100.0 * (x[i + 1] - x[i] * x[i]) ** 2 + (1.0 - x[i]) ** 2 for i in range(len(x) - 1))


def sphere(x):
    return sum(v * v for v in x)


class Function:
    def __init__(self, name, label, value, minimum, bounds, minimiser):
        self.name, self.label, self.value, self.minimum = name, label, value, minimum
        self.bounds, self.minimiser = bounds, minimiser

    @property
    def file(self):
        return os.path.join(HERE, self.name + ".toml")


FUNCTIONS = {f.name: f for f in (
    Function("branin", "Branin (2-D)", branin, BRANIN_MIN, [(-5.0, 10.0), (0.0, 15.0)], [math.pi, 2.275]),
    Function("hartmann6", "Hartmann-6 (6-D)", lambda x: hartmann(x, HARTMANN6_A, HARTMANN6_P), -3.322368011415515,
             [(0.0, 1.0)] * 6, [0.20168951100670543, 0.15001069182345797, 0.47687397422189703, 0.2753324304940561,
                                0.31165161660011326, 0.6573005340656204]),
    Function("rosenbrock10", "Rosenbrock (10-D)", rosenbrock, 0.0, [(-5.0, 10.0)] * 10, [1.0] * 10),
    Function("sphere10", "sphere (10-D)", sphere, 0.0, [(-5.12, 5.12)] * 10, [0.0] * 10),
)}

METHODS = ["tune-tpe", "tune-random", "optuna-tpe", "optuna-random"]
LABELS = {"tune-tpe": "tune TPE", "tune-random": "tune random", "optuna-tpe": "Optuna TPE",
          "optuna-random": "Optuna random"}
TPE_ID = "org.tune.searcher.tpe"

# ---------------------------------------------------------------------------------------------
# tune


def tune_run(tune, function, results, overrides):
    """Runs F.toml with the overrides; returns the trials' (config, value) in trial order, the
    process's wall time and the experiment's (summary.json's wall_time_s)."""
    args = [tune, "run", function.file, "--progress", "quiet", "--overwrite",
            "--set", "experiment.results_dir=" + results]
    for key, value in overrides:
        args += ["--set", "%s=%s" % (key, value)]
    start = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit("tune failed (exit %d): %s\n%s" % (done.returncode, " ".join(args), done.stdout))
    folder = os.path.join(results, "tpe_" + function.name)
    with open(os.path.join(folder, "summary.json")) as f:
        summary = json.load(f)
    trials = []
    for trial in sorted(summary["trials"], key=lambda t: t["trial_id"]):
        with open(os.path.join(folder, trial["dir"], "result.jsonl")) as rows:
            first = rows.readline()
        if not first:
            sys.exit("tune run %s: trial %s has no result (status %s, error %r)" %
                     (function.file, trial["trial_id"], trial["status"], trial.get("error", "")))
        trials.append((trial["config"], json.loads(first)["value"]))
    return trials, wall, summary["wall_time_s"]


def point_of(function, config):
    return [config["x%d" % (i + 1)] for i in range(len(function.bounds))]


def check_value(function, config, value, where):
    expected = function.value(point_of(function, config))
    if not math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12):
        sys.exit("%s: the plugin's %s%s is %r, the script's Python copy %r: they disagree" %
                 (where, function.name, tuple(point_of(function, config)), value, expected))


def check_functions(tune, functions, results):
    """Compares the Python copies with the plugin at each minimiser and 5 random points."""
    for function in functions:
        minimiser = "{ %s }" % ", ".join("x%d = %r" % (i + 1, v) for i, v in enumerate(function.minimiser))
        trials = tune_run(tune, function, results, [("search_space", minimiser), ("experiment.num_samples", 1)])[0]
        trials += tune_run(tune, function, results, [("experiment.num_samples", 5), ("experiment.seed", 12345)])[0]
        for config, value in trials:
            check_value(function, config, value, "check before the runs")
        regret = trials[0][1] - function.minimum
        if not abs(regret) < 1e-9:
            sys.exit("check before the runs: %s at its minimiser is %r, not its minimum %r" %
                     (function.name, trials[0][1], function.minimum))
        print("checked %s: the plugin and the Python copy agree at the minimiser and 5 random points" %
              function.name)


def tune_method(tune, function, seed, trials, results, tpe):
    overrides = [("experiment.num_samples", trials), ("experiment.seed", seed)]
    if tpe:
        overrides.append(("searcher.plugin", "tpe"))
    rows, wall, experiment_wall = tune_run(tune, function, results, overrides)
    if len(rows) != trials:
        sys.exit("tune run %s (seed %d): %d trials, expected %d" % (function.file, seed, len(rows), trials))
    for config, value in rows:
        check_value(function, config, value, "tune run %s seed %d" % (function.name, seed))
    return [value for _, value in rows], wall, experiment_wall


def tune_plugin_ids(tune):
    done = subprocess.run([tune, "plugins", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit("`%s plugins --json` failed (exit %d): %s" % (tune, done.returncode, done.stderr))
    return {plugin["id"] for plugin in json.loads(done.stdout)}

# ---------------------------------------------------------------------------------------------
# Optuna


def optuna_method(function, seed, trials, tpe):
    def objective(trial):
        return function.value([trial.suggest_float("x%d" % (i + 1), low, high)
                               for i, (low, high) in enumerate(function.bounds)])

    start = time.perf_counter()
    sampler = optuna.samplers.TPESampler(seed=seed) if tpe else optuna.samplers.RandomSampler(seed=seed)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.optimize(objective, n_trials=trials, n_jobs=1)
    wall = time.perf_counter() - start
    return [t.value for t in sorted(study.trials, key=lambda t: t.number)], wall, wall

# ---------------------------------------------------------------------------------------------
# The table


def simple_regret(values, minimum, n):
    # Rounding can put a value at a minimiser a few ulps below the minimum.
    return max(0.0, min(values[:n]) - minimum)


def quartiles(values):
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def fmt(value):
    """3 significant digits, exponents short: 0.0163, 27.2, 1.09e5, 3.4e-5."""
    if value == 0:
        return "0"
    text = "%.3g" % value
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = "%se%d" % (mantissa, int(exponent))
    return text


def print_table(function, runs, checkpoints, seeds):
    print()
    print("%s: simple regret (the best value so far minus the minimum %.6g), median [IQR] over %d seeds;"
          % (function.label, function.minimum, len(seeds)))
    print("x Optuna TPE: the median regret over Optuna TPE's (below 1: better), and p, the Mann-Whitney U test's")
    print("two-sided p-value against Optuna TPE's regrets (small: a real difference); s/run: median wall time of a run,")
    print("the whole process or study; experiment: tune's summary.json wall_time_s, the controller's run alone,")
    print("without tune's start, in which it loads every plugin library it finds")
    header = "%-14s" % "method"
    for n in checkpoints:
        header += " | %-26s %-19s" % ("after %d trials" % n, "x Optuna TPE, p")
    header += " | %7s %10s" % ("s/run", "experiment")
    print(header)
    print("-" * len(header))
    def regrets(method, n):
        return [simple_regret(v, function.minimum, n) for v, _, _ in runs[method]]

    for method in METHODS:
        if method not in runs:
            continue
        line = "%-14s" % LABELS[method]
        for n in checkpoints:
            q1, median, q3 = quartiles(regrets(method, n))
            comparison = "-"
            if "optuna-tpe" in runs and method != "optuna-tpe":
                reference = quartiles(regrets("optuna-tpe", n))[1]
                comparison = "%.2fx" % (median / reference) if reference > 0 else "-"
                if mannwhitneyu is not None and len(seeds) > 1:
                    p = mannwhitneyu(regrets(method, n), regrets("optuna-tpe", n), alternative="two-sided").pvalue
                    comparison += ", p=%.2g" % p
            elif method == "optuna-tpe":
                comparison = "1.00x"
            cell = "%s [%s, %s]" % (fmt(median), fmt(q1), fmt(q3))
            line += " | %-26s %-19s" % (cell, comparison)
        line += " | %7.2f %10.2f" % (statistics.median(run[1] for run in runs[method]),
                                     statistics.median(run[2] for run in runs[method]))
        print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tune", default=os.path.join(ROOT, "build", "bin", "tune"))
    parser.add_argument("--seeds", type=int, default=10, help="seeds 1..SEEDS (default 10)")
    parser.add_argument("--trials", type=int, default=100, help="trials per run (default 100)")
    parser.add_argument("--functions", default="branin,hartmann6,rosenbrock10",
                        help="comma-separated, of: " + ", ".join(FUNCTIONS))
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated, of: " + ", ".join(METHODS))
    parser.add_argument("--per-seed", action="store_true", help="also print each seed's final regret")
    parser.add_argument("--json", metavar="FILE", help="write every run's values and wall time to FILE")
    options = parser.parse_args()

    functions = []
    for name in options.functions.split(","):
        if name not in FUNCTIONS:
            parser.error("unknown function %r; known: %s" % (name, ", ".join(FUNCTIONS)))
        functions.append(FUNCTIONS[name])
    methods = options.methods.split(",")
    for method in methods:
        if method not in METHODS:
            parser.error("unknown method %r; known: %s" % (method, ", ".join(METHODS)))
    if options.seeds < 1 or options.trials < 4:
        parser.error("--seeds must be >= 1 and --trials >= 4")
    seeds = list(range(1, options.seeds + 1))
    checkpoints = sorted({options.trials // 4, options.trials // 2, options.trials})

    if not os.access(options.tune, os.X_OK):
        sys.exit("no tune binary at %s: build it (cmake --build build --target tune tune_sample_synthetic)" %
                 options.tune)
    ids = tune_plugin_ids(options.tune)
    if "org.tune.sample.synthetic" not in ids:
        sys.exit("tune finds no org.tune.sample.synthetic plugin: build it "
                 "(cmake --build build --target tune_sample_synthetic)")
    note = None
    if "tune-tpe" in methods and TPE_ID not in ids:
        note = ("NOTE: %s is not built (`%s plugins` does not list it): tune TPE is left out; "
                "running the other methods." % (TPE_ID, options.tune))
        print(note)
        methods.remove("tune-tpe")
    if any(m.startswith("optuna") for m in methods):
        if optuna is None:
            sys.exit("Optuna is missing: apt-get install -y python3-optuna (Debian's 3.1), or leave it out "
                     "with --methods tune-tpe,tune-random")
        optuna.logging.set_verbosity(optuna.logging.WARNING)

    print("tpe_bench: %s; %d seeds x %d trials; functions %s; methods %s" %
          (datetime.datetime.now().isoformat(timespec="seconds"), len(seeds), options.trials,
           ", ".join(f.name for f in functions), ", ".join(LABELS[m] for m in methods)))
    print("tune %s; Python %s; Optuna %s" % (options.tune, platform.python_version(),
                                             optuna.__version__ if optuna else "(not used)"))
    started = time.perf_counter()
    everything = {}
    with tempfile.TemporaryDirectory(prefix="tune-tpe-bench-") as results:
        check_functions(options.tune, functions, results)
        for function in functions:
            runs = {}
            for method in methods:
                runs[method] = []
                for seed in seeds:
                    if method.startswith("tune"):
                        run = tune_method(options.tune, function, seed, options.trials, results,
                                          method == "tune-tpe")
                    else:
                        run = optuna_method(function, seed, options.trials, method == "optuna-tpe")
                    runs[method].append(run)
            print_table(function, runs, checkpoints, seeds)
            if options.per_seed:
                for method in methods:
                    print("  %-14s final regret per seed: %s" % (LABELS[method], ", ".join(
                        fmt(simple_regret(run[0], function.minimum, options.trials)) for run in runs[method])))
            sys.stdout.flush()
            everything[function.name] = {
                m: [{"seed": s, "values": v, "wall_s": w, "experiment_wall_s": e} for s, (v, w, e) in zip(seeds, r)]
                for m, r in runs.items()}
    print()
    if note:
        print(note)
    print("total wall time %.1f s" % (time.perf_counter() - started))
    if options.json:
        with open(options.json, "w") as f:
            json.dump({"seeds": seeds, "trials": options.trials, "results": everything}, f)


if __name__ == "__main__":
    main()
