#include "store/checkpoints.h"

#include "core/error.h"

namespace rumi::store {

namespace {

constexpr std::string_view kRunCols =
    "SELECT id, client_id, hashtag_id, started_at, finished_at, status, options_json FROM analysis_runs";

AnalysisRunRow read_run(Statement& s) {
  return AnalysisRunRow{s.text(0), s.int64(1), s.int64(2), s.text(3), s.text_or_null(4), s.text(5), s.text(6)};
}

}  // namespace

bool is_resumable_run_status(std::string_view status) { return status == "running" || status == "stopped"; }

void create_analysis_run(Database& db, const AnalysisRunRow& run, std::span<const CheckpointRow> videos) {
  db.transaction([&] {
    db.prepare(
          "INSERT INTO analysis_runs(id, client_id, hashtag_id, started_at, finished_at, status, options_json, seq) "
          "VALUES(?,?,?,?,?,?,?, (SELECT coalesce(max(seq), 0) + 1 FROM analysis_runs))")
        .bind(1, run.id)
        .bind(2, run.client_id)
        .bind(3, run.hashtag_id)
        .bind(4, run.started_at)
        .bind(5, run.finished_at)
        .bind(6, run.status)
        .bind(7, run.options_json)
        .run();
    auto ins = db.prepare(
        "INSERT INTO checkpoints(run_id, client_id, video_id, bucket, position, status, error, attempts, duration_s, "
        "updated_at) VALUES(?,?,?,?,?,?,?,?,?,?)");
    for (const CheckpointRow& v : videos) {
      ins.reset();
      ins.bind(1, run.id)
          .bind(2, run.client_id)
          .bind(3, v.video_id)
          .bind(4, v.bucket)
          .bind(5, v.position)
          .bind(6, checkpoint_status_name(v.status))
          .bind(7, v.error)
          .bind(8, v.attempts)
          .bind(9, v.duration_s)
          .bind(10, v.updated_at);
      ins.run();
    }
  });
}

std::optional<AnalysisRunRow> find_unfinished_run(Database& db, std::int64_t client_id, std::int64_t hashtag_id) {
  auto s = db.prepare(std::string(kRunCols) +
                      " WHERE client_id = ? AND hashtag_id = ? AND status IN ('running','stopped') "
                      "ORDER BY started_at DESC, seq DESC LIMIT 1");
  s.bind(1, client_id).bind(2, hashtag_id);
  if (!s.step()) return std::nullopt;
  return read_run(s);
}

std::optional<AnalysisRunRow> find_latest_run(Database& db, std::int64_t client_id, std::int64_t hashtag_id) {
  auto s = db.prepare(std::string(kRunCols) +
                      " WHERE client_id = ? AND hashtag_id = ? ORDER BY started_at DESC, seq DESC LIMIT 1");
  s.bind(1, client_id).bind(2, hashtag_id);
  if (!s.step()) return std::nullopt;
  return read_run(s);
}

std::vector<AnalysisRunRow> list_analysis_runs(Database& db, std::int64_t client_id, std::int64_t hashtag_id) {
  auto s = db.prepare(std::string(kRunCols) + " WHERE client_id = ? AND hashtag_id = ? ORDER BY started_at, seq");
  s.bind(1, client_id).bind(2, hashtag_id);
  std::vector<AnalysisRunRow> out;
  while (s.step()) out.push_back(read_run(s));
  return out;
}

void set_run_status(Database& db, std::int64_t client_id, std::string_view run_id, std::string_view status,
                    const std::optional<std::string>& finished_at) {
  db.prepare("UPDATE analysis_runs SET status = ?, finished_at = ? WHERE id = ? AND client_id = ?")
      .bind(1, status)
      .bind(2, finished_at)
      .bind(3, run_id)
      .bind(4, client_id)
      .run();
}

void set_run_options(Database& db, std::int64_t client_id, std::string_view run_id, std::string_view options_json) {
  db.prepare("UPDATE analysis_runs SET options_json = ? WHERE id = ? AND client_id = ?")
      .bind(1, options_json)
      .bind(2, run_id)
      .bind(3, client_id)
      .run();
}

std::vector<CheckpointRow> list_checkpoints(Database& db, std::int64_t client_id, std::string_view run_id) {
  auto s = db.prepare(
      "SELECT video_id, bucket, position, status, error, attempts, duration_s, updated_at FROM checkpoints "
      "WHERE run_id = ? AND client_id = ? ORDER BY position");
  s.bind(1, run_id).bind(2, client_id);
  std::vector<CheckpointRow> out;
  while (s.step()) {
    CheckpointRow r;
    r.video_id = s.text(0);
    r.bucket = s.text(1);
    r.position = s.int64(2);
    r.status = parse_enum(kCheckpointStatusNames, s.text(3), {"rumi.db", "checkpoint " + r.video_id, "status"});
    r.error = s.text_or_null(4);
    r.attempts = static_cast<int>(s.int64(5));
    if (!s.is_null(6)) r.duration_s = s.real(6);
    r.updated_at = s.text(7);
    out.push_back(std::move(r));
  }
  return out;
}

void save_checkpoint(Database& db, std::int64_t client_id, std::string_view run_id, const CheckpointRow& row) {
  db.prepare(
        "UPDATE checkpoints SET status = ?, error = ?, attempts = ?, duration_s = ?, updated_at = ? "
        "WHERE run_id = ? AND client_id = ? AND video_id = ?")
      .bind(1, checkpoint_status_name(row.status))
      .bind(2, row.error)
      .bind(3, row.attempts)
      .bind(4, row.duration_s)
      .bind(5, row.updated_at)
      .bind(6, run_id)
      .bind(7, client_id)
      .bind(8, row.video_id)
      .run();
  if (db.changes() != 1)
    throw Error("checkpoint for video " + row.video_id + " of analysis run " + std::string(run_id) + " not found");
}

}  // namespace rumi::store
