// `rumi report` through the real binary: the reports of a configured hashtag, the whole
// validation loop changing the next report, and the workspace lock (the report stage itself:
// tests/report/report_test.cc).
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <cctype>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "core/json.h"
#include "report/report_fixtures.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi {
namespace {

namespace fs = std::filesystem;

TEST(ReportCli, WritesReportsForAConfiguredHashtag) {
  test::TempDir dir;
  const std::string ws = (dir.path() / "ws").string();
  write_file_atomic(dir / "c.yaml",
                    "clients:\n  - name: Stateside Grower\n    hashtags:\n      - name: \"#nutrition\"\n");
  ASSERT_EQ(test::run_rumi({"--workspace", ws, "init"}).exit_code, 0);
  auto applied = test::run_rumi({"--workspace", ws, "config", "apply", (dir / "c.yaml").string()});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const fs::path tag = dir.path() / "ws" / "MLAnalysis" / "stateside-grower" / "nutrition";
  test::write_standard_fixture(tag);
  auto r = test::run_rumi({"--workspace", ws, "--json", "report", "Stateside Grower", "#nutrition", "--formats",
                           "json,md,html", "--date", "2026-01-13"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["strategies"], 5);
  EXPECT_TRUE(fs::exists(tag / "reports" / "2026-01-13" / "index.html"));
  auto bad = test::run_rumi({"--workspace", ws, "report", "Stateside Grower", "#nutrition", "--formats", "docx"});
  EXPECT_EQ(bad.exit_code, 2);
  auto unknown = test::run_rumi({"--workspace", ws, "report", "Nobody", "#nutrition"});
  EXPECT_EQ(unknown.exit_code, 2);
}

// The whole loop through the real binary: report -> Billo tests created from strategies 1 and 2
// -> videos, metrics, verdicts (1 validated, 2 rejected) -> the next report reflects them.
TEST(ReportCli, ValidatedAndRejectedTestsChangeTheNextReport) {
  test::TempDir dir;
  const std::string ws = (dir.path() / "ws").string();
  auto rumi = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--workspace", ws});
    return test::run_rumi(args);
  };
  write_file_atomic(dir / "c.yaml",
                    "clients:\n  - name: Stateside Grower\n    hashtags:\n      - name: \"#nutrition\"\n");
  ASSERT_EQ(rumi({"init"}).exit_code, 0);
  ASSERT_EQ(rumi({"config", "apply", (dir / "c.yaml").string()}).exit_code, 0);
  const fs::path tag = dir.path() / "ws" / "MLAnalysis" / "stateside-grower" / "nutrition";
  test::write_standard_fixture(tag);
  auto first = rumi({"report", "Stateside Grower", "#nutrition", "--formats", "json,md,html", "--date", "2026-01-13"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_FALSE(fs::exists(tag / "reports" / "2026-01-13" / "validation_report.md"));  // no test yet

  std::vector<std::string> ids;
  for (const char* n : {"1", "2"}) {
    // 3 + 2 videos per test below, so plan for 2 per arm explicitly (the computed plan, 65 per
    // arm at the default spread, would leave both verdicts inconclusive).
    auto c =
        rumi({"-q", "validate", "create", "Stateside Grower", "#nutrition", "--strategy", n, "--videos-per-arm", "2"});
    ASSERT_EQ(c.exit_code, 0) << c.err;
    std::string id = c.out;
    while (!id.empty() && std::isspace(static_cast<unsigned char>(id.back()))) id.pop_back();
    ids.push_back(id);
  }
  for (std::size_t t = 0; t < ids.size(); ++t)
    for (int i = 1; i <= 5; ++i) {
      auto r = rumi({"validate", "record", ids[t], "--role", i <= 3 ? "test" : "control", "--video",
                     fmt::format("7{}{}", t + 1, i), "--posted-at", "2020-01-01"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  // Test 1: ERs 10, 11, 12 vs 5, 6 (+100 %); test 2: 5.0, 5.2, 4.8 vs 5.0, 5.1 (flat).
  write_file_atomic(dir / "m.csv",
                    "video_id,views,likes,comments,shares\n711,10000,900,50,50\n712,10000,1000,50,50\n"
                    "713,10000,1100,50,50\n714,10000,450,25,25\n715,10000,550,25,25\n"
                    "721,10000,500,0,0\n722,10000,520,0,0\n723,10000,480,0,0\n724,10000,500,0,0\n"
                    "725,10000,510,0,0\n");
  write_file_atomic(dir / "m1.csv", read_file(dir / "m.csv").substr(0, read_file(dir / "m.csv").find("721")));
  write_file_atomic(dir / "m2.csv", "video_id,views,likes,comments,shares\n" +
                                        read_file(dir / "m.csv").substr(read_file(dir / "m.csv").find("721")));
  ASSERT_EQ(rumi({"validate", "metrics", ids[0], "--import", (dir / "m1.csv").string()}).exit_code, 0);
  ASSERT_EQ(rumi({"validate", "metrics", ids[1], "--import", (dir / "m2.csv").string()}).exit_code, 0);
  auto e1 = rumi({"--json", "validate", "evaluate", ids[0]});
  ASSERT_EQ(e1.exit_code, 0) << e1.err;
  EXPECT_EQ(Json::parse(e1.out)["status"], "validated");
  auto e2 = rumi({"--json", "validate", "evaluate", ids[1]});
  ASSERT_EQ(e2.exit_code, 0) << e2.err;
  EXPECT_EQ(Json::parse(e2.out)["status"], "rejected");

  auto second = rumi({"--json", "report", "Stateside Grower", "#nutrition", "--date", "2026-01-20"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const Json sj = Json::parse(second.out);
  // The rejected test covered strategy 2's patterns (its primary and its supporting ones) as the
  // first report wrote them; every one of them is now left out.
  const Json planned = read_json_file(tag / "reports" / "2026-01-13" / "strategies" / "strategy_02.json");
  ASSERT_GE(planned["patterns"].size(), 1u);
  EXPECT_EQ(sj["rejected_patterns"], planned["patterns"].size());
  const fs::path out = tag / "reports" / "2026-01-20";
  EXPECT_TRUE(fs::exists(out / "validation_report.md"));
  const Json s1 = read_json_file(out / "strategies" / "strategy_01.json");
  EXPECT_EQ(s1["patterns"][0]["feature"], "fixture.speech_rate");
  EXPECT_TRUE(s1["validated"].get<bool>());
  EXPECT_NE(read_file(out / "strategies" / "strategy_01.md").find("validated in 1 controlled test: +100 %"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(out / "Affiliate_Creative_Brief_strategy_01.pdf"));
  for (int i = 1; i <= sj["strategies"].get<int>(); ++i) {
    const Json s = read_json_file(out / "strategies" / fmt::format("strategy_{:02d}.json", i));
    for (const auto& p : s["patterns"])
      EXPECT_NE(p["feature"], "fixture.text_hook_3s") << "rejected pattern still in strategy " << i;
    EXPECT_EQ(fs::exists(out / fmt::format("Affiliate_Creative_Brief_strategy_{:02d}.pdf", i)),
              s["validated"].get<bool>())
        << i;
  }
  EXPECT_NE(read_file(out / "creative_guide_0-15s.md").find("## Tested and rejected"), std::string::npos);
}

// Mutating per-hashtag commands take the workspace lock right after resolving the target: while
// another process holds <workspace>/.lock they fail at once with RUMI_LOCK_TIMEOUT=0 (exit 1,
// and write nothing.
TEST(ReportCli, MutatingCommandsWaitForTheWorkspaceLock) {
  test::TempDir dir;
  const std::string ws = (dir.path() / "ws").string();
  write_file_atomic(dir / "c.yaml",
                    "clients:\n  - name: Stateside Grower\n    hashtags:\n      - name: \"#nutrition\"\n");
  ASSERT_EQ(test::run_rumi({"--workspace", ws, "init"}).exit_code, 0);
  ASSERT_EQ(test::run_rumi({"--workspace", ws, "config", "apply", (dir / "c.yaml").string()}).exit_code, 0);
  const fs::path tag = dir.path() / "ws" / "MLAnalysis" / "stateside-grower" / "nutrition";
  test::write_standard_fixture(tag);
  write_file_atomic(dir / "items.json", "[]");
  auto rumi_now = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {"/usr/bin/env", "RUMI_LOCK_TIMEOUT=0", test::rumi_binary().string(), "--workspace",
                                     ws};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_program(argv);
  };
  const std::vector<std::vector<std::string>> commands = {
      {"report", "Stateside Grower", "#nutrition", "--formats", "json", "--date", "2026-01-13"},
      {"acquire", "Stateside Grower", "#nutrition", "--import", (dir / "items.json").string()},
      {"features", "Stateside Grower", "#nutrition"},
      {"train", "Stateside Grower", "#nutrition"},
      {"patterns", "Stateside Grower", "#nutrition"},
      {"validate", "create", "Stateside Grower", "#nutrition", "--strategy", "1"}};
  {
    const int fd = ::open((dir.path() / "ws" / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX), 0);
    for (const auto& c : commands) {
      auto r = rumi_now(c);
      EXPECT_EQ(r.exit_code, 1) << c[0] << ": " << r.err;
      EXPECT_NE(r.err.find("busy"), std::string::npos) << c[0] << ": " << r.err;
    }
    EXPECT_FALSE(fs::exists(tag / "reports" / "2026-01-13"));
    ::close(fd);
  }
  auto r = rumi_now(commands[0]);  // released: runs
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(tag / "reports" / "2026-01-13" / "strategies" / "strategy_01.json"));
}

}  // namespace
}  // namespace rumi
