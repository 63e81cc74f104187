#!/usr/bin/env bash
# Configures and builds tune into build/ (or $TUNE_BUILD_DIR). Extra arguments go to cmake.
# With CI=true, compiler warnings are errors; otherwise a configured build folder keeps its
# setting, so that a build after CI's (scripts/run-cifar10.sh after scripts/test.sh) changes
# no compiler flag and rebuilds nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${TUNE_BUILD_DIR:-$root/build}"
werror=()
[[ "${CI:-}" == "true" ]] && werror=(-DTUNE_WARNINGS_AS_ERRORS=ON)
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${werror[@]}" "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
