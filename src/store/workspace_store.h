#pragma once
// Opening the workspace store: `rumi init` creates it; every other command opens an existing one
// (migrating forward if this binary knows a newer schema).
#include <filesystem>
#include <optional>

#include "core/workspace.h"
#include "store/clients.h"
#include "store/database.h"

namespace rumi::store {

// Creates the workspace folder tree and rumi.db (idempotent). Returns the open, migrated db.
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
