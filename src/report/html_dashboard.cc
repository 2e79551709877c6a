#include "report/html_dashboard.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/dataset.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/log.h"
#include "core/ownership_notice.h"
#include "core/workspace.h"
#include "report/analyst_appendix.h"
#include "report/creative_guide.h"
#include "report/html_index.h"
#include "report/svg_chart.h"
#include "report/wording.h"

namespace rumi::report {

namespace fs = std::filesystem;

namespace {

std::string esc(std::string_view s) { return html_escape(s); }

bool file_exists(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// <a href> to a file of `dir` when it exists, the escaped label alone otherwise.
std::string link_or_text(const fs::path& dir, const fs::path& file, std::string_view label) {
  const std::string href = relative_href(dir, file);
  if (href.empty()) return esc(label);
  return "<a href=\"" + href + "\">" + esc(label) + "</a>";
}

// " · " separated links to whichever of the files exist ("PDF · Markdown · JSON"); "" if none.
std::string file_links(const fs::path& dir, const std::vector<std::pair<fs::path, std::string>>& files) {
  std::string s;
  for (const auto& [file, label] : files) {
    const std::string href = relative_href(dir, file);
    if (href.empty()) continue;
    if (!s.empty()) s += " \u00b7 ";
    s += "<a href=\"" + href + "\">" + esc(label) + "</a>";
  }
  return s;
}

std::string evidence_badge(Evidence e) {
  const std::string name(evidence_name(e));
  return "<span class=\"ev " + esc(name) + "\">" + esc(name) + "</span> <span class=\"stats\">" +
         esc(simple_confidence(e)) + "</span>";
}

std::string validation_badge(const PatternValidations& v, std::string_view feature) {
  const auto* n = find_validation(v, feature);
  if (!n) return {};
  return " <span class=\"val " + esc(n->status) + "\">Billo test: " + esc(n->phrase.empty() ? n->status : n->phrase) +
         "</span>";
}

// The with/without chart of one element: median ER of the videos that do it and of the others.
std::string with_without_chart(const Pattern& p, const std::string& id) {
  if (!lift_measured(p)) return "<p class=\"stats\">" + esc(capitalize(std::string(kLiftNotMeasured))) + ".</p>";
  const auto [n_fav, n_others] = comparison_counts(p);
  BarChart c;
  c.id = id;
  c.title = "Median engagement rate, with vs without";
  c.axis_label = "median engagement rate (%)";
  c.bars = {{"videos that do it", p.er_favoured, fmt::format("{} (n {})", er_percent(p.er_favoured), n_fav), true},
            {"the other videos", p.er_others, fmt::format("{} (n {})", er_percent(p.er_others), n_others), false}};
  return svg_bar_chart(c);
}

// One element: its plain-English lines, evidence label, Billo status, statistics and chart.
std::string pattern_block(const Pattern& p, const PatternValidations& v, int family_size, std::string_view who,
                          const std::string& chart_id, bool with_finding, std::string_view note = {}) {
  std::string h = "<div class=\"card pat\"><div>";
  h += "<p>" + evidence_badge(p.evidence) + validation_badge(v, p.feature) + "</p>";
  if (with_finding) h += "<p><strong>" + esc(pattern_finding(p, who)) + "</strong></p>";
  if (!note.empty()) h += "<p class=\"note\">" + esc(note) + "</p>";
  h += "<p>" + esc(pattern_sentence(p) + adjustment_note(p)) + "</p>";
  h += "<p class=\"stats\">" + esc(pattern_statistics(p, family_size)) + "</p>";
  h += "</div><div>" + with_without_chart(p, chart_id) + "</div></div>\n";
  return h;
}

// ---- bucket ranking ------------------------------------------------------------------------

struct RankRow {
  std::string bucket;
  int rank = 0;
  bool ranked = false;
  std::string verdict;
  double avg_er = 0, median_er = 0;
  int videos = 0;
  std::optional<int> mix_percent;
  std::string ranking_note;  // "tied with 0-15s (difference not significant)"; empty without a report
};

double num_or(const Json& j, const char* key, double fallback) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

std::string str_or(const Json& j, const char* key, std::string fallback = {}) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : fallback;
}

// The insights stage's ranking when it wrote one; otherwise every bucket with performance
// numbers by average ER, insufficient ones last and unranked (the same rule it applies).
std::vector<RankRow> ranking_rows(const Json& report, const HashtagInputs& in) {
  std::vector<RankRow> rows;
  if (report.is_object() && report.contains("bucket_performance_ranking") &&
      report["bucket_performance_ranking"].is_array()) {
    for (const Json& r : report["bucket_performance_ranking"]) {
      if (!r.is_object()) continue;
      RankRow row;
      row.bucket = str_or(r, "bucket");
      row.rank = static_cast<int>(num_or(r, "rank", 0));
      row.ranked = r.value("ranked", row.rank > 0);
      row.verdict = str_or(r, "verdict");
      row.avg_er = num_or(r, "avg_engagement_rate", 0);
      row.median_er = num_or(r, "median_engagement_rate", 0);
      row.videos = static_cast<int>(num_or(r, "sample_size", 0));
      row.ranking_note = str_or(r, "ranking_note");
      if (r.contains("recommended_mix_percent") && r["recommended_mix_percent"].is_number())
        row.mix_percent = static_cast<int>(std::lround(r["recommended_mix_percent"].get<double>()));
      if (!row.bucket.empty()) rows.push_back(std::move(row));
    }
    return rows;
  }
  for (const auto& b : in.buckets) {
    if (!b.performance) continue;
    RankRow row;
    row.bucket = std::string(bucket_name(b.bucket));
    row.ranked = !b.insufficient;
    row.verdict = b.insufficient ? "insufficient data" : "";
    row.avg_er = b.performance->avg_er;
    row.median_er = b.performance->median_er;
    row.videos = b.sample_size;
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const RankRow& a, const RankRow& b) {
    if (a.ranked != b.ranked) return a.ranked;
    return a.avg_er > b.avg_er;
  });
  int rank = 0;
  for (auto& r : rows) r.rank = r.ranked ? ++rank : 0;
  return rows;
}

// Engagement rate of every analysed video of the bucket (features.csv `er`), or nothing when the
// bucket has no readable features file: the chart is a view, not a reason to fail the report.
std::vector<double> bucket_ers(const fs::path& hashtag_dir, std::string_view bucket) {
  const fs::path csv = bucket_files(hashtag_dir, bucket).features;
  if (!file_exists(csv)) return {};
  try {
    return read_dataset_csv(csv).target;
  } catch (const Error& e) {
    spdlog::warn("{}: engagement distribution left out of index.html ({})", csv.string(), e.what());
    return {};
  }
}

std::string ranking_section(const HashtagDashboardInput& d, const Json& report) {
  const std::vector<RankRow> rows = ranking_rows(report, d.in);
  std::string h = "<h2 id=\"ranking\">Bucket ranking</h2>\n";
  if (report.is_object()) {
    const std::string insight = str_or(report, "key_insight");
    if (!insight.empty()) h += "<p>" + esc(insight) + "</p>\n";
  }
  if (rows.empty()) return h + "<p>No bucket has performance numbers yet.</p>\n";
  h += "<div class=\"tbl\"><table><thead><tr><th>Rank</th><th>Length</th><th>Verdict</th>"
       "<th class=\"n\">Avg ER</th><th class=\"n opt\">Median ER</th><th class=\"n\">Videos</th>";
  const bool mix = std::any_of(rows.begin(), rows.end(), [](const RankRow& r) { return r.mix_percent.has_value(); });
  if (mix) h += "<th class=\"n opt\">Content mix</th>";
  const bool notes = std::any_of(rows.begin(), rows.end(), [](const RankRow& r) { return !r.ranking_note.empty(); });
  if (notes) h += "<th class=\"opt\">Against the others</th>";
  h += "</tr></thead><tbody>\n";
  for (const auto& r : rows) {
    h += "<tr><td>" + (r.ranked ? std::to_string(r.rank) : std::string("not ranked")) + "</td><td>" + esc(r.bucket) +
         "</td><td>" + esc(r.verdict) + "</td><td class=\"n\">" + esc(er_percent(r.avg_er)) +
         "</td><td class=\"n opt\">" + esc(er_percent(r.median_er)) + "</td><td class=\"n\">" +
         std::to_string(r.videos) + "</td>";
    if (mix)
      h += "<td class=\"n opt\">" + (r.mix_percent ? std::to_string(*r.mix_percent) + " %" : std::string()) + "</td>";
    if (notes) h += "<td class=\"opt\">" + esc(r.ranking_note) + "</td>";
    h += "</tr>\n";
  }
  h += "</tbody></table></div>\n";

  StripPlot plot;
  plot.id = "er-distribution";
  plot.title = "Engagement rate of every analysed video, by length";
  plot.axis_label = "engagement rate (%)";
  bool any = false;
  for (const auto& r : rows) {
    StripRow row;
    row.label = r.bucket;
    row.values = bucket_ers(d.in.dir, r.bucket);
    row.note = fmt::format("{} videos", row.values.empty() ? r.videos : static_cast<int>(row.values.size()));
    row.muted = !r.ranked;
    any = any || !row.values.empty();
    plot.rows.push_back(std::move(row));
  }
  if (any) {
    h += "<div class=\"wide\">" + svg_strip_plot(plot) + "</div>\n";
    h += "<p class=\"stats\">Each dot is one video; the box spans the middle half of the videos, the thick line is "
         "the median. Grey rows have too few videos to rank.</p>\n";
  } else {
    BarChart c;
    c.id = "er-distribution";
    c.title = "Average engagement rate by length";
    c.axis_label = "average engagement rate (%)";
    for (const auto& r : rows)
      c.bars.push_back(
          {r.bucket, r.avg_er, fmt::format("{} ({} videos)", er_percent(r.avg_er), r.videos), r.rank == 1});
    h += svg_bar_chart(c) + "\n";
  }
  return h;
}

// ---- strategies, guides, tests, learn next -------------------------------------------------

std::string strategies_section(const HashtagDashboardInput& d) {
  const fs::path& dir = d.report_dir;
  std::string h = "<h2 id=\"strategies\">Strategies</h2>\n";
  if (d.strategies.strategies.empty()) h += "<p>No strategy: no element is backed by enough evidence yet.</p>\n";
  if (!d.strategies.shortfall.empty()) h += "<p class=\"stats\">" + esc(d.strategies.shortfall) + "</p>\n";
  for (const Strategy& s : d.strategies.strategies) {
    const std::string bname(bucket_name(s.bucket));
    h += fmt::format("<section class=\"card\" id=\"{}\"><h3>{}. {}</h3>\n", esc(s.id), s.rank, esc(s.title));
    h += "<p class=\"stats\">" + esc(bucket_human(s.bucket)) + " videos (" + esc(bname) + ", " +
         std::to_string(s.bucket_sample_size) + " videos)" + (s.exploratory ? " \u00b7 exploratory bucket" : "") +
         (s.proven ? " \u00b7 validated by Billo tests" : " \u00b7 not yet validated by a Billo test") + "</p>\n";
    h += "<h4>What to do</h4><ol>\n";
    for (const auto& step : strategy_steps(s)) h += "<li>" + esc(step) + "</li>\n";
    h += "</ol>\n<h4>Why: the evidence</h4>\n";
    const std::string who = bucket_human(s.bucket);
    h += pattern_block(s.primary, s.validations, s.family_size, who, s.id + "-p0", true);
    for (std::size_t i = 0; i < s.supporting.size(); ++i)
      h += pattern_block(s.supporting[i], s.validations, s.family_size, who, fmt::format("{}-p{}", s.id, i + 1), true);
    h += "<h4>Test plan</h4><p>" + esc(strategy_test_plan(s)) + "</p>\n";
    h += "<h4>Success metric</h4><p>" + esc(strategy_success_metric(s)) + "</p>\n";
    const std::string links = file_links(dir, {{"Billo_Creative_Brief_" + s.id + ".pdf", "Billo brief (PDF)"},
                                               {"Affiliate_Creative_Brief_" + s.id + ".pdf", "Affiliate brief (PDF)"},
                                               {fs::path("strategies") / (s.id + ".md"), "Markdown"},
                                               {fs::path("strategies") / (s.id + ".json"), "JSON"}});
    if (!links.empty()) h += "<p class=\"files\">" + links + "</p>\n";
    h += "</section>\n";
  }
  return h;
}

std::string guide_section(const HashtagDashboardInput& d, const BucketInputs& b) {
  const std::string bname(bucket_name(b.bucket));
  const CreativeGuide g = build_creative_guide(b, d.hashtag);
  std::string h = "<section class=\"card\" id=\"guide-" + esc(bname) + "\"><h3>" + esc(g.json.value("title", bname)) +
                  "</h3>\n<p class=\"stats\">" + esc(bname) + " \u00b7 " + std::to_string(b.sample_size) +
                  " videos analysed";
  if (b.performance)
    h += " \u00b7 average engagement " + esc(er_percent(b.performance->avg_er)) + " (median " +
         esc(er_percent(b.performance->median_er)) + ")";
  h += "</p>\n";
  if (g.json.contains("notes") && g.json["notes"].is_array())
    for (const Json& n : g.json["notes"])
      if (n.is_string()) h += "<p class=\"note\">" + esc(n.get<std::string>()) + "</p>\n";
  const std::string who = bucket_human(b.bucket);
  std::string works, avoid;
  for (std::size_t i = 0; i < b.patterns.size(); ++i) {
    const Pattern& p = b.patterns[i];
    // The PDF folds an element that is the same signal as a stronger one into that one's item;
    // the dashboard shows every element and says which ones are the same finding.
    std::string note;
    if (const std::string root = idea_root_of(b, p.feature); root != p.feature)
      for (const Pattern& q : b.patterns)
        if (q.feature == root)
          note = "The same signal as \u201c" + pattern_subject(q) + "\u201d: not a separate finding.";
    (is_avoid(p) ? avoid : works) +=
        pattern_block(p, b.validations, b.family_size, who, fmt::format("g-{}-{}", bname, i), true, note);
  }
  if (!works.empty()) h += "<h4>What works</h4>\n" + works;
  bool any_element = false;
  std::string structure = "<ul>\n";
  for (const auto& s : recommended_structure(b)) {
    const char* label = s.name == "hook" ? "Hook" : (s.name == "body" ? "Body" : "Call to action");
    structure += fmt::format("<li><strong>{} ({}-{}s):</strong> ", label, esc(whole_seconds(s.from_s)),
                             esc(whole_seconds(s.to_s)));
    if (s.elements.empty()) {
      structure += "no measured pattern for this part; keep it as you normally would.";
    } else {
      any_element = true;
      for (std::size_t i = 0; i < s.elements.size(); ++i) structure += (i ? "; " : "") + esc(s.elements[i]);
      structure += ".";
    }
    structure += "</li>\n";
  }
  if (any_element) h += "<h4>Recommended structure</h4>\n" + structure + "</ul>\n";
  if (!avoid.empty()) h += "<h4>What to keep low or leave out</h4>\n" + avoid;
  if (!b.rejected.empty()) {
    h += "<h4>Tested and rejected</h4><ul>\n";
    for (const Pattern& p : b.rejected) {
      const auto* note = find_validation(b.validations, p.feature);
      h += "<li>" + esc(capitalize(pattern_subject(p))) + " \u2014 " +
           esc(note ? note->phrase : std::string("rejected")) + "</li>\n";
    }
    h += "</ul>\n";
  }
  if (!b.hypotheses.empty() || b.insufficient)
    h += "<p class=\"stats\">Hypotheses to test and the videos this bucket needs: see "
         "<a href=\"#learn-next\">what we need to learn next</a>.</p>\n";
  const std::string links = file_links(
      d.report_dir, {{"creative_guide_" + bname + ".md", "Markdown"}, {"creative_guide_" + bname + ".json", "JSON"}});
  if (!links.empty()) h += "<p class=\"files\">" + links + "</p>\n";
  return h + "</section>\n";
}

const Pattern* find_pattern(const HashtagInputs& in, std::string_view feature) {
  for (const auto& b : in.buckets)
    for (const auto* list : {&b.patterns, &b.hypotheses, &b.rejected})
      for (const Pattern& p : *list)
        if (p.feature == feature) return &p;
  return nullptr;
}

std::string validation_section(const HashtagDashboardInput& d) {
  std::string h = "<h2 id=\"tests\">Billo test results</h2>\n";
  if (d.in.validations.empty()) {
    h += "<p>No controlled Billo test has been evaluated for this hashtag yet: every finding above is measured on "
         "existing videos, not yet confirmed by a test.</p>\n";
  } else {
    h += "<div class=\"tbl\"><table><thead><tr><th>Element</th><th>Result</th><th>Detail</th></tr></thead><tbody>\n";
    for (const auto& [feature, note] : d.in.validations) {
      const Pattern* p = find_pattern(d.in, feature);
      const std::string what =
          p ? capitalize(pattern_subject(*p)) : (note.description.empty() ? feature : note.description);
      h += "<tr><td>" + esc(what) + "</td><td><span class=\"val " + esc(note.status) + "\">" + esc(note.status) +
           "</span></td><td>" + esc(note.phrase) + "</td></tr>\n";
    }
    h += "</tbody></table></div>\n";
  }
  int proven = 0;
  for (const auto& s : d.strategies.strategies) proven += s.proven ? 1 : 0;
  if (!d.strategies.strategies.empty() && proven == 0)
    h += "<p class=\"stats\">" + esc(kAffiliateBriefsPending) + "</p>\n";
  return h;
}

std::string learn_next_section(const HashtagDashboardInput& d) {
  std::string h = "<h2 id=\"learn-next\">What we need to learn next</h2>\n";
  h += "<p>Hypotheses to test are elements with a weaker signal (q &lt; 0.20 after correction): not yet significant, "
       "so no strategy, brief or paid test is built on them.</p>\n";
  std::string rule;
  for (const auto& b : d.in.buckets) {
    const LearnNext ln = learn_next(b);
    h += "<h3>" + esc(bucket_human(b.bucket)) + " videos (" + esc(bucket_name(b.bucket)) + ")</h3>\n";
    if (b.hypotheses.empty()) {
      h += "<p>No hypotheses to test in this bucket.</p>\n";
    } else {
      h += "<ul>\n";
      for (const Pattern& p : b.hypotheses) h += "<li>" + esc(pattern_sentence(p) + adjustment_note(p)) + "</li>\n";
      h += "</ul>\n";
    }
    if (const auto back = held_back_in(b); !back.empty()) {
      h += "<p>Significant, but not advice yet:</p>\n<ul>\n";
      for (const auto& e : back) h += "<li>" + esc(held_back_line(e)) + "</li>\n";
      h += "</ul>\n";
    }
    h += "<p><strong>Videos needed to detect a realistic effect:</strong> " + esc(videos_needed_text(b)) + ".</p>\n";
    if (rule.empty()) rule = str_or(ln.json, "rule");
  }
  if (!rule.empty()) h += "<p class=\"stats\">" + esc(rule) + "</p>\n";
  const std::string links = file_links(d.report_dir, {{std::string(kLearnNextFile), "Markdown"}});
  if (!links.empty()) h += "<p class=\"files\">" + links + "</p>\n";
  return h;
}

// ---- files ---------------------------------------------------------------------------------

// What a report file is, for the files table: "Creative guide 0-15s", "Billo brief 3", ...
std::string file_label(const std::string& stem, const std::map<std::string, std::string>& strategy_titles) {
  const auto starts = [&](std::string_view p) { return stem.rfind(p, 0) == 0; };
  if (starts("creative_guide_")) return "Creative guide " + stem.substr(15);
  if (stem == "strategies/index") return "Strategy index";
  if (starts("strategies/")) {
    const std::string id = stem.substr(11);
    const auto t = strategy_titles.find(id);
    return t != strategy_titles.end() ? t->second : id;
  }
  if (stem == "Client_Strategy_Report") return "Client strategy report";
  if (starts("Billo_Creative_Brief_")) {
    const auto t = strategy_titles.find(stem.substr(21));
    return "Billo creative brief: " + (t != strategy_titles.end() ? t->second : stem.substr(21));
  }
  if (starts("Affiliate_Creative_Brief_")) {
    const auto t = strategy_titles.find(stem.substr(25));
    return "Affiliate creative brief: " + (t != strategy_titles.end() ? t->second : stem.substr(25));
  }
  if (stem == "what_to_learn_next") return "What we need to learn next";
  if (stem == "analyst_appendix") return "Analyst appendix (decision-tree rules, not validated)";
  if (stem == "bucket_performance_report") return "Bucket performance report";
  if (stem == "strategic_summary") return "Strategic summary";
  return stem;
}

std::string files_section(const HashtagDashboardInput& d) {
  // Every file of the folder and of strategies/, sorted, grouped by name without extension so
  // each report is one row with its formats side by side.
  std::vector<fs::path> files;
  std::error_code ec;
  for (const fs::path& sub : {fs::path(), fs::path("strategies")}) {
    if (!fs::is_directory(d.report_dir / sub, ec)) continue;
    for (const auto& e : fs::directory_iterator(d.report_dir / sub, ec))
      if (e.is_regular_file() && e.path().filename() != "index.html") files.push_back(sub / e.path().filename());
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, std::string> titles;
  for (const auto& s : d.strategies.strategies) titles[s.id] = fmt::format("{}. {}", s.rank, s.title);
  std::vector<std::string> order;
  std::map<std::string, std::vector<fs::path>> by_stem;
  for (const auto& f : files) {
    const std::string stem = (f.parent_path() / f.stem()).generic_string();
    if (!by_stem.count(stem)) order.push_back(stem);
    by_stem[stem].push_back(f);
  }
  std::string pdf_rows, other_rows;
  for (const auto& stem : order) {
    std::vector<std::pair<fs::path, std::string>> links;
    bool pdf = false;
    for (const auto& f : by_stem[stem]) {
      std::string ext = f.extension().string();
      if (ext == ".pdf") pdf = true;
      const std::string label = ext == ".pdf"    ? "PDF"
                                : ext == ".md"   ? "Markdown"
                                : ext == ".json" ? "JSON"
                                                 : f.filename().string();
      links.emplace_back(f, label);
    }
    (pdf ? pdf_rows : other_rows) +=
        "<tr><td>" + esc(file_label(stem, titles)) + "</td><td>" + file_links(d.report_dir, links) + "</td></tr>\n";
  }
  std::string h = "<h2 id=\"files\">Files</h2>\n";
  if (!pdf_rows.empty())
    h += "<h3>PDF reports</h3><div class=\"tbl\"><table><tbody>\n" + pdf_rows + "</tbody></table></div>\n";
  if (!other_rows.empty())
    h += "<h3>Markdown and JSON</h3><div class=\"tbl\"><table><tbody>\n" + other_rows + "</tbody></table></div>\n";
  if (pdf_rows.empty() && other_rows.empty()) h += "<p>No other file was written for this report.</p>\n";
  return h;
}

int total_videos(const Json& report, const HashtagInputs& in) {
  if (report.is_object() && report.contains("analysis_context") && report["analysis_context"].is_object()) {
    const Json& c = report["analysis_context"];
    if (c.contains("total_videos_analyzed") && c["total_videos_analyzed"].is_number_integer())
      return c["total_videos_analyzed"].get<int>();
  }
  int n = 0;
  for (const auto& b : in.buckets) n += b.sample_size;
  return n;
}

std::string analysis_mode(bool metadata_only) {
  return metadata_only ? "based on captions and posting data"
                       : "based on the videos' content, captions and posting data";
}

}  // namespace

std::string render_hashtag_dashboard(const HashtagDashboardInput& d) {
  Json report;  // null when the insights stage wrote no bucket report
  const fs::path bucket_report = d.report_dir / "bucket_performance_report.json";
  if (file_exists(bucket_report)) report = read_json_file(bucket_report);
  const std::string tag = hashtag_tag(d.hashtag);
  const std::string client = d.client.empty() ? std::string("the client") : std::string(d.client);

  std::string h = html_page_open(fmt::format("{} \u00b7 {} \u00b7 reports {}", client, tag, d.date));
  h += "<h1>" + esc(tag) + " creative dashboard</h1>\n";
  h += "<p class=\"scope\">" + esc(client) + " \u00b7 " + esc(tag) + " \u00b7 " +
       esc(analysis_mode(d.in.metadata_only)) + " \u00b7 report date " + esc(d.date) + " \u00b7 " +
       std::to_string(total_videos(report, d.in)) + " videos in " + std::to_string(d.in.buckets.size()) +
       " length buckets</p>\n";
  for (const auto& n : d.notes) h += "<p class=\"note\">" + esc(n) + "</p>\n";
  h += "<nav><ul class=\"toc\"><li><a href=\"#ranking\">Bucket ranking</a></li><li><a href=\"#strategies\">Strategies"
       "</a></li><li><a href=\"#guides\">Creative guides</a></li><li><a href=\"#tests\">Billo test results</a></li>"
       "<li><a href=\"#learn-next\">Learn next</a></li><li><a href=\"#files\">Files</a></li></ul></nav>\n";
  h += ranking_section(d, report);
  h += strategies_section(d);
  h += "<h2 id=\"guides\">Creative guides</h2>\n<p class=\"stats\">" + esc(kLiftMeaning) + "</p>\n";
  for (const auto& b : d.in.buckets) h += guide_section(d, b);
  h += validation_section(d);
  h += learn_next_section(d);
  h += files_section(d);
  h += "<p class=\"stats\">Generated by rumi. Every number comes from the measured pattern and performance files. "
       "Evidence labels: STRONG = unlikely to be chance after correcting for every element tested (q &lt; 0.05) and "
       "confirmed on held-out videos; MODERATE = unlikely to be chance after that correction; hypotheses to test "
       "have a weaker signal (q &lt; 0.20). All describe what videos that do it had, not what doing it causes.</p>\n";
  return h + html_page_close(d.notice);
}

// ---- client page ---------------------------------------------------------------------------

std::string render_client_dashboard(const fs::path& dir, const ClientDashboardInput& in) {
  const std::string client = in.client.empty() ? std::string("the client") : in.client;
  std::string h = html_page_open(fmt::format("{} \u00b7 client dashboard {}", client, in.date));
  h += "<h1>" + esc(client) + " creative dashboard</h1>\n";
  int videos = 0;
  bool all_metadata = !in.hashtags.empty();
  for (const auto& t : in.hashtags) {
    videos += t.videos;
    all_metadata = all_metadata && t.metadata_only;
  }
  h += "<p class=\"scope\">" + esc(client) + " \u00b7 " + std::to_string(in.hashtags.size()) + " hashtag" +
       (in.hashtags.size() == 1 ? "" : "s") + " \u00b7 " + esc(analysis_mode(all_metadata)) + " \u00b7 report date " +
       esc(in.date) + " \u00b7 " + std::to_string(videos) + " videos</p>\n";
  for (const auto& n : in.notes) h += "<p class=\"note\">" + esc(n) + "</p>\n";
  if (!in.links.empty()) {
    h += "<p class=\"files\">";
    for (std::size_t i = 0; i < in.links.size(); ++i) {
      const bool exists = !relative_href(dir, in.links[i].target).empty();
      h += (i ? " \u00b7 " : "") + link_or_text(dir, in.links[i].target, in.links[i].label) +
           (exists ? "" : " (not written)");
    }
    h += "</p>\n";
  }
  if (!in.cross_hashtag.empty()) {
    h += "<h2 id=\"across\">What holds across hashtags</h2><ul>\n";
    for (const auto& s : in.cross_hashtag) h += "<li>" + esc(s) + "</li>\n";
    h += "</ul>\n";
  }
  for (std::size_t ti = 0; ti < in.hashtags.size(); ++ti) {
    const ClientHashtagEntry& t = in.hashtags[ti];
    const std::string tag = hashtag_tag(t.hashtag);
    h += fmt::format("<section class=\"card\" id=\"hashtag-{}\"><h2>{}</h2>\n", ti + 1, esc(tag));
    h += "<p class=\"stats\">" + esc(analysis_mode(t.metadata_only)) + " \u00b7 report date " + esc(t.date) +
         " \u00b7 " + std::to_string(t.videos) + " videos</p>\n";
    if (!t.buckets.empty()) {
      h +=
          "<div class=\"tbl\"><table><thead><tr><th>Rank</th><th>Length</th><th>Verdict</th><th class=\"n\">Avg ER</th>"
          "<th class=\"n opt\">Median ER</th><th class=\"n\">Videos</th></tr></thead><tbody>\n";
      BarChart c;
      c.id = fmt::format("rank-{}", ti + 1);
      c.title = "Average engagement rate by length";
      c.axis_label = "average engagement rate (%)";
      for (const auto& r : t.buckets) {
        h += "<tr><td>" + (r.ranked ? std::to_string(r.rank) : std::string("not ranked")) + "</td><td>" +
             esc(r.bucket) + "</td><td>" + esc(r.verdict) + "</td><td class=\"n\">" + esc(er_percent(r.avg_er)) +
             "</td><td class=\"n opt\">" + esc(er_percent(r.median_er)) + "</td><td class=\"n\">" +
             std::to_string(r.videos) + "</td></tr>\n";
        c.bars.push_back({r.bucket + (r.ranked ? "" : " (not ranked)"), r.avg_er,
                          fmt::format("{} ({} videos)", er_percent(r.avg_er), r.videos), r.ranked && r.rank == 1});
      }
      h += "</tbody></table></div>\n" + svg_bar_chart(c) + "\n";
    }
    if (!t.top_findings.empty()) {
      h += "<h3>Top findings</h3><ul>\n";
      for (const auto& f : t.top_findings) h += "<li>" + esc(f) + "</li>\n";
      h += "</ul>\n";
    }
    std::string links;
    const std::string index = relative_href(dir, t.index_html);
    if (!index.empty()) links += "<a href=\"" + index + "\">" + esc(tag) + " dashboard</a>";
    for (const auto& l : t.links) {
      const std::string href = relative_href(dir, l.target);
      if (href.empty()) continue;
      if (!links.empty()) links += " \u00b7 ";
      links += "<a href=\"" + href + "\">" + esc(l.label) + "</a>";
    }
    if (!links.empty()) h += "<p class=\"files\">" + links + "</p>\n";
    h += "</section>\n";
  }
  return h + html_page_close(in.notice.empty() ? ownership_notice(in.client) : in.notice);
}

fs::path write_client_dashboard(const fs::path& client_reports_dir, const ClientDashboardInput& in) {
  ensure_directory(client_reports_dir);
  fs::path p = client_reports_dir / "index.html";
  write_file_atomic(p, render_client_dashboard(client_reports_dir, in));
  return p;
}

ClientHashtagEntry client_entry_from_report_dir(const fs::path& report_dir, std::string_view hashtag) {
  ClientHashtagEntry e;
  e.hashtag = hashtag_tag(hashtag);
  e.date = report_dir.filename().string();
  e.index_html = report_dir / "index.html";
  const fs::path bucket_report = report_dir / "bucket_performance_report.json";
  if (file_exists(bucket_report)) {
    const Json r = read_json_file(bucket_report);
    if (!r.is_object()) throw InputError(bucket_report.string(), "", "", "not a JSON object");
    const HashtagInputs none;
    for (const RankRow& row : ranking_rows(r, none))
      e.buckets.push_back({row.bucket, row.rank, row.ranked, row.verdict, row.avg_er, row.median_er, row.videos});
    e.videos = total_videos(r, none);
  }
  std::error_code ec;
  std::vector<fs::path> guides, strategies, pdfs;
  if (fs::is_directory(report_dir, ec))
    for (const auto& f : fs::directory_iterator(report_dir, ec)) {
      const std::string n = f.path().filename().string();
      if (n.rfind("creative_guide_", 0) == 0 && f.path().extension() == ".json") guides.push_back(f.path());
      if (f.path().extension() == ".pdf") pdfs.push_back(f.path());
    }
  if (fs::is_directory(report_dir / "strategies", ec))
    for (const auto& f : fs::directory_iterator(report_dir / "strategies", ec)) {
      const std::string n = f.path().filename().string();
      if (n.rfind("strategy_", 0) == 0 && f.path().extension() == ".json") strategies.push_back(f.path());
    }
  std::sort(guides.begin(), guides.end());
  std::sort(strategies.begin(), strategies.end());
  std::sort(pdfs.begin(), pdfs.end());
  for (const auto& g : guides) {
    const Json j = read_json_file(g);
    if (j.is_object() && str_or(j, "analysis_basis") == "captions_and_posting_data") e.metadata_only = true;
  }
  for (const auto& s : strategies) {
    const Json j = read_json_file(s);
    if (!j.is_object()) throw InputError(s.string(), "", "", "not a JSON object");
    if (!j.contains("patterns") || !j["patterns"].is_array()) continue;
    for (const Json& p : j["patterns"]) {
      if (!p.is_object() || str_or(p, "role") != "primary") continue;
      const std::string sentence = str_or(p, "sentence");
      if (!sentence.empty())
        e.top_findings.push_back(fmt::format("{} ({}, {}): {}", str_or(j, "title"), str_or(j, "target_bucket"),
                                             str_or(p, "evidence"), sentence));
    }
    if (e.top_findings.size() >= 5) break;
  }
  for (const auto& p : pdfs) {
    const std::string stem = p.stem().string();
    e.links.push_back({stem == "Client_Strategy_Report" ? std::string("Client strategy report (PDF)")
                                                        : file_label(stem, {}) + " (PDF)",
                       p});
  }
  return e;
}

}  // namespace rumi::report
