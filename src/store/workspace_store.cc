#include "store/workspace_store.h"

#include "core/error.h"
#include "core/file_io.h"
#include "store/migrations.h"

namespace rumi::store {

Database init_workspace(const Workspace& ws) {
  std::error_code ec;
  if (std::filesystem::exists(ws.root(), ec) && !std::filesystem::is_directory(ws.root(), ec))
    throw UsageError("workspace path " + ws.root().string() + " exists and is not a directory");
  ensure_directory(ws.root());
  ensure_directory(ws.root() / "MLAnalysis");
  ensure_directory(ws.public_dir() / "hashtags");
  ensure_directory(ws.public_analysis_dir());
  ensure_directory(ws.global_runs_dir());
  Database db = Database::open(ws.db_path(), true);
  migrate(db);
  return db;
}

Database open_workspace(const Workspace& ws) {
  if (!ws.exists())
    throw UsageError("no rumi workspace at " + ws.root().string() +
                     "; run 'rumi init' (or pass --workspace DIR / set RUMI_WORKSPACE)");
  Database db = Database::open(ws.db_path(), false);
  migrate(db);
  return db;
}

}  // namespace rumi::store
