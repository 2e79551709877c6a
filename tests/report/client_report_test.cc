// The client view across hashtags: two hashtags written in the contract formats, each reported by
// write_reports, then the client report from their outputs. Oracles: a hand calculation of the
// replication rule and its chance figures, pdfinfo for the page count, the readability measure,
// and the bytes of a re-run.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <set>
#include <thread>

#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "report/client_replication.h"
#include "report/client_report.h"
#include "report/client_view.h"
#include "report/readability.h"
#include "report/report_fixtures.h"
#include "report/write_reports.h"
#include "support/test_support.h"

namespace rumi::report {
namespace {

namespace fs = std::filesystem;

// Real catalog elements, so the sentences are the catalog's words.
test::FixturePattern first_text(double q, std::string evidence = "STRONG") {
  return {"overlay.timeToFirstOverlay", "", "lower_is_better", std::move(evidence), 0.9, q / 20, q, -0.6, 0.73, 3.39};
}
test::FixturePattern density(double q, std::string evidence) {
  return {"density.avgDensity", "", "higher_is_better", std::move(evidence), 0.7, q / 20, q, 0.55, 8.1, 3.8};
}
test::FixturePattern hook(double q, std::string evidence) {
  return {"overlay.overlayProgression.hook_3s",
          "",
          "higher_is_better",
          std::move(evidence),
          0.4,
          q / 20,
          q,
          0.4,
          0.83,
          0.0};
}

// One bucket's patterns file: every pattern is in all_elements; only labelled ones (not NONE) in
// `patterns`, as the patterns stage writes them.
void write_bucket(const fs::path& dir, const std::string& bucket, int n, const std::vector<test::FixturePattern>& ps) {
  test::FixtureBucket b{bucket, n, 5.0, 4.6, {}, {}, 0.4};
  b.patterns = ps;
  test::write_fixture_bucket(dir, b);
  const fs::path file = dir / ("bucket_" + bucket) / ("patterns_" + bucket + ".json");
  Json j = read_json_file(file);
  Json labelled = Json::array();
  for (const auto& p : j["patterns"])
    if (p["evidence"] != "NONE") labelled.push_back(p);
  j["patterns"] = labelled;
  write_json_atomic(file, j);
}

void write_selection(const fs::path& dir, const std::string& hashtag, const std::map<std::string, int>& sizes,
                     double er_base) {
  Json buckets = Json::object();
  int id = 1000;
  for (const auto& [bucket, n] : sizes) {
    Json eligible = Json::array();
    for (int i = 0; i < n; ++i)
      eligible.push_back(Json{{"video_id", std::to_string(id++)}, {"er", er_base + (i % 10) * 0.5}});
    buckets[bucket] = Json{{"selected", Json::array()}, {"eligible_videos", eligible}};
  }
  ensure_directory(dir / "acquisition");
  write_json_atomic(dir / "acquisition" / "selection.json", Json{{"format", "rumi-selection"},
                                                                 {"format_version", 2},
                                                                 {"hashtag", hashtag},
                                                                 {"buckets", buckets},
                                                                 {"excluded", Json::array()}});
}

void report_hashtag(const fs::path& dir, const std::string& hashtag, const std::string& date,
                    PatternValidations validations = {}, std::set<std::string> formats = {"json", "md"}) {
  ReportOptions o;
  o.validations = std::move(validations);
  o.date = date;
  o.client = "Acme Drinks";
  o.hashtag = hashtag;
  o.formats = std::move(formats);
  o.brand = config::BrandInputs{};
  write_reports(dir, o);
}

// #alpha: the first on-screen text (replicates) and the visual density (significant only here),
// the 3-second text hook tested and null in both. #beta: the first text again, same direction,
// density null. 31-60s has 12 videos in each: not tested, not ranked.
struct Fixture {
  test::TempDir tmp;
  Workspace ws{tmp.path() / "ws"};
  fs::path alpha = ws.hashtag_dir("acme-drinks", "alpha");
  fs::path beta = ws.hashtag_dir("acme-drinks", "beta");

