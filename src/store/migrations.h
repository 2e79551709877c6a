#pragma once
// Forward-only schema migrations, one history for both engines (store/database.h). Each migration
// is applied once, in order, inside a transaction, and recorded in schema_version. A database
// newer than this binary is refused, never touched.
//
// The SQL is written once, in SQLite's spelling of the common subset. For PostgreSQL,
// postgres_ddl() maps the three column types whose meaning differs: INTEGER (64-bit in SQLite,
// 32-bit in PostgreSQL) becomes BIGINT, REAL (a double in SQLite, a float in PostgreSQL) becomes
// DOUBLE PRECISION, and an `id INTEGER PRIMARY KEY` (SQLite's auto-assigned rowid) becomes an
// identity column. What has no common spelling (triggers) sits in the per-engine parts.
#include <span>
#include <string>
#include <string_view>

#include "store/database.h"

namespace rumi::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;                 // both engines
  std::string_view sqlite_only = {};    // after sql, SQLite only
  std::string_view postgres_only = {};  // after sql, PostgreSQL only
};

// The migration SQL as PostgreSQL runs it (see above). Exposed for its tests.
std::string postgres_ddl(std::string_view sqlite_sql);

std::span<const Migration> all_migrations();
int latest_schema_version();
int current_schema_version(Database& db);  // 0 for an empty database
// Applies pending migrations; throws Error (exit 1) when the db is newer than this binary.
void migrate(Database& db);

}  // namespace rumi::store
