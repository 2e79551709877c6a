#include "store/access.h"

#include "core/error.h"

namespace rumi::store {

namespace {
void require_roles(const Database& db) {
  if (db.dialect() != Dialect::postgres)
    throw UsageError("client access is granted to PostgreSQL roles: it needs team mode's shared store (--store)");
}
}  // namespace

void grant_client_access(Database& db, std::int64_t client_id, std::string_view role) {
  require_roles(db);
  auto known = db.prepare("SELECT count(*) FROM pg_roles WHERE rolname = ?");
  known.bind(1, role);
  known.step();
  if (known.int64(0) == 0)
    throw UsageError("there is no PostgreSQL role '" + std::string(role) +
                     "'; create it first (CREATE ROLE ... LOGIN, docs/team-mode.md)");
  db.prepare("INSERT INTO client_access(client_id, role_name) VALUES(?, ?) ON CONFLICT DO NOTHING")
      .bind(1, client_id)
      .bind(2, role)
      .run();
}

bool revoke_client_access(Database& db, std::int64_t client_id, std::string_view role) {
  require_roles(db);
  db.prepare("DELETE FROM client_access WHERE client_id = ? AND role_name = ?").bind(1, client_id).bind(2, role).run();
  return db.changes() > 0;
}

std::vector<ClientAccess> list_client_access(Database& db) {
  require_roles(db);
  auto s = db.prepare(
      "SELECT c.slug, a.role_name FROM client_access a JOIN clients c ON c.id = a.client_id ORDER BY c.slug, "
      "a.role_name");
  std::vector<ClientAccess> out;
  while (s.step()) out.push_back({s.text(0), s.text(1)});
  return out;
}

}  // namespace rumi::store
