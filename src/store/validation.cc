#include "store/validation.h"

namespace rumi::store {

namespace {

constexpr std::string_view kTestCols =
    "SELECT id, client_id, hashtag_id, strategy_number, strategy_title, bucket, creative_brief, patterns_json, "
    "strategy_file, billo_order_id, created_at, window_days, cost_usd, status, performance_lift, p_value, "
    "result_json, evaluated_at, planned_n_per_arm, plan_json FROM creative_brief_tests";

std::optional<double> real_or_null(const Statement& s, int col) {
  if (s.is_null(col)) return std::nullopt;
  return s.real(col);
}

std::optional<std::int64_t> int_or_null(const Statement& s, int col) {
  if (s.is_null(col)) return std::nullopt;
  return s.int64(col);
}

BriefTestRow read_test(const Statement& s) {
  BriefTestRow r;
  r.id = s.text(0);
  r.client_id = s.int64(1);
  r.hashtag_id = s.int64(2);
  r.strategy_number = static_cast<int>(s.int64(3));
  r.strategy_title = s.text(4);
  r.bucket = s.text(5);
  r.creative_brief = s.text(6);
  r.patterns_json = s.text(7);
  r.strategy_file = s.text(8);
  r.billo_order_id = s.text_or_null(9);
  r.created_at = s.text(10);
  r.window_days = static_cast<int>(s.int64(11));
  r.cost_usd = real_or_null(s, 12);
  r.status = s.text(13);
  r.performance_lift = real_or_null(s, 14);
  r.p_value = real_or_null(s, 15);
  r.result_json = s.text_or_null(16);
  r.evaluated_at = s.text_or_null(17);
  if (auto n = int_or_null(s, 18)) r.planned_n_per_arm = static_cast<int>(*n);
  r.plan_json = s.text_or_null(19);
  return r;
}

constexpr std::string_view kVideoCols =
    "SELECT test_id, client_id, video_id, role, url, posted_at, implementation_score, implementation_json, "
    "analysis_path, views, likes, comments, shares, measured_at, metrics_source, created_at, creator, "
    "measured_age_days, view_rate_2s, avg_watch_time_s, ctr "
    "FROM test_videos";

TestVideoRow read_video(const Statement& s) {
  TestVideoRow r;
  r.test_id = s.text(0);
  r.client_id = s.int64(1);
  r.video_id = s.text(2);
  r.role = s.text(3);
  r.url = s.text(4);
  r.posted_at = s.text(5);
  r.implementation_score = real_or_null(s, 6);
  r.implementation_json = s.text_or_null(7);
  r.analysis_path = s.text_or_null(8);
  r.views = int_or_null(s, 9);
  r.likes = int_or_null(s, 10);
  r.comments = int_or_null(s, 11);
  r.shares = int_or_null(s, 12);
  r.measured_at = s.text_or_null(13);
  r.metrics_source = s.text_or_null(14);
  r.created_at = s.text(15);
  r.creator = s.text_or_null(16);
  r.measured_age_days = real_or_null(s, 17);
  r.view_rate_2s = real_or_null(s, 18);
  r.avg_watch_time_s = real_or_null(s, 19);
  r.ctr = real_or_null(s, 20);
  return r;
}

void bind_brief_test(Statement& insert, const BriefTestRow& row) {
  insert.bind(1, row.id)
      .bind(2, row.client_id)
      .bind(3, row.hashtag_id)
      .bind(4, row.strategy_number)
      .bind(5, row.strategy_title)
      .bind(6, row.bucket)
      .bind(7, row.creative_brief)
      .bind(8, row.patterns_json)
      .bind(9, row.strategy_file)
      .bind(10, row.billo_order_id)
      .bind(11, row.created_at)
      .bind(12, row.window_days)
      .bind(13, row.cost_usd)
      .bind(14, row.status);
}
}  // namespace

std::string insert_brief_test(Database& db, BriefTestRow row, std::string_view hashtag_slug) {
  const std::string prefix = "T-" + std::string(hashtag_slug) + "-";
  auto count = db.prepare("SELECT count(*) FROM creative_brief_tests WHERE substr(id, 1, ?) = ?");
  count.bind(1, static_cast<std::int64_t>(prefix.size())).bind(2, prefix);
  count.step();
  // Ids are global, but in the shared store a client's role cannot see other clients' tests (row-level
  // security): the next free number is found by inserting, not by looking.
  auto insert = db.prepare(
      "INSERT INTO creative_brief_tests(id, client_id, hashtag_id, strategy_number, strategy_title, bucket, "
      "creative_brief, patterns_json, strategy_file, billo_order_id, created_at, window_days, cost_usd, status, seq) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?, (SELECT coalesce(max(seq), 0) + 1 FROM creative_brief_tests)) "
      "ON CONFLICT(id) DO NOTHING");
  for (std::int64_t n = count.int64(0) + 1;; ++n) {
    row.id = prefix + std::to_string(n);
    bind_brief_test(insert, row);
    insert.run();
    if (db.changes() == 1) return row.id;
  }
}

std::optional<BriefTestRow> find_brief_test_any_client(Database& db, std::string_view id) {
  auto s = db.prepare(std::string(kTestCols) + " WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_test(s);
}

std::optional<BriefTestRow> find_brief_test(Database& db, std::int64_t client_id, std::string_view id) {
  auto s = db.prepare(std::string(kTestCols) + " WHERE client_id = ? AND id = ?");
  s.bind(1, client_id).bind(2, id);
  if (!s.step()) return std::nullopt;
  return read_test(s);
}

std::vector<BriefTestRow> list_brief_tests(Database& db, std::int64_t client_id,
                                           std::optional<std::int64_t> hashtag_id) {
  // Two statements rather than "(? IS NULL OR hashtag_id = ?)": PostgreSQL cannot type a
  // parameter that is only ever compared with NULL.
  auto s = db.prepare(std::string(kTestCols) + " WHERE client_id = ?" + (hashtag_id ? " AND hashtag_id = ?" : "") +
                      " ORDER BY created_at, seq");
  s.bind(1, client_id);
  if (hashtag_id) s.bind(2, *hashtag_id);
  std::vector<BriefTestRow> out;
  while (s.step()) out.push_back(read_test(s));
  return out;
}

void update_brief_test_result(Database& db, std::int64_t client_id, std::string_view id, std::string_view status,
                              std::optional<double> lift, std::optional<double> p_value, std::string_view result_json,
                              std::string_view evaluated_at) {
  db.prepare(
        "UPDATE creative_brief_tests SET status = ?, performance_lift = ?, p_value = ?, result_json = ?, "
        "evaluated_at = ? WHERE client_id = ? AND id = ?")
      .bind(1, status)
      .bind(2, lift)
      .bind(3, p_value)
      .bind(4, result_json)
      .bind(5, evaluated_at)
      .bind(6, client_id)
      .bind(7, id)
      .run();
}

void upsert_test_video(Database& db, const TestVideoRow& r) {
  std::optional<std::string> creator = r.creator;
  if (creator && creator->empty()) creator.reset();
  db.prepare(
        "INSERT INTO test_videos(test_id, client_id, video_id, role, url, posted_at, implementation_score, "
        "implementation_json, analysis_path, created_at, creator) VALUES(?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(test_id, video_id) DO UPDATE SET role = excluded.role, url = excluded.url, "
        "posted_at = excluded.posted_at, "
        "implementation_score = coalesce(excluded.implementation_score, implementation_score), "
        "implementation_json = coalesce(excluded.implementation_json, implementation_json), "
        "analysis_path = coalesce(excluded.analysis_path, analysis_path), "
        "creator = coalesce(excluded.creator, creator) WHERE client_id = excluded.client_id")
      .bind(1, r.test_id)
      .bind(2, r.client_id)
      .bind(3, r.video_id)
      .bind(4, r.role)
      .bind(5, r.url)
      .bind(6, r.posted_at)
      .bind(7, r.implementation_score)
      .bind(8, r.implementation_json)
      .bind(9, r.analysis_path)
      .bind(10, r.created_at)
      .bind(11, creator)
      .run();
}

std::vector<TestVideoRow> list_test_videos(Database& db, std::int64_t client_id, std::string_view test_id) {
  auto s = db.prepare(std::string(kVideoCols) + " WHERE client_id = ? AND test_id = ? ORDER BY role DESC, video_id");
  s.bind(1, client_id).bind(2, test_id);
  std::vector<TestVideoRow> out;
  while (s.step()) out.push_back(read_video(s));
  return out;
}

bool set_test_video_metrics(Database& db, std::int64_t client_id, std::string_view test_id, std::string_view video_id,
                            const TestVideoMetrics& m, std::string_view measured_at, std::string_view source) {
  // Optional values: NULL in the record keeps what is stored (coalesce), and "unchanged" compares
  // against the value that would result.
  db.prepare(
        "UPDATE test_videos SET views = ?1, likes = ?2, comments = ?3, shares = ?4, measured_at = ?5, "
        "metrics_source = ?6, creator = coalesce(?10, creator), measured_age_days = coalesce(?11, measured_age_days), "
        "view_rate_2s = coalesce(?12, view_rate_2s), avg_watch_time_s = coalesce(?13, avg_watch_time_s), "
        "ctr = coalesce(?14, ctr) "
        "WHERE client_id = ?7 AND test_id = ?8 AND video_id = ?9 AND NOT (views IS ?1 AND likes IS ?2 AND "
        "comments IS ?3 AND shares IS ?4 AND creator IS coalesce(?10, creator) AND "
        "measured_age_days IS coalesce(?11, measured_age_days) AND view_rate_2s IS coalesce(?12, view_rate_2s) AND "
        "avg_watch_time_s IS coalesce(?13, avg_watch_time_s) AND ctr IS coalesce(?14, ctr))")
      .bind(1, m.views)
      .bind(2, m.likes)
      .bind(3, m.comments)
      .bind(4, m.shares)
      .bind(5, measured_at)
      .bind(6, source)
      .bind(7, client_id)
      .bind(8, test_id)
      .bind(9, video_id)
      .bind(10, m.creator && !m.creator->empty() ? m.creator : std::nullopt)
      .bind(11, m.measured_age_days)
      .bind(12, m.view_rate_2s)
      .bind(13, m.avg_watch_time_s)
      .bind(14, m.ctr)
      .run();
  return db.changes() > 0;
}

void set_brief_test_plan(Database& db, std::int64_t client_id, std::string_view id, int planned_n_per_arm,
                         std::string_view plan_json) {
  db.prepare("UPDATE creative_brief_tests SET planned_n_per_arm = ?, plan_json = ? WHERE client_id = ? AND id = ?")
      .bind(1, planned_n_per_arm)
      .bind(2, plan_json)
      .bind(3, client_id)
      .bind(4, id)
      .run();
}

void replace_pattern_validations(Database& db, std::int64_t client_id, std::int64_t hashtag_id,
                                 const std::vector<PatternValidationRow>& rows) {
  db.prepare("DELETE FROM pattern_validation_results WHERE client_id = ? AND hashtag_id = ?")
      .bind(1, client_id)
      .bind(2, hashtag_id)
      .run();
  for (const auto& r : rows) {
    db.prepare(
          "INSERT INTO pattern_validation_results(client_id, hashtag_id, feature, description, total_tests, "
          "successful_tests, rejected_tests, average_lift, status, last_tested, updated_at, bucket, pooled_json) "
          "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)")
        .bind(1, client_id)
        .bind(2, hashtag_id)
        .bind(3, r.feature)
        .bind(4, r.description)
        .bind(5, r.total_tests)
        .bind(6, r.successful_tests)
        .bind(7, r.rejected_tests)
        .bind(8, r.average_lift)
        .bind(9, r.status)
        .bind(10, r.last_tested)
        .bind(11, r.updated_at)
        .bind(12, r.bucket)
        .bind(13, r.pooled_json)
        .run();
  }
}

std::vector<PatternValidationRow> list_pattern_validations(Database& db, std::int64_t client_id,
                                                           std::int64_t hashtag_id) {
  auto s = db.prepare(
      "SELECT client_id, hashtag_id, feature, description, total_tests, successful_tests, rejected_tests, "
      "average_lift, status, last_tested, updated_at, bucket, pooled_json FROM pattern_validation_results "
      "WHERE client_id = ? AND hashtag_id = ? ORDER BY bucket, feature");
  s.bind(1, client_id).bind(2, hashtag_id);
  std::vector<PatternValidationRow> out;
  while (s.step()) {
    PatternValidationRow r;
    r.client_id = s.int64(0);
    r.hashtag_id = s.int64(1);
    r.feature = s.text(2);
    r.description = s.text(3);
    r.total_tests = static_cast<int>(s.int64(4));
    r.successful_tests = static_cast<int>(s.int64(5));
    r.rejected_tests = static_cast<int>(s.int64(6));
    r.average_lift = real_or_null(s, 7);
    r.status = s.text(8);
    r.last_tested = s.text_or_null(9);
    r.updated_at = s.text(10);
    r.bucket = s.text(11);
    r.pooled_json = s.text_or_null(12);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace rumi::store
