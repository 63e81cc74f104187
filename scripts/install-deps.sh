#!/usr/bin/env bash
# Installs tune's build and test dependencies from Debian 12 packages (Open MPI included, for
# trials across the ranks of an MPI job: docs/scale-out.md; Chart.js, which the HTML report
# inlines, headless Chromium, which its tests render it in, and jemalloc, the worker's allocator). Safe to run again:
# it installs only what is missing, and runs `apt-get update` only when it must install.
#
#   scripts/install-deps.sh            # host, SDK, plugins without LibTorch, tests, Fashion-MNIST
#   scripts/install-deps.sh --torch    # also LibTorch (the CIFAR-10 trainer) and python3-torch
#                                      # (samples/command_pytorch, the tutorial's Python loop)
#   scripts/install-deps.sh --bench    # the same, and the benchmarks' baselines: python3-torch (the
#                                      # trainer), python3-optuna (TPE) and python3-plotly (Optuna's
#                                      # plots, beside the HTML report)
#   scripts/install-deps.sh --fuzz     # clang-14, libFuzzer and lld, for the sanitizer and
#                                      # fuzzing build (scripts/test-sanitizers.sh)
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config binutils
  libboost-dev libtomlplusplus-dev libcereal-dev libcli11-dev nlohmann-json3-dev
  libfmt-dev libspdlog-dev libmuparser-dev catch2
  zlib1g-dev dataset-fashion-mnist libopenmpi-dev openmpi-bin
  libjs-chart.js chromium fonts-dejavu-core libjemalloc-dev
)
for option in "$@"; do
  case "$option" in
    # OpenBLAS replaces the reference BLAS that libtorch-dev pulls in by default: LibTorch's
    # linear layers call sgemm, which the reference BLAS runs several times slower.
    --torch) packages+=(libtorch-dev libopenblas0-pthread python3-torch) ;;
    --bench) packages+=(libtorch-dev libopenblas0-pthread python3-torch python3-optuna python3-plotly) ;;
    --fuzz) packages+=(clang-14 libfuzzer-14-dev lld-14) ;;
    *) echo "install-deps: unknown option '$option' (expected --torch, --bench or --fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends "${missing[@]}"
