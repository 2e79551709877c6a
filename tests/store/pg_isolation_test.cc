// Isolation in team mode's shared store (docs/team-mode.md "Roles"): an analyst's PostgreSQL
// role, which neither owns the tables nor has BYPASSRLS, sees and writes only its clients'
// private rows through the ordinary store calls, while the public layer is shared. The oracle is
// the owner's view of the same database.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "store/access.h"
#include "store/analyses.h"
#include "store/audit.h"
#include "store/clients.h"
#include "store/migrations.h"
#include "store/validation.h"
#include "store/videos.h"
#include "support/pg_cluster.h"

namespace rumi::store {
namespace {

using test::pg_cluster;

std::int64_t count(Database& db, const std::string& sql) {
  auto s = db.prepare(sql);
  s.step();
  return s.int64(0);
}

BriefTestRow brief_test_for(const ClientRow& client, const HashtagRow& hashtag) {
  BriefTestRow test;
  test.client_id = client.id;
  test.hashtag_id = hashtag.id;
  test.creative_brief = "{}";
  test.patterns_json = "[]";
  test.created_at = "2026-12-03T00:00:00Z";
  return test;
}

// The owner's setup: two clients with the same hashtag slug, private rows for each, one public
// video, and one analyst role per client.
struct TwoClients {
  std::string info;
  ClientRow a, b;
  HashtagRow ha, hb;
};

TwoClients setup(const std::string& dbname) {
  TwoClients t;
  t.info = pg_cluster().create_database(dbname);
  Database owner = Database::open_postgres(t.info);
  migrate(owner);
  t.a = upsert_client(owner, "brand-a", "Brand A", "supplements").first;
  t.b = upsert_client(owner, "brand-b", "Brand B", "drinks").first;
  t.ha = upsert_hashtag(owner, t.a.id, "nutrition", "#nutrition", "", "{}").first;
  t.hb = upsert_hashtag(owner, t.b.id, "nutrition", "#nutrition", "", "{\"secret\":1}").first;
  record_config_change(owner, t.b.id, "t", "b's launch plan");
  add_analysis_ref(owner, t.b.id, t.hb.id, "v1", "native-1");
  append_audit(owner, AuditEntry{"report brand-b nutrition", std::string("brand-b"), "u", "ok", {}, 0});
  EXPECT_EQ(insert_brief_test(owner, brief_test_for(t.b, t.hb), "nutrition"), "T-nutrition-1");
  Video v;
  v.id = "7000000000000000001";
  v.views = 100;
  upsert_videos(owner, std::vector<Video>{v}, "2026-12-03T00:00:00Z");
  for (const char* role : {"iso_a", "iso_b"}) {
    owner.exec(std::string("DROP ROLE IF EXISTS ") + role);
    owner.exec(std::string("CREATE ROLE ") + role + " LOGIN NOSUPERUSER NOBYPASSRLS");
  }
  grant_client_access(owner, t.a.id, "iso_a");
  grant_client_access(owner, t.b.id, "iso_b");
  return t;
}

std::string as_role(const std::string& info, const std::string& role) {
  return info.substr(0, info.find(" user=")) + " user=" + role + info.substr(info.find(" dbname="));
}

TEST(PgIsolation, AnAnalystRoleSeesOnlyItsClientsPrivateRows) {
  RUMI_REQUIRE_PG();
  const TwoClients t = setup("iso_read");
  Database a = Database::open_postgres(as_role(t.info, "iso_a"));
  // Not the owner, no BYPASSRLS, not a superuser: the policies are all that stands in the way.
  EXPECT_EQ(count(a, "SELECT count(*) FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolbypassrls)"), 0);
  EXPECT_EQ(count(a, "SELECT count(*) FROM pg_tables WHERE tablename = 'clients' AND tableowner = current_user"), 0);
  migrate(a);  // current already: a no-op that needs no rights

  const auto clients = list_clients(a);
  ASSERT_EQ(clients.size(), 1u);
  EXPECT_EQ(clients[0].slug, "brand-a");
  EXPECT_FALSE(find_client(a, "brand-b"));
  EXPECT_TRUE(list_hashtags(a, t.b.id).empty());
  EXPECT_TRUE(list_config_changes(a, t.b.id).empty());
  EXPECT_TRUE(list_analysis_refs(a, t.b.id, t.hb.id).empty());
  EXPECT_TRUE(list_brief_tests(a, t.b.id, std::nullopt).empty());
  EXPECT_TRUE(list_audit(a, std::string("brand-b"), 100).empty());
  // Even unfiltered SQL sees only its client's rows.
  EXPECT_EQ(count(a, "SELECT count(*) FROM hashtags"), 1);
  EXPECT_EQ(count(a, "SELECT count(*) FROM config_changes"), 0);
  EXPECT_EQ(count(a, "SELECT count(*) FROM creative_brief_tests"), 0);
  ASSERT_EQ(list_client_access(a).size(), 1u);
  // The public layer is shared.
  EXPECT_TRUE(find_video(a, "7000000000000000001"));

  // The owner (the oracle) still sees everything.
  Database owner = Database::open_postgres(t.info);
  EXPECT_EQ(list_clients(owner).size(), 2u);
  EXPECT_EQ(count(owner, "SELECT count(*) FROM hashtags"), 2);
}

TEST(PgIsolation, AnAnalystRoleCannotWriteAnotherClientsRows) {
  RUMI_REQUIRE_PG();
  const TwoClients t = setup("iso_write");
  Database a = Database::open_postgres(as_role(t.info, "iso_a"));
  a.exec("UPDATE hashtags SET config_json = '{}' WHERE client_id = " + std::to_string(t.b.id));
  EXPECT_EQ(a.changes(), 0);
  a.exec("DELETE FROM config_changes WHERE client_id = " + std::to_string(t.b.id));
  EXPECT_EQ(a.changes(), 0);
  EXPECT_THROW(upsert_hashtag(a, t.b.id, "planted", "#planted", "", "{}"), Error);  // WITH CHECK
  EXPECT_THROW(record_config_change(a, t.b.id, "t", "planted"), Error);
  EXPECT_THROW(a.exec("INSERT INTO client_access VALUES(" + std::to_string(t.b.id) + ", 'iso_a')"), Error);
  EXPECT_THROW(grant_client_access(a, t.b.id, "iso_a"), Error);
  // A new client is the admin's job: a role sees a client only once granted it.
  EXPECT_THROW(upsert_client(a, "brand-c", "Brand C", ""), Error);

  // Its own client works as usual, and a brief test id taken by another client is skipped
  // without seeing it.
  record_config_change(a, t.a.id, "t", "a's change");
  EXPECT_EQ(insert_brief_test(a, brief_test_for(t.a, t.ha), "nutrition"), "T-nutrition-2");

  Database owner = Database::open_postgres(t.info);
  EXPECT_EQ(find_hashtag(owner, t.b.id, "nutrition")->config_json, "{\"secret\":1}");
  EXPECT_EQ(list_config_changes(owner, t.b.id).size(), 1u);
  EXPECT_FALSE(find_hashtag(owner, t.b.id, "planted"));
  EXPECT_EQ(list_client_access(owner).size(), 2u);
}

TEST(PgIsolation, GrantingNeedsAnExistingRoleAndTheSharedStore) {
  RUMI_REQUIRE_PG();
  const TwoClients t = setup("iso_grant");
  Database owner = Database::open_postgres(t.info);
  EXPECT_THROW(grant_client_access(owner, t.a.id, "no_such_role"), UsageError);
  EXPECT_TRUE(revoke_client_access(owner, t.a.id, "iso_a"));
  EXPECT_FALSE(revoke_client_access(owner, t.a.id, "iso_a"));
  Database a = Database::open_postgres(as_role(t.info, "iso_a"));
  EXPECT_TRUE(list_clients(a).empty()) << "a revoked role still sees its client";
}

}  // namespace
}  // namespace rumi::store
