#pragma once
// Rows of the Billo validation loop (migration 2): creative brief tests, their delivered test and
// control videos, and the per-pattern aggregate of what the tests showed. Test ids are global,
// but every function that reads a client's data takes the client id and filters on it, so a
// test id of one client is simply "not found" for another.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace rumi::store {

struct BriefTestRow {
  std::string id;  // T-<hashtag-slug>-<n>, assigned by insert_brief_test
  std::int64_t client_id = 0;
  std::int64_t hashtag_id = 0;
  int strategy_number = 0;
  std::string strategy_title;
  std::string bucket;
  std::string creative_brief;  // the strategy JSON exactly as read
  std::string patterns_json;   // JSON array of the pattern conditions the brief implements
  std::string strategy_file;
  std::optional<std::string> billo_order_id;
  std::string created_at;
  int window_days = 7;
  std::optional<double> cost_usd;
  std::string status = "pending";  // pending / validated / inconclusive / rejected
  std::optional<double> performance_lift;  // fraction: 0.41 = +41 %
  std::optional<double> p_value;
  std::optional<std::string> result_json;
  std::optional<std::string> evaluated_at;
};

struct TestVideoRow {
  std::string test_id;
  std::int64_t client_id = 0;
  std::string video_id;
  std::string role;  // test / control
  std::string url;
  std::string posted_at;
  std::optional<double> implementation_score;
  std::optional<std::string> implementation_json;
  std::optional<std::string> analysis_path;
  std::optional<std::int64_t> views, likes, comments, shares;
  std::optional<std::string> measured_at;
  std::optional<std::string> metrics_source;
  std::string created_at;
  bool has_metrics() const { return views && likes && comments && shares; }
};

struct PatternValidationRow {
  std::int64_t client_id = 0;
  std::int64_t hashtag_id = 0;
  std::string feature;
  std::string description;
  int total_tests = 0;
  int successful_tests = 0;
  int rejected_tests = 0;
  std::optional<double> average_lift;  // fraction
  std::string status;  // proven / inconclusive / rejected
  std::optional<std::string> last_tested;
  std::string updated_at;
};

// Assigns and returns the id (T-<hashtag_slug>-<n>, n the next free number for that prefix).
std::string insert_brief_test(Database& db, BriefTestRow row, std::string_view hashtag_slug);
// Global lookup by id: only for resolving which client owns a test.
std::optional<BriefTestRow> find_brief_test_any_client(Database& db, std::string_view id);
std::optional<BriefTestRow> find_brief_test(Database& db, std::int64_t client_id, std::string_view id);
// Oldest first. hashtag_id nullopt = every hashtag of the client.
std::vector<BriefTestRow> list_brief_tests(Database& db, std::int64_t client_id,
                                           std::optional<std::int64_t> hashtag_id = std::nullopt);
void update_brief_test_result(Database& db, std::int64_t client_id, std::string_view id, std::string_view status,
                              std::optional<double> lift, std::optional<double> p_value, std::string_view result_json,
                              std::string_view evaluated_at);

// Inserts, or updates role/url/posted_at/analysis of an already recorded video (metrics kept).
void upsert_test_video(Database& db, const TestVideoRow& row);
std::vector<TestVideoRow> list_test_videos(Database& db, std::int64_t client_id, std::string_view test_id);
// Sets the engagement counts; returns false (and writes nothing) when they are already equal.
bool set_test_video_metrics(Database& db, std::int64_t client_id, std::string_view test_id, std::string_view video_id,
                            std::int64_t views, std::int64_t likes, std::int64_t comments, std::int64_t shares,
                            std::string_view measured_at, std::string_view source);

// Replaces every pattern_validation_results row of (client, hashtag) with `rows`.
void replace_pattern_validations(Database& db, std::int64_t client_id, std::int64_t hashtag_id,
                                 const std::vector<PatternValidationRow>& rows);
std::vector<PatternValidationRow> list_pattern_validations(Database& db, std::int64_t client_id,
                                                           std::int64_t hashtag_id);

}  // namespace rumi::store