  void write_alpha(bool with_density) {
    write_bucket(
        alpha, "0-15s", 82,
        {first_text(0.002), with_density ? density(0.01, "MODERATE") : density(0.4, "NONE"), hook(0.5, "NONE")});
    write_bucket(alpha, "16-30s", 45, {hook(0.01, "STRONG")});  // tested in #alpha only
    write_bucket(alpha, "31-60s", 12, {});
    write_selection(alpha, "#alpha", {{"0-15s", 82}, {"16-30s", 45}, {"31-60s", 12}}, 3.0);
  }
  // A 16-30s bucket in #beta too, engagement distributed as its 0-15s (write_selection).
  void write_bucket_16_30_beta() {
    write_bucket(beta, "16-30s", 40, {});
    write_selection(beta, "#beta", {{"0-15s", 60}, {"16-30s", 40}, {"31-60s", 12}}, 4.0);
  }
  void write_beta() {
    write_bucket(beta, "0-15s", 60, {first_text(0.004), density(0.6, "NONE"), hook(0.7, "NONE")});
    write_bucket(beta, "31-60s", 12, {});
    write_selection(beta, "#beta", {{"0-15s", 60}, {"31-60s", 12}}, 4.0);
  }
  Fixture() {
    write_alpha(true);
    write_beta();
    report_hashtag(alpha, "#alpha", "2026-03-01");
    report_hashtag(beta, "#beta", "2026-03-01");
  }
  ClientReportOptions options(const std::string& date) const {
    ClientReportOptions o;
    o.client = "Acme Drinks";
    o.date = date;
    return o;
  }
};

int pdf_pages(const fs::path& pdf) {
  const auto r = test::run_program({"/usr/bin/pdfinfo", pdf.string()});
  const auto at = r.out.find("Pages:");
  if (r.exit_code != 0 || at == std::string::npos) return -1;
  return std::stoi(r.out.substr(at + 6));
}

std::string pdf_text(const fs::path& pdf) {
  const auto r = test::run_program({"/usr/bin/pdftotext", "-layout", pdf.string(), "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

// One row of a bucket report as the insights stage wrote it.
struct WrittenRow {
  std::string bucket;
  double avg_er = 0;
  int n = 0;
  bool ranked = false, leading = false;
};

std::vector<WrittenRow> written_ranking(const fs::path& report_dir) {
  const Json j = read_json_file(report_dir / "bucket_performance_report.json");
  std::set<std::string> leaders;
  for (const auto& l : j["leading_buckets"]) leaders.insert(l.get<std::string>());
  std::vector<WrittenRow> out;
  for (const auto& r : j["bucket_performance_ranking"]) {
    const std::string b = r["bucket"].get<std::string>();
    out.push_back({b, r["avg_engagement_rate"].get<double>(), r["sample_size"].get<int>(), r["ranked"].get<bool>(),
                   leaders.count(b) > 0});
  }
  return out;
}

// The line of the PDF's text that carries `label` followed by a value (a chart row), or "".
std::string chart_row(const std::string& text, const std::string& label) {
  for (auto at = text.find(label); at != std::string::npos; at = text.find(label, at + 1)) {
    const auto start = text.rfind('\n', at) + 1, end = text.find('\n', at);
    const std::string line = text.substr(start, end - start);
    if (line.find(" % \u00b7 n ") != std::string::npos) return line;
  }
  return "";
}

// End to end (issue 18 point 8): each hashtag is reported by write_reports, whose insights stage
// ranks its buckets on the videos' engagement (Mann-Whitney between neighbours, Holm) and writes
// bucket_performance_report.json; nothing is planted. In both hashtags the 0-15s and 16-30s
// videos have the same engagement distribution, so no significant step separates them: the
// report's leading tier holds both, and both client PDFs (per hashtag, and across hashtags)
// must mark both as leading, never the second as beaten. 31-60s (12 videos) is not ranked.
TEST(ClientReportChart, RankingChartsShowTheLeadingTierOfTheRealBucketReports) {
  if (!fs::exists("/usr/bin/pdftotext") || !fs::exists("/usr/bin/pdfinfo"))
    GTEST_SKIP() << "poppler-utils (pdftotext, pdfinfo) not installed";
  Fixture f;
  const std::string date = "2026-03-05";
  f.write_bucket_16_30_beta();
  report_hashtag(f.alpha, "#alpha", date, {}, {"json", "md", "pdf"});
  report_hashtag(f.beta, "#beta", date, {}, {"json", "md", "pdf"});
  ClientReportOptions o = f.options(date);
  const ClientReportSummary s = write_client_report(f.ws, "acme-drinks", o);
  ASSERT_TRUE(s.pdf);
  const std::string client = pdf_text(s.pdf->path);
  EXPECT_LE(pdf_pages(s.pdf->path), 2);
  EXPECT_FALSE(s.pdf->truncated) << s.pdf->text;
  int leading_rows = 0;
  for (const auto& [name, dir] : {std::pair<std::string, fs::path>{"#alpha", f.alpha}, {"#beta", f.beta}}) {
    const fs::path report_dir = dir / "reports" / date;
    const std::vector<WrittenRow> rows = written_ranking(report_dir);
    ASSERT_EQ(rows.size(), 3u) << name;
    const std::string own = pdf_text(report_dir / "Client_Strategy_Report.pdf");
    int leaders = 0;
    for (const auto& r : rows) {
      const std::string value = fmt::format("{:.1f} % \u00b7 n {}", r.avg_er, r.n);
      // The cross-hashtag chart: one row per hashtag and bucket.
      const std::string row = chart_row(client, name + " " + r.bucket);
      ASSERT_FALSE(row.empty()) << name << " " << r.bucket << " not charted:\n" << client;
      EXPECT_NE(row.find(value), std::string::npos) << row;
      EXPECT_EQ(row.find("leading tier") != std::string::npos, r.leading) << row;
      EXPECT_EQ(row.find("too few videos, not ranked") != std::string::npos, !r.ranked) << row;
      // The hashtag's own report: its ranking chart says the same.
      const std::string own_row = chart_row(own, r.bucket);
      leaders += r.leading;
      ASSERT_FALSE(own_row.empty()) << r.bucket << " not charted:\n" << own;
      EXPECT_NE(own_row.find(value), std::string::npos) << "the same numbers as the bucket report: " << own_row;
      if (r.leading && own_row.find("1. ") == std::string::npos) {
        EXPECT_NE(own_row.find("in the leading tier"), std::string::npos) << own_row << "\n" << own;
      }
      if (!r.leading) {
        EXPECT_EQ(own_row.find("leading tier"), std::string::npos) << own_row;
      }
    }
    EXPECT_EQ(leaders, 2) << name << ": 0-15s and 16-30s share the leading tier";
    leading_rows += leaders;
  }
  EXPECT_EQ(leading_rows, 4);
  // Kept for a look (pdftoppm -png -r 60).
  const fs::path keep = fs::temp_directory_path() / "rumi_report_pngs";
  fs::create_directories(keep);
  fs::copy_file(s.pdf->path, keep / "client_across_hashtags.pdf", fs::copy_options::overwrite_existing);
  fs::copy_file(f.alpha / "reports" / date / "Client_Strategy_Report.pdf", keep / "client_alpha.pdf",
                fs::copy_options::overwrite_existing);
  // Same inputs, same bytes: the chart changes nothing about reproducibility.
  const std::string bytes = read_file(s.pdf->path);
  write_client_report(f.ws, "acme-drinks", o);
  EXPECT_EQ(read_file(s.pdf->path), bytes);
}

// An element that is, in its bucket, the same signal as a stronger one (same_idea_as) is one
// finding: the per-hashtag findings leave it out, and a cross-hashtag element is an echo only
// when it is one in every hashtag where it is evidence-backed.
TEST(ClientView, EchoesOfAStrongerElementAreNotCountedAsFindings) {
  using client::ClientHashtag;
  auto pattern = [](const char* feature) {
    Pattern p;
    p.feature = feature;
    p.evidence = Evidence::strong;
    p.q_value = 0.001;
    return p;
  };
  auto tag = [&](const char* name, bool echo) {
    ClientHashtag h;
    h.name = name;
    BucketInputs b;
    b.bucket = Bucket::s0_15;
    b.patterns = {pattern("density.avgDensity"), pattern("density.elementCounts.text")};
    if (echo) b.same_idea_as["density.elementCounts.text"] = "density.avgDensity";
    h.in.buckets.push_back(b);
    return h;
  };
  const std::vector<ClientHashtag> both = {tag("#a", true), tag("#b", true)};
  const std::vector<ClientHashtag> one = {tag("#a", true), tag("#b", false)};
  CrossElement text{Bucket::s0_15,
                    "density.elementCounts.text",
                    {{"#a", pattern("density.elementCounts.text")}, {"#b", pattern("density.elementCounts.text")}}};
  CrossElement density{Bucket::s0_15,
                       "density.avgDensity",
                       {{"#a", pattern("density.avgDensity")}, {"#b", pattern("density.avgDensity")}}};
  EXPECT_TRUE(client::is_echo(both, text));
  EXPECT_FALSE(client::is_echo(both, density));
  EXPECT_FALSE(client::is_echo(one, text)) << "it stands on its own in #b";
  const auto findings = client::collect_findings(one);
  ASSERT_EQ(findings.size(), 3u);  // #a: the density only; #b: both
  EXPECT_EQ(findings[0].p.feature, "density.avgDensity");
  EXPECT_EQ(findings[1].hashtag, "#b");
  EXPECT_EQ(findings[2].p.feature, "density.elementCounts.text");
}

TEST(ClientReplication, RuleAndChanceFiguresMatchAHandCalculation) {
  auto p = [](std::string f, Direction d, double q) {
    Pattern x;
    x.feature = std::move(f);
    x.direction = d;
    x.q_value = q;
    return x;
  };
  using D = Direction;
  // a: significant, same direction in all three -> holds. b: reversed in #c -> does not hold.
  // c: null in #b -> does not hold. d: only in #a -> not a candidate. e: null everywhere.
  // Bucket 16-30s: a in #a only (different bucket, so not paired with 0-15s).
  const std::vector<TestedFamily> fam = {
      {"#a",
       Bucket::s0_15,
       {p("a", D::higher_is_better, 0.01), p("b", D::present_is_better, 0.02), p("c", D::lower_is_better, 0.03),
        p("d", D::higher_is_better, 0.001), p("e", D::higher_is_better, 0.5)}},
      {"#b",
       Bucket::s0_15,
       {p("a", D::higher_is_better, 0.02), p("b", D::present_is_better, 0.04), p("c", D::lower_is_better, 0.3),
        p("e", D::higher_is_better, 0.9)}},
      {"#c", Bucket::s0_15, {p("a", D::higher_is_better, 0.04), p("b", D::absent_is_better, 0.01)}},
      {"#a", Bucket::s16_30, {p("a", D::higher_is_better, 0.001)}},
  };
  const ReplicationResult r = find_replications(fam);
  EXPECT_EQ(r.hashtags, 3);
  EXPECT_EQ(r.families, 4);
  EXPECT_EQ(r.tests, 5 + 4 + 2 + 1);
  // Candidates: a (k=3), b (k=3), c (k=2), e (k=2).
  EXPECT_EQ(r.candidates, 4);
  EXPECT_NEAR(r.expected_by_chance, 2 * std::pow(0.025, 3) * 2 + 2 * std::pow(0.025, 2) * 2, 1e-15);
  EXPECT_NEAR(r.expected_by_chance, 0.0025625, 1e-12);
  ASSERT_EQ(r.holds.size(), 1u);
  EXPECT_EQ(r.holds[0].feature, "a");
  EXPECT_EQ(r.holds[0].tests.size(), 3u);
  // 2 * (0.01/2) * (0.02/2) * (0.04/2) = 2e-6; times 4 candidates = 8e-6.
  EXPECT_NEAR(r.holds[0].chance_bound, 2e-6, 1e-18);
  EXPECT_NEAR(r.holds[0].corrected, 8e-6, 1e-18);
  ASSERT_EQ(r.does_not_hold.size(), 2u);
  EXPECT_EQ(r.does_not_hold[0].feature, "b");
  EXPECT_EQ(r.does_not_hold[1].feature, "c");
  // The corrected bound is capped at 1.
  const ReplicationResult weak = find_replications({{"#a", Bucket::s0_15, {p("a", D::higher_is_better, 0.049)}},
                                                    {"#b", Bucket::s0_15, {p("a", D::higher_is_better, 0.049)}}});
  ASSERT_EQ(weak.holds.size(), 1u);
  EXPECT_NEAR(weak.holds[0].corrected, 2 * 0.0245 * 0.0245, 1e-15);
  EXPECT_TRUE(significant(p("x", D::higher_is_better, 0.0499)));
  EXPECT_FALSE(significant(p("x", D::higher_is_better, 0.05)));
  EXPECT_FALSE(significant(p("x", D::higher_is_better, std::nan(""))));
}

TEST(ClientReport, HoldsAcrossDoesNotHoldChanceStatementReadablePdf) {
  Fixture f;
  const ClientReportSummary s = write_client_report(f.ws, "acme-drinks", f.options("2026-03-01"));
  EXPECT_EQ(s.dir, f.ws.client_dir("acme-drinks") / "client_reports" / "2026-03-01");
  EXPECT_EQ(s.hashtags_reported, (std::vector<std::string>{"#alpha", "#beta"}));
  EXPECT_EQ(s.holds_across, 1);
  EXPECT_EQ(s.does_not_hold, 1);
  // Candidates: the three 0-15s elements tested in both; 31-60s was not tested (12 videos).
  EXPECT_EQ(s.candidates, 3);
  EXPECT_NEAR(s.expected_by_chance, 3 * 2 * 0.025 * 0.025, 1e-12);  // 0.00375

  const Json j = read_json_file(s.dir / "client_summary.json");
  ASSERT_EQ(j["holds_across"].size(), 1u);
  EXPECT_EQ(j["holds_across"][0]["feature"], "overlay.timeToFirstOverlay");
  EXPECT_EQ(j["holds_across"][0]["bucket"], "0-15s");
  // 2 * (0.002 / 2) * (0.004 / 2) = 4e-6; over 3 candidates 1.2e-5.
  EXPECT_NEAR(j["holds_across"][0]["chance_bound"].get<double>(), 4e-6, 1e-15);
  EXPECT_NEAR(j["holds_across"][0]["chance_bound_corrected"].get<double>(), 1.2e-5, 1e-15);
  ASSERT_EQ(j["does_not_hold"].size(), 1u);
  EXPECT_EQ(j["does_not_hold"][0]["feature"], "density.avgDensity");
  EXPECT_EQ(j["replication"]["candidates"], 3);
  EXPECT_EQ(j["replication"]["tests"], 7);
  EXPECT_EQ(j["replication"]["families"], 3);
  EXPECT_EQ(j["findings"].size(), 4u);  // first text in both, density in #alpha, the 16-30s hook in #alpha
  EXPECT_EQ(j["budget_mix"].size(), 2u) << "31-60s is not ranked in either hashtag";

  const std::string md = read_file(s.dir / "Client_Report.md");
  const auto holds = md.find("## What holds across hashtags"), not_hold = md.find("## What does not hold"),
             mix = md.find("## Duration budget mix");
  ASSERT_NE(holds, std::string::npos);
  ASSERT_NE(not_hold, std::string::npos);
  ASSERT_NE(mix, std::string::npos);
  const std::string holds_md = md.substr(holds, not_hold - holds), not_md = md.substr(not_hold, mix - not_hold);
  EXPECT_NE(holds_md.find("Videos that show the first on-screen text sooner had more engagement in every hashtag"),
            std::string::npos)
      << holds_md;
  EXPECT_EQ(holds_md.find("visual density"), std::string::npos) << holds_md;
  EXPECT_NE(holds_md.find("We checked 3 such elements"), std::string::npos) << holds_md;
  EXPECT_NE(holds_md.find("fewer than one would be expected to pass by chance (on average 0.00375). 1 passed."),
            std::string::npos)
      << holds_md;
  EXPECT_NE(holds_md.find("Chance of this by luck alone: at most 1 in 83,000."), std::string::npos) << holds_md;
  EXPECT_NE(holds_md.find("#alpha engagement lift +90 %"), std::string::npos) << holds_md;
  EXPECT_NE(not_md.find("#beta: no clear difference (q 0.6)"), std::string::npos) << not_md;
  EXPECT_NE(not_md.find("#alpha engagement lift +70 % (MODERATE"), std::string::npos) << not_md;
  EXPECT_EQ(not_md.find("first on-screen text"), std::string::npos) << not_md;
  EXPECT_NE(md.find("Not ranked, too few videos: 31-60s (12 videos)"), std::string::npos) << md;
  EXPECT_NE(md.find("Weeks 1-2: Billo test of"), std::string::npos) << md;
  EXPECT_NE(md.find("This is the first client report for these hashtags."), std::string::npos);
  EXPECT_NE(md.find("Confidential. Prepared by RumiAI for Acme Drinks"), std::string::npos);
  // Each finding once: what holds across and what does not are not repeated among the
  // per-hashtag findings; the 16-30s hook (tested in #alpha only) is there.
  const std::string top_md = md.substr(md.find("## Top findings"));
  EXPECT_EQ(top_md.find("first on-screen text"), std::string::npos) << top_md;
  EXPECT_EQ(top_md.find("#alpha 0-15s"), std::string::npos) << top_md;
  EXPECT_NE(top_md.find("#alpha 16-30s (STRONG): Videos that "), std::string::npos) << top_md;
  EXPECT_NE(s.pdf->text.find("#alpha 16-30s (STRONG): Videos that "), std::string::npos) << s.pdf->text;

  ASSERT_TRUE(s.pdf);
  EXPECT_FALSE(s.pdf->truncated);
  if (fs::exists("/usr/bin/pdfinfo")) {
    EXPECT_EQ(pdf_pages(s.pdf->path), s.pdf->pages);
  } else {
    std::printf("pdfinfo (poppler-utils) not installed: page count taken from the layout only\n");
  }
  EXPECT_LE(s.pdf->pages, 2);
  for (const auto& [label, text] : {std::pair<std::string, std::string>{"pdf", s.pdf->text}, {"md", md}}) {
    const Readability r = measure_readability(text);
    std::printf("client report %s: Flesch %.1f (%d words, %d sentences)\n", label.c_str(), r.flesch, r.words,
                r.sentences);
    EXPECT_GE(r.flesch, 45) << label << ":\n" << text;
    EXPECT_GT(r.words, 150) << label;
  }

  // The client dashboard: rendered from the same lines, every link resolves.
  const std::string html = read_file(s.dir / "index.html");
  EXPECT_NE(html.find("Videos that show the first on-screen text sooner had more engagement in every hashtag"),
            std::string::npos);
  int links = 0;
  for (auto at = html.find("href=\""); at != std::string::npos; at = html.find("href=\"", at + 1)) {
    const auto end = html.find('"', at + 6);
    const std::string href = html.substr(at + 6, end - at - 6);
    if (href.rfind('#', 0) == 0) continue;
    ++links;
    EXPECT_TRUE(fs::exists(s.dir / href)) << href;
  }
  EXPECT_GE(links, 3) << html;  // the client files (the hashtag reports here are json and md only)

  // A re-run, after a pause long enough for a clock stamp to change: the same bytes.
  const std::string pdf = read_file(s.dir / "Client_Report.pdf"), summary = read_file(s.dir / "client_summary.json");
  EXPECT_NE(pdf.find("/CreationDate (20260301000000Z)"), std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  write_client_report(f.ws, "acme-drinks", f.options("2026-03-01"));
  EXPECT_EQ(read_file(s.dir / "Client_Report.pdf"), pdf);
  EXPECT_EQ(read_file(s.dir / "client_summary.json"), summary);
  EXPECT_EQ(read_file(s.dir / "Client_Report.md"), md);
  EXPECT_EQ(read_file(s.dir / "index.html"), html);
}

// Set RUMI_READABILITY_CLIENT=<workspace>:<client slug>:<date> to measure a real client report
// (e.g. the demo's after `rumi report CLIENT`).
TEST(ClientReport, ReadabilityOfARealWorkspace) {
  const char* env = std::getenv("RUMI_READABILITY_CLIENT");
  if (!env || !*env) GTEST_SKIP() << "RUMI_READABILITY_CLIENT not set";
  const std::string v = env;
  const auto a = v.find(':'), b = v.rfind(':');
  ASSERT_TRUE(a != std::string::npos && b != a) << "expected <workspace>:<client slug>:<date>";
  ClientReportOptions o;
  o.date = v.substr(b + 1);
  o.formats = {"pdf"};
  const ClientReportSummary s = write_client_report(Workspace(v.substr(0, a)), v.substr(a + 1, b - a - 1), o);
  ASSERT_TRUE(s.pdf);
  for (const auto& [label, text] : {std::pair<std::string, std::string>{"pdf", s.pdf->text}, {"md", s.markdown}}) {
    const Readability r = measure_readability(text);
    std::printf("%s %s: Flesch %.1f (%d words, %d sentences), %d pages%s\n", v.c_str(), label.c_str(), r.flesch,
                r.words, r.sentences, s.pdf->pages, s.pdf->truncated ? " (cut)" : "");
    EXPECT_GE(r.flesch, 45) << label;
  }
  EXPECT_LE(s.pdf->pages, 2);
}

TEST(ClientReport, WhatChangedAfterAFindingIsRemoved) {
  Fixture f;
  const ClientReportSummary first = write_client_report(f.ws, "acme-drinks", f.options("2026-03-01"));
  EXPECT_TRUE(first.previous_date.empty());
  EXPECT_FALSE(fs::exists(first.dir / "previous_client_summary.json"));
  // A month later #alpha no longer finds the visual density.
  f.write_alpha(false);
  report_hashtag(f.alpha, "#alpha", "2026-04-01");
  const ClientReportSummary second = write_client_report(f.ws, "acme-drinks", f.options("2026-04-01"));
  EXPECT_EQ(second.previous_date, "2026-03-01");
  EXPECT_EQ(read_json_file(second.dir / "previous_client_summary.json"),
            read_json_file(first.dir / "client_summary.json"));
  EXPECT_EQ(second.does_not_hold, 0);
  const std::string md = second.markdown;
  const auto at = md.find("## What changed since the previous run");
  ASSERT_NE(at, std::string::npos);
  const std::string changed = md.substr(at, md.find("## Top findings") - at);
  EXPECT_NE(changed.find("Compared with the client report of 2026-03-01:"), std::string::npos) << changed;
  EXPECT_NE(changed.find("No longer found: #alpha 0-15s: "), std::string::npos) << changed;
  EXPECT_NE(changed.find("(was MODERATE)"), std::string::npos) << changed;
  EXPECT_EQ(changed.find("New finding"), std::string::npos) << changed;
  EXPECT_EQ(changed.find("#beta"), std::string::npos) << changed;  // nothing changed there
  // #beta's report is still of March: the scope says which report each hashtag comes from.
  EXPECT_NE(md.find("#beta: 72 videos"), std::string::npos) << md;
  EXPECT_NE(md.find("Report of 2026-03-01."), std::string::npos) << md;
  EXPECT_NE(md.find("Report of 2026-04-01."), std::string::npos) << md;
}

// The Billo validation state as the hashtag reports wrote it: a rejected pattern leaves the
// findings and the cross-hashtag view, a proven strategy is ready for affiliates, an
// inconclusive one is tested again.
TEST(ClientReport, ValidationStateFromTheHashtagReports) {
  Fixture f;
  report_hashtag(f.alpha, "#alpha", "2026-03-02",
                 {{"overlay.timeToFirstOverlay", {"proven", "validated in 2 controlled tests: +41 %", ""}},
                  {"density.avgDensity", {"rejected", "rejected in 1 controlled test", ""}}});
  report_hashtag(f.beta, "#beta", "2026-03-02",
                 {{"overlay.timeToFirstOverlay", {"inconclusive", "tested in 1 controlled test: inconclusive", ""}}});
  const ClientReportSummary s = write_client_report(f.ws, "acme-drinks", f.options("2026-03-02"));
  EXPECT_EQ(s.findings, 3);  // first text in both, the 16-30s hook in #alpha
  EXPECT_EQ(s.candidates, 2) << "the rejected density no longer counts as tested in #alpha";
  EXPECT_EQ(s.does_not_hold, 0);
  EXPECT_EQ(s.holds_across, 1);
  const std::string& md = s.markdown;
  EXPECT_NE(md.find("#alpha engagement lift +90 % (STRONG \u00b7 validated in 2 controlled tests: +41 %;"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Proven by Billo tests: \u201c"), std::string::npos) << md;
  EXPECT_NE(md.find("for #alpha. Brief affiliates with it."), std::string::npos) << md;
  const auto road = md.find("## Testing roadmap");
  const std::string roadmap = md.substr(road, md.find("## What changed") - road);
  EXPECT_NE(roadmap.find("Weeks 1-2: Test again \u201c"), std::string::npos) << roadmap;
  EXPECT_NE(roadmap.find("for #beta (STRONG, holds across hashtags)"), std::string::npos) << roadmap;
  EXPECT_NE(roadmap.find("The last test was not clear."), std::string::npos) << roadmap;
  // Untested first (the 16-30s hook of #alpha), then the retest; the proven one is not tested again.
  const Json j = read_json_file(s.dir / "client_summary.json");
  ASSERT_EQ(j["roadmap"].size(), 2u);
  EXPECT_EQ(j["roadmap"][0]["hashtag"], "#alpha");
  EXPECT_EQ(j["roadmap"][0]["bucket"], "16-30s");
  EXPECT_FALSE(j["roadmap"][0]["retest"].get<bool>());
  EXPECT_EQ(j["roadmap"][1]["hashtag"], "#beta");
  EXPECT_TRUE(j["roadmap"][1]["retest"].get<bool>());
  EXPECT_EQ(j["roadmap"][1]["week_start"], 1);
  for (const auto& x : j["findings"]) EXPECT_NE(x["feature"], "density.avgDensity");
}

TEST(ClientReport, SummaryChangesNameLabelsAndReplications) {
  const Json before{{"hashtags", {{{"name", "#a"}, {"reported", true}}, {{"name", "#b"}, {"reported", true}}}},
                    {"findings",
                     {{{"hashtag", "#a"},
                       {"bucket", "0-15s"},
                       {"feature", "x"},
                       {"subject", "x words"},
                       {"evidence", "MODERATE"},
                       {"direction", "higher_is_better"}},
                      {{"hashtag", "#b"},
                       {"bucket", "0-15s"},
                       {"feature", "y"},
                       {"subject", "y words"},
                       {"evidence", "STRONG"},
                       {"direction", "higher_is_better"}}}},
                    {"holds_across", {{{"bucket", "0-15s"}, {"feature", "x"}, {"subject", "x words"}}}}};
  const Json after{{"hashtags", {{{"name", "#a"}, {"reported", true}}, {{"name", "#c"}, {"reported", true}}}},
                   {"findings",
                    {{{"hashtag", "#a"},
                      {"bucket", "0-15s"},
                      {"feature", "x"},
                      {"subject", "x words"},
                      {"evidence", "STRONG"},
                      {"direction", "higher_is_better"}},
                     {{"hashtag", "#a"},
                      {"bucket", "16-30s"},
                      {"feature", "z"},
                      {"subject", "z words"},
                      {"evidence", "MODERATE"},
                      {"direction", "lower_is_better"}},
                     {{"hashtag", "#c"},
                      {"bucket", "0-15s"},
                      {"feature", "w"},
                      {"subject", "w words"},
                      {"evidence", "STRONG"},
                      {"direction", "higher_is_better"}}}},
                   {"holds_across", Json::array()}};
  const auto c = client_summary_changes(before, after);
  const std::vector<std::string> want = {"#c is new in this report; its findings are not compared.",
                                         "#b was in the previous report and is not in this one.",
                                         "Label changed: #a 0-15s: x words was MODERATE, now STRONG.",
                                         "New finding: #a 16-30s: z words (MODERATE).",
                                         "No longer holds across hashtags: 0-15s: x words."};
  EXPECT_EQ(c, want);
  EXPECT_TRUE(client_summary_changes(after, after).empty());
}

TEST(ClientReport, ClientWithoutReportedHashtagsIsAUsageError) {
  test::TempDir tmp;
  Workspace ws(tmp.path() / "ws");
  ClientReportOptions o;
  o.date = "2026-03-01";
  EXPECT_THROW(write_client_report(ws, "nobody", o), UsageError);
  // A hashtag with analysis files but no report yet does not count.
  write_bucket(ws.hashtag_dir("acme", "alpha"), "0-15s", 82, {first_text(0.002)});
  try {
    write_client_report(ws, "acme", o);
    ADD_FAILURE() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("no reported hashtags"), std::string::npos) << e.what();
  }
  o.date = "2026-3-1";
  EXPECT_THROW(write_client_report(ws, "acme", o), UsageError);
}

}  // namespace
}  // namespace rumi::report
