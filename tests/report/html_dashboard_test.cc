// The HTML dashboards and their SVG charts, checked as markup: every guide is rendered once,
// every link resolves to a file of the report folder, every string from data is escaped, the
// charts carry the input values (recomputed here independently), and the page is the same bytes
// on a second render. dashboard_browser_test.cc loads the same pages in a real browser.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "core/dataset.h"
#include "core/file_io.h"
#include "core/ownership_notice.h"
#include "report/creative_guide.h"
#include "report/html_dashboard.h"
#include "report/html_index.h"
#include "report/svg_chart.h"
#include "report/wording.h"
#include "report/write_reports.h"
#include "report_fixtures.h"
#include "support/test_support.h"

namespace rumi {
namespace {

namespace fs = std::filesystem;

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
  return n;
}

// Values of attribute `attr` of every <tag ...> element, in document order.
std::vector<std::string> attrs(const std::string& html, const std::string& tag, const std::string& attr) {
  std::vector<std::string> out;
  const std::regex el("<" + tag + "\\b[^>]*>");
  const std::regex at("\\b" + attr + "=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), el); it != std::sregex_iterator(); ++it) {
    std::smatch m;
    const std::string s = it->str();
    if (std::regex_search(s, m, at)) out.push_back(m[1]);
  }
  return out;
}

// Decodes the few entities html_escape writes, and %XX of hrefs.
std::string unescape_href(std::string s) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
      s.replace(at, from.size(), to);
  }
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Every href of the page: "#id" must name an element id, anything else a file next to the page.
void expect_links_resolve(const std::string& html, const fs::path& dir) {
  const auto ids = attrs(html, "[a-z0-9]+", "id");
  const std::set<std::string> id_set(ids.begin(), ids.end());
  int files = 0;
  for (const auto& href : attrs(html, "a", "href")) {
    ASSERT_FALSE(href.empty());
    if (href[0] == '#') {
      EXPECT_TRUE(id_set.count(href.substr(1))) << "anchor " << href << " has no target";
      continue;
    }
    EXPECT_EQ(href.find(':'), std::string::npos) << "not a relative link: " << href;
    EXPECT_TRUE(fs::is_regular_file(dir / unescape_href(href))) << "dangling link: " << href;
    ++files;
  }
  EXPECT_GT(files, 0);
}

// The standard fixture plus a features.csv per analysed bucket whose engagement rates are known
// here, written through the report stage (every format), so the folder holds the real files.
struct Fixture {
  test::TempDir tmp;
  fs::path hashtag_dir, report_dir;
  std::map<std::string, std::vector<double>> ers;
  report::HashtagInputs in;
  report::StrategySet set;
  std::vector<std::string> notes;
  std::string notice;
  std::string client = "Stateside Grower";
};

void write_features(const fs::path& hashtag_dir, const std::string& bucket, const std::vector<double>& ers) {
  Dataset d;
  d.feature_names = {"fixture.unused"};
  for (std::size_t i = 0; i < ers.size(); ++i) {
    const double v = static_cast<double>(i % 7);
    d.add_row(fmt::format("9{:05d}", i), 1.0, ers[i], std::span<const double>(&v, 1));
  }
  write_dataset_csv(hashtag_dir / ("bucket_" + bucket) / "features.csv", d);
}

std::unique_ptr<Fixture> make_fixture(const std::string& client = "Stateside Grower") {
  auto f = std::make_unique<Fixture>();
  f->client = client;
  f->hashtag_dir = f->tmp.path() / "nutrition";
  test::write_standard_fixture(f->hashtag_dir);
  const std::map<std::string, int> sizes{{"0-15s", 82}, {"16-30s", 45}, {"31-60s", 12}};
  for (const auto& [bucket, n] : sizes) {
    std::vector<double> v;
    for (int i = 0; i < n; ++i) v.push_back(1.0 + std::fmod(i * 3.7, 11.0) + (bucket == "0-15s" ? 1.5 : 0.0));
    write_features(f->hashtag_dir, bucket, v);
    f->ers[bucket] = v;
  }
  report::ReportOptions o;
  o.date = "2026-01-13";
  o.client = client;
  o.hashtag = "#nutrition";
  o.brand = config::BrandInputs{};
  const report::ReportSummary sum = report::write_reports(f->hashtag_dir, o);
  f->report_dir = sum.dir;
  f->in = report::load_hashtag_inputs(f->hashtag_dir);
  f->set = report::build_strategies(f->in);
  f->notes = {"Based on a fixture <script>alert(1)</script> & friends."};
  f->notice = ownership_notice(client);
  return f;
}

