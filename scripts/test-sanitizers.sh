#!/usr/bin/env bash
# Builds tune with AddressSanitizer and UndefinedBehaviorSanitizer (TUNE_SANITIZE=ON) in its
# own build folder and runs the core's tests under them: the host, the worker, the state file,
# the plugin loader, the searchers and schedulers, and the fault-tolerance tests, which run
# real tune and tune-worker processes with instrumented plugins.
#
# Left out to stay within a few minutes on 2 cores: the search-space library's tests
# (tests/space), the CIFAR-10 data and LibTorch trainer tests (tests/cifar10*) and the SDK
# install tests (they install and build sample projects out of tree), which are not the core,
# and the ABI C99 header check (no code runs). Built without MPI: the relay between ranks is
# tested in one process (tests/core/mpi), and LeakSanitizer would report what Open MPI itself
# keeps until exit, under mpirun.
#
# The same build is compiled by clang-14 with libFuzzer's coverage (TUNE_FUZZ=ON), so it also
# holds the fuzz harnesses of tests/fuzz: ctest replays each one's corpus and regressions, and
# then each harness runs for TUNE_FUZZ_SECONDS (default 20) on its corpus; a crash, a hang
# or a sanitizer report fails the script, with the input saved under build-sanitize/fuzz-findings.
# Usage: scripts/test-sanitizers.sh [extra cmake args]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${TUNE_SANITIZE_BUILD_DIR:-$root/build-sanitize}"
fuzz_seconds="${TUNE_FUZZ_SECONDS:-20}"

"$root/scripts/install-deps.sh" --fuzz
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug -DTUNE_SANITIZE=ON \
  -DTUNE_FUZZ=ON -DTUNE_BUILD_BENCHMARKS=OFF -DTUNE_BUILD_TESTS=ON -DTUNE_WITH_MPI=OFF "$@"
# Build only what the core's tests need: the executables, the plugins, and the test programs
# of tests/ other than those left out (search space, CIFAR-10 data), and the fuzz harnesses.
targets=(tune tune-worker tune_test_main tune-data) # tune-data: the data the command pytorch test trains on
fuzzers=()
for harness in "$root"/tests/fuzz/*_fuzzer.cpp; do fuzzers+=("$(basename "$harness" .cpp)"); done
targets+=("${fuzzers[@]}")
while IFS= read -r test_source; do
  name="$(basename "$test_source" .cpp)"
  case "$test_source" in
    */space/*|*/cifar10/*|*/cifar10_trainer/*|*/sdk/sdk_install_test.cpp|*/sdk/doc_snippets_test.cpp|*/tests/mpi/*|*/fuzz/*) continue ;;
  esac
  targets+=("$name")
done < <(find "$root/tests" -name '*_test.cpp' | sort)
cmake --build "$build" --parallel "$(nproc)" --target "${targets[@]}"

# handle_segv=0: the fault-tolerance tests crash trainables on purpose and check that the
# host sees the signal itself (SIGSEGV), which ASan's own handler would turn into an exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:handle_segv=0:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$build"
ctest --output-on-failure --parallel "$(nproc)" --timeout 600 \
  --exclude-regex '(^space: |_NOT_BUILT|^sdk\.abi_headers_compile_as_c99$|^sdk: )' # sdk: the install test, left out above

# Each harness for a bounded time from its corpus (new inputs go to a scratch copy, so the
# repository's corpus stays as committed).
findings="$build/fuzz-findings"
mkdir -p "$findings"
for fuzzer in "${fuzzers[@]}"; do
  name="${fuzzer%_fuzzer}"
  scratch="$build/fuzz-corpus/$name"
  mkdir -p "$scratch"
  echo "fuzz: $fuzzer for ${fuzz_seconds} s"
  "$build/bin/$fuzzer" "$scratch" "$root/tests/fuzz/corpus/$name" -max_total_time="$fuzz_seconds" \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$findings/$name-" -print_final_stats=1 2>"$build/fuzz-$name.log" ||
    { tail -60 "$build/fuzz-$name.log"; echo "fuzz: $fuzzer found a failure: $(ls "$findings" | grep "^$name-")"; exit 1; }
  grep -E "stat::number_of_executed_units|stat::new_units_added" "$build/fuzz-$name.log" | tr '\n' ' '; echo
done
