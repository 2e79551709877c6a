#!/usr/bin/env bash
# Scale runs: (1) 10,000 and 100,000 synthetic videos through acquisition (import + selection)
# and features; (2) training on one bucket of 20, 50, 250, 1,000 and 5,000 videos. Wall time
# and peak RSS of every rumi command come from /usr/bin/time -v.
#
# Usage: bench/scale.sh [BUILD_DIR]   (default: build)
# Env:   SIZES ("10000 100000"), TRAIN_SIZES ("20 50 250 1000 5000"), KEEP=1 keeps scratch.
#
# `rumi synth` writes ~7 flow files per video (250 videos: 1,818 files, ~5 s), so N above
# FULL_SYNTH_MAX (default 20,000) gets items only: the first size's synthetic items are cloned
# with fresh ids up to N and run through acquisition + selection; the features stage is then
# not run for them (the clones have no analyses; features cost is per selected video, <= 5,000).
set -euo pipefail

build="${1:-build}"
rumi="$(cd "$build" && pwd)/rumi"
[[ -x "$rumi" ]] || { echo "scale.sh: no rumi binary at $rumi" >&2; exit 2; }
sizes="${SIZES:-10000 100000}"
train_sizes="${TRAIN_SIZES:-20 50 250 1000 5000}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/rumi-scale.XXXXXX")"
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$scratch"' EXIT

# measure LABEL cmd...: prints "LABEL  seconds  peak_MiB"
measure() {
  local label="$1"; shift
  /usr/bin/time -v -o "$scratch/time.txt" "$@" >>"$scratch/log.txt" 2>&1 \
    || { echo "scale.sh: $label failed" >&2; tail -20 "$scratch/log.txt" >&2; exit 1; }
  awk -v l="$label" '/Elapsed \(wall clock\)/{n=split($NF,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]}
                     /Maximum resident set size/{m=$NF/1024}
                     END{printf "%-34s %9.2f s %9.1f MiB\n", l, s, m}' "$scratch/time.txt"
}

config() {  # videos_per_segment, file
  cat >"$2" <<YAML
clients:
  - name: "Scale"
    industry: "benchmark"
    hashtags:
      - name: "#nutrition"
        analysis_config:
          videos_per_segment: $1
          max_items: 100000
          ml_models:
            - type: "random_forest"
            - type: "clustering"
              k: 5
YAML
}

echo "== acquisition + selection + features =="
full_max="${FULL_SYNTH_MAX:-20000}"
base=""
for n in $sizes; do
  ws="$scratch/ws$n"
  items_only=0
  if [[ -z "$base" || "$n" -le "$full_max" ]]; then
    measure "synth $n" "$rumi" synth --videos "$n" --seed 42 --out "$scratch/synth$n"
    base="$scratch/synth$n"
  else
    mkdir -p "$scratch/synth$n"
    /usr/bin/python3 - "$base/apify_items.json" "$n" "$scratch/synth$n/apify_items.json" <<'PY'
import json, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
base = json.load(open(src))
items = []
for k in range((n + len(base) - 1) // len(base)):
    for it in base:
        if len(items) == n:
            break
        c = dict(it)
        c["id"] = str(int(it["id"]) + k * 10**12)
        items.append(c)
json.dump(items, open(out, "w"))
PY
    items_only=1
  fi
  config 1000 "$scratch/cfg$n.yaml"
  "$rumi" --workspace "$ws" init >/dev/null
  "$rumi" --workspace "$ws" config apply "$scratch/cfg$n.yaml" >/dev/null
  measure "acquire+select $n" "$rumi" --workspace "$ws" acquire Scale '#nutrition' --import "$scratch/synth$n/apify_items.json"
  [[ "$items_only" == 1 ]] && continue
  measure "analyze (replay) $n" "$rumi" --workspace "$ws" analyze Scale '#nutrition' --replay "$scratch/synth$n/analyses"
  measure "features $n" "$rumi" --workspace "$ws" features Scale '#nutrition'
done

echo "== training one bucket =="
for n in $train_sizes; do
  ws="$scratch/train$n"
  # The 0-15s bucket only: every synthetic video is short, all of them are selected.
  "$rumi" synth --videos "$(( n + n / 2 + 10 ))" --seed 42 --mix 1 0 0 0 0 --out "$scratch/tsynth$n" >>"$scratch/log.txt" 2>&1
  config "$n" "$scratch/tcfg$n.yaml"
  "$rumi" --workspace "$ws" init >/dev/null
  "$rumi" --workspace "$ws" config apply "$scratch/tcfg$n.yaml" >/dev/null
  "$rumi" --workspace "$ws" acquire Scale '#nutrition' --import "$scratch/tsynth$n/apify_items.json" >>"$scratch/log.txt" 2>&1
  "$rumi" --workspace "$ws" analyze Scale '#nutrition' --replay "$scratch/tsynth$n/analyses" >>"$scratch/log.txt" 2>&1
  "$rumi" --workspace "$ws" features Scale '#nutrition' >>"$scratch/log.txt" 2>&1
  rows="$(($(wc -l <"$ws/MLAnalysis/scale/nutrition/bucket_0-15s/features.csv") - 1))"
  measure "train bucket $rows videos" "$rumi" --workspace "$ws" train Scale '#nutrition'
  rm -rf "$scratch/tsynth$n"
done
