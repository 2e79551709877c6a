#pragma once
// Client-scoped selections: which videos a client's hashtag analysis uses, per bucket, with the
// ER, score and weight they were chosen with. Every query takes the client id.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/database.h"

namespace rumi::store {

struct SelectedVideoRow {
  std::string bucket;  // "0-15s"
  int rank = 0;
  std::string video_id;
  double er = 0, score = 0, weight = 1.0;
};

struct SelectionRow {
  std::int64_t id = 0;
  std::int64_t client_id = 0, hashtag_id = 0;
  std::string created_at, sha256, summary_json;
  std::vector<SelectedVideoRow> videos;  // ordered by bucket, rank
};

std::int64_t insert_selection(Database& db, std::int64_t client_id, std::int64_t hashtag_id,
                              std::string_view created_at, std::string_view sha256, std::string_view summary_json,
                              std::span<const SelectedVideoRow> videos);
// The newest selection of that client's hashtag, or nullopt.
std::optional<SelectionRow> latest_selection(Database& db, std::int64_t client_id, std::int64_t hashtag_id);

}  // namespace rumi::store
