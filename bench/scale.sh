#!/usr/bin/env bash
# An agency's week (issue 23): CLIENTS clients x HASHTAGS hashtags x VIDEOS synthetic videos per
# hashtag, end to end in ONE `rumi run` (acquire, analyze --replay, features, train, patterns,
# report) on a fresh workspace. Every client follows the same HASHTAGS hashtags, so each video's
# replayed analysis is shared by all clients through the public cache (analysed once, copied
# per client). Budget at full scale (20 x 5 x 250 = 25,000 client videos): < 120 s wall and
# < 2 GiB peak memory on the 2-core machine.
#
# Prints the setup (rumi synth per hashtag, not counted), the run's wall time and peak RSS
# (/usr/bin/time -v), and the seconds per stage summed over every client hashtag (from the run's
# --json output). The last line is `scale=<f> videos=<n> wall_s=<s> peak_mib=<m> budget=<...>`
# (met/missed at full scale; below it, a projection to 20 clients).
#
# Usage: bench/scale.sh [BUILD_DIR]   (default: build)
# Env:   SCALE (1): multiplies the number of clients (0.1 = 2 clients, 2,500 client videos);
#        CLIENTS (20*SCALE), HASHTAGS (5), VIDEOS (250), FORMATS (json,md), SEED (42),
#        KEEP=1 keeps the scratch directory, RUN_ARGS extra `rumi run` options (RUN_ARGS=--force
#        computes every stage for every client: the run without shared stage results).
set -euo pipefail

build="${1:-build}"
rumi="$(cd "$build" && pwd)/rumi"
[[ -x "$rumi" ]] || { echo "scale.sh: no rumi binary at $rumi (build it first)" >&2; exit 2; }
scale="${SCALE:-1}"
clients="${CLIENTS:-$(awk -v s="$scale" 'BEGIN{c=int(20*s+0.5); print c<1?1:c}')}"
hashtags="${HASHTAGS:-5}"
videos="${VIDEOS:-250}"
formats="${FORMATS:-json,md}"
seed="${SEED:-42}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/rumi-scale.XXXXXX")"
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$scratch"' EXIT
log="$scratch/log.txt"

# measure LABEL cmd...: runs cmd under /usr/bin/time -v (stdout to $scratch/out.json) and prints
# "LABEL  seconds  peak_MiB"; sets wall_s and peak_mib.
measure() {
  local label="$1"; shift
  /usr/bin/time -v -o "$scratch/time.txt" "$@" >"$scratch/out.json" 2>>"$log" \
    || { echo "scale.sh: $label failed" >&2; tail -20 "$log" >&2; exit 1; }
  read -r wall_s peak_mib < <(awk '/Elapsed \(wall clock\)/{n=split($NF,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]}
                                   /Maximum resident set size/{m=$NF/1024}
                                   END{printf "%.2f %.1f\n", s, m}' "$scratch/time.txt")
  printf '%-40s %9.2f s %9.1f MiB\n' "$label" "$wall_s" "$peak_mib"
}

echo "agency week: $clients clients x $hashtags hashtags x $videos videos (scale $scale), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "== setup (not counted) =="
imports=() replays=()
for ((h = 1; h <= hashtags; h++)); do
  measure "synth #tag$h ($videos videos)" "$rumi" synth --videos "$videos" --seed "$((seed + h))" --out "$scratch/synth$h"
  imports+=(--import "#tag$h=$scratch/synth$h/apify_items.json")
  replays+=(--replay "#tag$h=$scratch/synth$h/analyses")
done
{
  echo "clients:"
  for ((c = 1; c <= clients; c++)); do
    printf '  - name: "Client %02d"\n    industry: "benchmark"\n    hashtags:\n' "$c"
    for ((h = 1; h <= hashtags; h++)); do
      cat <<YAML
      - name: "#tag$h"
        analysis_config:
          videos_per_segment: 1000
          ml_models:
            - type: "random_forest"
            - type: "decision_tree"
            - type: "linear"
            - type: "clustering"
              k: 5
YAML
    done
  done
} >"$scratch/config.yaml"

echo "== rumi run (counted) =="
ws="$scratch/ws"
"$rumi" --workspace "$ws" init >>"$log" 2>&1
measure "run: $((clients * hashtags)) client hashtags" \
  "$rumi" --workspace "$ws" --json run "$scratch/config.yaml" "${imports[@]}" "${replays[@]}" \
  --seed "$seed" --formats "$formats" --date 2026-01-05 ${RUN_ARGS:-}

# Seconds per stage, summed over the client hashtags, and the client videos analysed.
/usr/bin/python3 - "$scratch/out.json" "$wall_s" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))
wall = float(sys.argv[2])
stages, order = {}, []
for h in res.get("hashtags", []):
    for st in h.get("stages", []):
        name = st["stage"]
        if name not in stages:
            stages[name] = [0.0, 0, 0, 0]
            order.append(name)
        stages[name][0] += float(st.get("seconds") or 0)
        stages[name][1] += 1
        stages[name][2] += 1 if st.get("skipped") else 0
        # reused: another client's identical result copied (pipeline/stage_cache.h)
        stages[name][3] += 1 if (st.get("counts") or {}).get("reused") else 0
print(f"{'stage':<12} {'seconds':>9} {'share':>7} {'hashtags':>9} {'skipped':>8} {'reused':>7}")
total = sum(v[0] for v in stages.values())
for name in order:
    s, n, skipped, reused = stages[name]
    print(f"{name:<12} {s:9.2f} {100 * s / wall if wall else 0:6.1f}% {n:9d} {skipped:8d} {reused:7d}")
print(f"{'(stages)':<12} {total:9.2f} {100 * total / wall if wall else 0:6.1f}%  of the run's {wall:.2f} s wall")
print(f"run exit code {res.get('exit_code')}")
PY
client_videos=$(find "$ws/MLAnalysis" -name '*_analysis.json' -path '*/videos/*' | wc -l)
unique=$(find "$ws/public" -name 'replay.json' | wc -l)
echo "client video analyses: $client_videos (public cache: $unique distinct videos)"
echo "shared stage results: $(find "$ws/public/stage_results" -name '*.json' 2>/dev/null | wc -l) entries, $(du -sk "$ws/public/stage_results" 2>/dev/null | cut -f1) KiB"
# The budget is for the full scale; below it, a linear projection in clients (each client adds
# the same hashtags: the same replay, patterns and reports again; only the first client's
# analyses fill the public cache and only the first client trains (the others reuse its
# identical train results), so the projection is pessimistic).
if [[ "$clients" -ge 20 && "$hashtags" -ge 5 && "$videos" -ge 250 ]]; then
  met=missed
  awk -v w="$wall_s" -v m="$peak_mib" 'BEGIN{exit !(w < 120 && m < 2048)}' && met=met
else
  met="n/a, projected $(awk -v w="$wall_s" -v c="$clients" 'BEGIN{printf "%.0f", w / c * 20}') s wall at 20 clients"
fi
echo "scale=$scale videos=$((clients * hashtags * videos)) wall_s=$wall_s peak_mib=$peak_mib budget=$met"
