// The client report says what the data cost: the live scrape (selection.json "apify") and the
// analysis time (checkpoints/progress.json), and says plainly when a number is not known.
#include <gtest/gtest.h>

#include "core/file_io.h"
#include "core/json.h"
#include "report/report_fixtures.h"
#include "report/write_reports.h"
#include "support/test_support.h"

namespace rumi::report {
namespace {

namespace fs = std::filesystem;

std::string client_pdf_text(const fs::path& hashtag_dir) {
  ReportOptions o;
  o.date = "2026-01-13";
  o.client = "C";
  o.hashtag = "#nutrition";
  o.formats = {"pdf"};
  const ReportSummary s = write_reports(hashtag_dir, o);
  for (const auto& p : s.pdfs)
    if (p.path.filename() == "Client_Strategy_Report.pdf") return p.text;
  ADD_FAILURE() << "no client report";
  return {};
}

TEST(ReportCosts, ClientReportStatesWhatTheDataCost) {
  test::TempDir dir;
  test::write_standard_fixture(dir.path());
  // No scrape, no analysis run recorded: said so, never a made-up number.
  std::string text = client_pdf_text(dir.path());
  EXPECT_NE(text.find("the videos came from an export file"), std::string::npos) << text;
  EXPECT_NE(text.find("analysing 0 videos"), std::string::npos) << text;

  Json sel = read_json_file(dir.path() / "acquisition" / "selection.json");
  sel["apify"] = {{"run_id", "run1"}, {"usage_usd", 0.0421}, {"compute_units", 0.0135}};
  write_json_atomic(dir.path() / "acquisition" / "selection.json", sel);
  ensure_directory(dir.path() / "checkpoints");
  write_json_atomic(dir.path() / "checkpoints" / "progress.json",
                    Json{{"mode", "content"},
                         {"videos",
                          {{{"status", "done"}, {"duration_s", 40.5}},
                           {{"status", "done"}, {"duration_s", 19.5}},
                           {{"status", "failed"}, {"duration_s", 900.0}}}}});
  text = client_pdf_text(dir.path());
  EXPECT_NE(text.find("the Apify scrape cost $0.04"), std::string::npos) << text;
  EXPECT_NE(text.find("analysing 2 videos took about 1 min"), std::string::npos) << text;  // failed attempts excluded

  sel["apify"]["usage_usd"] = nullptr;
  write_json_atomic(dir.path() / "acquisition" / "selection.json", sel);
  text = client_pdf_text(dir.path());
  EXPECT_NE(text.find("Apify did not report the scrape's cost"), std::string::npos) << text;
}

}  // namespace
}  // namespace rumi::report
