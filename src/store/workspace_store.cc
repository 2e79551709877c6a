#include "store/workspace_store.h"

#include <cstdlib>

#include "core/error.h"
#include "core/file_io.h"
#include "store/migrations.h"

namespace rumi::store {

namespace {
Database open_store(const Workspace& ws, bool create) {
  if (auto conninfo = shared_store_conninfo()) return Database::open_postgres(*conninfo);
  return Database::open(ws.db_path(), create);
}
}  // namespace

Database connect_store(const Workspace& ws) { return open_store(ws, false); }

std::optional<std::string> shared_store_conninfo() {
  const char* env = std::getenv("RUMI_STORE");
  if (!env || !*env) return std::nullopt;
  const std::string_view v(env);
  // libpq's two forms: a URI, or key=value pairs.
  if (v.starts_with("postgresql://") || v.starts_with("postgres://") || v.find('=') != std::string_view::npos)
    return std::string(v);
  throw UsageError(
      "RUMI_STORE (or --store) must be a PostgreSQL connection string, postgresql://USER@HOST/DB or "
      "'host=... dbname=...'; leave it unset to use the workspace's own rumi.db");
}

bool workspace_exists(const Workspace& ws) {
  std::error_code ec;
  if (shared_store_conninfo()) return std::filesystem::is_directory(ws.root() / "MLAnalysis", ec);
  return ws.exists();
}

Database init_workspace(const Workspace& ws) {
  std::error_code ec;
  if (std::filesystem::exists(ws.root(), ec) && !std::filesystem::is_directory(ws.root(), ec))
    throw UsageError("workspace path " + ws.root().string() + " exists and is not a directory");
  ensure_directory(ws.root());
  ensure_directory(ws.root() / "MLAnalysis");
  ensure_directory(ws.public_dir() / "hashtags");
  ensure_directory(ws.public_analysis_dir());
  ensure_directory(ws.global_runs_dir());
  Database db = open_store(ws, true);
  migrate(db);
  return db;
}

Database open_workspace(const Workspace& ws) {
  if (!workspace_exists(ws))
    throw UsageError("no rumi workspace at " + ws.root().string() +
                     "; run 'rumi init' (or pass --workspace DIR / set RUMI_WORKSPACE)");
  Database db = open_store(ws, false);
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
  if (!workspace_exists(ws)) return std::nullopt;
  Database db = open_workspace(ws);
  auto client = find_client(db, client_dir.filename().string());
  if (!client) return std::nullopt;
  auto tag = find_hashtag(db, client->id, dir.filename().string());
  if (!tag) return std::nullopt;
  return HashtagRecords{std::move(db), std::move(*client), std::move(*tag)};
}

}  // namespace rumi::store
