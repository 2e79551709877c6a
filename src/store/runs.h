#pragma once
// The `runs` table: one row per `rumi run` over a config file, written when it starts and
// closed when it finishes, so `rumi runs list` shows runs that crashed as still "running".
// The run's full record is its manifest file (pipeline/run_pipeline.h); the row points to it.
#include <string>
#include <vector>

#include "store/database.h"

namespace rumi::store {

struct RunRow {
  std::string id, command, started_at, finished_at, status,
      manifest_path;  // finished_at / manifest_path "" while running
};

// Records a whole-config run as running. `command` must already have its secrets redacted.
void begin_run(Database& db, const std::string& id, const std::string& command, const std::string& started_at);
// Closes it: status "ok" or "exit N", and where its manifest is.
void finish_run(Database& db, const std::string& id, const std::string& finished_at, const std::string& status,
                const std::string& manifest_path);
// Whole-config runs (not tied to one client), oldest first.
std::vector<RunRow> list_config_runs(Database& db);

}  // namespace rumi::store
