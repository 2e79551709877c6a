#!/usr/bin/env bash
# Team mode's analysis queue (docs/team-mode.md): jobs per second through `rumi worker` with a
# trivial analyzer (replayed analyses: claiming, analysing, storing and completing each job is
# all rumi's own work), for 1, 2 and 4 workers on one machine, against a throwaway PostgreSQL
# cluster on a unix socket (initdb + pg_ctl; as root, the server runs as the `postgres` user).
#
# Each round: a fresh database, `rumi analyze --enqueue` of one hashtag's JOBS selected videos,
# then N workers with --exit-when-idle started together; the time counted is from their start to
# the last one's exit. The reference is the 1-worker round, so the ratios say how throughput
# scales with workers (on 2 cores, the server and the workers share the CPUs).
# The last line is `queue jobs=<n> w1=<jobs/s> w2=<jobs/s> w4=<jobs/s> speedup4=<w4/w1>`.
#
# Usage: bench/queue.sh [BUILD_DIR]   (default: build)
# Env:   VIDEOS (400, synthetic videos; about 300 are selected), SEED (42), KEEP=1 keeps the scratch dir.
set -euo pipefail

build="${1:-build}"
rumi="$(cd "$build" && pwd)/rumi"
[[ -x "$rumi" ]] || { echo "queue.sh: no rumi binary at $rumi (build it first)" >&2; exit 2; }
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[[ -x "$pgbin/initdb" ]] || { echo "queue.sh: no PostgreSQL server (apt install postgresql)" >&2; exit 2; }
scratch="$(mktemp -d "${TMPDIR:-/tmp}/rumi-queue.XXXXXX")"
as_server=()
if [[ "$(id -u)" == 0 ]]; then chown postgres "$scratch"; as_server=(runuser -u postgres --); fi
cleanup() {
  "${as_server[@]}" "$pgbin/pg_ctl" -D "$scratch/data" -m fast stop >/dev/null 2>&1 || true
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "$scratch"
}
trap cleanup EXIT

"${as_server[@]}" "$pgbin/initdb" -D "$scratch/data" -U rumi -A trust -E UTF8 --locale=C --no-sync >/dev/null
"${as_server[@]}" "$pgbin/pg_ctl" -D "$scratch/data" -w -l "$scratch/server.log" \
  -o "-c listen_addresses='' -c unix_socket_directories='$scratch' -c fsync=off -c max_connections=40" start >/dev/null

"$rumi" synth --videos "${VIDEOS:-400}" --seed "${SEED:-42}" --out "$scratch/synth" >/dev/null 2>&1
cat >"$scratch/config.yaml" <<YAML
clients:
  - name: "Bench"
    hashtags:
      - name: "#bench"
        analysis_config:
          videos_per_segment: 1000
YAML

echo "queue throughput: replayed analyses, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
declare -A rate
jobs=0
for n in 1 2 4; do
  db="round$n"
  psql -q "host=$scratch dbname=postgres user=rumi" -c "CREATE DATABASE $db" >/dev/null
  export RUMI_STORE="host=$scratch dbname=$db user=rumi"
  ws="$scratch/ws$n"
  "$rumi" --workspace "$ws" init >/dev/null
  "$rumi" --workspace "$ws" -q config apply "$scratch/config.yaml" >/dev/null
  "$rumi" --workspace "$ws" -q acquire Bench bench --import "$scratch/synth/apify_items.json" >/dev/null
  jobs=$("$rumi" --workspace "$ws" --json analyze Bench bench --enqueue | python3 -c 'import json,sys; print(json.load(sys.stdin)["enqueued"])')
  start=$(date +%s.%N)
  pids=()
  for ((w = 1; w <= n; w++)); do
    "$rumi" --workspace "$ws" -q worker --replay "$scratch/synth/analyses" --exit-when-idle --poll 0.05 \
      --name "w$w" >/dev/null 2>>"$scratch/workers.log" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  rate[$n]=$(awk -v j="$jobs" -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", j/(b-a)}')
  printf '%d worker(s): %d jobs in %.2f s = %s jobs/s\n' "$n" "$jobs" "$(awk -v a="$start" -v b="$end" 'BEGIN{print b-a}')" "${rate[$n]}"
  unset RUMI_STORE
done
echo "queue jobs=$jobs w1=${rate[1]} w2=${rate[2]} w4=${rate[4]} speedup4=$(awk -v a="${rate[1]}" -v b="${rate[4]}" 'BEGIN{printf "%.2f", b/a}')"
