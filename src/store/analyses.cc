#include "store/analyses.h"

namespace rumi::store {

namespace {

AnalysisRow read_row(Statement& s) {
  return AnalysisRow{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), {}};
}

}  // namespace

std::optional<AnalysisRow> find_analysis(Database& db, std::string_view video_id, std::string_view analyzer_version) {
  auto s = db.prepare(
      "SELECT video_id, analyzer_version, sha256, path, flows, created_at FROM analyses "
      "WHERE video_id = ? AND analyzer_version = ?");
  s.bind(1, video_id).bind(2, analyzer_version);
  if (!s.step()) return std::nullopt;
  return read_row(s);
}

void upsert_analysis(Database& db, const AnalysisRow& row) {
  std::optional<std::string> body;
  if (db.dialect() == Dialect::postgres) body = row.body;  // see AnalysisRow::body
  db.prepare(
        "INSERT INTO analyses(video_id, analyzer_version, sha256, path, flows, created_at, body) "
        "VALUES(?,?,?,?,?,?,?) "
        "ON CONFLICT(video_id, analyzer_version) DO UPDATE SET sha256 = excluded.sha256, path = excluded.path, "
        "flows = excluded.flows, created_at = excluded.created_at, body = excluded.body")
      .bind(1, row.video_id)
      .bind(2, row.analyzer_version)
      .bind(3, row.sha256)
      .bind(4, row.path)
      .bind(5, row.flows)
      .bind(6, row.created_at)
      .bind(7, body)
      .run();
}

std::optional<std::string> find_analysis_body(Database& db, std::string_view video_id,
                                              std::string_view analyzer_version) {
  auto s = db.prepare("SELECT body FROM analyses WHERE video_id = ? AND analyzer_version = ? AND body IS NOT NULL");
  s.bind(1, video_id).bind(2, analyzer_version);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

void add_analysis_ref(Database& db, std::int64_t client_id, std::int64_t hashtag_id, std::string_view video_id,
                      std::string_view analyzer_version) {
  db.prepare(
        "INSERT INTO analysis_refs(client_id, hashtag_id, video_id, analyzer_version) VALUES(?,?,?,?) "
        "ON CONFLICT(client_id, hashtag_id, video_id) DO UPDATE SET analyzer_version = excluded.analyzer_version")
      .bind(1, client_id)
      .bind(2, hashtag_id)
      .bind(3, video_id)
      .bind(4, analyzer_version)
      .run();
}

std::vector<AnalysisRef> list_analysis_refs(Database& db, std::int64_t client_id, std::int64_t hashtag_id) {
  auto s = db.prepare(
      "SELECT video_id, analyzer_version FROM analysis_refs WHERE client_id = ? AND hashtag_id = ? ORDER BY video_id");
  s.bind(1, client_id).bind(2, hashtag_id);
  std::vector<AnalysisRef> out;
  while (s.step()) out.push_back({s.text(0), s.text(1)});
  return out;
}

std::optional<AnalysisRef> find_analysis_ref(Database& db, std::int64_t client_id, std::int64_t hashtag_id,
                                             std::string_view video_id) {
  auto s = db.prepare(
      "SELECT video_id, analyzer_version FROM analysis_refs WHERE client_id = ? AND hashtag_id = ? AND video_id = ?");
  s.bind(1, client_id).bind(2, hashtag_id).bind(3, video_id);
  if (!s.step()) return std::nullopt;
  return AnalysisRef{s.text(0), s.text(1)};
}

std::optional<AnalysisRow> find_newest_analysis(Database& db, std::string_view video_id) {
  auto s = db.prepare(
      "SELECT video_id, analyzer_version, sha256, path, flows, created_at FROM analyses WHERE video_id = ? "
      "ORDER BY created_at DESC, analyzer_version LIMIT 1");
  s.bind(1, video_id);
  if (!s.step()) return std::nullopt;
  return read_row(s);
}

std::vector<AnalysisRow> list_unreferenced_analyses(Database& db) {
  auto s = db.prepare(
      "SELECT a.video_id, a.analyzer_version, a.sha256, a.path, a.flows, a.created_at FROM analyses a "
      "WHERE NOT EXISTS (SELECT 1 FROM analysis_refs r WHERE r.video_id = a.video_id AND "
      "r.analyzer_version = a.analyzer_version) ORDER BY a.video_id, a.analyzer_version");
  std::vector<AnalysisRow> out;
  while (s.step()) out.push_back(read_row(s));
  return out;
}

}  // namespace rumi::store
