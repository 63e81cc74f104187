#!/usr/bin/env bash
# Configures and builds tune into build/ (or $TUNE_BUILD_DIR). Extra arguments go to cmake.
# With CI=true, compiler warnings are errors.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${TUNE_BUILD_DIR:-$root/build}"
werror=OFF
[[ "${CI:-}" == "true" ]] && werror=ON
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTUNE_WARNINGS_AS_ERRORS="$werror" "$@"
cmake --build "$build_dir" --parallel "$(nproc)"
