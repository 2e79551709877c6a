#pragma once
// The public analysis cache (issue 14): one merged RumiAI analysis per (video id, analyzer
// version), stored once under public/analyses/ and referenced by every client that selected the
// video, so the minutes-long analyzer never runs twice for the same video. Rows carry video ids
// only; the per-client references live in analysis_refs and are always queried by client.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace rumi::store {

struct AnalysisRow {
  std::string video_id;
  std::string analyzer_version;
  std::string sha256;  // of the stored file's bytes
  std::string path;    // relative to the workspace root
  std::string flows;   // comma-separated flows present
  std::string created_at;
  // The analysis JSON itself. upsert_analysis keeps it in the store only when the store is
  // shared (PostgreSQL, team mode): workers and analysts there share no folder, while the
  // embedded workspace has the file at `path`. find_analysis leaves it empty.
  std::string body;
};

std::optional<AnalysisRow> find_analysis(Database& db, std::string_view video_id, std::string_view analyzer_version);
void upsert_analysis(Database& db, const AnalysisRow& row);
// The stored JSON of that analysis (team mode), or nullopt when the store does not hold it.
std::optional<std::string> find_analysis_body(Database& db, std::string_view video_id,
                                              std::string_view analyzer_version);

struct AnalysisRef {
  std::string video_id;
  std::string analyzer_version;
};
void add_analysis_ref(Database& db, std::int64_t client_id, std::int64_t hashtag_id, std::string_view video_id,
                      std::string_view analyzer_version);
std::vector<AnalysisRef> list_analysis_refs(Database& db, std::int64_t client_id, std::int64_t hashtag_id);
std::optional<AnalysisRef> find_analysis_ref(Database& db, std::int64_t client_id, std::int64_t hashtag_id,
                                             std::string_view video_id);
// The newest cached analysis of a video, any analyzer version (team mode's enqueue: a video
// another client's hashtag already had analysed is not queued again).
std::optional<AnalysisRow> find_newest_analysis(Database& db, std::string_view video_id);
// Cached analyses no client references any more (candidates for `rumi gc`).
std::vector<AnalysisRow> list_unreferenced_analyses(Database& db);

}  // namespace rumi::store
