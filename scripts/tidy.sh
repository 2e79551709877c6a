#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy) on the given source files, or on every src/**/*.cc, with
# the compile commands of an existing build folder (default build/). Exits non-zero on a finding.
# Usage: bash scripts/tidy.sh [-p BUILD_DIR] [FILE...]
# The whole tree takes about 25 minutes of one core (the heavy headers are parsed per file), so
# CI does not run it yet; run it on the files you changed:
#   bash scripts/tidy.sh $(git diff --name-only origin/main -- 'src/*.cc')
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
if [ "${1:-}" = "-p" ]; then build=$2; shift 2; fi
[ -f "$build/compile_commands.json" ] || { echo "tidy: no $build/compile_commands.json; configure a build first" >&2; exit 2; }
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
[ -n "$tidy" ] || { echo "tidy: clang-tidy not installed (apt install clang-tidy)" >&2; exit 2; }
files=("$@")
if [ ${#files[@]} -eq 0 ]; then mapfile -t files < <(git ls-files 'src/*.cc'); fi
status=0
for f in "${files[@]}"; do
  "$tidy" -p "$build" --quiet "$f" 2>/dev/null || status=1
done
exit $status
