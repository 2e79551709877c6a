#include "store/runs.h"

namespace rumi::store {

void begin_run(Database& db, const std::string& id, const std::string& command, const std::string& started_at) {
  db.prepare("INSERT INTO runs(id, client_id, command, started_at, status) VALUES(?, NULL, ?, ?, 'running')")
      .bind(1, id)
      .bind(2, command)
      .bind(3, started_at)
      .run();
}

void finish_run(Database& db, const std::string& id, const std::string& finished_at, const std::string& status,
                const std::string& manifest_path) {
  db.prepare("UPDATE runs SET finished_at = ?, status = ?, manifest_path = ? WHERE id = ?")
      .bind(1, finished_at)
      .bind(2, status)
      .bind(3, manifest_path)
      .bind(4, id)
      .run();
}

std::vector<RunRow> list_config_runs(Database& db) {
  auto s = db.prepare(
      "SELECT id, command, started_at, coalesce(finished_at, ''), status, coalesce(manifest_path, '') "
      "FROM runs WHERE client_id IS NULL ORDER BY started_at, id");
  std::vector<RunRow> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)});
  return out;
}

}  // namespace rumi::store
