// rumi export / keygen / import-package / gc / audit and the workspace lock, through the real binary.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "core/file_io.h"
#include "core/json.h"
#include "store/packages.h"
#include "store/workspace_lock.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

class AdminCli : public ::testing::Test {
 protected:
  test::TempDir dir;
  fs::path ws() const { return dir / "ws"; }

  test::CommandResult rumi(std::vector<std::string> args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = {"/usr/bin/env"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back(test::rumi_binary().string());
    argv.push_back("--workspace");
    argv.push_back(ws().string());
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_program(argv, dir.path());
  }

  fs::path hashtag_dir() const { return ws() / "MLAnalysis/acme/nutrition"; }

  void SetUp() override {
    ASSERT_EQ(rumi({"client", "add", "Acme"}).exit_code, 0);
    ASSERT_EQ(rumi({"hashtag", "add", "acme", "#nutrition"}).exit_code, 0);
    for (const auto& [rel, content] :
         std::vector<std::pair<std::string, std::string>>{{"reports/2025-07-01/summary.md", "# Summary\n"},
                                                          {"reports/2025-07-02/report.json", "{\"winners\": 3}\n"},
                                                          {"bucket_16-30s/patterns_16-30s.json", "[]\n"},
                                                          {"bucket_16-30s/model_16-30s.json", std::string(100000, 'm')},
                                                          {"bucket_16-30s/performance_metrics.json", "{}\n"},
                                                          {"bucket_16-30s/features.csv", "not exported\n"},
                                                          {"acquisition/selection.json", "{\"selected\": []}\n"}}) {
      fs::create_directories((hashtag_dir() / rel).parent_path());
      write_file_atomic(hashtag_dir() / rel, content);
    }
  }

  void expect_same_tree(const fs::path& extracted, int expected_files = 2) {
    int n = 0;
    for (const auto& e : fs::recursive_directory_iterator(extracted)) {
      if (!e.is_regular_file()) continue;
      ++n;
      const fs::path rel = e.path().lexically_relative(extracted);
      EXPECT_EQ(read_file(e.path()), read_file(hashtag_dir() / rel)) << rel;
    }
    EXPECT_EQ(n, expected_files);
    EXPECT_FALSE(fs::exists(extracted / "bucket_16-30s/features.csv"));
  }
};

TEST_F(AdminCli, PlainExportImportRoundTrip) {
  auto r = rumi({"--json", "export", "Acme", "#nutrition", "--out", (dir / "out/acme.rpkg").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["files"].size(), 2u);
  EXPECT_EQ(j["package"], "client");
  EXPECT_FALSE(j["encrypted"].get<bool>());
  r = rumi({"--json", "import-package", (dir / "out/acme.rpkg").string(), "--out", (dir / "x").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = Json::parse(r.out);
  EXPECT_EQ(j["package"], "client");
  EXPECT_NE(j["notice"].get<std::string>().find("for Acme"), std::string::npos) << j.dump();
  expect_same_tree(dir / "x");

  std::string bytes = read_file(dir / "out/acme.rpkg");
  bytes[bytes.size() / 2] ^= 0x20;
  write_file_atomic(dir / "bad.rpkg", bytes);
  r = rumi({"import-package", (dir / "bad.rpkg").string(), "--out", (dir / "y").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tampered"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "y/reports"));
}

// Seed section 7.3: the client's package holds reports, never models or raw patterns; the
// full bundle needs --internal and says so in its manifest.
TEST_F(AdminCli, ClientPackageHoldsReportsOnlyInternalHoldsEverything) {
  auto r = rumi({"export", "acme", "nutrition", "--out", (dir / "client.rpkg").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("client package"), std::string::npos) << r.out;
  const store::Package client = store::parse_package(read_file(dir / "client.rpkg"), "client.rpkg");
  EXPECT_EQ(client.manifest["package"], "client");
  EXPECT_NE(client.manifest["notice"].get<std::string>().find("Acme"), std::string::npos);
  for (const auto& e : client.entries) {
    EXPECT_EQ(e.path.rfind("reports/", 0), 0u) << e.path;
    EXPECT_EQ(e.path.find("model_"), std::string::npos) << e.path;
    EXPECT_EQ(e.path.find("patterns_"), std::string::npos) << e.path;
  }
  EXPECT_EQ(read_file(dir / "client.rpkg").find(std::string(1000, 'm')), std::string::npos);  // no model bytes

  r = rumi({"--json", "export", "acme", "nutrition", "--internal", "--out", (dir / "internal.rpkg").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["package"], "internal");
  const store::Package internal = store::parse_package(read_file(dir / "internal.rpkg"), "internal.rpkg");
  EXPECT_EQ(internal.manifest["package"], "internal");
  ASSERT_EQ(rumi({"import-package", (dir / "internal.rpkg").string(), "--out", (dir / "all").string()}).exit_code, 0);
  expect_same_tree(dir / "all", 6);

  // Nothing but models: a client package has nothing to carry.
  fs::remove_all(hashtag_dir() / "reports");
  r = rumi({"export", "acme", "nutrition", "--out", (dir / "empty.rpkg").string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no reports yet"), std::string::npos) << r.err;
}

TEST_F(AdminCli, EncryptedExportRoundTripWrongKeyAndTampering) {
  auto r = rumi({"keygen", "acme", "--out", (dir / "keys/acme.key").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(rumi({"keygen", "acme", "--out", (dir / "keys/other.key").string()}).exit_code, 0);
  EXPECT_EQ(rumi({"keygen", "acme", "--out", (dir / "keys/acme.key").string()}).exit_code, 2);  // no overwrite
  r = rumi({"keygen", "acme", "--out", (ws() / "acme.key").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("inside the workspace"), std::string::npos) << r.err;

  const std::string pkg = (dir / "acme.rpkg").string();
  r = rumi({"export", "acme", "nutrition", "--out", pkg, "--encrypt", "--key-file", (dir / "keys/acme.key").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(pkg).find("winners"), std::string::npos);

  r = rumi({"import-package", pkg, "--out", (dir / "plain").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--key-file"), std::string::npos) << r.err;

  r = rumi({"import-package", pkg, "--out", (dir / "wrong").string(), "--key-file", (dir / "keys/other.key").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("wrong key"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "wrong/reports"));

  std::string bytes = read_file(pkg);
  bytes[bytes.size() - 100] ^= 0x01;
  write_file_atomic(dir / "tampered.rpkg", bytes);
  r = rumi({"import-package", (dir / "tampered.rpkg").string(), "--out", (dir / "t").string(), "--key-file",
            (dir / "keys/acme.key").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tampered"), std::string::npos) << r.err;

  r = rumi({"import-package", pkg, "--out", (dir / "ok").string(), "--key-file", (dir / "keys/acme.key").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_tree(dir / "ok");

  // The key can also come from $RUMI_CLIENT_KEY_<SLUG>.
  r = rumi({"export", "acme", "nutrition", "--out", (dir / "env.rpkg").string(), "--encrypt"},
           {"RUMI_CLIENT_KEY_ACME=" + (dir / "keys/acme.key").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = rumi({"import-package", (dir / "env.rpkg").string(), "--out", (dir / "env").string(), "--key-file",
            (dir / "keys/acme.key").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = rumi({"export", "acme", "nutrition", "--out", (dir / "nokey.rpkg").string(), "--encrypt"},
           {"-u", "RUMI_CLIENT_KEY_ACME"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("RUMI_CLIENT_KEY_ACME"), std::string::npos) << r.err;
}

TEST_F(AdminCli, GcDryRunThenApply) {
  fs::create_directories(ws() / "public/hashtags/orphan/raw");
  write_file_atomic(ws() / "public/hashtags/orphan/raw/r.jsonl", std::string(2048, 'x'));
  fs::create_directories(ws() / "public/hashtags/nutrition/raw");
  write_file_atomic(ws() / "public/hashtags/nutrition/raw/r.jsonl", "{}");
  auto r = rumi({"gc"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("would remove  hashtag  orphan"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2.0 KiB"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(ws() / "public/hashtags/orphan"));
  r = rumi({"--json", "gc", "--apply"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["total_bytes"], 2048);
  EXPECT_FALSE(fs::exists(ws() / "public/hashtags/orphan"));
  EXPECT_TRUE(fs::exists(ws() / "public/hashtags/nutrition/raw/r.jsonl"));
  r = rumi({"gc"});
  EXPECT_NE(r.out.find("Nothing to collect"), std::string::npos) << r.out;
}

TEST_F(AdminCli, SecondProcessWaitsForOrFailsOnTheWorkspaceLock) {
  auto lock = store::WorkspaceLock::try_acquire(Workspace(ws()), "test holder");
  ASSERT_TRUE(lock.has_value());
  auto r = rumi({"gc", "--apply"}, {"RUMI_LOCK_TIMEOUT=0.3"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("busy"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("test holder"), std::string::npos) << r.err;

  // Without a timeout it waits (and says so) until the holder is done, then succeeds. The holder
  // lets go only once the waiter has said it waits (its stderr goes to a file the test watches), so
  // a slow start of the second process (sanitizers, a loaded machine) cannot race the release.
  const fs::path err_file = dir / "waiter.err";
  auto waiter = std::async(std::launch::async, [&] {
    return test::run_program({"/bin/sh", "-c", "exec \"$0\" --workspace \"$1\" gc --apply 2>\"$2\"",
                              test::rumi_binary().string(), ws().string(), err_file.string()},
                             dir.path());
  });
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (std::chrono::steady_clock::now() < deadline &&
         (!fs::exists(err_file) || read_file(err_file).find("waiting for the workspace lock") == std::string::npos))
    std::this_thread::sleep_for(50ms);
  lock.reset();
  r = waiter.get();
  const std::string waiter_err = read_file(err_file);
  EXPECT_EQ(r.exit_code, 0) << waiter_err;
  EXPECT_NE(waiter_err.find("waiting for the workspace lock held by pid"), std::string::npos) << waiter_err;
  EXPECT_NE(waiter_err.find("test holder"), std::string::npos) << waiter_err;
}

TEST_F(AdminCli, ConcurrentWritersNeverCorruptTheStore) {
  std::vector<std::future<test::CommandResult>> runs;
  for (int i = 0; i < 8; ++i)
    runs.push_back(std::async(std::launch::async, [this, i] {
      return rumi({"client", "add", "Client " + std::to_string(i), "--industry", "x"});
    }));
  for (auto& f : runs) {
    auto r = f.get();
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  auto r = rumi({"--json", "client", "list"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(Json::parse(r.out).size(), 9u);
  auto check = test::run_program({"/usr/bin/sqlite3", (ws() / "rumi.db").string(), "PRAGMA integrity_check"});
  if (check.exit_code == 0) {
    EXPECT_EQ(check.out, "ok\n");
  }
}

TEST_F(AdminCli, AuditLogListsCommandsPerClient) {
  rumi({"client", "show", "acme"});
  rumi({"client", "show", "nobody"});
  auto r = rumi({"--json", "audit"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json all = Json::parse(r.out);
  ASSERT_FALSE(all.empty()) << "store::record_command must be hooked into run_cli";
  bool saw_failure = false;
  for (const auto& e : all) {
    EXPECT_FALSE(e["os_user"].get<std::string>().empty());
    if (e["command"] == "client show nobody") {
      saw_failure = true;
      EXPECT_EQ(e["result"].get<std::string>().rfind("exit 2: unknown client", 0), 0u) << e.dump();
      EXPECT_EQ(e["client"], "nobody");
    }
  }
  EXPECT_TRUE(saw_failure) << all.dump(2);
  r = rumi({"--json", "audit", "--client", "acme", "--limit", "1"});
  Json acme = Json::parse(r.out);
  ASSERT_EQ(acme.size(), 1u);
  EXPECT_EQ(acme[0]["client"], "acme");
  EXPECT_EQ(acme[0]["command"], "client show acme");
}

}  // namespace
}  // namespace rumi
