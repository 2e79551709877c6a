#pragma once
// Forward-only schema migrations. Each migration is applied once, in order, inside a transaction,
// and recorded in schema_version. A database newer than this binary is refused, never touched.
#include <span>
#include <string_view>

#include "store/database.h"

namespace rumi::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

std::span<const Migration> all_migrations();
int latest_schema_version();
int current_schema_version(Database& db);  // 0 for an empty database
// Applies pending migrations; throws Error (exit 1) when the db is newer than this binary.
void migrate(Database& db);

}  // namespace rumi::store
