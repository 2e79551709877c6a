#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS (default 30) on a fresh seed corpus, after replaying the
# kept crash inputs in tests/bad_inputs/fuzz_regressions/<target>/. Exits non-zero when any target
# finds a crash, a leak, a timeout or runs out of memory; the input is left in
# BUILD_DIR/fuzz-artifacts/. Usage: fuzz/smoke.sh BUILD_DIR [SECONDS]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:?usage: smoke.sh BUILD_DIR [SECONDS]}"
seconds="${2:-30}"
targets=(apify_json csv_import flow_features config_yaml model_file)
corpus="$build/fuzz-corpus"
artifacts="$build/fuzz-artifacts"
mkdir -p "$corpus" "$artifacts"
"$here/seed_corpus.sh" "$corpus" "${RUMI_SHARED_DIR:-$here/../../shared}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=()
for t in "${targets[@]}"; do
  bin="$build/fuzz/fuzz_$t"
  if [ ! -x "$bin" ]; then echo "smoke: $bin missing (build with -DRUMI_BUILD_FUZZ=ON)" >&2; failed+=("$t"); continue; fi
  regressions="$here/../tests/bad_inputs/fuzz_regressions/$t"
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions" 2>/dev/null)" ]; then
    echo "== $t: replaying $(ls "$regressions" | wc -l) kept inputs"
    if ! "$bin" -runs=1 "$regressions"/* > "$artifacts/$t.regressions.log" 2>&1; then
      tail -n 40 "$artifacts/$t.regressions.log"; failed+=("$t(regression)")
    fi
  fi
  echo "== $t: fuzzing for ${seconds}s"
  "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=2560 -print_final_stats=1 \
         -artifact_prefix="$artifacts/$t-" "$corpus/$t" > "$artifacts/$t.log" 2>&1
  rc=$?
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$artifacts/$t.log" | tail -n 2
  if [ $rc -ne 0 ]; then tail -n 60 "$artifacts/$t.log"; failed+=("$t"); fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "smoke: findings in: ${failed[*]} (inputs under $artifacts)" >&2
  exit 1
fi
echo "smoke: all ${#targets[@]} targets ran ${seconds}s without findings"
