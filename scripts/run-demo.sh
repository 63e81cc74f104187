#!/usr/bin/env bash
# The main job: installs dependencies, builds, and runs the sample ASHA experiment to the end,
# printing the live progress table and then the best trial. Extra arguments go to `tune run`
# (e.g. --set experiment.num_samples=48).
#
# Until the CIFAR-10 trainable lands, the main job tunes the sample curve trainable; the
# experiment file is samples/experiments/curve_asha.toml and results go to results/curve_asha.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" -DTUNE_BUILD_TESTS=OFF
cd "$root"
exec "${TUNE_BUILD_DIR:-$root/build}/bin/tune" run samples/experiments/curve_asha.toml --overwrite "$@"
