#pragma once
// The public video layer: normalized videos keyed by id, acquisitions (one per import or Apify
// run) and which hashtag each video was found under. Nothing here names a client, so one
// hashtag scraped for two clients is stored once.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/video.h"
#include "store/database.h"

namespace rumi::store {

Json video_to_json(const Video& v);
// Throws InputError naming `where` on a malformed document.
Video video_from_json(const Json& j, std::string_view where = "videos.data_json");

// Inserts or updates; an existing row is replaced only by newer stats (fetched_at, then views),
// so re-importing an old export never rolls counts back.
void upsert_videos(Database& db, std::span<const Video> videos, std::string_view now_iso);
std::optional<Video> find_video(Database& db, std::string_view video_id);

struct AcquisitionRow {
  std::string id;  // run id
  std::string hashtag_slug;
  std::string source;  // "import:apify-csv", "apify:<run id>"
  std::int64_t fetched_at = 0;
  std::int64_t item_count = 0;
  std::string raw_path;  // public raw JSONL, relative to the workspace root
  std::string sha256;    // of the raw JSONL
};
// Inserts, or replaces the row with the same id (the same inputs acquired twice in one second).
void insert_acquisition(Database& db, const AcquisitionRow& a);
std::vector<AcquisitionRow> list_acquisitions(Database& db, std::string_view hashtag_slug);

// Links videos to the hashtag (idempotent; the latest acquisition id wins).
void link_hashtag_videos(Database& db, std::string_view hashtag_slug, std::string_view acquisition_id,
                         std::span<const Video> videos);
std::vector<std::string> hashtag_video_ids(Database& db, std::string_view hashtag_slug);

}  // namespace rumi::store
