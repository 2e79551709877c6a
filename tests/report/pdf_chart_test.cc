// The PDF charts (report/pdf_chart.h) and the client report's page budgets, checked with
// poppler: pdftotext reads every label and number back as real text, pdftoppm's greyscale render
// shows the bars apart without colour, pdfinfo counts the pages of a report whose patterns and
// strategies could never fit two pages.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <regex>
#include <set>

#include "core/file_io.h"
#include "report/pdf_chart.h"
#include "report/pdf_document.h"
#include "report/write_reports.h"
#include "report_fixtures.h"
#include "support/test_support.h"

namespace rumi::report {
namespace {

namespace fs = std::filesystem;

// The report options every fixture report here is written with.
ReportOptions fixture_options(std::set<std::string> formats) {
  ReportOptions o;
  o.date = "2026-03-14";
  o.client = "Stateside Grower";
  o.hashtag = "#nutrition";
  o.formats = std::move(formats);
  return o;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

bool have_poppler() {
  return fs::exists("/usr/bin/pdftotext") && fs::exists("/usr/bin/pdftoppm") && fs::exists("/usr/bin/pdfinfo");
}

std::string pdf_text(const fs::path& pdf) {
  const auto r = test::run_program({"/usr/bin/pdftotext", "-layout", pdf.string(), "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

int pdf_pages(const fs::path& pdf) {
  const auto r = test::run_program({"/usr/bin/pdfinfo", pdf.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  static const std::regex re(R"(Pages:\s+(\d+))");
  return std::regex_search(r.out, m, re) ? std::stoi(m[1]) : -1;
}

// A greyscale raster of page 1 at 72 dpi (one pixel per point), as pdftoppm writes it (P5 PGM).
struct Gray {
  int w = 0, h = 0;
  std::string px;
  int at(double x, double y) const {
    return static_cast<unsigned char>(px[static_cast<std::size_t>(static_cast<int>(y) * w + static_cast<int>(x))]);
  }
};

Gray render_gray(const fs::path& pdf, const fs::path& stem) {
  const auto r = test::run_program(
      {"/usr/bin/pdftoppm", "-gray", "-r", "72", "-f", "1", "-l", "1", "-singlefile", pdf.string(), stem.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string data = read_file(stem.string() + ".pgm");
  Gray g;
  std::size_t pos = 0;
  auto token = [&] {
    while (pos < data.size() && std::isspace(static_cast<unsigned char>(data[pos]))) ++pos;
    const std::size_t start = pos;
    while (pos < data.size() && !std::isspace(static_cast<unsigned char>(data[pos]))) ++pos;
    return data.substr(start, pos - start);
  };
  EXPECT_EQ(token(), "P5");
  g.w = std::stoi(token());
  g.h = std::stoi(token());
  EXPECT_EQ(token(), "255");
  g.px = data.substr(pos + 1);
  EXPECT_EQ(g.px.size(), static_cast<std::size_t>(g.w * g.h));
  return g;
}

PdfBarChart ranking_chart() {
  PdfBarChart c;
  c.axis_label = "average engagement rate per video (%)";
  c.bars = {{"1. 61-90s", 10.0, "10.0 % \u00b7 n 42", BarShade::highlight},
            {"2. 16-30s", 7.8, "7.8 % \u00b7 n 48", BarShade::normal},
            {"91-120s", 7.7, "7.7 % \u00b7 n 13 \u00b7 too few videos, not ranked", BarShade::muted}};
  return c;
}

void draw_to_pdf(const fs::path& path, const PdfBarChart& c, const PairedBars& pair) {
  PdfDocument doc;
  doc.set_dates("2026-03-14");
  draw_bar_chart(doc.cr(), c, 50, 50, 480);
  draw_pair_legend(doc.cr(), 50, 200, 480, "videos that do it", "the others", "median engagement rate");
  draw_paired_bars(doc.cr(), pair, 50, 230, 300);
  doc.save(path.string());
}

PairedBars pair_9_4_vs_4_7() {
  PairedBars p;
  p.with_value = 9.4;
  p.without_value = 4.7;
  p.with_text = "9.4 % (n 30)";
  p.without_text = "4.7 % (n 50)";
  p.max_value = 15;
  return p;
}

TEST(PdfChart, EveryBarCarriesItsLabelAndValueAndTheAxisSaysWhatItMeasures) {
  if (!have_poppler()) GTEST_SKIP() << "poppler-utils (pdftotext, pdftoppm, pdfinfo) not installed";
  test::TempDir dir;
  const PdfBarChart c = ranking_chart();
  EXPECT_EQ(bar_chart_axis_end(c), 10.0);  // the largest bar is a nice tick already
  draw_to_pdf(dir / "chart.pdf", c, pair_9_4_vs_4_7());
  const std::string t = pdf_text(dir / "chart.pdf");
  for (const char* s :
       {"1. 61-90s", "10.0 % \u00b7 n 42", "2. 16-30s", "7.8 % \u00b7 n 48", "91-120s", "too few videos, not ranked",
        "0 %", "4 %", "8 %", "average engagement rate per video (%)", "videos that do it", "the others",
        "median engagement rate", "do it", "others", "9.4 % (n 30)", "4.7 % (n 50)"})
    EXPECT_NE(t.find(s), std::string::npos) << "'" << s << "' not in:\n" << t;
}

TEST(PdfChart, BarsAreTheirValuesLongAndDistinctInGreyscale) {
  if (!have_poppler()) GTEST_SKIP() << "poppler-utils (pdftotext, pdftoppm, pdfinfo) not installed";
  test::TempDir dir;
  const PdfBarChart c = ranking_chart();
  const PairedBars pair = pair_9_4_vs_4_7();
  draw_to_pdf(dir / "chart.pdf", c, pair);
  const Gray g = render_gray(dir / "chart.pdf", dir / "page");
  ASSERT_EQ(g.w, 595);
  // Bar rows: centred in rows of c.row_height from y 50; plot from x 50 + label_width over
  // 480 - label_width - value_width points for 0..10 %.
  const double x0 = 50 + c.label_width, plot = 480 - c.label_width - c.value_width;
  auto row_y = [&](int i) { return 50 + c.row_height * i + c.row_height / 2; };
  // Ends where its value says: 7.8 % of a 10 % axis; white a few points past the end.
  const double end2 = x0 + plot * 7.8 / 10;
  EXPECT_LT(g.at(end2 - 3, row_y(1)), 128);
  EXPECT_GT(g.at(end2 + 2, row_y(1)), 240);
  // Greyscale print keeps the three kinds of bar apart: highlight, normal, muted.
  const int hi = g.at(x0 + 5, row_y(0)), normal = g.at(x0 + 5, row_y(1)), muted = g.at(x0 + 5, row_y(2));
  EXPECT_GT(std::abs(hi - normal), 40) << hi << " vs " << normal;
  EXPECT_GT(muted - hi, 40) << muted << " vs " << hi;
  EXPECT_LT(muted, 245) << "a muted bar must still show on white paper";
  // The pair: "do it" dark, "others" light, lengths in proportion on the shared 15 % scale.
  const double px0 = 50 + pair.label_width, pplot = 300 - pair.label_width - pair.value_width;
  const double with_y = 230 + paired_bars_height() / 4, without_y = 230 + paired_bars_height() * 3 / 4;
  EXPECT_LT(g.at(px0 + 3, with_y), 100);
  EXPECT_GT(g.at(px0 + 3, without_y), 150);
  EXPECT_LT(g.at(px0 + 3, without_y), 235);
  EXPECT_GT(g.at(px0 + pplot * 9.4 / 15 + 2, with_y), 240);  // past the 9.4 % bar: white (or its label's gap)
  EXPECT_LT(g.at(px0 + pplot * 9.4 / 15 - 2, with_y), 100);  // inside it: dark
  EXPECT_GT(g.at(px0 + pplot * 4.7 / 15 + 2, without_y), 240);
  // The colour model agrees with the render: luma of the shades in the same order.
  EXPECT_GT(luma(bar_shade_color(BarShade::muted)) - luma(bar_shade_color(BarShade::normal)), 0.4);
  EXPECT_GT(luma(bar_shade_color(BarShade::light)) - luma(bar_shade_color(BarShade::normal)), 0.4);
}

TEST(PdfChart, SameInputsGiveTheSameBytes) {
  test::TempDir dir;
  draw_to_pdf(dir / "a.pdf", ranking_chart(), pair_9_4_vs_4_7());
  draw_to_pdf(dir / "b.pdf", ranking_chart(), pair_9_4_vs_4_7());
  EXPECT_EQ(read_file(dir / "a.pdf"), read_file(dir / "b.pdf"));
  PdfBarChart other = ranking_chart();
  other.bars[1].value = 7.9;
  draw_to_pdf(dir / "c.pdf", other, pair_9_4_vs_4_7());
  EXPECT_NE(read_file(dir / "a.pdf"), read_file(dir / "c.pdf"));
}

TEST(PdfChart, ValuesOutsideTheAxisStayInsideTheChart) {
  PdfBarChart c = ranking_chart();
  c.max_value = 5;  // bars of 10 % and 7.8 % on a 5 % axis: drawn to the end, never beyond
  c.bars.push_back({"nan", std::nan(""), "not measured", BarShade::muted});
  c.bars.push_back({"negative", -3, "-3 %", BarShade::normal});
  EXPECT_EQ(bar_chart_height(c), c.row_height * 5 + bar_chart_height(PdfBarChart{}));
  PdfDocument doc;
  draw_bar_chart(doc.cr(), c, 50, 50, 480);  // no crash, no Cairo error
  EXPECT_EQ(cairo_status(doc.cr()), CAIRO_STATUS_SUCCESS);
}

// The ranking chart follows the bucket report's leading tier: a bucket no significant step
// separates from the best is marked as leading, never drawn as beaten.
TEST(ClientReportRanking, TheLeadingTierOfTheBucketReportIsMarked) {
  if (!have_poppler()) GTEST_SKIP() << "poppler-utils (pdftotext, pdftoppm, pdfinfo) not installed";
  test::TempDir dir;
  test::write_standard_fixture(dir.path());
  ReportOptions o = fixture_options({"pdf"});
  const auto client_text = [&] {
    const ReportSummary sum = write_reports(dir.path(), o);
    for (const auto& p : sum.pdfs)
      if (p.path.filename() == "Client_Strategy_Report.pdf") return p.text;
    return std::string();
  };
  const std::string alone = client_text();
  ASSERT_FALSE(alone.empty());
  EXPECT_EQ(alone.find("in the leading tier"), std::string::npos) << alone;  // no bucket report: rank 1 alone
  // The insights stage's report says the first two ranked buckets lead together.
  std::vector<std::string> ranked;
  static const std::regex row(R"((\d)\. (\d+-\d+s): )");
  for (auto it = std::sregex_iterator(alone.begin(), alone.end(), row); it != std::sregex_iterator(); ++it)
    ranked.push_back((*it)[2]);
  ASSERT_GE(ranked.size(), 2u) << alone;
  const fs::path report_dir = dir.path() / "reports" / o.date;
  write_file_atomic(report_dir / "bucket_performance_report.json",
                    Json{{"leading_buckets", Json::array({ranked[0], ranked[1]})}, {"clear_leader", false}}.dump());
  const std::string tied = client_text();
  EXPECT_EQ(count_of(tied, "in the leading tier"), 1u) << tied;  // the second bucket; the first leads anyway
  EXPECT_TRUE(std::regex_search(tied, std::regex("2\\. " + ranked[1] + ": [^\n]*in the leading tier"))) << tied;
}

// Five buckets, 40 long-phrased patterns and hypotheses each: far more than two pages hold.
void write_overflowing_hashtag(const fs::path& dir) {
  std::string phrase = "a creative element described at length";
  for (int i = 0; i < 6; ++i) phrase += " with yet another qualifying clause about timing and placement";
  const char* names[] = {"0-15s", "16-30s", "31-60s", "61-90s", "91-120s"};
  for (int b = 0; b < 5; ++b) {
    test::FixtureBucket bucket{names[b], 60 + b * 10, 4.0 + b, 3.5 + b, {}, {}, 0.3};
    for (int i = 0; i < 40; ++i)
      bucket.patterns.push_back({fmt::format("fixture.b{}_f{}", b, i), phrase + " " + std::to_string(i),
                                 i % 2 ? "higher_is_better" : "present_is_better",
                                 i < 10 ? "STRONG" : (i < 30 ? "MODERATE" : "EMERGING"), 0.2 + i * 0.01, 0.001,
                                 i < 30 ? 0.01 : 0.1, 0.5});
    test::write_fixture_bucket(dir, bucket);
  }
  test::write_fixture_selection(dir, {"0-15s", "16-30s", "31-60s", "61-90s", "91-120s"});
}

TEST(ClientReportBudget, OverflowIsCutAtWholeItemsIntoTheDashboardAndStaysWithinTwoPages) {
  if (!have_poppler()) GTEST_SKIP() << "poppler-utils (pdftotext, pdftoppm, pdfinfo) not installed";
  test::TempDir dir;
  write_overflowing_hashtag(dir.path());
  ReportOptions o = fixture_options({"pdf", "html"});
  const ReportSummary sum = write_reports(dir.path(), o);
  const fs::path pdf = sum.dir / "Client_Strategy_Report.pdf";
  const PdfResult* client = nullptr;
  for (const auto& p : sum.pdfs)
    if (p.path == pdf) client = &p;
  ASSERT_TRUE(client);
  EXPECT_LE(pdf_pages(pdf), 2);
  EXPECT_EQ(pdf_pages(pdf), client->pages);
  // The budgets cut, not the flow's last-resort truncation.
  EXPECT_FALSE(client->truncated) << client->text;
  const std::string t = pdf_text(pdf);
  std::smatch m;
  static const std::regex more(R"((\d+) more findings in the dashboard: index\.html)");
  ASSERT_TRUE(std::regex_search(t, m, more)) << t;
  // 200 patterns, 150 of them evidence-backed: the PDF shows a few and counts the rest exactly.
  const int shown_headlines = [&] {
    int n = 0;
    static const std::regex head("(0-15s|16-30s|31-60s|61-90s|91-120s) \u00b7 (STRONG|MODERATE) \u00b7 Videos");
    for (auto it = std::sregex_iterator(t.begin(), t.end(), head); it != std::sregex_iterator(); ++it) ++n;
    return n;
  }();
  EXPECT_GE(shown_headlines, 3);
  EXPECT_EQ(std::stoi(m[1]) + shown_headlines, 150) << t;
  // The path the PDF gives resolves from its own folder.
  EXPECT_TRUE(fs::exists(pdf.parent_path() / "index.html"));
  // Page 2 still has every section's heading.
  for (const char* s : {"Testing roadmap", "Priority creative strategies", "What we need to learn next",
                        "Model quality and method", "Next steps"})
    EXPECT_NE(t.find(s), std::string::npos) << s << "\n" << t;
  // Page 2 is over budget too: a section there is cut the same way.
  static const std::regex more2(R"(\d+ more (strategies|buckets) in the dashboard: index\.html)");
  EXPECT_TRUE(std::regex_search(t, more2)) << t;
  // Kept for a look, next to the other report tests' renders.
  const fs::path keep = fs::temp_directory_path() / "rumi_report_pngs";
  fs::create_directories(keep);
  fs::copy_file(pdf, keep / "budget_client.pdf", fs::copy_options::overwrite_existing);
  std::printf("overflow client report: %d pages, %d pattern headlines, %s more; strategies cut: %s\n", client->pages,
              shown_headlines, m[1].str().c_str(),
              t.find("more strategies in the dashboard") != std::string::npos ? "yes" : "no");
}

// The brief's bar shows the strategy's element with the numbers of its pattern: strategy 1 of
// the standard fixture is 16-30s "words spoken per second", lift +41 % over others at 4.0 %, so
// the videos that do it have 4.0 * 1.41 = 5.64 -> "5.6 %". On page 1, and the brief stays at 2.
TEST(CreatorBriefChart, ShowsTheElementsMediansOnPageOne) {
  if (!have_poppler()) GTEST_SKIP() << "poppler-utils (pdftotext, pdftoppm, pdfinfo) not installed";
  test::TempDir dir;
  test::write_standard_fixture(dir.path());
  ReportOptions o = fixture_options({"pdf"});
  const ReportSummary sum = write_reports(dir.path(), o);
  const fs::path brief = sum.dir / "Billo_Creative_Brief_strategy_01.pdf";
  ASSERT_TRUE(fs::exists(brief));
  EXPECT_EQ(pdf_pages(brief), 2);
  const auto page1 = test::run_program({"/usr/bin/pdftotext", "-f", "1", "-l", "1", brief.string(), "-"});
  EXPECT_NE(page1.out.find("Videos that do this: median engagement rate 5.6 %; others: 4.0 %."), std::string::npos)
      << page1.out;
  EXPECT_NE(page1.out.find("do this"), std::string::npos);
  EXPECT_EQ(page1.out.find("p 0.0"), std::string::npos) << "creators get no p-values";
  for (const auto& p : sum.pdfs) {
    EXPECT_LE(pdf_pages(p.path), 2) << p.path;
    EXPECT_FALSE(p.truncated) << p.path;
  }
}

}  // namespace
}  // namespace rumi::report
