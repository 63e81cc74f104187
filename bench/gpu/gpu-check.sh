#!/usr/bin/env bash
# The GPU check: builds the CIFAR-10 trainable against PyTorch's CUDA LibTorch, then runs the
# tutorial experiment (samples/cifar10_asha.toml, Fashion-MNIST as CIFAR-10) twice: with 1 GPU
# per trial and with 0.25 GPU per trial. Checks that every trial trained on CUDA and saw
# exactly one device, and prints the figures that docs/performance.md quotes. On a machine
# with two or more GPUs it runs a third time with 2 whole GPUs per trial, and checks that every
# trial saw two devices and trained data-parallel over them.
#
# Run from the repository root on a machine with an NVIDIA GPU and python3 with CUDA PyTorch.
# KIT (default .gpu) holds what that machine lacks, made on a Debian 12 build machine:
#   KIT/bin/{tune,tune-worker,tune-data}, KIT/lib/tune/plugins/*.so (the other plugins),
#   KIT/libs (libfmt, libspdlog, libmuparser, libtomlplusplus), KIT/include/nlohmann,
#   KIT/fashion-mnist/*.gz
# Extra arguments go to both `tune run`s (e.g. --set trainable.config.train_subset=20000).
set -uo pipefail
root="$(pwd)"
kit="$(cd "${KIT:-.gpu}" && pwd)"
out="${OUT:-/tmp/gpu-check}"
mkdir -p "$out"
export LD_LIBRARY_PATH="$kit/libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fail() { echo "GPU CHECK FAILED: $*"; exit 1; }

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || fail "no nvidia-smi"
python3 -c 'import torch;print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())'
prefix="$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')"

start=$(date +%s)
cmake -S bench/gpu -B /tmp/build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
    -DTUNE_JSON_INCLUDE_DIR="$kit/include" >"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; fail "cmake"; }
ninja -C /tmp/build-gpu >>"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; fail "build"; }
echo "built the CUDA plugin in $(( $(date +%s) - start )) s"
cp /tmp/build-gpu/tune_cifar10.so "$kit/lib/tune/plugins/"
"$kit/bin/tune-data" fashion-mnist --source "$kit/fashion-mnist" --out /tmp/fashion-mnist-cifar >/dev/null || fail "tune-data"

# One experiment; $1 names it, $2 is the GPU share per trial, $3 the GPUs in all.
run_experiment() {
    local name="$1" gpu="$2" total="$3"; shift 3
    local begin; begin=$(date +%s.%N)
    nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader -lms 500 >"$out/smi-$name.csv" 2>/dev/null &
    local smi=$!
    "$kit/bin/tune" run samples/cifar10_asha.toml --overwrite \
        --set experiment.name="$name" --set experiment.results_dir=/tmp/results \
        --set experiment.total_gpus="$total" --set trainable.resources.gpu="$gpu" \
        --set trainable.config.data_dir=/tmp/fashion-mnist-cifar "$@" >"$out/run-$name.log" 2>&1
    local rc=$?
    kill "$smi" 2>/dev/null
    local end; end=$(date +%s.%N)
    echo "== $name: gpu per trial $gpu, exit $rc, wall $(python3 -c "print(round($end-$begin,1))") s"
    tail -n 25 "$out/run-$name.log"
    cp "/tmp/results/$name/summary.json" "$out/summary-$name.json" 2>/dev/null
    # Every worker that trained must have used CUDA and seen exactly its own devices: one for
    # a share of a GPU, both of two whole GPUs (data-parallel).
    local lines cuda expected="trains on cuda:0;" visible=1
    if [ "$gpu" = 2 ]; then expected="trains on cuda:0-1 data-parallel;"; visible=2; fi
    lines=$(cat /tmp/results/"$name"/logs/worker_*.log 2>/dev/null | grep -c "trains on" || true)
    cuda=$(cat /tmp/results/"$name"/logs/worker_*.log 2>/dev/null | grep -F "$expected" | grep -c "visible CUDA devices: $visible" || true)
    echo "device lines: $lines trial setups, $cuda with '$expected' and exactly $visible visible device(s)"
    grep -h "trains on" /tmp/results/"$name"/logs/worker_*.log | sed 's/.*\[plugin\] //' | sort | uniq -c | head -20
    python3 - "$out/smi-$name.csv" <<'EOF'
import sys
rows = [l.split(',') for l in open(sys.argv[1]) if l.strip()]
util = [float(r[0].split()[0]) for r in rows if r[0].split()[0].replace('.', '').isdigit()]
mem = [float(r[1].split()[0]) for r in rows if len(r) > 1 and r[1].split()[0].isdigit()]
if util:
    print(f"GPU utilisation: mean {sum(util)/len(util):.0f}%, max {max(util):.0f}%; memory used max {max(mem):.0f} MiB ({len(util)} samples)")
EOF
    [ "$rc" = 0 ] && [ "$lines" -gt 0 ] && [ "$lines" = "$cuda" ] || echo "CHECK FAILED for $name"
}

run_experiment gpu1 1 1 "$@"
run_experiment gpu025 0.25 1 "$@"
gpus=$(nvidia-smi --query-gpu=name --format=csv,noheader | wc -l)
if [ "$gpus" -ge 2 ]; then run_experiment gpu2x2 2 2 "$@"
else echo "== gpu2x2: skipped, this machine has $gpus GPU (data-parallel needs 2)"; fi
