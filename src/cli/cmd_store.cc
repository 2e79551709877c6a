// rumi store copy --from DIR --to URL | store grant CLIENT ROLE | store revoke CLIENT ROLE | store access
// Team mode's shared store (docs/team-mode.md): moving a workspace into it, and which PostgreSQL
// roles see which client.
#include <CLI/CLI.hpp>
#include <memory>
#include <sstream>

#include "cli/cli.h"
#include "core/error.h"
#include "core/slug.h"
#include "store/access.h"
#include "store/clients.h"
#include "store/database.h"
#include "store/store_copy.h"
#include "store/workspace_store.h"

namespace rumi::cli {

namespace {

struct StoreArgs {
  std::string from, to, client, role;
};

int run_copy(const Context& ctx, const StoreArgs& a) {
  store::Database target = store::Database::open_postgres(a.to);
  const store::CopyResult r = store::copy_store(a.from, target);
  std::ostringstream human;
  human << "Copied " << r.total() << " rows from " << a.from << "/rumi.db into " << target.describe() << " ("
        << r.rows.at("clients") << " clients, " << r.rows.at("videos") << " videos, " << r.rows.at("analyses")
        << " analyses, " << r.analyses_with_body << " of them with their JSON";
  if (r.analyses_without_file > 0) human << "; " << r.analyses_without_file << " without an intact file, to re-analyse";
  human << ").\nUse it with: rumi --store URL --workspace " << a.from
        << " ... (or set RUMI_STORE); the workspace's rumi.db is left as it was.";
  Json rows = Json::object();
  for (const auto& [t, n] : r.rows) rows[t] = n;
  ctx.emit(Json{{"rows", rows},
                {"analyses_with_body", r.analyses_with_body},
                {"analyses_without_file", r.analyses_without_file},
                {"store", target.describe()}},
           human.str());
  return 0;
}

store::ClientRow client_of(store::Database& db, const std::string& name) {
  auto c = store::find_client(db, slugify(name, "client"));
  if (!c) throw UsageError("unknown client '" + name + "'; see 'rumi client list'");
  return *c;
}

int run_grant(const Context& ctx, const StoreArgs& a, bool grant) {
  store::Database db = store::open_workspace(ctx.workspace());
  const store::ClientRow c = client_of(db, a.client);
  if (grant) {
    store::grant_client_access(db, c.id, a.role);
    ctx.emit(Json{{"client", c.slug}, {"role", a.role}, {"granted", true}},
             "Role " + a.role + " now sees " + c.name + "'s private data.");
    return 0;
  }
  const bool had = store::revoke_client_access(db, c.id, a.role);
  ctx.emit(Json{{"client", c.slug}, {"role", a.role}, {"revoked", had}},
           had ? "Role " + a.role + " no longer sees " + c.name + "'s private data."
               : "Role " + a.role + " had no access to " + c.name + ".");
  return 0;
}

int run_access(const Context& ctx) {
  store::Database db = store::open_workspace(ctx.workspace());
  Json out = Json::array();
  std::ostringstream human;
  for (const auto& g : store::list_client_access(db)) {
    out.push_back(Json{{"client", g.client_slug}, {"role", g.role}});
    human << g.client_slug << "  " << g.role << "\n";
  }
  if (out.empty()) human << "No role has been granted a client; only the store's owner sees private data.";
  ctx.emit(out, human.str());
  return 0;
}

}  // namespace

void register_store_commands(Registry& r) {
  auto args = std::make_shared<StoreArgs>();
  auto* store_cmd = r.app.add_subcommand("store", "Team mode: the shared PostgreSQL store and who sees which client");
  store_cmd->require_subcommand(1);
  auto* copy =
      store_cmd->add_subcommand("copy", "Move a workspace's store (DIR/rumi.db) into an empty PostgreSQL store");
  copy->add_option("--from", args->from, "The workspace folder")->required();
  copy->add_option("--to", args->to, "The PostgreSQL store, postgresql://USER@HOST/DB (password in ~/.pgpass)")
      ->required();
  copy->callback([&r, args] { r.action = [args](const Context& ctx) { return run_copy(ctx, *args); }; });
  auto* grant = store_cmd->add_subcommand("grant", "Let a PostgreSQL role see a client's private data");
  grant->add_option("CLIENT", args->client)->required();
  grant->add_option("ROLE", args->role, "An existing PostgreSQL role (CREATE ROLE ... LOGIN)")->required();
  grant->callback([&r, args] { r.action = [args](const Context& ctx) { return run_grant(ctx, *args, true); }; });
  auto* revoke = store_cmd->add_subcommand("revoke", "Take a role's access to a client back");
  revoke->add_option("CLIENT", args->client)->required();
  revoke->add_option("ROLE", args->role)->required();
  revoke->callback([&r, args] { r.action = [args](const Context& ctx) { return run_grant(ctx, *args, false); }; });
  auto* access = store_cmd->add_subcommand("access", "List which roles see which client");
  access->callback([&r] { r.action = [](const Context& ctx) { return run_access(ctx); }; });
}

}  // namespace rumi::cli
