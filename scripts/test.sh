#!/usr/bin/env bash
# Builds rumi and runs the whole test suite twice: a normal optimised build (with benchmarks
# compiled but not run) and an AddressSanitizer + UndefinedBehaviorSanitizer build (slow torture
# tests only in the first). With RUMI_FUZZ=1 it then smoke-runs every fuzz target (clang-14): that
# needs a third, clang-built copy of the libraries, which doubled CI's time on a slow host, so CI
# leaves it out and fuzz/README.md says how to run it.
# Usage: bash scripts/test.sh            (from the repository root)
#        RUMI_FUZZ=1 bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${RUMI_JOBS:-$(nproc)}

# No debug info (-g made every file half again slower to compile) and the tests' own code at -O1:
# the code under test is still built at -O2, as users get it.
echo "== build (-O2, tests -O1) == $(date +%T)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
  -DRUMI_TEST_OPT=-O1 -DRUMI_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
echo "== function length (scripts/function_lengths.py: <= 80 lines, declarative tables allowed) == $(date +%T)"
python3 scripts/function_lengths.py --check src
echo "== formatting (.clang-format, clang-format 14) == $(date +%T)"
bash scripts/format.sh --check
echo "== clang-tidy (.clang-tidy) == $(date +%T)"
RUMI_JOBS=$jobs bash scripts/tidy.sh
echo "== tests == $(date +%T)"
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 900

if [ "${RUMI_SKIP_SANITIZE:-0}" != "1" ]; then
  echo "== build (ASan + UBSan) == $(date +%T)"
  # -O0 except the compute-heavy stages (-O1): compiling everything at -O1 under ASan took 18 min.
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS=-O0 -DRUMI_HOT_STAGE_OPT=-O1 -DRUMI_TEST_OPT=-O0 \
    -DRUMI_SANITIZE=ON -DRUMI_BUILD_BENCH=OFF >/dev/null
  cmake --build build-asan -j "$jobs"
  # Whole-pipeline runs (the demo twice, on each engine) are left to the normal build: under the
  # sanitizers they take minutes each and exercise no code the other tests do not.
  echo "== tests under sanitizers (torture and timing-heavy tests run in the normal build only) == $(date +%T)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 1200 -E 'Torture|Overhead|Benchmark|Calibration|Demo\.(Rerun|FreshRun|KilledRun)|TeamMode\.(TheDemo|TwoAnalysts|StoreCopy)'
fi

if [ "${RUMI_FUZZ:-0}" = "1" ] && [ -x fuzz/smoke.sh ] && command -v clang++-14 >/dev/null; then
  echo "== fuzz smoke == $(date +%T)"
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release -DRUMI_BUILD_FUZZ=ON \
    -DRUMI_BUILD_TESTS=OFF -DRUMI_BUILD_BENCH=OFF -DRUMI_SANITIZE=ON >/dev/null
  cmake --build build-fuzz -j "$jobs" --target fuzz_all
  bash fuzz/smoke.sh build-fuzz "${RUMI_FUZZ_SECONDS:-20}"
fi
echo "== all tests passed == $(date +%T)"
