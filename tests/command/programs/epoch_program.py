#!/usr/bin/env python3
"""A training program for the command trainable's tests, written against sdk/python/tune_report.py:
a loss curve one epoch at a time, a checkpoint folder before each result line that names it,
continued from tune_report.restore_dir(), and its last result marked done. With --signal-at K
it kills itself with SIGSEGV at epoch K, once per trial (a marker file remembers).

    epoch_program.py --rate R [--epochs 6] [--signal-at K]
"""
import argparse
import json
import os
import signal
import sys

sys.path.insert(0, os.environ["TUNE_REPORT_PY_DIR"])
import tune_report as tune  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--rate", type=float, required=True)
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--signal-at", type=int, default=-1)
args = parser.parse_args()

config = tune.config()
epoch = 0
if tune.restore_dir():
    with open(os.path.join(tune.restore_dir(), "state.json")) as f:
        epoch = json.load(f)["epoch"]
with open(os.path.join(os.environ["TUNE_TRIAL_DIR"], "starts"), "a") as f:
    f.write("pid %d start %d\n" % (os.getpid(), epoch))

while epoch < args.epochs:
    epoch += 1
    print("epoch %d of %s" % (epoch, json.dumps(config)), flush=True)
    marker = os.path.join(os.environ["TUNE_TRIAL_DIR"], "signalled")
    if epoch == args.signal_at and not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGSEGV)
    name = "epoch_%d" % epoch
    with open(os.path.join(tune.checkpoint_dir(name), "state.json"), "w") as f:
        json.dump({"epoch": epoch}, f)
    tune.report(loss=1.0 / (1.0 + args.rate * epoch), epoch=epoch, checkpoint=name, done=epoch == args.epochs)
