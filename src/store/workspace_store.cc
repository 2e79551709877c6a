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

std::optional<HashtagRecords> open_hashtag_of_dir(const std::filesystem::path& hashtag_dir) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::absolute(hashtag_dir).lexically_normal();
  const fs::path client_dir = dir.parent_path();
  const fs::path analysis = client_dir.parent_path();
  if (analysis.filename() != "MLAnalysis") return std::nullopt;
  const Workspace ws(analysis.parent_path());
  std::error_code ec;
  if (!fs::is_regular_file(ws.db_path(), ec)) return std::nullopt;
  Database db = open_workspace(ws);
  auto client = find_client(db, client_dir.filename().string());
  if (!client) return std::nullopt;
  auto tag = find_hashtag(db, client->id, dir.filename().string());
  if (!tag) return std::nullopt;
  return HashtagRecords{std::move(db), std::move(*client), std::move(*tag)};
}

}  // namespace rumi::store
