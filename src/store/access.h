#pragma once
// Which database roles may see a client's private rows in team mode's shared store
// (docs/team-mode.md "Roles"): the client_access table that the store's row-level security reads
// (store/migrations.cc, version 7). Only the store's owner (or a member of its role) may grant;
// the embedded SQLite store has no roles, so there these calls are a UsageError.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.h"

namespace rumi::store {

struct ClientAccess {
  std::string client_slug;
  std::string role;
};

// Lets `role` (an existing PostgreSQL role) see the client's private rows. Idempotent.
void grant_client_access(Database& db, std::int64_t client_id, std::string_view role);
// Takes it back; false when the role had no access.
bool revoke_client_access(Database& db, std::int64_t client_id, std::string_view role);
// Every grant this connection's role may see, by client slug then role.
std::vector<ClientAccess> list_client_access(Database& db);

}  // namespace rumi::store
