// The report stage end to end on synthetic stage outputs: every artifact is written, PDFs stay
// within 2 pages (pdfinfo) and carry the key numbers as real text (pdftotext), every number in
// the Markdown traces to an input value, and thin / non-significant data is reported honestly.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>
#include <cmath>
#include <regex>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "report/pdf_document.h"
#include "report/qr_code.h"
#include "report/sample_size.h"
#include "report/shot_list.h"
#include "report/strategies.h"
#include "report/wording.h"
#include "report/write_reports.h"
#include "report_fixtures.h"
#include "support/test_support.h"

namespace rumi {
namespace {

namespace fs = std::filesystem;

report::ReportOptions options() {
  report::ReportOptions o;
  o.date = "2026-01-13";
  o.client = "Stateside Grower";
  o.hashtag = "#nutrition";
  return o;
}

// Strategy 1 of the standard fixture (16-30s: speech rate + music energy + caption length) proven,
// strategy 2 (0-15s: text hook + overlay density + first CTA position) rejected.
report::PatternValidations tested_validations() {
  report::PatternValidations v;
  for (const char* f : {"fixture.speech_rate", "fixture.music_energy", "fixture.caption_len"})
    v[f] = {"proven", "validated in 2 controlled tests: +38 %", ""};
  for (const char* f : {"fixture.text_hook_3s", "fixture.overlay_density", "fixture.first_cta_pos"})
    v[f] = {"rejected", "rejected in 1 controlled test: +3 %", ""};
  return v;
}

int pdf_pages(const fs::path& pdf) {
  auto r = test::run_program({"/usr/bin/pdfinfo", pdf.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  static const std::regex re(R"(Pages:\s+(\d+))");
  if (!std::regex_search(r.out, m, re)) return -1;
  return std::stoi(m[1]);
}

std::string pdf_text(const fs::path& pdf) {
  auto r = test::run_program({"/usr/bin/pdftotext", "-layout", pdf.string(), "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

std::vector<fs::path> files_with_ext(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Report, WritesEveryArtifactForAStandardHashtag) {
  test::TempDir dir;
  test::write_standard_fixture(dir.path());
  const auto sum = report::write_reports(dir.path(), options());
  const fs::path out = dir.path() / "reports" / "2026-01-13";
  EXPECT_EQ(sum.dir, out);
  EXPECT_EQ(sum.buckets, 3);
  // 7 STRONG/MODERATE patterns, 2 of them (scene changes, caption length) with a negative lift on
  // held-out videos -> 5 strategies; the 4 EMERGING ones are hypotheses, never padding.
  EXPECT_EQ(sum.strategies, 5);
  EXPECT_NE(sum.strategy_shortfall.find("Only 5 evidence-backed findings"), std::string::npos)
      << sum.strategy_shortfall;
  EXPECT_NE(sum.strategy_shortfall.find("2 evidence-backed findings did not hold up on held-out videos"),
            std::string::npos)
      << sum.strategy_shortfall;
  EXPECT_NE(sum.strategy_shortfall.find("4 hypotheses to test"), std::string::npos) << sum.strategy_shortfall;
  for (const char* b : {"0-15s", "16-30s", "31-60s"}) {
    EXPECT_TRUE(fs::exists(out / fmt::format("creative_guide_{}.json", b)));
    EXPECT_TRUE(fs::exists(out / fmt::format("creative_guide_{}.md", b)));
  }
  for (int i = 1; i <= 5; ++i) {
    EXPECT_TRUE(fs::exists(out / "strategies" / fmt::format("strategy_{:02d}.json", i)));
    EXPECT_TRUE(fs::exists(out / "strategies" / fmt::format("strategy_{:02d}.md", i)));
    EXPECT_TRUE(fs::exists(out / fmt::format("Billo_Creative_Brief_strategy_{:02d}.pdf", i)));
    // Nothing is validated by Billo tests yet, so nothing goes to affiliates.
    EXPECT_FALSE(fs::exists(out / fmt::format("Affiliate_Creative_Brief_strategy_{:02d}.pdf", i)));
  }
  EXPECT_FALSE(fs::exists(out / "strategies" / "strategy_06.json"));
  EXPECT_FALSE(fs::exists(out / "Billo_Creative_Brief_strategy_06.pdf"));
  EXPECT_TRUE(fs::exists(out / "Client_Strategy_Report.pdf"));
  EXPECT_EQ(sum.pdfs.size(), 6u);
  EXPECT_EQ(sum.affiliate_briefs, 0);
  const Json strategy_index = read_json_file(out / "strategies" / "index.json");
  EXPECT_EQ(strategy_index["affiliate_briefs"], 0);
  // The two held-out failures are listed with their reason; every strategy carries its theme.
  ASSERT_EQ(strategy_index["held_back"].size(), 2u);
  for (const auto& h : strategy_index["held_back"])
    EXPECT_EQ(h["reason"], "did not hold up on held-out videos") << h.dump();
  for (const auto& s : strategy_index["strategies"]) EXPECT_FALSE(s["theme"].get<std::string>().empty()) << s.dump();
  EXPECT_NE(strategy_index["affiliate_briefs_note"].get<std::string>().find("validated by Billo tests"),
            std::string::npos);

  // Best evidence first: STRONG strategies before MODERATE, mixed formats, no EMERGING anywhere.
  std::set<std::string> formats;
  int last_rank = 0;
  for (int i = 1; i <= 5; ++i) {
    Json s = read_json_file(out / "strategies" / fmt::format("strategy_{:02d}.json", i));
    const std::string ev = s["evidence"];
    ASSERT_TRUE(ev == "STRONG" || ev == "MODERATE") << ev;
    const int rank = ev == "STRONG" ? 0 : 1;
    EXPECT_GE(rank, last_rank);
    last_rank = rank;
    formats.insert(s["report_format"].get<std::string>());
    EXPECT_EQ(s["test_plan"]["test_videos"], 3);
    EXPECT_EQ(s["test_plan"]["control_videos"], 2);
    EXPECT_FALSE(s["patterns"].empty());
    for (const auto& p : s["patterns"]) EXPECT_NE(p["evidence"], "EMERGING") << "strategy " << i;
    EXPECT_FALSE(s["exploratory_test"].get<bool>());  // 82 and 45 videos: not exploratory buckets
  }
  EXPECT_EQ(formats.size(), 3u);  // recipe, pattern, test and control; the narrative arc is strategy 10
  Json first = read_json_file(out / "strategies" / "strategy_01.json");
  EXPECT_EQ(first["patterns"][0]["feature"], "fixture.speech_rate");  // STRONG, lowest q
  EXPECT_EQ(first["target_bucket"], "16-30s");

  // Guide: sections, avoid list from lower_is_better, decision rules, timing from _pos.
  Json g = read_json_file(out / "creative_guide_0-15s.json");
  EXPECT_EQ(g["status"], "ok");
  // The fixture's only "avoid" element (fewer scene changes) did not hold up on held-out videos
  // (lift -22 %): the guide does not advise it and lists it to learn next, with the reason.
  EXPECT_TRUE(g["avoid"].empty());
  ASSERT_EQ(g["learn_next"]["held_back"].size(), 1u);
  EXPECT_EQ(g["learn_next"]["held_back"][0]["feature"], "fixture.scene_changes");
  EXPECT_EQ(g["learn_next"]["held_back"][0]["reason"], "did not hold up on held-out videos");
  EXPECT_FALSE(g.contains("decision_rules"));  // not validated: analyst appendix only
  EXPECT_EQ(g["analyst_appendix"], "analyst_appendix.md");
  ASSERT_EQ(g["structure"].size(), 3u);
  EXPECT_EQ(g["structure"][0]["section"], "hook");
  EXPECT_EQ(g["structure"][0]["elements"].size(), 1u);  // text in the first 3 seconds
  // Planned for the same 12-second video as the Billo briefs (shot_list.h), not the bucket's 15 s.
  EXPECT_EQ(g["planned_length_s"], 12.0);
  EXPECT_EQ(g["structure"][2]["to_s"], 12.0);
  const std::string md = read_file(out / "creative_guide_0-15s.md");
  EXPECT_NE(md.find("What works in up to 15-second #nutrition videos"), std::string::npos);
  EXPECT_NE(md.find("Timings for a 12-second video"), std::string::npos) << md;
  EXPECT_NE(md.find("around second 10"), std::string::npos) << md;  // 0.8 * 12
  // "+34 %" is the engagement lift, with its range, its meaning and the prevalence.
  EXPECT_NE(md.find("Engagement lift +34 % (95 % range +12 % to +56 %)"), std::string::npos) << md;
  EXPECT_NE(md.find("1.3x the engagement rate of the others (median 5.4 % vs 4.0 %)"), std::string::npos) << md;
  EXPECT_NE(md.find("6 of 9 top videos and 20 of 73 others do it"), std::string::npos) << md;
  EXPECT_NE(md.find("measured on held-out videos"), std::string::npos) << md;
  EXPECT_EQ(md.find("significant; EMERGING"), std::string::npos) << md;
  EXPECT_EQ(md.find("fixture."), std::string::npos) << "raw feature names leak into human text:\n" << md;
  EXPECT_EQ(md.find("Decision rules"), std::string::npos) << md;
  EXPECT_NE(md.find("analyst appendix"), std::string::npos) << md;
  const std::string appendix = read_file(out / "analyst_appendix.md");
  EXPECT_NE(appendix.find("not validated"), std::string::npos) << appendix;
  EXPECT_NE(appendix.find("> 0.42 then ER 6.1"), std::string::npos) << appendix;  // numbers as training wrote them
  EXPECT_NE(appendix.find("p 0.01"), std::string::npos) << appendix;
  const std::string low = read_file(out / "creative_guide_31-60s.md");
  EXPECT_NE(low.find("INSUFFICIENT DATA"), std::string::npos);
  EXPECT_NE(low.find("Collect more videos"), std::string::npos);

  // index.html links every guide, strategy and PDF with relative links.
  const std::string html = read_file(out / "index.html");
  EXPECT_NE(html.find("href=\"Client_Strategy_Report.pdf\""), std::string::npos);
  EXPECT_NE(html.find("href=\"strategies/strategy_05.md\""), std::string::npos);
  EXPECT_NE(html.find("href=\"analyst_appendix.md\""), std::string::npos);
  EXPECT_NE(html.find("href=\"what_to_learn_next.md\""), std::string::npos);
  EXPECT_NE(html.find("href=\"creative_guide_31-60s.md\""), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // self-contained
  EXPECT_NE(html.find("affiliate briefs follow once a strategy is validated by Billo tests"), std::string::npos);
  const std::string client = pdf_text(out / "Client_Strategy_Report.pdf");
  EXPECT_NE(client.find("affiliate briefs follow once a strategy is validated by Billo tests"), std::string::npos)
      << client;
}

TEST(Report, PdfsHaveAtMostTwoPagesRealTextAndKeyNumbers) {
  test::TempDir dir;
  test::write_standard_fixture(dir.path());
  auto opt = options();
  for (const char* f : {"fixture.speech_rate", "fixture.music_energy", "fixture.caption_len"})
    opt.validations[f] = {"proven", "validated in 2 controlled tests: +38 %", ""};
  const auto sum = report::write_reports(dir.path(), opt);
  for (const auto& p : sum.pdfs) {
    const int pages = pdf_pages(p.path);
    EXPECT_GE(pages, 1) << p.path;
    EXPECT_LE(pages, 2) << p.path;
    EXPECT_EQ(pages, p.pages) << p.path;
    // Every sentence drawn whole: sections keep to their budgets instead of ending in "...".
    for (const auto& t : p.cut_short) ADD_FAILURE() << p.path.filename() << " cuts short: " << t;
  }
  const fs::path out = sum.dir;
  const std::string client = pdf_text(out / "Client_Strategy_Report.pdf");
  for (const char* needle : {"Stateside Grower", "#nutrition", "2026-01-13", "+34 %", "+12 %", "+56 %", "0.000123",
                             "0.00231", "0.82", "n 82", "5.4 %", "4.1 %", "Testing roadmap", "0-15s", "16-30s",
                             "insufficient data", "Billo", "validated in 2 controlled tests"})
    EXPECT_NE(client.find(needle), std::string::npos) << needle << "\n" << client;
  const std::string billo = pdf_text(out / "Billo_Creative_Brief_strategy_01.pdf");
  for (const char* needle : {"Creator Brief", "+41 %", "3 test videos", "2 control videos", "Strong evidence", "0-3 s",
                             "validated in 2 controlled tests: +38 %"})
    EXPECT_NE(billo.find(needle), std::string::npos) << needle << "\n" << billo;
  EXPECT_EQ(billo.find("p 0.0"), std::string::npos) << "creators get no p-values";
  const std::string aff = pdf_text(out / "Affiliate_Creative_Brief_strategy_01.pdf");
  EXPECT_NE(aff.find("Make it yours"), std::string::npos);
  EXPECT_NE(aff.find("tiktok.com"), std::string::npos);  // example link next to the QR code

  auto fonts = test::run_program({"/usr/bin/pdffonts", (out / "Client_Strategy_Report.pdf").string()});
  EXPECT_NE(fonts.out.find("DejaVuSans"), std::string::npos) << fonts.out;
  EXPECT_NE(fonts.out.find(" yes "), std::string::npos) << "fonts must be embedded:\n" << fonts.out;

  // Rasterise for a look (kept in /tmp for the reviewer) and check the page image is not blank.
  const fs::path png_dir = fs::temp_directory_path() / "rumi_report_pngs";
  fs::create_directories(png_dir);
  for (const char* name : {"Client_Strategy_Report", "Billo_Creative_Brief_strategy_01"}) {
    auto r = test::run_program({"/usr/bin/pdftoppm", "-r", "50", "-png", (out / (std::string(name) + ".pdf")).string(),
                                (png_dir / name).string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_FALSE(files_with_ext(png_dir, ".png").empty());
}

TEST(Report, QrCodeEncodesUrlsAndRefusesGarbage) {
  auto qr = report::encode_qr("https://www.tiktok.com/@user/video/7428757192624311594");
  EXPECT_GE(qr.size, 21);
  EXPECT_EQ((qr.size - 17) % 4, 0);  // QR versions are 17 + 4v modules wide
  EXPECT_EQ(qr.dark.size(), static_cast<std::size_t>(qr.size * qr.size));
  EXPECT_TRUE(qr.dark[0]);  // finder pattern corner
  EXPECT_TRUE(report::encode_qr("").empty());
}

// Every number a person reads in the Markdown comes from the input files after the documented
// rounding (src/report/wording.h), from phrase / rule text in the inputs, or from the fixed test
// plan (3 test + 2 control), sample-size thresholds (20, 30), bucket bounds and strategy ranks.
std::set<std::string> traceable_numbers(const fs::path& hashtag_dir) {
  std::set<std::string> ok;
  auto add_numbers_in = [&](const std::string& text) {
    static const std::regex num(R"(\d+(?:\.\d+)?(?:e-?\d+)?)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), num); it != std::sregex_iterator(); ++it)
      ok.insert(it->str());
  };
  auto pct = [](double f) { return fmt::format("{:.0f}", std::fabs(std::round(f * 100.0))); };
  for (int i = 0; i <= 10; ++i) ok.insert(std::to_string(i));  // ranks, counts of strategies
  for (const char* c : {"20", "30", "15", "16", "31", "60", "61", "90", "91", "120", "40", "80"}) ok.insert(c);
  // The hook / body / CTA bounds of the shot list and the guides (report/shot_list.h).
  for (Bucket b : kAllBuckets)
    for (double len : {report::planned_length_s(b), bucket_max_seconds(b)}) {
      const auto f = report::shot_frame(len);
      for (double v : {len, f.hook_end, f.cta_from}) ok.insert(fmt::format("{:.0f}", v));
    }
  // The evidence thresholds (q 0.05 / 0.20), the 95 % ranges and the sample-size rule's constants
  // (rho 0.3, 80 % power = z(0.8), alpha 0.05, "+ 3", "2m").
  for (const char* c : {"0.05", "0.20", "95", "0.3", "0.8"}) ok.insert(c);
  ok.insert(std::to_string(report::planned_lift_percent()));  // the pilot's pointer to the sized test
  ok.insert(std::to_string(report::typical_videos_per_arm()));
  int largest_family = 0;
  for (const auto& e : fs::recursive_directory_iterator(hashtag_dir))
    if (e.path().filename().string().rfind("patterns_", 0) == 0)
      largest_family = std::max(largest_family, read_json_file(e.path())["family"]["size"].get<int>());
  for (const auto& e : fs::recursive_directory_iterator(hashtag_dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("patterns_", 0) == 0) {
      const Json j = read_json_file(e.path());
      ok.insert(std::to_string(j["sample_size"].get<int>()));
      const int family = j["family"]["size"].get<int>();
      ok.insert(std::to_string(family));
      ok.insert(std::to_string(report::videos_to_detect(family > 0 ? family : largest_family)));
      const double max_s = j["bucket"] == "0-15s" ? 15 : j["bucket"] == "16-30s" ? 30 : 60;
      for (const auto& p : j["patterns"]) {
        add_numbers_in(p["phrase"]);
        ok.insert(pct(p["lift"]));
        ok.insert(pct(p["ci95"][0]));
        ok.insert(pct(p["ci95"][1]));
        ok.insert(fmt::format("{:.3g}", p["p_value"].get<double>()));
        ok.insert(fmt::format("{:.3g}", p["q_value"].get<double>()));
        ok.insert(fmt::format("{:.2f}", std::fabs(p["effect_size"].get<double>())));
        ok.insert(std::to_string(p["top_count"].get<int>()));
        ok.insert(std::to_string(std::lround(p["top_prevalence"].get<double>() * p["top_count"].get<int>())));
        for (const char* k : {"top_showing", "rest_count", "rest_showing"}) ok.insert(std::to_string(p[k].get<int>()));
        ok.insert(fmt::format("{:.1f}", p["er_favoured"].get<double>()));
        ok.insert(fmt::format("{:.1f}", p["er_others"].get<double>()));
        ok.insert(fmt::format("{:.0f}", std::round(p["top_mean"].get<double>() * max_s)));
        ok.insert(fmt::format("{:.0f}", std::round(p["rest_mean"].get<double>() * max_s)));
        // Presence findings give the shares that have it, from the prevalence counts.
        for (const auto& [showing, count] :
             {std::pair{"top_showing", "top_count"}, std::pair{"rest_showing", "rest_count"}}) {
          const double share = p[showing].get<double>() / std::max(1, p[count].get<int>());
          ok.insert(fmt::format("{:.0f}", std::round(share * 100)));
          ok.insert(fmt::format("{:.0f}", std::round((1 - share) * 100)));
        }
        // Typical values in the element's unit (fixture columns have none: two decimals, or % for presence).
        for (const char* k : {"top_median", "rest_median"}) {
          ok.insert(fmt::format("{:.2f}", p[k].get<double>()));
          ok.insert(fmt::format("{:.0f}", std::round(p[k].get<double>() * 100)));
        }
      }
    } else if (name == "performance_metrics.json") {
      const Json j = read_json_file(e.path());
      ok.insert(fmt::format("{:.1f}", j["avg_engagement"].get<double>()));
      ok.insert(fmt::format("{:.1f}", j["median_engagement"].get<double>()));
      ok.insert(std::to_string(j["sample_size"].get<int>()));
      if (j["cv_r2"].is_number()) ok.insert(fmt::format("{:.2f}", j["cv_r2"].get<double>()));
    } else if (name.rfind("model_", 0) == 0) {
      const Json model = read_json_file(e.path());
      for (const auto& r : model["models"]["decision_tree"]["rules"]) add_numbers_in(r["text"].get<std::string>());
    }
  }
  return ok;
}

void expect_markdown_numbers_traceable(const fs::path& hashtag_dir, const fs::path& out,
                                       const report::PatternValidations& validations = {}) {
  auto ok = traceable_numbers(hashtag_dir);
  static const std::regex phrase_num(R"(\d+(?:\.\d+)?)");
  for (const auto& [feature, v] : validations)
    for (auto it = std::sregex_iterator(v.phrase.begin(), v.phrase.end(), phrase_num); it != std::sregex_iterator();
         ++it)
      ok.insert(it->str());
  static const std::regex url(R"(https?://\S+)");
  static const std::regex num(R"(\d+(?:\.\d+)?(?:e-?\d+)?)");
  int checked = 0;
  for (const auto& md : files_with_ext(out, ".md")) {
    const std::string n = md.filename().string();
    if (n.rfind("creative_guide_", 0) != 0 && n.rfind("strategy_", 0) != 0) continue;
    const std::string text = std::regex_replace(read_file(md), url, "");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), num); it != std::sregex_iterator(); ++it) {
      ++checked;
      EXPECT_TRUE(ok.count(it->str())) << md.filename() << ": number " << it->str() << " does not trace to an input";
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(Report, EveryMarkdownNumberTracesToTheInputs) {
  test::TempDir dir;
  test::write_standard_fixture(dir.path());
  const auto sum = report::write_reports(dir.path(), options());
  expect_markdown_numbers_traceable(dir.path(), sum.dir);
}

TEST(Report, OnlyOneBucketWithEnoughData) {
  test::TempDir dir;
  test::FixtureBucket a{"0-15s", 40, 6.02, 5.5, {}, {}, 0.33};
  a.patterns = {{"fixture.text_hook_3s", "text on screen in the first 3 seconds", "present_is_better", "MODERATE", 0.29,
                 0.002, 0.018, 0.6}};
  test::write_fixture_bucket(dir.path(), a);
  test::write_fixture_bucket(dir.path(), test::FixtureBucket{"16-30s", 8, 3.1, 2.9, {}, {}, 0});
  const auto sum = report::write_reports(dir.path(), options());
  EXPECT_EQ(sum.strategies, 1);
  EXPECT_NE(sum.strategy_shortfall.find("Only 1 evidence-backed"), std::string::npos);
  Json g = read_json_file(sum.dir / "creative_guide_16-30s.json");
  EXPECT_EQ(g["status"], "insufficient_data");
  EXPECT_TRUE(g["what_works"].empty());
  Json s = read_json_file(sum.dir / "strategies" / "strategy_01.json");
  EXPECT_EQ(s["target_bucket"], "0-15s");
  const std::string client = pdf_text(sum.dir / "Client_Strategy_Report.pdf");
  EXPECT_NE(client.find("16-30s: only 8 videos"), std::string::npos) << client;
  for (const auto& p : sum.pdfs) EXPECT_LE(pdf_pages(p.path), 2);
  expect_markdown_numbers_traceable(dir.path(), sum.dir);
}

TEST(Report, NoSignificantPatternSaysSoHonestly) {
  test::TempDir dir;
  test::write_fixture_bucket(dir.path(), test::FixtureBucket{"0-15s", 35, 4.4, 4.1, {}, {}, 0.05});
  test::write_fixture_bucket(dir.path(), test::FixtureBucket{"16-30s", 24, 3.8, 3.6, {}, {}, 0.02});
  const auto sum = report::write_reports(dir.path(), options());
  EXPECT_EQ(sum.strategies, 0);
  EXPECT_FALSE(sum.strategy_shortfall.empty());
  EXPECT_EQ(sum.pdfs.size(), 1u);  // only the client report
  Json g = read_json_file(sum.dir / "creative_guide_0-15s.json");
  EXPECT_EQ(g["status"], "no_significant_patterns");
  const std::string md = read_file(sum.dir / "creative_guide_16-30s.md");
  EXPECT_NE(md.find("No creative element separated"), std::string::npos);
  EXPECT_NE(md.find("collect more videos"), std::string::npos);
  EXPECT_NE(md.find("Exploratory"), std::string::npos);  // 24 videos
  const std::string client = pdf_text(sum.dir / "Client_Strategy_Report.pdf");
  EXPECT_NE(client.find("No creative element separated"), std::string::npos) << client;
  EXPECT_NE(client.find("collect more videos"), std::string::npos) << client;
  EXPECT_LE(pdf_pages(sum.dir / "Client_Strategy_Report.pdf"), 2);
  expect_markdown_numbers_traceable(dir.path(), sum.dir);
}

TEST(Report, LongTextAndFiftyPatternsNeverOverflowTwoPages) {
  test::TempDir dir;
  test::FixtureBucket a{"0-15s", 90, 5.0, 4.0, {}, {}, 0.5};
  std::string long_phrase;
  for (int i = 0; i < 60; ++i) long_phrase += "an extraordinarily long description of a creative element ";
  long_phrase += std::string(400, 'x');  // one unbreakable word
  for (int i = 0; i < 50; ++i) {
    test::FixturePattern p{fmt::format("fixture.f{}", i),
                           long_phrase,
                           i % 3 ? "higher_is_better" : "present_is_better",
                           i < 20 ? "STRONG" : "MODERATE",
                           0.1 + i * 0.01,
                           0.001,
                           0.01,
                           0.5};
    a.patterns.push_back(p);
  }
  for (int i = 0; i < 40; ++i) a.rules.push_back("if fixture.f1 > 0.5 and " + long_phrase);
  test::write_fixture_bucket(dir.path(), a);
  test::write_fixture_selection(dir.path(), {"0-15s"});
  auto opt = options();
  opt.client = std::string(300, 'C');
  const auto sum = report::write_reports(dir.path(), opt);
  EXPECT_EQ(sum.strategies, 10);
  for (const auto& p : sum.pdfs) {
    EXPECT_LE(pdf_pages(p.path), 2) << p.path;
    EXPECT_EQ(pdf_pages(p.path), p.pages) << p.path;
  }
  const fs::path keep = fs::temp_directory_path() / "rumi_report_pngs";
  fs::create_directories(keep);
  fs::copy_file(sum.dir / "Client_Strategy_Report.pdf", keep / "overflow_client.pdf",
                fs::copy_options::overwrite_existing);
  fs::copy_file(sum.dir / "Billo_Creative_Brief_strategy_01.pdf", keep / "overflow_billo.pdf",
                fs::copy_options::overwrite_existing);
  // (pdftotext shows the full text of an ellipsized run — cairo maps the "…" glyph cluster to the
  // elided characters — so the cutting itself is checked on the layouts below.)
}

TEST(PdfLayout, LongTextIsCutWithAnEllipsisAndTheFlowStopsAfterTwoPages) {
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "word" + std::to_string(i) + " ";
  long_text += std::string(500, 'x');
  report::PdfDocument doc;
  auto layout = report::make_layout(doc.cr(), long_text, report::TextStyle{.max_lines = 3}, 400);
  EXPECT_TRUE(pango_layout_is_ellipsized(layout.get()));
  EXPECT_EQ(pango_layout_get_line_count(layout.get()), 3);

  report::FlowLayout flow(doc, {"Title", "Subtitle", "Footer"}, 2);
  int accepted = 0;
  for (int i = 0; i < 200; ++i) accepted += flow.text(long_text) ? 1 : 0;
  EXPECT_FALSE(flow.block(50, [](cairo_t*, double, double, double) {}));
  flow.finish();
  EXPECT_EQ(flow.pages(), 2);
  EXPECT_TRUE(flow.truncated());
  EXPECT_GT(accepted, 5);
  EXPECT_LT(accepted, 200);
  test::TempDir dir;
  doc.save((dir / "flow.pdf").string());
  EXPECT_EQ(pdf_pages(dir / "flow.pdf"), 2);
}

TEST(Report, DeterministicBytesForTextArtifacts) {
  test::TempDir a, b;
  test::write_standard_fixture(a.path());
  test::write_standard_fixture(b.path());
  auto o = options();
  o.formats = {"json", "md", "html"};
  const auto sa = report::write_reports(a.path(), o);
  const auto sb = report::write_reports(b.path(), o);
  ASSERT_EQ(sa.files.size(), sb.files.size());
  for (std::size_t i = 0; i < sa.files.size(); ++i) {
    const std::string n = sa.files[i].filename().string();
    if (n.find("bucket_performance") != std::string::npos || n == "strategic_summary.json")
      continue;  // insights: names from the folder
    EXPECT_EQ(read_file(sa.files[i]), read_file(sb.files[i])) << sa.files[i];
  }
  EXPECT_TRUE(files_with_ext(sa.dir, ".pdf").empty());  // formats respected
}

TEST(Report, RerunWithFewerStrategiesRemovesStaleOnes) {
  test::TempDir dir;
  test::write_standard_fixture(dir.path());
  report::write_reports(dir.path(), options());
  fs::remove_all(dir.path() / "bucket_16-30s");
  fs::remove_all(dir.path() / "bucket_0-15s");
  test::FixtureBucket a{"0-15s", 40, 6.0, 5.5, {}, {}, 0.3};
  a.patterns = {{"fixture.text_hook_3s", "text on screen in the first 3 seconds", "present_is_better", "STRONG"}};
  test::write_fixture_bucket(dir.path(), a);
  const auto sum = report::write_reports(dir.path(), options());
  EXPECT_EQ(sum.strategies, 1);
  EXPECT_FALSE(fs::exists(sum.dir / "strategies" / "strategy_02.json"));
  EXPECT_FALSE(fs::exists(sum.dir / "Billo_Creative_Brief_strategy_02.pdf"));
}

TEST(Report, BadInputsGiveTheRightErrors) {
  test::TempDir dir;
  auto o = options();
  EXPECT_THROW(report::write_reports(dir.path(), o), NotEnoughDataError);
  o.date = "2026-13-01";
  EXPECT_THROW(report::write_reports(dir.path(), o), UsageError);
  EXPECT_THROW(report::parse_formats("json,docx"), UsageError);
  EXPECT_EQ(report::parse_formats("pdf,md"), (std::set<std::string>{"md", "pdf"}));
  ensure_directory(dir.path() / "bucket_0-15s");
  write_file_atomic(dir.path() / "bucket_0-15s" / "patterns_0-15s.json",
                    R"({"format":"rumi-patterns","patterns":[{"feature":"x"}]})");
  try {
    report::write_reports(dir.path(), options());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("patterns_0-15s.json"), std::string::npos) << e.what();
  }
}

// Controlled tests change the advice: rejected patterns leave the guides' "what works" and the
// strategies (and are named under "tested and rejected"), proven ones carry their phrase next to
// the evidence label, and only strategies whose patterns are all proven get an affiliate brief.
TEST(Report, ValidationsDropRejectedPatternsAndGateAffiliateBriefs) {
  test::TempDir dir;
  test::write_standard_fixture(dir.path());
  auto opt = options();
  opt.validations = tested_validations();
  const auto sum = report::write_reports(dir.path(), opt);
  const std::set<std::string> rejected = {"fixture.text_hook_3s", "fixture.overlay_density", "fixture.first_cta_pos"};
  const std::set<std::string> proven = {"fixture.speech_rate", "fixture.music_energy", "fixture.caption_len"};
  EXPECT_EQ(sum.rejected_patterns, 3);
  EXPECT_EQ(sum.strategies, 2);  // 5 STRONG/MODERATE that held up on held-out videos - 3 rejected
  EXPECT_NE(sum.strategy_shortfall.find("3 further patterns were rejected by controlled tests"), std::string::npos)
      << sum.strategy_shortfall;

  int briefs = 0;
  for (int i = 1; i <= sum.strategies; ++i) {
    const Json s = read_json_file(sum.dir / "strategies" / fmt::format("strategy_{:02d}.json", i));
    bool all_proven = true;
    for (const auto& p : s["patterns"]) {
      const std::string f = p["feature"];
      EXPECT_EQ(rejected.count(f), 0u) << "rejected pattern " << f << " in strategy " << i;
      all_proven = all_proven && proven.count(f) > 0;
      if (proven.count(f)) {
        EXPECT_EQ(p["validation"]["status"], "proven");
      }
    }
    EXPECT_EQ(s["validated"].get<bool>(), all_proven) << i;
    const bool brief = fs::exists(sum.dir / fmt::format("Affiliate_Creative_Brief_strategy_{:02d}.pdf", i));
    EXPECT_EQ(brief, all_proven) << i;
    EXPECT_TRUE(fs::exists(sum.dir / fmt::format("Billo_Creative_Brief_strategy_{:02d}.pdf", i))) << i;
    briefs += brief;
  }
  EXPECT_GE(briefs, 1);
  EXPECT_EQ(sum.affiliate_briefs, briefs);
  const std::string first = read_file(sum.dir / "strategies" / "strategy_01.md");
  EXPECT_NE(first.find("Strong evidence \u00b7 validated in 2 controlled tests: +38 %"), std::string::npos) << first;

  const Json g = read_json_file(sum.dir / "creative_guide_0-15s.json");
  for (const auto& p : g["what_works"]) EXPECT_EQ(rejected.count(p["feature"].get<std::string>()), 0u);
  ASSERT_EQ(g["tested_and_rejected"].size(), 3u);
  const std::string guide = read_file(sum.dir / "creative_guide_0-15s.md");
  // Only the avoid-pattern is left in 0-15s: no "What works" section, the rejected ones listed.
  const auto tested = guide.find("## Tested and rejected");
  ASSERT_NE(tested, std::string::npos) << guide;
  EXPECT_EQ(guide.find("## What works"), std::string::npos) << guide;
  EXPECT_EQ(guide.substr(0, tested).find("Text hook 3s"), std::string::npos) << guide;
  EXPECT_NE(guide.find("Text hook 3s", tested), std::string::npos) << guide;
  EXPECT_NE(guide.find("rejected in 1 controlled test: +3 %", tested), std::string::npos) << guide;
  EXPECT_EQ(guide.find("fixture."), std::string::npos) << "raw feature names leak into human text:\n" << guide;
  const std::string guide16 = read_file(sum.dir / "creative_guide_16-30s.md");
  EXPECT_NE(guide16.find("**STRONG** \u00b7 validated in 2 controlled tests: +38 %"), std::string::npos) << guide16;

  const std::string html = read_file(sum.dir / "index.html");
  EXPECT_NE(html.find("tested and rejected"), std::string::npos);
  EXPECT_EQ(html.find("affiliate briefs follow once"), std::string::npos);
  const std::string client = pdf_text(sum.dir / "Client_Strategy_Report.pdf");
  EXPECT_NE(client.find("Tested and rejected"), std::string::npos) << client;
  EXPECT_NE(client.find("validated by Billo tests"), std::string::npos) << client;
  for (const auto& p : sum.pdfs) EXPECT_LE(pdf_pages(p.path), 2) << p.path;
  expect_markdown_numbers_traceable(dir.path(), sum.dir, opt.validations);

  // Re-running without results (e.g. tests deleted) brings everything back and removes the briefs.
  const auto again = report::write_reports(dir.path(), options());
  EXPECT_EQ(again.strategies, 5);
  EXPECT_FALSE(fs::exists(again.dir / "Affiliate_Creative_Brief_strategy_01.pdf"));
}

// The planning rule against a hand computation (Fisher z, Bonferroni over m elements):
//   z(0.975) = 1.959964, z(0.8) = 0.841621, atanh(0.3) = 0.309520
//   m = 1:   ((1.959964 + 0.841621) / 0.309520)^2 + 3 = 9.05139^2 + 3 = 84.93  -> 85
//   m = 10:  z(1 - 0.0025) = 2.807034   -> (3.648655 / 0.309520)^2 + 3 = 141.96 -> 142
//   m = 40:  z(1 - 0.000625) = 3.227... -> 175.81 -> 176
//   m = 171: z(1 - 0.05/342) = 3.621944 -> (4.463565 / 0.309520)^2 + 3 = 210.96 -> 211
//   rho = 0.5, m = 1: atanh(0.5) = 0.549306 -> (2.801585 / 0.549306)^2 + 3 = 29.01 -> 30
TEST(SampleSize, MatchesTheFisherZHandComputation) {
  EXPECT_EQ(report::videos_to_detect(1), 85);
  EXPECT_EQ(report::videos_to_detect(0), 85);  // nothing tested yet: plan for one test
  EXPECT_EQ(report::videos_to_detect(10), 142);
  EXPECT_EQ(report::videos_to_detect(40), 176);
  EXPECT_EQ(report::videos_to_detect(171), 211);
  EXPECT_EQ(report::videos_to_detect(1, 0.5), 30);
  EXPECT_THROW(report::videos_to_detect(-1), UsageError);
  EXPECT_THROW(report::videos_to_detect(10, 0.0), UsageError);
  EXPECT_THROW(report::videos_to_detect(10, 0.3, 1.5), UsageError);
  EXPECT_THROW(report::videos_to_detect(10, 0.3, 0.05, 1.0), UsageError);
  const std::string rule = report::planning_rule_text();
  EXPECT_NE(rule.find("Spearman correlation of 0.3"), std::string::npos) << rule;
  EXPECT_NE(rule.find("Bonferroni"), std::string::npos) << rule;
  EXPECT_NE(rule.find("atanh(0.3)"), std::string::npos) << rule;
}

TEST(Wording, EvidenceLabelsAndTheEngagementLiftSentence) {
  EXPECT_EQ(report::simple_confidence(Evidence::emerging), "Hypothesis to test (not yet significant)");
  EXPECT_EQ(report::simple_confidence(Evidence::strong), "\u2605\u2605\u2605 Strong evidence");
  EXPECT_EQ(report::simple_confidence(Evidence::moderate), "\u2605\u2605\u2606 Moderate evidence");
  Pattern p;
  p.feature = "fixture.hook";
  p.source = "x.y.textHook";
  p.direction = Direction::present_is_better;
  p.evidence = Evidence::emerging;
  p.lift = 0.21;
  p.ci95 = {-0.05, 0.6};
  p.er_favoured = 6.1;
  p.er_others = 5.0;
  p.top_count = 25, p.top_showing = 18, p.rest_count = 25, p.rest_showing = 9, p.sample_size = 50;
  EXPECT_EQ(report::pattern_sentence(p),
            "Hypothesis to test: videos that have text hook had 1.2x the engagement rate of the others (median 6.1 % "
            "vs 5.0 %); 18 of 25 top videos and 9 of 25 others do it. Engagement lift +21 % (95 % range -5 % to +60 "
            "%, which includes no difference) on held-out videos (not yet significant, 50 videos).");
  p.evidence = Evidence::moderate;
  p.details = Json{{"adjusted", {{"verdict", "vanishes_after_adjustment"}}}, {"engagement_lift", {{"defined", false}}}};
  const std::string s = report::pattern_sentence(p) + report::adjustment_note(p);
  EXPECT_EQ(s.find("+21 %"), std::string::npos) << "an undefined lift is not printed as measured: " << s;
  EXPECT_NE(s.find("not measurable on held-out videos"), std::string::npos) << s;
  EXPECT_NE(s.find("may reflect creator size, video age or paid promotion rather than the element"), std::string::npos);
}

// The evidence scale decides what is advice: EMERGING elements never become a strategy, a
// supporting line, a Billo brief or a paid test plan; they are listed as hypotheses to test under
// "What we need to learn next", with the videos each bucket would need.
TEST(Report, EmergingPatternsNeverBecomeStrategiesOrBriefs) {
  test::TempDir dir;
  test::FixtureBucket a{"0-15s", 60, 5.0, 4.5, {}, {}, 0.2};
  a.patterns = {{"fixture.hook_text", "text in the hook", "present_is_better", "EMERGING", 0.3, 0.004, 0.12, 0.3},
                {"fixture.cut_rate", "cuts per second", "higher_is_better", "EMERGING", 0.2, 0.006, 0.15, 0.25},
                {"fixture.face_share", "a face on screen", "higher_is_better", "EMERGING", 0.15, 0.01, 0.19, 0.2}};
  test::FixtureBucket b{"16-30s", 40, 4.0, 3.8, {}, {}, 0.3};
  b.family = 12;
  b.patterns = {
      {"fixture.speech_rate", "words spoken per second", "higher_is_better", "MODERATE", 0.4, 0.0004, 0.02, 0.5},
      {"fixture.music_energy", "music energy", "higher_is_better", "EMERGING", 0.2, 0.01, 0.11, 0.3},
      {"fixture.caption_len", "caption length", "lower_is_better", "EMERGING", -0.1, 0.02, 0.18, -0.2}};
  test::write_fixture_bucket(dir.path(), a);
  test::write_fixture_bucket(dir.path(), b);
  test::write_fixture_selection(dir.path(), {"0-15s", "16-30s"});
  const auto sum = report::write_reports(dir.path(), options());
  const std::set<std::string> emerging = {"fixture.hook_text", "fixture.cut_rate", "fixture.face_share",
                                          "fixture.music_energy", "fixture.caption_len"};

  ASSERT_EQ(sum.strategies, 1);
  const Json s = read_json_file(sum.dir / "strategies" / "strategy_01.json");
  ASSERT_EQ(s["patterns"].size(), 1u) << "no EMERGING pattern may support a strategy";
  EXPECT_EQ(s["patterns"][0]["feature"], "fixture.speech_rate");
  for (const auto& p : s["patterns"]) EXPECT_EQ(emerging.count(p["feature"].get<std::string>()), 0u);
  EXPECT_TRUE(fs::exists(sum.dir / "Billo_Creative_Brief_strategy_01.pdf"));
  EXPECT_FALSE(fs::exists(sum.dir / "Billo_Creative_Brief_strategy_02.pdf"));
  EXPECT_FALSE(fs::exists(sum.dir / "strategies" / "strategy_02.json"));
  EXPECT_EQ(files_with_ext(sum.dir, ".pdf").size(), 2u);  // client report + one Billo brief
  const std::string billo = pdf_text(sum.dir / "Billo_Creative_Brief_strategy_01.pdf");
  for (const char* hyp : {"Music energy", "music energy", "Caption length", "caption length"})
    EXPECT_EQ(billo.find(hyp), std::string::npos) << hyp << "\n" << billo;
  const Json index = read_json_file(sum.dir / "strategies" / "index.json");
  EXPECT_EQ(index["hypotheses_to_test"], 5);
  EXPECT_NE(sum.strategy_shortfall.find("5 hypotheses to test"), std::string::npos) << sum.strategy_shortfall;

  // A bucket with only EMERGING elements has no advice, only hypotheses.
  const Json g = read_json_file(sum.dir / "creative_guide_0-15s.json");
  EXPECT_EQ(g["status"], "no_significant_patterns");
  EXPECT_TRUE(g["what_works"].empty());
  ASSERT_EQ(g["learn_next"]["hypotheses"].size(), 3u);
  EXPECT_EQ(g["learn_next"]["videos_needed"], report::videos_to_detect(40));
  EXPECT_EQ(g["learn_next"]["videos_in_bucket"], 60);
  const std::string md = read_file(sum.dir / "creative_guide_0-15s.md");
  const auto learn = md.find("## What we need to learn next");
  ASSERT_NE(learn, std::string::npos) << md;
  EXPECT_EQ(md.find("## What works"), std::string::npos) << md;
  EXPECT_EQ(md.find("## Recommended structure"), std::string::npos) << md;
  int hypotheses = 0;
  std::istringstream lines(md);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("- Hypothesis to test: videos that", 0) != 0) continue;
    ++hypotheses;
    EXPECT_GT(md.find(line), learn) << "hypotheses belong under \"What we need to learn next\": " << line;
    EXPECT_NE(line.find("the engagement rate of the others"), std::string::npos) << line;
    std::string rest = std::regex_replace(line, std::regex("not yet significant"), "");
    EXPECT_EQ(rest.find("significant"), std::string::npos) << line;
    for (const char* causal : {" gets ", " causes ", " drives ", " boosts "})
      EXPECT_EQ(line.find(causal), std::string::npos) << line;
  }
  EXPECT_EQ(hypotheses, 3) << md;
  EXPECT_NE(md.find(fmt::format("about {} videos (this bucket has 60)", report::videos_to_detect(40))),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Bonferroni"), std::string::npos);

  // The hashtag-level page lists all five, the client PDF carries the short version.
  const std::string next = read_file(sum.dir / "what_to_learn_next.md");
  // (Subjects of non-catalog fixture features are their humanised source keys.)
  for (const char* subject : {"that have hook text", "that score higher on cut rate", "that score higher on face share",
                              "that score higher on music energy", "that score lower on caption len"})
    EXPECT_NE(next.find(subject), std::string::npos) << subject << "\n" << next;
  EXPECT_NE(next.find(fmt::format("about {} videos (this bucket has 40)", report::videos_to_detect(12))),
            std::string::npos)
      << next;
  const std::string client = pdf_text(sum.dir / "Client_Strategy_Report.pdf");
  EXPECT_NE(client.find("What we need to learn next"), std::string::npos) << client;
  EXPECT_NE(client.find("3 hypotheses to test"), std::string::npos) << client;
  EXPECT_NE(client.find("0 STRONG, 1 MODERATE; 5 hypotheses to test"), std::string::npos) << client;
  EXPECT_LE(pdf_pages(sum.dir / "Client_Strategy_Report.pdf"), 2);
  expect_markdown_numbers_traceable(dir.path(), sum.dir);
}

// Defence in depth: even a caller that puts EMERGING patterns among the evidence-backed ones
// (bypassing the loader) gets no strategy from them.
TEST(Report, BuildStrategiesIgnoresEmergingEvenWhenHandedThem) {
  report::HashtagInputs in;
  report::BucketInputs b;
  b.bucket = Bucket::s0_15;
  b.sample_size = 60;
  Pattern p;
  p.feature = "fixture.hook_text";
  p.evidence = Evidence::emerging;
  p.q_value = 0.1;
  p.lift = 0.3;  // held up on held-out videos: only the label decides here
  b.patterns = {p, p};
  b.patterns[1].feature = "fixture.other";
  in.buckets.push_back(b);
  EXPECT_TRUE(report::build_strategies(in).strategies.empty());
  in.buckets[0].patterns[1].evidence = Evidence::moderate;
  const auto set = report::build_strategies(in);
  ASSERT_EQ(set.strategies.size(), 1u);
  EXPECT_EQ(set.strategies[0].primary.feature, "fixture.other");
  EXPECT_TRUE(set.strategies[0].supporting.empty());
}

// A pattern that vanishes after adjusting for creator size, age and paid promotion says so; an
// exploratory bucket (20-29 videos) says so wherever its findings appear.
TEST(Report, ConfounderAndExploratoryNotes) {
  test::TempDir dir;
  test::FixtureBucket a{"0-15s", 25, 5.0, 4.5, {}, {}, 0.2};
  a.patterns = {
      {"fixture.speech_rate", "words spoken per second", "higher_is_better", "MODERATE", 0.4, 0.0004, 0.02, 0.5}};
  a.patterns[0].vanishes = true;
  test::write_fixture_bucket(dir.path(), a);
  test::write_fixture_selection(dir.path(), {"0-15s"});
  const auto sum = report::write_reports(dir.path(), options());
  ASSERT_EQ(sum.strategies, 1);
  const char* note = "may reflect creator size, video age or paid promotion rather than the element";
  const std::string guide = read_file(sum.dir / "creative_guide_0-15s.md");
  EXPECT_NE(guide.find(note), std::string::npos) << guide;
  EXPECT_NE(guide.find("Exploratory: 25 videos"), std::string::npos) << guide;
  const std::string strategy = read_file(sum.dir / "strategies" / "strategy_01.md");
  EXPECT_NE(strategy.find(note), std::string::npos) << strategy;
  EXPECT_NE(strategy.find("Exploratory bucket: only 25 videos"), std::string::npos) << strategy;
  EXPECT_TRUE(read_json_file(sum.dir / "strategies" / "strategy_01.json")["exploratory_test"].get<bool>());
  const std::string client = pdf_text(sum.dir / "Client_Strategy_Report.pdf");
  EXPECT_NE(client.find("(exploratory)"), std::string::npos) << client;
  EXPECT_NE(client.find("may reflect creator size"), std::string::npos) << client;
  const std::string billo = pdf_text(sum.dir / "Billo_Creative_Brief_strategy_01.pdf");
  EXPECT_NE(billo.find("exploratory bucket"), std::string::npos) << billo;
  EXPECT_NE(billo.find("may reflect creator size"), std::string::npos) << billo;
  expect_markdown_numbers_traceable(dir.path(), sum.dir);
}

// Format 1's `lift` was the feature-mean gap: refused with a clear error, never printed as engagement.
TEST(Report, RefusesPatternsFilesOlderThanFormat2) {
  test::TempDir dir;
  ensure_directory(dir.path() / "bucket_0-15s");
  write_file_atomic(dir.path() / "bucket_0-15s" / "patterns_0-15s.json",
                    R"({"format":"rumi-patterns","format_version":1,"sample_size":40,"patterns":[]})");
  try {
    report::write_reports(dir.path(), options());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("patterns_0-15s.json"), std::string::npos) << what;
    EXPECT_NE(what.find("format 2"), std::string::npos) << what;
    EXPECT_NE(what.find("rumi patterns"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace rumi
