#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy) on the given source files, or on every src/**/*.cc, with
# the compile commands of an existing build folder (default build/), RUMI_JOBS files at a time
# (default: every core). Prints each file's findings together and exits non-zero on any finding.
# Usage: bash scripts/tidy.sh [-p BUILD_DIR] [FILE...]
# CI runs it on the whole of src/ (scripts/test.sh); on your own changes:
#   bash scripts/tidy.sh $(git diff --name-only origin/main -- 'src/*.cc')
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
if [ "${1:-}" = "-p" ]; then build=$2; shift 2; fi
[ -f "$build/compile_commands.json" ] || { echo "tidy: no $build/compile_commands.json; configure a build first" >&2; exit 2; }
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
[ -n "$tidy" ] || { echo "tidy: clang-tidy not installed (apt install clang-tidy-14)" >&2; exit 2; }
jobs=${RUMI_JOBS:-$(nproc)}
files=("$@")
if [ ${#files[@]} -eq 0 ]; then mapfile -t files < <(git ls-files 'src/*.cc'); fi
# One clang-tidy per file; its output is held until it ends so parallel files do not interleave.
# xargs exits non-zero when any of them did.
printf '%s\0' "${files[@]}" | xargs -0 -n 1 -P "$jobs" sh -c '
  out=$("$0" -p "$1" --quiet "$2" 2>&1) && exit 0
  printf "%s\n" "$out" | grep -v "^[0-9].* generated\.$" || true
  exit 1' "$tidy" "$build" || { echo "tidy: findings above (.clang-tidy)" >&2; exit 1; }
