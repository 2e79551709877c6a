#!/usr/bin/env bash
# Regenerates the README's CLI reference section from the built binary.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/rumi}
ref=$(bash scripts/cli-reference.sh "$bin")
awk -v ref="$ref" '
  /<!-- cli-reference:begin -->/ {print; print ref; skip=1; next}
  /<!-- cli-reference:end -->/ {skip=0}
  !skip {print}' README.md > README.md.tmp
mv README.md.tmp README.md
