#include <gtest/gtest.h>

#include "core/error.h"
#include "store/clients.h"
#include "store/migrations.h"
#include "store/workspace_store.h"
#include "support/test_support.h"

namespace rumi::store {
namespace {

TEST(Migrations, FromEmptyDatabaseToLatest) {
  test::TempDir dir;
  Workspace ws(dir.path() / "ws");
  Database db = init_workspace(ws);
  EXPECT_EQ(current_schema_version(db), latest_schema_version());
  auto s = db.prepare("PRAGMA foreign_keys");
  s.step();
  EXPECT_EQ(s.int64(0), 1);
  auto j = db.prepare("PRAGMA journal_mode");
  j.step();
  EXPECT_EQ(j.text(0), "wal");
  EXPECT_TRUE(std::filesystem::is_directory(ws.root() / "MLAnalysis"));
  // Idempotent: a second init changes nothing.
  Database again = init_workspace(ws);
  EXPECT_EQ(current_schema_version(again), latest_schema_version());
  auto n = again.prepare("SELECT count(*) FROM schema_version");
  n.step();
  EXPECT_EQ(n.int64(0), static_cast<std::int64_t>(all_migrations().size()));
}

TEST(Migrations, RefusesNewerSchema) {
  test::TempDir dir;
  Workspace ws(dir.path() / "ws");
  {
    Database db = init_workspace(ws);
    db.exec("INSERT INTO schema_version(version, description, applied_at) VALUES(999, 'future', 'x')");
  }
  try {
    open_workspace(ws);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST(Workspace, OpenWithoutInitSaysHowToFix) {
  test::TempDir dir;
  try {
    open_workspace(Workspace(dir.path() / "nothing"));
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("rumi init"), std::string::npos);
  }
}

TEST(Isolation, HashtagQueriesAreScopedByClient) {
  test::TempDir dir;
  Database db = init_workspace(Workspace(dir.path() / "ws"));
  auto [a, _a] = upsert_client(db, "brand-a", "Brand A", "supplements");
  auto [b, _b] = upsert_client(db, "brand-b", "Brand B", "drinks");
  upsert_hashtag(db, a.id, "nutrition", "#nutrition", "", "{}");
  upsert_hashtag(db, a.id, "secret-launch", "#secretlaunch", "", "{}");
  upsert_hashtag(db, b.id, "nutrition", "#nutrition", "", "{\"b\":1}");
  EXPECT_FALSE(find_hashtag(db, b.id, "secret-launch"));
  auto for_b = list_hashtags(db, b.id);
  ASSERT_EQ(for_b.size(), 1u);
  EXPECT_EQ(for_b[0].client_id, b.id);
  EXPECT_EQ(for_b[0].config_json, "{\"b\":1}");
  for (const auto& h : list_hashtags(db, a.id)) EXPECT_EQ(h.client_id, a.id);
  record_config_change(db, a.id, "t", "a-only change");
  EXPECT_TRUE(list_config_changes(db, b.id).empty());
}

TEST(Database, TransactionRollsBackOnException) {
  test::TempDir dir;
  Database db = init_workspace(Workspace(dir.path() / "ws"));
  EXPECT_THROW(db.transaction([&] {
    upsert_client(db, "x", "X", "");
    throw std::runtime_error("fail midway");
  }),
               std::runtime_error);
  EXPECT_TRUE(list_clients(db).empty());
}

}  // namespace
}  // namespace rumi::store
