#pragma once
// Rows of the Billo validation loop (migrations 2 and 3): creative brief tests, their delivered
// test and control videos, and the per-(bucket, pattern) aggregate of what the tests showed. Test ids are global,
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
  std::string status = "pending";          // pending / validated / inconclusive / rejected
  std::optional<double> performance_lift;  // fraction: 0.41 = +41 %
  std::optional<double> p_value;
  std::optional<std::string> result_json;
  std::optional<std::string> evaluated_at;
  std::optional<int> planned_n_per_arm;  // videos per arm planned at create (migration 3)
  std::optional<std::string> plan_json;  // how it was planned: spread, source, target lift
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
  // Migration 3. creator: the account that filmed it (pairs test and control videos).
  std::optional<std::string> creator;
  std::optional<double> measured_age_days;  // the video's age when its metrics were read
  std::optional<double> view_rate_2s;       // fraction of views past 2 seconds, 0..1
  std::optional<double> avg_watch_time_s;
  std::optional<double> ctr;  // click-through rate, 0..1
  bool has_metrics() const { return views && likes && comments && shares; }
};

// What one metrics record sets on a video. Optional fields left empty keep their stored value.
struct TestVideoMetrics {
  std::int64_t views = 0, likes = 0, comments = 0, shares = 0;
  std::optional<std::string> creator;
  std::optional<double> measured_age_days, view_rate_2s, avg_watch_time_s, ctr;
};

struct PatternValidationRow {
  std::int64_t client_id = 0;
  std::int64_t hashtag_id = 0;
  std::string bucket;  // '' for rows from before migration 3
  std::string feature;
  std::string description;
  int total_tests = 0;
  int successful_tests = 0;
  int rejected_tests = 0;
  std::optional<double> average_lift;  // fraction
  std::string status;                  // proven / inconclusive / rejected
  std::optional<std::string> last_tested;
  std::string updated_at;
  std::optional<std::string> pooled_json;  // the pooled comparison of the repeat tests
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

// Inserts, or updates role/url/posted_at/analysis/creator of an already recorded video (metrics
// kept; an empty creator keeps the stored one).
void upsert_test_video(Database& db, const TestVideoRow& row);
std::vector<TestVideoRow> list_test_videos(Database& db, std::int64_t client_id, std::string_view test_id);
// Sets the engagement counts and whatever else the record carries; returns false (and writes
// nothing) when every value is already stored.
bool set_test_video_metrics(Database& db, std::int64_t client_id, std::string_view test_id, std::string_view video_id,
                            const TestVideoMetrics& m, std::string_view measured_at, std::string_view source);
// Stores the plan made at create.
void set_brief_test_plan(Database& db, std::int64_t client_id, std::string_view id, int planned_n_per_arm,
                         std::string_view plan_json);

// Replaces every pattern_validation_results row of (client, hashtag) with `rows`. Ordered by
// bucket, feature.
void replace_pattern_validations(Database& db, std::int64_t client_id, std::int64_t hashtag_id,
                                 const std::vector<PatternValidationRow>& rows);
std::vector<PatternValidationRow> list_pattern_validations(Database& db, std::int64_t client_id,
                                                           std::int64_t hashtag_id);

}  // namespace rumi::store
