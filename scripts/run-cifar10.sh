#!/usr/bin/env bash
# The main job: installs the dependencies (LibTorch included), builds tune with the CIFAR-10
# trainer, prepares the default data, and runs the tutorial's experiment
# (samples/cifar10_asha.toml: 10 configs, ASHA) to the end. It prints the live progress table,
# then the best trial's config, validation loss and accuracy, and its test-set accuracy.
#
# Data: the real CIFAR-10 (binary version) when $TUNE_CIFAR10_DIR, or else
# data/cifar-10-batches-bin, holds it; otherwise Fashion-MNIST from Debian's
# dataset-fashion-mnist, converted once to the CIFAR-10 layout in data/fashion-mnist-cifar.
#
#   scripts/run-cifar10.sh                  # the whole experiment (2026-12-06, 2 cores: build 603 s
#                                           # from a fresh clone, 1 s after scripts/test.sh; experiment 118 s)
#   scripts/run-cifar10.sh --quick          # a first look: 4 configs, 3 epochs, 10,000 images
#   scripts/run-cifar10.sh --set trainable.resources.gpu=0.25   # other arguments go to tune run
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${TUNE_BUILD_DIR:-$root/build}"

quick=()
passed=()
for argument in "$@"; do
  if [[ "$argument" == "--quick" ]]; then
    quick=(--set experiment.num_samples=4 --set scheduler.options.max_t=3 --set stop.training_iteration=3
           --set trainable.config.train_subset=10000)
  else
    passed+=("$argument")
  fi
done

"$root/scripts/install-deps.sh" --torch
build_started=$SECONDS
if [[ -f "$build/CMakeCache.txt" ]]; then
  # A build folder already configured (by scripts/test.sh, say): keep its settings, so that
  # nothing is rebuilt for a flag this script would have set otherwise.
  "$root/scripts/build.sh" -DTUNE_BUILD_TORCH_PLUGINS=ON
else
  "$root/scripts/build.sh" -DTUNE_BUILD_TESTS=OFF -DTUNE_BUILD_TORCH_PLUGINS=ON
fi
echo "run-cifar10: build took $((SECONDS - build_started)) s"
cd "$root"

data="${TUNE_CIFAR10_DIR:-data/cifar-10-batches-bin}"
if [[ -f "$data/data_batch_1.bin" && -f "$data/test_batch.bin" ]]; then
  echo "run-cifar10: CIFAR-10 from $data"
else
  data="data/fashion-mnist-cifar"
  if [[ ! -f "$data/test_batch.bin" ]]; then
    "$build/bin/tune-data" fashion-mnist --out "$data"
  fi
  echo "run-cifar10: no CIFAR-10 in ${TUNE_CIFAR10_DIR:-data/cifar-10-batches-bin} (see docs/cifar10-data.md);" \
       "using Fashion-MNIST in the CIFAR-10 layout from $data"
fi

experiment_started=$SECONDS
status=0
"$build/bin/tune" run samples/cifar10_asha.toml --overwrite --set trainable.config.data_dir="$data" \
  "${quick[@]}" "${passed[@]}" || status=$?
echo "run-cifar10: the experiment took $((SECONDS - experiment_started)) s"
exit "$status"
