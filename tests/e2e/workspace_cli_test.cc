// The foundation commands through the real binary: exit codes, messages, --json, idempotency.
#include <gtest/gtest.h>

#include "core/file_io.h"
#include "core/json.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi {
namespace {

using test::run_rumi;

class WorkspaceCli : public ::testing::Test {
 protected:
  test::TempDir dir;
  std::string ws() const { return (dir.path() / "ws").string(); }
  test::CommandResult rumi(std::vector<std::string> args) {
    args.insert(args.begin(), {"--workspace", ws()});
    return run_rumi(args);
  }
};

TEST_F(WorkspaceCli, VersionShowsGitRevision) {
  auto r = run_rumi({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("rumi "), std::string::npos);
  EXPECT_NE(r.out.find("git "), std::string::npos);
}

TEST_F(WorkspaceCli, InitIsIdempotent) {
  EXPECT_EQ(rumi({"init"}).exit_code, 0);
  auto r = rumi({"--json", "init"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_FALSE(j["created"].get<bool>());
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "ws" / "rumi.db"));
}

TEST_F(WorkspaceCli, ConfigApplyThenListAndShow) {
  write_file_atomic(dir / "c.yaml",
                    "clients:\n  - name: Stateside Grower\n    industry: supplements\n    hashtags:\n"
                    "      - name: \"#nutrition\"\n        analysis_config: {videos_per_segment: 25}\n");
  auto r = rumi({"config", "apply", (dir / "c.yaml").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto again = rumi({"--json", "config", "apply", (dir / "c.yaml").string()});
  EXPECT_FALSE(Json::parse(again.out)["changed"].get<bool>());
  auto list = rumi({"--json", "client", "list"});
  EXPECT_EQ(Json::parse(list.out)[0]["slug"], "stateside-grower");
  auto tags = rumi({"--json", "hashtag", "list", "Stateside Grower"});
  EXPECT_EQ(Json::parse(tags.out)[0]["analysis_config"]["videos_per_segment"], 25);
  auto show = rumi({"client", "show", "stateside-grower"});
  EXPECT_NE(show.out.find("#nutrition"), std::string::npos);
}

TEST_F(WorkspaceCli, BadInputExitsTwoWithFileLineField) {
  write_file_atomic(dir / "bad.yaml",
                    "clients:\n  - name: A\n    hashtags:\n      - name: \"#n\"\n"
                    "        analysis_config: {min_date: \"2025-13-01\"}\n");
  auto r = rumi({"config", "apply", (dir / "bad.yaml").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.yaml"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 5"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("min_date"), std::string::npos) << r.err;
  EXPECT_EQ(rumi({"config", "apply", (dir / "missing.yaml").string()}).exit_code, 2);
  EXPECT_EQ(rumi({"client", "add", "../../x"}).exit_code, 2);
  EXPECT_EQ(rumi({"client", "add", "#"}).exit_code, 2);
  EXPECT_EQ(rumi({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(rumi({"client", "show", "nobody"}).exit_code, 2);
}

TEST_F(WorkspaceCli, ClientAndHashtagCommands) {
  ASSERT_EQ(rumi({"init"}).exit_code, 0);
  ASSERT_EQ(rumi({"client", "add", "Drink Co", "--industry", "functional_drinks"}).exit_code, 0);
  ASSERT_EQ(rumi({"hashtag", "add", "Drink Co", "#Energy", "--videos-per-segment", "10", "--min-date", "2025-01-01"})
                .exit_code,
            0);
  EXPECT_EQ(rumi({"hashtag", "add", "Drink Co", "#x", "--videos-per-segment", "0"}).exit_code, 2);
  EXPECT_EQ(rumi({"hashtag", "add", "Drink Co", "#x", "--min-date", "2025-02-31"}).exit_code, 2);
  auto tags = rumi({"--json", "hashtag", "list", "drink-co"});
  Json j = Json::parse(tags.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["name"], "#energy");
  EXPECT_EQ(j[0]["analysis_config"]["min_date"], "2025-01-01");
}

}  // namespace
}  // namespace rumi
