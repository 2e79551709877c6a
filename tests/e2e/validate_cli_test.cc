// The validation loop through the real binary: `rumi validate create / record / metrics /
// evaluate` and what the next report says (the loop's library: tests/validate/validate_test.cc).
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "core/json.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"
#include "validate/validate_fixtures.h"

namespace rumi {
namespace {

namespace fs = std::filesystem;
using test::strategy_json;

class ValidateCli : public ::testing::Test {
 protected:
  test::TempDir dir;
  std::string ws() const { return (dir.path() / "ws").string(); }
  test::CommandResult rumi(std::vector<std::string> args) {
    args.insert(args.begin(), {"--workspace", ws()});
    return test::run_rumi(args);
  }
  void setup() {
    ASSERT_EQ(rumi({"init"}).exit_code, 0);
    write_file_atomic(dir / "c.yaml",
                      "clients:\n  - name: Acme\n    hashtags:\n      - name: \"#nutrition\"\n"
                      "  - name: Other\n    hashtags:\n      - name: \"#nutrition\"\n");
    auto r = rumi({"config", "apply", (dir / "c.yaml").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::path d = dir.path() / "ws" / "MLAnalysis" / "acme" / "nutrition" / "reports" / "2026-03-01" / "strategies";
    ensure_directory(d);
    write_json_atomic(d / "strategy_01.json", strategy_json(1, "Text hook", {"hook_text"}));
    write_json_atomic(d / "strategy_02.json", strategy_json(2, "Slow cuts", {"slow_cuts"}));
  }
  // --videos-per-arm 2: these tests walk the loop with 3 + 2 videos, so they plan for that
  // explicitly (the computed plan would be 65 per arm and leave every verdict inconclusive).
  std::string create(int n) {
    auto r = rumi({"-q", "validate", "create", "Acme", "#nutrition", "--strategy", std::to_string(n), "--order-id",
                   "BILLO-" + std::to_string(n), "--cost-usd", "500", "--videos-per-arm", "2"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string id = r.out;
    while (!id.empty() && std::isspace(static_cast<unsigned char>(id.back()))) id.pop_back();
    return id;
  }
  void record_all(const std::string& id, const std::string& prefix) {
    for (int i = 1; i <= 5; ++i) {
      auto r = rumi({"validate", "record", id, "--role", i <= 3 ? "test" : "control", "--video",
                     prefix + std::to_string(i), "--posted-at", "2020-01-01"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
};

TEST_F(ValidateCli, ValidatedAndRejectedTestsShowInTheReport) {
  setup();
  const std::string win = create(1), flat = create(2);
  EXPECT_EQ(win, "T-nutrition-1");
  EXPECT_EQ(flat, "T-nutrition-2");
  record_all(win, "71");
  record_all(flat, "72");
  // Too few: nothing measured yet.
  auto early = rumi({"validate", "evaluate", win});
  EXPECT_EQ(early.exit_code, 2);
  EXPECT_NE(early.err.find("too few"), std::string::npos) << early.err;

  write_file_atomic(dir / "win.csv",
                    "video_id,views,likes,comments,shares\n711,10000,900,50,50\n"
                    "712,10000,1000,50,50\n713,10000,1100,50,50\n714,10000,450,25,25\n"
                    "715,10000,550,25,25\n");
  // Apify items for the flat test: ERs 5.0, 5.2, 4.8 vs 5.0, 5.1.
  Json items = Json::array();
  const std::vector<std::pair<std::string, int>> flat_likes = {
      {"721", 500}, {"722", 520}, {"723", 480}, {"724", 500}, {"725", 510}};
  for (const auto& [id, likes] : flat_likes)
    items.push_back({{"id", id},
                     {"playCount", 10000},
                     {"diggCount", likes},
                     {"commentCount", 0},
                     {"shareCount", 0},
                     {"webVideoUrl", "https://www.tiktok.com/@x/video/" + id}});
  write_json_atomic(dir / "flat.json", items);
  ASSERT_EQ(rumi({"validate", "metrics", win, "--import", (dir / "win.csv").string()}).exit_code, 0);
  auto again = rumi({"--json", "validate", "metrics", win, "--import", (dir / "win.csv").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Json::parse(again.out)["updated"], 0);
  ASSERT_EQ(rumi({"validate", "metrics", flat, "--import", (dir / "flat.json").string()}).exit_code, 0);
  // Metrics for the wrong test's videos: exit 2 naming the file and the record.
  auto wrong = rumi({"validate", "metrics", win, "--import", (dir / "flat.json").string()});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("flat.json"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find("record 1"), std::string::npos) << wrong.err;

  auto ev = rumi({"--json", "validate", "evaluate", win});
  ASSERT_EQ(ev.exit_code, 0) << ev.err;
  Json j = Json::parse(ev.out);
  EXPECT_EQ(j["status"], "validated");
  EXPECT_NEAR(j["lift"].get<double>(), std::cbrt(1320.0) / std::sqrt(30.0) - 1.0, 1e-9);  // ERs 10, 11, 12 vs 5, 6
  EXPECT_NE(j["roi"].get<std::string>().find("0.201 % lift per dollar"), std::string::npos);
  auto ev2 = rumi({"validate", "evaluate", flat});
  ASSERT_EQ(ev2.exit_code, 0) << ev2.err;
  EXPECT_NE(ev2.out.find("rejected"), std::string::npos) << ev2.out;  // 90 % CI upper bound +5.4 %

  // Isolation: the other client neither lists nor can address Acme's tests.
  auto other_list = rumi({"--json", "validate", "list", "Other"});
  ASSERT_EQ(other_list.exit_code, 0) << other_list.err;
  EXPECT_TRUE(Json::parse(other_list.out).empty());
  EXPECT_EQ(rumi({"validate", "show", win, "--client", "Other"}).exit_code, 2);
  EXPECT_EQ(rumi({"validate", "evaluate", win, "--client", "Other"}).exit_code, 2);
  auto show = rumi({"validate", "show", win, "--client", "Acme"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("BILLO-1"), std::string::npos);
  auto list = rumi({"--json", "validate", "list", "Acme", "#nutrition"});
  EXPECT_EQ(Json::parse(list.out).size(), 2u);

  auto rep = rumi({"--json", "validate", "report", "Acme", "#nutrition", "--date", "2026-03-09"});
  ASSERT_EQ(rep.exit_code, 0) << rep.err;
  Json rj = Json::parse(rep.out);
  EXPECT_EQ(rj["patterns"]["hook_text"]["status"], "proven");
  EXPECT_EQ(rj["patterns"]["slow_cuts"]["status"], "rejected");
  const std::string md = read_file(dir.path() / "ws" / "MLAnalysis" / "acme" / "nutrition" / "reports" / "2026-03-09" /
                                   "validation_report.md");
  EXPECT_NE(md.find("1 validated, 0 inconclusive, 1 rejected"), std::string::npos) << md;
  EXPECT_NE(md.find("validated in 1 controlled test: +100 %"), std::string::npos) << md;
  EXPECT_NE(md.find("rejected in 1 controlled test"), std::string::npos) << md;
  EXPECT_NE(md.find("Rejected: dropped from the strategies"), std::string::npos);
}

TEST_F(ValidateCli, CreatePrintsThePlannedSampleSize) {
  setup();
  auto r = rumi({"validate", "create", "Acme", "#nutrition", "--strategy", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Videos per arm needed: 65"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0.45"), std::string::npos) << r.out;  // no selection: the default spread, with a note
  EXPECT_NE(r.out.find("too little data"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("same day"), std::string::npos) << r.out;
  auto big = rumi({"--json", "validate", "create", "Acme", "#nutrition", "--strategy", "1", "--target-lift", "50"});
  ASSERT_EQ(big.exit_code, 0) << big.err;
  const Json j = Json::parse(big.out);
  EXPECT_EQ(j["planned_n_per_arm"], 21);  // log(1.5) / 0.45 -> 20.4 (statsmodels) -> 21
  EXPECT_EQ(rumi({"validate", "create", "Acme", "#nutrition", "--strategy", "1", "--target-lift", "0"}).exit_code, 2);
  // 3 + 2 videos under the 65-per-arm plan: inconclusive, with the plan restated.
  const std::string id = "T-nutrition-1";
  for (int i = 1; i <= 5; ++i)
    ASSERT_EQ(rumi({"validate", "record", id, "--role", i <= 3 ? "test" : "control", "--video", std::to_string(i),
                    "--posted-at", "2020-01-01"})
                  .exit_code,
              0);
  write_file_atomic(dir / "m.csv",
                    "video_id,views,likes,comments,shares\n1,10000,1000,0,0\n2,10000,1100,0,0\n"
                    "3,10000,1200,0,0\n4,10000,500,0,0\n5,10000,600,0,0\n");
  ASSERT_EQ(rumi({"validate", "metrics", id, "--import", (dir / "m.csv").string()}).exit_code, 0);
  auto ev = rumi({"validate", "evaluate", id});
  ASSERT_EQ(ev.exit_code, 0) << ev.err;
  EXPECT_NE(ev.out.find("inconclusive"), std::string::npos) << ev.out;
  EXPECT_NE(ev.out.find("planned 65"), std::string::npos) << ev.out;
}

TEST_F(ValidateCli, ClearErrors) {
  setup();
  auto missing = rumi({"validate", "create", "Acme", "#nutrition", "--strategy", "9"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("strategy_09.json"), std::string::npos) << missing.err;
  EXPECT_EQ(rumi({"validate", "show", "T-nope-1"}).exit_code, 2);
  const std::string id = create(1);
  EXPECT_EQ(rumi({"validate", "record", id, "--role", "both", "--video", "1"}).exit_code, 2);
  auto r = rumi({"validate", "record", id, "--role", "test", "--video", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write_file_atomic(dir / "m.csv", "video_id,views,likes,comments,shares\n1,100,1,1,1\n2,100,1,1,1\n");
  auto unknown = rumi({"validate", "metrics", id, "--import", (dir / "m.csv").string()});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("m.csv"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("line 3"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("not part of test"), std::string::npos) << unknown.err;
  auto window = rumi({"validate", "evaluate", id});
  EXPECT_EQ(window.exit_code, 2);
  EXPECT_NE(window.err.find("--force"), std::string::npos) << window.err;
}

}  // namespace
}  // namespace rumi
