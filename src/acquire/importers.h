#pragma once
// Importers for every TikTok export we have met (design "Inputs accepted"). Each turns a file
// into normalized Videos plus the raw items exactly as read, so acquisition can keep the raw
// JSONL next to the normalized store. Any bad record throws InputError naming file, record and
// field before anything is stored.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/video.h"

namespace rumi::acquire {

enum class ImportFormat {
  automatic,
  apify_json,   // JSON array, JSONL, a single item, {"items": [...]} / {"data": {"items": [...]}}
  apify_csv,    // Apify console CSV export, nested keys flattened with '/'
  legacy_json,  // drawrowfly tiktok-scraper {"collector": [...]}
  display_csv,  // vid_id, vid_nview "541.2K", vid_duration "mm:ss", ... (custom FYP scrapers)
};

std::string_view format_name(ImportFormat f);
// "apify-json", "apify-csv", "legacy-json", "display-csv", "auto"; nullopt when unknown.
std::optional<ImportFormat> parse_import_format(std::string_view name);

struct ImportOptions {
  ImportFormat format = ImportFormat::automatic;
  // A single line longer than this is refused before the file is read into memory (a 2 GB
  // line is a broken export, not data).
  std::size_t max_line_bytes = std::size_t{64} << 20;
  // When the stats were observed, for formats that do not say (Apify items): usually "now".
  std::int64_t fetched_utc = 0;
};

struct ImportedBatch {
  std::string source;  // file name (or "apify run ...") for messages
  ImportFormat format = ImportFormat::automatic;
  std::vector<Video> videos;     // one per record, not yet deduplicated
  std::vector<std::string> raw;  // one compact JSON object per record, as read
};

// Looks at the first bytes (after a BOM): '[' or '{' -> JSON (legacy when the root has
// "collector"), else CSV (display when the header has vid_id, else Apify CSV).
ImportFormat detect_format(std::string_view text);

ImportedBatch import_text(std::string_view text, std::string_view source, const ImportOptions& opts);
// Checks line lengths by streaming, then reads and imports. Empty file -> InputError.
ImportedBatch import_file(const std::filesystem::path& path, const ImportOptions& opts);

// Throws InputError (file, line N) when a line is longer than max_line_bytes; reads in chunks.
void check_line_lengths(const std::filesystem::path& path, std::size_t max_line_bytes);

struct DedupeResult {
  std::vector<Video> videos;           // unique ids, sorted by id
  std::size_t duplicates = 0;          // records dropped
  std::vector<std::string> conflicts;  // ids whose duplicate records disagreed on stats
};
// Keeps, per id, the record with the newest fetched_utc, then the larger view count, then the
// larger engagement total (newest stats win: counts only grow).
DedupeResult dedupe_videos(std::vector<Video> videos);

}  // namespace rumi::acquire