std::string render(const Fixture& f, std::string_view hashtag = "#nutrition") {
  return report::render_hashtag_dashboard(
      {f.in, f.set, f.client, hashtag, "2026-01-13", f.notes, f.notice, f.report_dir});
}

TEST(SvgChart, NumbersAndTicksAreFixed) {
  EXPECT_EQ(report::svg_number(-0.04, 1), "0.0");
  EXPECT_EQ(report::svg_number(2.25, 1), "2.2");  // round-half-even of the binary value, as printf
  EXPECT_EQ(report::svg_number(12.0, 0), "12");
  EXPECT_EQ(report::svg_number(std::nan(""), 1), "0.0");
  EXPECT_EQ(report::nice_ticks(9.3), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(report::nice_ticks(0.42), (std::vector<double>{0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5}));
  EXPECT_EQ(report::nice_ticks(0), (std::vector<double>{0, 1}));
  const std::vector<double> v{1, 2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(report::quantile_sorted(v, 0.25), 2);
  EXPECT_DOUBLE_EQ(report::quantile_sorted(v, 0.5), 3);
  EXPECT_DOUBLE_EQ(report::quantile_sorted({1, 2, 3, 4}, 0.5), 2.5);
}

TEST(SvgChart, BarChartDrawsEachValueToScaleWithLabels) {
  report::BarChart c;
  c.id = "t1";
  c.title = "Median ER <with> & without";
  c.axis_label = "median engagement rate (%)";
  c.bars = {{"videos that do it", 8.0, "8.0 % (n 24)", true}, {"the <b>others</b>", 4.0, "", false}};
  const std::string s = report::svg_bar_chart(c);
  EXPECT_EQ(s.rfind("<svg class=\"chart\"", 0), 0u);
  EXPECT_EQ(s.find("xmlns"), std::string::npos);  // inline in HTML: no namespace URL
  EXPECT_NE(s.find("role=\"img\" aria-labelledby=\"t1-t t1-d\""), std::string::npos);
  EXPECT_NE(s.find("<title id=\"t1-t\">Median ER &lt;with&gt; &amp; without</title>"), std::string::npos);
  EXPECT_NE(s.find("<desc id=\"t1-d\">videos that do it: 8.0 % (n 24); the &lt;b&gt;others&lt;/b&gt;: 4.0</desc>"),
            std::string::npos);
  EXPECT_EQ(s.find("<b>"), std::string::npos);
  const auto widths = attrs(s, "rect", "width");
  ASSERT_EQ(widths.size(), 2u);
  // Axis ends at the nice tick 8 (ticks 0, 2, ..., 8): the larger bar spans the plot, the other half.
  EXPECT_DOUBLE_EQ(std::stod(widths[1]) * 2, std::stod(widths[0]));
  EXPECT_EQ(attrs(s, "rect", "class"), (std::vector<std::string>{"b1", "b0"}));
  EXPECT_NE(s.find(">8.0 % (n 24)</text>"), std::string::npos);
  EXPECT_NE(s.find(">4.0</text>"), std::string::npos);
  EXPECT_NE(s.find(">median engagement rate (%)</text>"), std::string::npos);
  for (const char* tick : {">0</text>", ">2</text>", ">4</text>", ">6</text>", ">8</text>"})
    EXPECT_NE(s.find(tick), std::string::npos) << tick;
  EXPECT_EQ(report::svg_bar_chart(c), s);
}

TEST(SvgChart, StripPlotBoxesSitAtTheQuartiles) {
  report::StripPlot p;
  p.id = "er";
  p.title = "ER";
  p.axis_label = "engagement rate (%)";
  p.rows = {{"0-15s", {5, 1, 4, 2, 3, std::nan("")}, "5 videos", false}, {"16-30s", {}, "0 videos", true}};
  const std::string s = report::svg_strip_plot(p);
  EXPECT_EQ(count(s, "<circle"), 5u);  // NaN dropped
  EXPECT_NE(
      s.find("0-15s: 5 values, median 3.0 %, middle half 2.0 % to 4.0 %, range 1.0 % to 5.0 %; 16-30s: no values"),
      std::string::npos);
  EXPECT_NE(s.find("<g class=\"row mu\">"), std::string::npos);
  EXPECT_NE(s.find(">engagement rate (%)</text>"), std::string::npos);
  // Axis 0..5 over x 100..466: the box spans q1 = 2 to q3 = 4, the median line sits at 3.
  const auto box_x = attrs(s, "rect", "x"), box_w = attrs(s, "rect", "width");
  ASSERT_EQ(box_x.size(), 1u);
  EXPECT_NEAR(std::stod(box_x[0]), 100 + 366 * 2 / 5.0, 0.05);
  EXPECT_NEAR(std::stod(box_w[0]), 366 * 2 / 5.0, 0.1);
  const std::regex median("<line class=\"md\" x1=\"([0-9.]+)\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(s, m, median));
  EXPECT_NEAR(std::stod(m[1]), 100 + 366 * 3 / 5.0, 0.05);
  // A large bucket is thinned by rank, never beyond max_dots.
  p.rows = {{"big", std::vector<double>(1000, 2.0), "", false}};
  p.max_dots = 300;
  EXPECT_LE(count(report::svg_strip_plot(p), "<circle"), 300u);
  EXPECT_GE(count(report::svg_strip_plot(p), "<circle"), 250u);
}

TEST(HtmlDashboard, RendersEveryGuideOnceWithChartsAndLinksThatResolve) {
  const auto f = make_fixture();
  const std::string html = render(*f);
  // Scope line: client, hashtag, analysis mode, date, videos.
  EXPECT_NE(html.find("<p class=\"scope\">Stateside Grower \u00b7 #nutrition \u00b7 based on the videos&#39; content, "
                      "captions and posting data \u00b7 report date 2026-01-13 \u00b7 139 videos in 3 length buckets"),
            std::string::npos);
  // Each guide once, rendered (its findings are in the page, not only a link).
  for (const auto& b : f->in.buckets) {
    const std::string name(bucket_name(b.bucket));
    EXPECT_EQ(count(html, "id=\"guide-" + name + "\""), 1u) << name;
    EXPECT_EQ(count(html, fmt::format("What works in {} #nutrition videos", bucket_human(b.bucket))), 1u) << name;
    for (const Pattern& p : b.patterns)
      EXPECT_NE(html.find(report::html_escape(report::pattern_finding(p, bucket_human(b.bucket)))), std::string::npos)
          << p.feature;
  }
  EXPECT_EQ(count(html, "<h2 id=\"guides\">"), 1u);
  // Every strategy rendered with its steps, test plan and links.
  EXPECT_EQ(count(html, "<section class=\"card\" id=\"strategy_"), f->set.strategies.size());
  ASSERT_FALSE(f->set.strategies.empty());
  for (const auto& s : f->set.strategies) EXPECT_NE(html.find(report::html_escape(s.title)), std::string::npos);
  // Learn-next: every EMERGING hypothesis and the videos each bucket needs.
  for (const auto& b : f->in.buckets) {
    for (const Pattern& p : b.hypotheses)
      EXPECT_NE(html.find(report::html_escape(report::pattern_sentence(p))), std::string::npos);
    EXPECT_NE(html.find(report::html_escape(report::videos_needed_text(b))), std::string::npos);
  }
  EXPECT_NE(html.find("No controlled Billo test has been evaluated"), std::string::npos);
  // The ER distribution: one strip row per bucket with the fixture's values.
  ASSERT_NE(html.find("<svg class=\"chart\" viewBox=\"0 0 480"), std::string::npos);
  EXPECT_NE(html.find(">engagement rate (%)</text>"), std::string::npos);
  for (const auto& [bucket, v] : f->ers) {
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    const double med =
        sorted.size() % 2 ? sorted[sorted.size() / 2] : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
    EXPECT_NE(html.find(fmt::format("{}: {} values, median {:.1f} %", bucket, v.size(), med)), std::string::npos)
        << bucket;
  }
  // One with/without chart per rendered pattern, carrying its medians and counts.
  const Pattern& p0 = f->in.buckets[0].patterns[0];
  const int n_fav = p0.top_showing + p0.rest_showing;
  EXPECT_NE(html.find(fmt::format("videos that do it: {} (n {}); the other videos: {} (n {})",
                                  report::er_percent(p0.er_favoured), n_fav, report::er_percent(p0.er_others),
                                  p0.sample_size - n_fav)),
            std::string::npos);
  std::size_t rendered_patterns = 0;
  for (const auto& b : f->in.buckets) rendered_patterns += b.patterns.size();
  for (const auto& s : f->set.strategies) rendered_patterns += 1 + s.supporting.size();
  EXPECT_EQ(count(html, "Median engagement rate, with vs without</title>"), rendered_patterns);
  // Links: PDFs, Markdown, JSON of the folder, each resolving; nothing on the network.
  expect_links_resolve(html, f->report_dir);
  for (const char* file : {"Client_Strategy_Report.pdf", "creative_guide_0-15s.md", "creative_guide_0-15s.json",
                           "what_to_learn_next.md", "strategies/strategy_01.md", "bucket_performance_report.json"})
    EXPECT_NE(html.find(fmt::format("href=\"{}\"", file)), std::string::npos) << file;
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  // Escaped data, the notice as footer, same bytes on a second render.
  EXPECT_NE(html.find("Based on a fixture &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends."), std::string::npos);
  EXPECT_NE(html.find("<footer>" + report::html_escape(f->notice) + "</footer>"), std::string::npos);
  EXPECT_EQ(render(*f), html);
}

TEST(HtmlDashboard, EscapesClientHashtagAndValidationText) {
  const auto f = make_fixture("Acme <script>alert('x')</script>");
  report::PatternValidations v;
  v["fixture.speech_rate"] = {"proven", "validated in 2 <script>tests</script>", "caption \"<script>\""};
  v["fixture.nowhere"] = {"inconclusive", "1 test", "caption <script>x</script>"};
  report::apply_pattern_validations(f->in, v);
  const std::string html = render(*f, "#<script>tag");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("Acme &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("#&lt;script&gt;tag"), std::string::npos);
  EXPECT_NE(html.find("validated in 2 &lt;script&gt;tests&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("caption &lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("No controlled Billo test has been evaluated"), std::string::npos);
}

TEST(HtmlDashboard, MetadataOnlyScopeAndNoDistributionWithoutFeatures) {
  const auto f = make_fixture();
  f->in.metadata_only = true;
  for (const auto& b : {"0-15s", "16-30s", "31-60s"})
    fs::remove(f->hashtag_dir / ("bucket_" + std::string(b)) / "features.csv");
  const std::string html = render(*f);
  EXPECT_NE(html.find("#nutrition \u00b7 based on captions and posting data \u00b7"), std::string::npos);
  // Without per-video values the ranking falls back to a bar per bucket.
  EXPECT_EQ(html.find("Engagement rate of every analysed video"), std::string::npos);
  EXPECT_NE(html.find("Average engagement rate by length</title>"), std::string::npos);
}

TEST(HtmlDashboard, ClientPageLinksEachHashtagDashboard) {
  const auto f = make_fixture();
  fs::path index = f->report_dir / "index.html";
  write_file_atomic(index, render(*f));
  const fs::path client_dir = f->tmp.path() / "client_reports" / "2026-01-13";
  report::ClientDashboardInput in;
  in.client = "Stateside <Grower>";
  in.date = "2026-01-13";
  in.cross_hashtag = {"Nothing replicates <yet>."};
  in.links = {{"Client report (PDF)", client_dir / "missing.pdf"}};
  in.hashtags.push_back(report::client_entry_from_report_dir(f->report_dir, "nutrition"));
  const report::ClientHashtagEntry& e = in.hashtags[0];
  EXPECT_EQ(e.hashtag, "#nutrition");
  EXPECT_EQ(e.date, "2026-01-13");
  ASSERT_FALSE(e.buckets.empty());
  EXPECT_FALSE(e.top_findings.empty());
  EXPECT_LE(e.top_findings.size(), 5u);
  const fs::path written = report::write_client_dashboard(client_dir, in);
  EXPECT_EQ(written, client_dir / "index.html");
  const std::string html = read_file(written);
  expect_links_resolve(html, client_dir);
  EXPECT_NE(html.find("href=\"../../nutrition/reports/2026-01-13/index.html\""), std::string::npos);
  EXPECT_NE(html.find("Client_Strategy_Report.pdf\""), std::string::npos);
  EXPECT_NE(html.find("Client report (PDF) (not written)"), std::string::npos);
  EXPECT_NE(html.find("Stateside &lt;Grower&gt;"), std::string::npos);
  EXPECT_NE(html.find("Nothing replicates &lt;yet&gt;."), std::string::npos);
  EXPECT_NE(html.find(report::html_escape(e.top_findings[0])), std::string::npos);
  for (const auto& b : e.buckets) EXPECT_NE(html.find("<td>" + b.bucket + "</td>"), std::string::npos);
  EXPECT_NE(html.find("<footer>" + report::html_escape(ownership_notice(in.client)) + "</footer>"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_EQ(report::render_client_dashboard(client_dir, in), html);
}

TEST(HtmlDashboard, RankingShowsWhetherEachBucketDiffersFromTheNext) {
  const auto f = make_fixture();
  // The insights stage's ranking with its tier notes (insights/bucket_performance.h).
  Json report = Json::object();
  report["key_insight"] = "61-90s and 0-15s lead together.";
  report["bucket_performance_ranking"] =
      Json::array({Json{{"bucket", "0-15s"},
                        {"rank", 1},
                        {"ranked", true},
                        {"verdict", "HIGH PRIORITY"},
                        {"avg_engagement_rate", 8.1},
                        {"median_engagement_rate", 7.0},
                        {"sample_size", 82},
                        {"ranking_note", "tied with 16-30s (no step between neighbours significant)"}},
                   Json{{"bucket", "16-30s"},
                        {"rank", 2},
                        {"ranked", true},
                        {"verdict", "HIGH PRIORITY"},
                        {"avg_engagement_rate", 7.9},
                        {"median_engagement_rate", 6.8},
                        {"sample_size", 45},
                        {"ranking_note", "tied with 0-15s (no step between neighbours significant)"}}});
  write_file_atomic(f->report_dir / "bucket_performance_report.json", report.dump());
  const std::string html = render(*f);
  EXPECT_EQ(count(html, "<th class=\"opt\">Against the others</th>"), 1u);
  EXPECT_EQ(count(html, "<td class=\"opt\">tied with 16-30s (no step between neighbours significant)</td>"), 1u);
  EXPECT_EQ(count(html, "<td class=\"opt\">tied with 0-15s (no step between neighbours significant)</td>"), 1u);
  // Without notes (an older report) the column is not drawn.
  for (auto& r : report["bucket_performance_ranking"]) r.erase("ranking_note");
  write_file_atomic(f->report_dir / "bucket_performance_report.json", report.dump());
  EXPECT_EQ(render(*f).find("Against the others"), std::string::npos);
}

}  // namespace
}  // namespace rumi
