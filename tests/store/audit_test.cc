// The audit log: append-only, scoped by client, redacted, and a hook that never throws.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "core/error.h"
#include "store/audit.h"
#include "store/workspace_store.h"
#include "support/test_support.h"

namespace rumi::store {
namespace {

TEST(Audit, AppendListAndFilterByClient) {
  test::TempDir dir;
  Workspace ws(dir.path() / "ws");
  Database db = init_workspace(ws);
  append_audit(db, AuditEntry{"train acme nutrition", "acme", "", "ok", "", 0});
  append_audit(db, AuditEntry{"report beta nutrition", "beta", "", audit_result(2, "bad thing\nsecond line"), "", 0});
  append_audit(db, AuditEntry{"client list", std::nullopt, "", "ok", "", 0});

  auto all = list_audit(db, std::nullopt, 0);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].command, "client list");  // newest first
  EXPECT_FALSE(all[0].client_slug.has_value());
  EXPECT_EQ(all[1].result, "exit 2: bad thing");
  EXPECT_EQ(all[2].os_user, current_os_user());
  EXPECT_FALSE(all[2].at.empty());

  auto beta = list_audit(db, std::string("beta"), 0);
  ASSERT_EQ(beta.size(), 1u);
  EXPECT_EQ(beta[0].command, "report beta nutrition");
  EXPECT_EQ(list_audit(db, std::nullopt, 2).size(), 2u);
}

TEST(Audit, RowsCannotBeChangedOrDeleted) {
  test::TempDir dir;
  Database db = init_workspace(Workspace(dir.path() / "ws"));
  append_audit(db, AuditEntry{"init", std::nullopt, "", "ok", "", 0});
  EXPECT_THROW(db.exec("UPDATE audit_log SET result = 'forged'"), std::exception);
  EXPECT_THROW(db.exec("DELETE FROM audit_log"), std::exception);
  EXPECT_EQ(list_audit(db, std::nullopt, 0).at(0).result, "ok");
}

TEST(Audit, SecretsAreRedacted) {
  test::TempDir dir;
  Database db = init_workspace(Workspace(dir.path() / "ws"));
  ::setenv("APIFY_TOKEN", "apify_api_PLANTEDsecret123", 1);
  append_audit(db, AuditEntry{"acquire a b --token apify_api_PLANTEDsecret123", "a", "", "ok", "", 0});
  append_audit(
      db, AuditEntry{"acquire a b", "a", "", audit_result(1, "GET ?token=apify_api_PLANTEDsecret123 failed"), "", 0});
  ::unsetenv("APIFY_TOKEN");
  for (const auto& e : list_audit(db, std::nullopt, 0)) {
    EXPECT_EQ(e.command.find("PLANTED"), std::string::npos) << e.command;
    EXPECT_EQ(e.result.find("PLANTED"), std::string::npos) << e.result;
  }
}

TEST(Audit, RecordCommandOnlyWhenWorkspaceExistsAndNeverThrows) {
  test::TempDir dir;
  Workspace missing(dir.path() / "nope");
  record_command(missing, "train x y", std::string("x"), 0, "");
  EXPECT_FALSE(std::filesystem::exists(missing.root()));

  Workspace ws(dir.path() / "ws");
  { init_workspace(ws); }
  record_command(ws, "train x y", audit_client_slug("X"), 3, "not enough data: 12 videos");
  Database db = open_workspace(ws);
  auto rows = list_audit(db, std::string("x"), 0);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].result, "exit 3: not enough data: 12 videos");

  // A corrupt database: the hook swallows the failure.
  Workspace broken(dir.path() / "broken");
  std::filesystem::create_directories(broken.root());
  { std::ofstream(broken.db_path()) << "this is not sqlite"; }
  EXPECT_NO_THROW(record_command(broken, "x", std::nullopt, 0, ""));
}

TEST(Audit, ClientSlugOfBadArgumentsIsNull) {
  EXPECT_EQ(audit_client_slug("Stateside Grower"), std::optional<std::string>("stateside-grower"));
  EXPECT_FALSE(audit_client_slug("../x").has_value());
  EXPECT_FALSE(audit_client_slug("###").has_value());
}

}  // namespace
}  // namespace rumi::store
