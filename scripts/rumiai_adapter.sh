#!/usr/bin/env bash
# Runs a RumiAI checkout on one video and moves what it wrote into rumi's analyzer output folder.
#
# RumiAI's runner takes only a URL (`python3 scripts/rumiai_runner.py <url>`) and writes into its
# own insights folder under its checkout: era B `insights/<id>/<flow>/<flow>_{ml,complete,result}_<ts>.json`,
# era C `insights/<id>_temporal_windows_updated.json`. rumi gives an analyzer {url}, {id} and an
# empty {out} folder and reads every layout from {out}; this script bridges the two:
#
#   rumi analyze CLIENT HASHTAG --analyzer 'scripts/rumiai_adapter.sh --rumiai /path/to/rumiaifinal {url} {id} {out}'
#
# Options: --rumiai DIR (required), --python PY (default $RUMIAI_PYTHON, else DIR/venv/bin/python
# when it exists, else python3), --runner PATH (default scripts/rumiai_runner.py, relative to DIR).
# The runner reads its insights folder from $RUMIAI_INSIGHTS_DIR (default `insights`, relative to
# DIR); so does this script. Only files the run created or changed are moved (older runs' files
# stay where they are), under {out}/insights/ with their relative paths.
# Exit status: 0 moved at least one file; the runner's own non-zero status when it failed;
# 1 when it exited 0 but wrote nothing for this video; 2 for a usage error. Messages go to stderr,
# prefixed "rumiai_adapter:"; the runner's own output passes through (rumi keeps it in the
# video's log).
set -uo pipefail

say() { printf 'rumiai_adapter: %s\n' "$*" >&2; }
usage() {
  say "$1"
  say "usage: rumiai_adapter.sh --rumiai DIR [--python PY] [--runner PATH] URL VIDEO_ID OUT_DIR"
  exit 2
}

rumiai="" python="${RUMIAI_PYTHON:-}" runner="scripts/rumiai_runner.py"
positional=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rumiai) [ $# -ge 2 ] || usage "--rumiai needs a directory"; rumiai="$2"; shift 2 ;;
    --python) [ $# -ge 2 ] || usage "--python needs an interpreter"; python="$2"; shift 2 ;;
    --runner) [ $# -ge 2 ] || usage "--runner needs a path"; runner="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; positional+=("$@"); break ;;
    -*) usage "unknown option $1" ;;
    *) positional+=("$1"); shift ;;
  esac
done
[ ${#positional[@]} -eq 3 ] || usage "expected URL VIDEO_ID OUT_DIR, got ${#positional[@]} argument(s)"
url="${positional[0]}" id="${positional[1]}" out="${positional[2]}"

[ -n "$rumiai" ] || usage "--rumiai DIR is required (the RumiAI checkout to run)"
[ -d "$rumiai" ] || usage "--rumiai $rumiai: not a directory"
rumiai="$(cd "$rumiai" && pwd)"
case "$id" in
  ''|*[!0-9]*) usage "video id '$id' is not a numeric TikTok id" ;;
esac
case "$runner" in /*) runner_path="$runner" ;; *) runner_path="$rumiai/$runner" ;; esac
[ -f "$runner_path" ] || usage "no RumiAI runner at $runner_path (is $rumiai a RumiAI checkout?)"
if [ -z "$python" ]; then
  if [ -x "$rumiai/venv/bin/python" ]; then python="$rumiai/venv/bin/python"; else python="python3"; fi
fi
mkdir -p "$out" || { say "cannot create the output folder $out"; exit 1; }
out="$(cd "$out" && pwd)"

insights="${RUMIAI_INSIGHTS_DIR:-insights}"
case "$insights" in /*) ;; *) insights="$rumiai/$insights" ;; esac

# This video's files in the runner's layout, with modification time (ns) and size, so a file the
# run rewrote counts as new even when its name existed before.
snapshot() {
  [ -d "$insights" ] || return 0
  {
    find "$insights" -maxdepth 1 -type f -name "${id}_temporal_windows*.json" -printf '%P\t%T@\t%s\n'
    [ -d "$insights/$id" ] && find "$insights/$id" -type f -printf "$id/%P\t%T@\t%s\n"
  } 2>/dev/null | LC_ALL=C sort
}

before="$(snapshot)"
marker="$(mktemp "${TMPDIR:-/tmp}/rumiai_adapter.XXXXXX")" || { say "cannot create a temporary file"; exit 1; }
trap 'rm -f "$marker"' EXIT

(cd "$rumiai" && exec "$python" "$runner_path" "$url")
rc=$?
if [ $rc -ne 0 ]; then
  say "the RumiAI runner failed (exit $rc) for $url (video $id); its messages are above"
  exit $rc
fi

after="$(snapshot)"
mapfile -t new < <(LC_ALL=C comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | cut -f1 | sed '/^$/d')
if [ ${#new[@]} -eq 0 ]; then
  others="$(find "$insights" -newer "$marker" -type f -printf '%P\n' 2>/dev/null | head -5 | paste -sd, -)"
  if [ -n "$others" ]; then
    say "the RumiAI runner exited 0 but wrote nothing for video $id under $insights; it wrote: $others"
  else
    say "the RumiAI runner exited 0 but wrote nothing for video $id under $insights"
  fi
  exit 1
fi

for rel in "${new[@]}"; do
  mkdir -p "$out/insights/$(dirname "$rel")" && mv -f "$insights/$rel" "$out/insights/$rel" ||
    { say "cannot move $insights/$rel into $out/insights"; exit 1; }
done
[ -d "$insights/$id" ] && find "$insights/$id" -depth -type d -empty -delete 2>/dev/null
say "moved ${#new[@]} file(s) of video $id into $out/insights"
exit 0
