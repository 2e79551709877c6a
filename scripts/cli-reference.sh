#!/usr/bin/env bash
# Prints the CLI reference (Markdown) from the binary's own --help, so the README cannot drift.
# Usage: bash scripts/cli-reference.sh build/rumi
set -euo pipefail
bin=${1:-build/rumi}
subcommands() { "$bin" "$@" --help | awk '/^Subcommands:/{f=1;next} f&&/^  [a-z]/{print $1} f&&/^$/{f=0}'; }
show() {
  echo
  echo "### rumi $*"
  echo
  echo '```'
  COLUMNS=100 "$bin" "$@" --help | sed -e "s/[[:space:]]*$//" -e "s|^Usage: .*rumi |Usage: rumi |"
  echo '```'
}
echo '```'
COLUMNS=100 "$bin" --help | sed -e "s/[[:space:]]*$//" -e "s|^Usage: .*rumi |Usage: rumi |"
echo '```'
for c in $(subcommands); do
  show "$c"
  for s in $(subcommands "$c"); do show "$c" "$s"; done
done
