#!/usr/bin/env bash
# Formats the C++ sources with .clang-format (clang-format 14, Debian's clang-format-14).
# Usage: bash scripts/format.sh          formats every tracked source in place
#        bash scripts/format.sh --check  lists the files that differ and exits 1 (CI)
# A block clang-format would spread over many lines (dense JSON literals, option tables) may sit
# between `// clang-format off` and `// clang-format on`, with a comment saying why.
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$fmt" ] || { echo "format: clang-format not installed (apt install clang-format-14)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.cc' '*.h')
if [ "${1:-}" = "--check" ]; then
  bad=()
  for f in "${files[@]}"; do "$fmt" --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f"); done
  if [ ${#bad[@]} -gt 0 ]; then
    printf 'not formatted (run bash scripts/format.sh): %s\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "${#files[@]} files formatted"
else
  "$fmt" -i "${files[@]}"
fi
