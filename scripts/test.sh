#!/usr/bin/env bash
# The test command: installs dependencies (LibTorch included), builds everything including the
# CIFAR-10 trainer, and runs the whole test suite with ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh" --torch
"$root/scripts/build.sh" -DTUNE_BUILD_TESTS=ON -DTUNE_BUILD_TORCH_PLUGINS=ON
cd "${TUNE_BUILD_DIR:-$root/build}"
ctest --output-on-failure --parallel "$(nproc)" --timeout 600
