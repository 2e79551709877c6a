// `rumi report` writing creator briefs from the brand inputs `config apply` stored (the briefs
// themselves: tests/report/brief_test.cc).
#include <gtest/gtest.h>

#include <string>

#include "core/file_io.h"
#include "core/json.h"
#include "report/report_fixtures.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"

namespace rumi::report {
namespace {

namespace fs = std::filesystem;
using test::write_catalog_fixture;

// End to end: `config apply` stores the brand inputs (with a hashtag override), `rumi report`
// reads them from the workspace; removing one makes `rumi report` warn and the brief say so.
TEST(CreatorBrief, ReportCommandUsesTheStoredBrandInputsAndWarnsAboutMissingOnes) {
  test::TempDir dir;
  const std::string ws = (dir.path() / "ws").string();
  const std::string brief =
      "    brief:\n      brand: Stateside Grower\n      product: Daily Greens\n      usps: [Third-party tested]\n"
      "      target_audience: Active people\n      key_messages: [One scoop a day.]\n      tone: Warm\n"
      "      call_to_action: Tap the link.\n      agency_contact: Sam Lee\n";
  const std::string tags =
      "    hashtags:\n      - name: \"#nutrition\"\n        brief:\n          product: Greens Energy\n";
  write_file_atomic(dir / "c.yaml", "clients:\n  - name: Stateside Grower\n" + brief + tags);
  auto applied = test::run_rumi({"--workspace", ws, "config", "apply", (dir / "c.yaml").string()});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const fs::path tag = dir.path() / "ws" / "MLAnalysis" / "stateside-grower" / "nutrition";
  write_catalog_fixture(tag);
  auto r = test::run_rumi({"--workspace", ws, "--json", "report", "Stateside Grower", "#nutrition", "--formats", "pdf",
                           "--date", "2026-01-13"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["missing_brand_inputs"], Json::array());
  EXPECT_EQ(r.err.find("lack brand inputs"), std::string::npos) << r.err;
  const auto text = test::run_program(
      {"/usr/bin/pdftotext", (tag / "reports" / "2026-01-13" / "Billo_Creative_Brief_strategy_01.pdf").string(), "-"});
  EXPECT_NE(text.out.find("Greens Energy"), std::string::npos) << text.out;  // the hashtag's override
  EXPECT_NE(text.out.find("Third-party tested"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Questions? Sam Lee"), std::string::npos) << text.out;

  write_file_atomic(dir / "c.yaml", "clients:\n  - name: Stateside Grower\n" +
                                        brief.substr(0, brief.find("      tone: Warm\n")) + tags);
  ASSERT_EQ(test::run_rumi({"--workspace", ws, "config", "apply", (dir / "c.yaml").string()}).exit_code, 0);
  r = test::run_rumi({"--workspace", ws, "--json", "report", "Stateside Grower", "#nutrition", "--formats", "pdf",
                      "--date", "2026-01-13"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json::parse(r.out)["missing_brand_inputs"], Json({"tone", "call_to_action", "agency_contact"}));
  EXPECT_NE(r.err.find("lack brand inputs: tone, call to action, agency contact"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace rumi::report
