#pragma once
// Opening the workspace store: `rumi init` creates it; every other command opens an existing one
// (migrating forward if this binary knows a newer schema).
//
// Where the store of record is (docs/team-mode.md): $RUMI_STORE (the CLI's --store sets it) names
// a PostgreSQL server, shared by a team; without it, the workspace's own rumi.db (SQLite). The
// workspace folder holds the files (models, patterns, reports) either way.
#include <filesystem>
#include <optional>
#include <string>

#include "core/workspace.h"
#include "store/clients.h"
#include "store/database.h"

namespace rumi::store {

// The PostgreSQL connection string in $RUMI_STORE, or nullopt when the store is the workspace's
// rumi.db. UsageError when it is set to something that is not a PostgreSQL connection string
// (the message never repeats it: it may hold a password).
std::optional<std::string> shared_store_conninfo();
// Whether a workspace was created at ws: its folder tree (PostgreSQL store) or its rumi.db.
bool workspace_exists(const Workspace& ws);

// The workspace's store, connected but neither created nor migrated (for the audit log, which
// records every command, even one that fails before the store is set up).
Database connect_store(const Workspace& ws);

// Creates the workspace folder tree and the store's schema (idempotent). Returns the open,
// migrated store.
Database init_workspace(const Workspace& ws);
// Opens an existing workspace; UsageError "run 'rumi init'" when there is none.
Database open_workspace(const Workspace& ws);

// The store records of a hashtag folder (<root>/MLAnalysis/<client>/<hashtag>, core/workspace.h)
// for code that is handed only the folder (the report stage). nullopt when the folder is not in
// a workspace, or its client or hashtag is not stored.
struct HashtagRecords {
  Database db;
  ClientRow client;
  HashtagRow hashtag;
};
std::optional<HashtagRecords> open_hashtag_of_dir(const std::filesystem::path& hashtag_dir);

}  // namespace rumi::store
