#pragma once
// Opening the workspace store: `rumi init` creates it; every other command opens an existing one
// (migrating forward if this binary knows a newer schema).
#include "core/workspace.h"
#include "store/database.h"

namespace rumi::store {

// Creates the workspace folder tree and rumi.db (idempotent). Returns the open, migrated db.
Database init_workspace(const Workspace& ws);
// Opens an existing workspace; UsageError "run 'rumi init'" when there is none.
Database open_workspace(const Workspace& ws);

}  // namespace rumi::store
