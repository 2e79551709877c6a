#!/usr/bin/env bash
# Builds the seed corpus for every fuzz target under OUT_DIR/<target>/: the small hand-made seeds
# committed in fuzz/seeds/ plus pieces of the real samples in ../shared (copied at run time, never
# committed). Usage: fuzz/seed_corpus.sh OUT_DIR [SHARED_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: seed_corpus.sh OUT_DIR [SHARED_DIR]}"
shared="${2:-$here/../../shared}"
targets=(apify_json csv_import flow_features config_yaml model_file)
for t in "${targets[@]}"; do
  mkdir -p "$out/$t"
  if [ -d "$here/seeds/$t" ]; then cp -f "$here/seeds/$t"/* "$out/$t/" 2>/dev/null || true; fi
done
if [ ! -d "$shared" ]; then
  echo "seed_corpus: no shared samples at $shared; using the committed seeds only" >&2
  exit 0
fi
ds="$shared/tiktok_datasets"
rs="$shared/rumiai_samples"
# Apify items: the single-item exports as they are, and the first items of the legacy scraper dump.
for f in "$ds/apify_clockworks_single_item_2025-07.json" "$rs/apify_video_response.json"; do
  [ -f "$f" ] && cp -f "$f" "$out/apify_json/shared_$(basename "$f")"
done
if [ -f "$ds/tiktok_scraper_trending_dec2020.json" ]; then
  python3 - "$ds/tiktok_scraper_trending_dec2020.json" "$out/apify_json/shared_legacy_head.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
if isinstance(doc, dict) and isinstance(doc.get("collector"), list):
    doc["collector"] = doc["collector"][:3]
elif isinstance(doc, list):
    doc = doc[:3]
json.dump(doc, open(sys.argv[2], "w", encoding="utf-8"))
PY
fi
# CSV exports: header + a few rows each (quoted newlines are rare in these files; a cut row is
# a fine seed anyway).
for f in "$ds"/*.csv; do
  [ -f "$f" ] && head -n 6 "$f" > "$out/csv_import/shared_$(basename "$f")"
done
# Flow documents: the first byte selects the flow (index into kFlowNames), the rest is the JSON.
flows=(creative_density emotional_journey person_framing scene_pacing speech_analysis visual_overlay_analysis metadata_analysis)
for f in "$rs"/*.json "$rs"/regenerated_from_head_0ab4b23/*.json; do
  [ -f "$f" ] || continue
  name="$(basename "$f" .json)"
  idx=0
  for i in "${!flows[@]}"; do
    case "$name" in *"${flows[$i]}"*) idx=$i ;; esac
  done
  { printf "\\x$(printf '%02x' "$idx")"; cat "$f"; } > "$out/flow_features/shared_$name.json"
done
exit 0
