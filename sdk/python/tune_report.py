"""Reporting results from a program that tune runs through the command trainable.

One file, no dependencies beyond Python 3's standard library: copy it beside your script, or
put its folder on PYTHONPATH. Any program that prints the lines itself works as well
(docs/command-trainable.md).

    import tune_report as tune

    config = tune.config()                      # the trial's config ($TUNE_CONFIG_FILE)
    start = 0
    if tune.restore_dir():                      # continuing from a checkpoint
        start = load(tune.restore_dir())
    for epoch in range(start, epochs):
        loss = train_one_epoch()
        path = tune.checkpoint_dir(f"epoch_{epoch + 1}")   # first the checkpoint ...
        save(path)
        tune.report(loss=loss, checkpoint=f"epoch_{epoch + 1}")  # ... then the line naming it
"""

import json
import math
import os
import sys

__all__ = ["config", "restore_dir", "checkpoint_dir", "report"]


def config():
    """The trial's config (everything but the command table), or {} when not run by tune."""
    path = os.environ.get("TUNE_CONFIG_FILE")
    if not path:
        return {}
    with open(path) as f:
        return json.load(f)


def restore_dir():
    """The checkpoint folder this run continues from (read only), or None for a fresh start."""
    return os.environ.get("TUNE_RESTORE_DIR") or None


def checkpoint_dir(name):
    """Makes the folder $TUNE_CHECKPOINT_DIR/name and returns its path. Write the checkpoint
    there, then report(..., checkpoint=name)."""
    root = os.environ.get("TUNE_CHECKPOINT_DIR")
    if not root:
        raise RuntimeError("TUNE_CHECKPOINT_DIR is not set: the program was not started by tune")
    path = os.path.join(root, name)
    os.makedirs(path, exist_ok=True)
    return path


def _plain(value):
    # JSON has no NaN or infinity: tune reads them as null.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # a NumPy or PyTorch scalar
        return _plain(value.item())
    return value


def report(checkpoint=None, done=False, **metrics):
    """Prints one result line and flushes it: report(loss=0.3, accuracy=0.9). checkpoint names
    the folder (made by checkpoint_dir) that holds the state after this result; done=True marks
    the last result."""
    result = {key: _plain(value) for key, value in metrics.items()}
    if checkpoint is not None:
        result["checkpoint"] = str(checkpoint)
    if done:
        result["done"] = True
    prefix = os.environ.get("TUNE_RESULT_PREFIX") or "tune-result"
    sys.stdout.write(prefix + " " + json.dumps(result) + "\n")
    sys.stdout.flush()
