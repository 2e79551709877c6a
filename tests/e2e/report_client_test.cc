// `rumi report CLIENT` through the real binary: the client report from the hashtags' reports,
// and exit 2 with a clear message for an unknown client or a client with no reported hashtag.
#include <gtest/gtest.h>

#include "core/file_io.h"
#include "core/json.h"
#include "report/report_fixtures.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi {
namespace {

namespace fs = std::filesystem;
using test::run_rumi;

class ReportClientCli : public ::testing::Test {
 protected:
  test::TempDir dir;
  fs::path ws() const { return dir.path() / "ws"; }
  test::CommandResult rumi(std::vector<std::string> args) {
    args.insert(args.begin(), {"--workspace", ws().string()});
    return run_rumi(args);
  }
  void apply_config() {
    write_file_atomic(dir / "c.yaml",
                      "clients:\n"
                      "  - name: Acme Drinks\n    industry: drinks\n    hashtags:\n"
                      "      - name: \"#alpha\"\n      - name: \"#beta\"\n      - name: \"#gamma\"\n"
                      "  - name: Quiet Co\n    industry: drinks\n    hashtags:\n      - name: \"#silent\"\n");
    const auto r = rumi({"config", "apply", (dir / "c.yaml").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // A tested 0-15s bucket whose first on-screen text is STRONG, and the eligible videos the
  // bucket ranking describes.
  void write_hashtag(const std::string& slug, double q) {
    const fs::path h = ws() / "MLAnalysis" / "acme-drinks" / slug;
    test::FixtureBucket b{"0-15s", 60, 5.0, 4.6, {}, {}, 0.4};
    b.patterns = {{"overlay.timeToFirstOverlay", "", "lower_is_better", "STRONG", 0.9, q / 20, q, -0.6, 0.73, 3.39}};
    test::write_fixture_bucket(h, b);
    Json eligible = Json::array();
    for (int i = 0; i < 60; ++i)
      eligible.push_back(Json{{"video_id", std::to_string(5000 + i)}, {"er", 3.0 + (i % 7) * 0.5}});
    ensure_directory(h / "acquisition");
    write_json_atomic(h / "acquisition" / "selection.json",
                      Json{{"format", "rumi-selection"},
                           {"format_version", 2},
                           {"hashtag", "#" + slug},
                           {"buckets", {{"0-15s", {{"selected", Json::array()}, {"eligible_videos", eligible}}}}},
                           {"excluded", Json::array()}});
    const auto r = rumi({"report", "Acme Drinks", slug, "--date", "2026-03-01", "--formats", "json,md"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(ReportClientCli, WritesTheClientReportAcrossReportedHashtags) {
  apply_config();
  write_hashtag("alpha", 0.002);
  write_hashtag("beta", 0.004);
  const auto r = rumi({"--json", "report", "Acme Drinks", "--date", "2026-03-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = Json::parse(r.out);
  EXPECT_EQ(j["hashtags_reported"], (Json{"#alpha", "#beta"}));
  EXPECT_EQ(j["hashtags_not_reported"], (Json{"#gamma"}));
  EXPECT_EQ(j["holds_across"], 1);
  EXPECT_EQ(j["replication_candidates"], 1);
  const fs::path out = ws() / "MLAnalysis" / "acme-drinks" / "client_reports" / "2026-03-01";
  EXPECT_EQ(fs::path(j["dir"].get<std::string>()), out);
  for (const char* f : {"Client_Report.md", "Client_Report.pdf", "client_summary.json"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  const std::string md = read_file(out / "Client_Report.md");
  EXPECT_NE(md.find("Not reported yet: #gamma."), std::string::npos) << md;
  EXPECT_NE(md.find("Videos that show the first on-screen text sooner had more engagement in every hashtag"),
            std::string::npos)
      << md;
  if (fs::exists("/usr/bin/pdfinfo")) {
    const auto info = test::run_program({"/usr/bin/pdfinfo", (out / "Client_Report.pdf").string()});
    EXPECT_NE(info.out.find("Pages:           1"), std::string::npos) << info.out;
  }
  // Human output names the folder and the counts.
  const auto human = rumi({"report", "acme-drinks", "--date", "2026-03-01", "--formats", "md"});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("Client report for Acme Drinks in " + out.string()), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("1 hold across hashtags"), std::string::npos) << human.out;
}

TEST_F(ReportClientCli, UnknownClientOrNoReportedHashtagExitsTwo) {
  apply_config();
  auto r = rumi({"report", "Nobody Inc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown client 'Nobody Inc'"), std::string::npos) << r.err;
  r = rumi({"report", "Quiet Co", "--date", "2026-03-01"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no reported hashtags"), std::string::npos) << r.err;
  r = rumi({"report", "Acme Drinks", "--date", "2026-03-01"});
  EXPECT_EQ(r.exit_code, 2) << "hashtags exist but none is reported yet";
  EXPECT_NE(r.err.find("rumi report acme-drinks HASHTAG"), std::string::npos) << r.err;
  r = rumi({"report", "Acme Drinks", "--date", "2026-3-1"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = rumi({"report", "Acme Drinks", "--llm", "anthropic"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace rumi
