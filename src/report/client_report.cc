#include "report/client_report.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "core/error.h"
#include "core/file_io.h"
#include "core/ownership_notice.h"
#include "core/time_util.h"
#include "insights/bucket_performance.h"
#include "report/client_replication.h"
#include "report/client_sections.h"
#include "report/client_view.h"
#include "report/html_dashboard.h"
#include "report/pdf_chart.h"
#include "report/pdf_document.h"
#include "report/report_inputs.h"
#include "report/strategies.h"
#include "report/wording.h"

namespace rumi::report {

namespace fs = std::filesystem;
using namespace client;  // the client view's parts (client_view.h, client_sections.h)

namespace {

Json pattern_key_json(const std::string& hashtag, Bucket b, const Pattern& p) {
  return Json{{"hashtag", hashtag},
              {"bucket", bucket_name(b)},
              {"feature", p.feature},
              {"subject", pattern_subject(p)},
              {"evidence", evidence_name(p.evidence)},
              {"direction", direction_name(p.direction)},
              {"lift", json_number(p.lift)},
              {"q_value", json_number(p.q_value)}};
}

}  // namespace

fs::path client_reports_dir(const Workspace& ws, std::string_view client_slug, std::string_view date) {
  if (!valid_date(date)) throw UsageError("client report date must be YYYY-MM-DD, got '" + std::string(date) + "'");
  return ws.client_dir(client_slug) / std::string(kClientReportsFolder) / std::string(date);
}

Json ClientReportSummary::to_json() const {
  Json files_j = Json::array();
  for (const auto& f : files) files_j.push_back(f.string());
  return Json{{"dir", dir.string()},
              {"files", files_j},
              {"hashtags_reported", hashtags_reported},
              {"hashtags_not_reported", hashtags_not_reported},
              {"findings", findings},
              {"holds_across", holds_across},
              {"does_not_hold", does_not_hold},
              {"replication_candidates", candidates},
              {"expected_by_chance", json_number(expected_by_chance)},
              {"roadmap_tests", roadmap_tests},
              {"previous_date", previous_date.empty() ? Json(nullptr) : Json(previous_date)},
              {"pdf", pdf ? Json{{"path", pdf->path.string()}, {"pages", pdf->pages}, {"truncated", pdf->truncated}}
                          : Json(nullptr)}};
}

std::vector<std::string> client_summary_changes(const Json& previous, const Json& current) {
  std::vector<std::string> out;
  auto hashtags_of = [](const Json& s) {
    std::set<std::string> h;
    if (s.contains("hashtags") && s["hashtags"].is_array())
      for (const auto& x : s["hashtags"])
        if (x.is_object() && x.value("reported", true)) h.insert(x.value("name", std::string()));
    return h;
  };
  const std::set<std::string> before = hashtags_of(previous), now = hashtags_of(current);
  for (const auto& h : now)
    if (!before.count(h)) out.push_back(h + " is new in this report; its findings are not compared.");
  for (const auto& h : before)
    if (!now.count(h)) out.push_back(h + " was in the previous report and is not in this one.");
  auto keyed = [](const Json& s, const char* list) {
    std::map<std::string, Json> m;
    if (s.contains(list) && s[list].is_array())
      for (const auto& f : s[list])
        if (f.is_object())
          m[f.value("hashtag", std::string()) + "|" + f.value("bucket", std::string()) + "|" +
            f.value("feature", std::string())] = f;
    return m;
  };
  const auto say = [](const Json& f) {
    return fmt::format("{} {}: {}", f.value("hashtag", std::string()), f.value("bucket", std::string()),
                       f.value("subject", std::string()));
  };
  const auto old_f = keyed(previous, "findings"), new_f = keyed(current, "findings");
  for (const auto& [k, f] : new_f) {
    if (!before.count(f.value("hashtag", std::string()))) continue;
    const auto it = old_f.find(k);
    if (it == old_f.end()) {
      out.push_back("New finding: " + say(f) + " (" + f.value("evidence", std::string()) + ").");
    } else if (it->second.value("evidence", std::string()) != f.value("evidence", std::string())) {
      out.push_back("Label changed: " + say(f) + " was " + it->second.value("evidence", std::string()) + ", now " +
                    f.value("evidence", std::string()) + ".");
    } else if (it->second.value("direction", std::string()) != f.value("direction", std::string())) {
      out.push_back("Direction changed: " + say(f) + " now points the other way.");
    }
  }
  for (const auto& [k, f] : old_f)
    if (now.count(f.value("hashtag", std::string())) && !new_f.count(k))
      out.push_back("No longer found: " + say(f) + " (was " + f.value("evidence", std::string()) + ").");
  auto across = [](const Json& s) {
    std::map<std::string, std::string> m;
    if (s.contains("holds_across") && s["holds_across"].is_array())
      for (const auto& f : s["holds_across"])
        if (f.is_object())
          m[f.value("bucket", std::string()) + "|" + f.value("feature", std::string())] =
              f.value("bucket", std::string()) + ": " + f.value("subject", std::string());
    return m;
  };
  const auto old_a = across(previous), new_a = across(current);
  for (const auto& [k, s] : new_a)
    if (!old_a.count(k)) out.push_back("Now holds across hashtags: " + s + ".");
  for (const auto& [k, s] : old_a)
    if (!new_a.count(k)) out.push_back("No longer holds across hashtags: " + s + ".");
  return out;
}

namespace {

// ---- client_summary.json (what the next run diffs) and the previous one

Json hashtags_json(const ClientView& v, const ClientReportSummary& sum) {
  Json hashtags_j = Json::array();
  for (const auto& h : v.tags)
    hashtags_j.push_back(Json{{"slug", h.slug},
                              {"name", h.name},
                              {"report_date", h.report_date},
                              {"reported", true},
                              {"videos", total_videos(h.in)},
                              {"metadata_only", h.in.metadata_only}});
  for (const auto& n : sum.hashtags_not_reported) hashtags_j.push_back(Json{{"name", n}, {"reported", false}});
  return hashtags_j;
}

Json cross_json(const CrossElement& e) {
  Json tests = Json::array();
  for (const auto& t : e.tests) tests.push_back(pattern_key_json(t.hashtag, e.bucket, t.pattern));
  Json j{{"bucket", bucket_name(e.bucket)},
         {"feature", e.feature},
         {"subject", pattern_subject(e.tests.front().pattern)},
         {"tests", tests}};
  if (e.holds) {
    j["chance_bound"] = json_number(e.chance_bound);
    j["chance_bound_corrected"] = json_number(e.corrected);
  }
  return j;
}

Json roadmap_json(const std::vector<RoadmapItem>& queue) {
  Json roadmap_j = Json::array();
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const int slot = static_cast<int>(i) / kRoadmapParallelTests;
    roadmap_j.push_back(Json{{"week_start", slot * kRoadmapWeeksPerTest + 1},
                             {"week_end", (slot + 1) * kRoadmapWeeksPerTest},
                             {"hashtag", queue[i].h->name},
                             {"strategy", queue[i].s->id},
                             {"title", queue[i].s->title},
                             {"bucket", bucket_name(queue[i].s->bucket)},
                             {"evidence", evidence_name(queue[i].s->evidence)},
                             {"holds_across", queue[i].across},
                             {"retest", queue[i].s->validation == "inconclusive"}});
  }
  return roadmap_j;
}

Json replication_json(const ReplicationResult& rep) {
  return Json{{"rule",
               "same direction and q < 0.05 in every hashtag that tested the element in the bucket "
               "(at least two)"},
              {"alpha", kReplicationAlpha},
              {"hashtags", rep.hashtags},
              {"families", rep.families},
              {"tests", rep.tests},
              {"candidates", rep.candidates},
              {"expected_by_chance", json_number(rep.expected_by_chance)},
              {"found", rep.holds.size()}};
}

Json summary_json(const std::string& client, const std::string& date, const ClientView& v,
                  const ClientReportSummary& sum, const std::string& notice) {
  Json findings_j = Json::array();
  for (const auto& f : v.findings) findings_j.push_back(pattern_key_json(f.hashtag, f.bucket, f.p));
  Json holds_j = Json::array(), not_j = Json::array();
  for (const auto& e : v.rep.holds) holds_j.push_back(cross_json(e));
  for (const auto& e : v.rep.does_not_hold) not_j.push_back(cross_json(e));
  return Json{{"format", "rumi-client-summary"},
              {"format_version", 1},
              {"client", client},
              {"date", date},
              {"hashtags", hashtags_json(v, sum)},
              {"findings", findings_j},
              {"holds_across", holds_j},
              {"does_not_hold", not_j},
              {"replication", replication_json(v.rep)},
              {"budget_mix", v.mix.buckets},
              {"roadmap", roadmap_json(v.roadmap.queue)},
              {"ownership_notice", notice}};
}

// The summary of the latest client report dated before `date` (null when none); sets
// sum.previous_date. sum.dir must be set.
Json previous_summary(ClientReportSummary& sum, const std::string& date) {
  std::error_code ec;
  std::vector<std::string> dates;
  for (const auto& e : fs::directory_iterator(sum.dir.parent_path(), ec)) {
    const std::string n = e.path().filename().string();
    if (e.is_directory() && valid_date(n) && n < date && fs::exists(e.path() / kClientSummaryFile)) dates.push_back(n);
  }
  if (dates.empty()) return Json(nullptr);
  std::sort(dates.begin(), dates.end());
  sum.previous_date = dates.back();
  return read_json_file(sum.dir.parent_path() / sum.previous_date / kClientSummaryFile);
}

// ---- the files

// previous_client_summary.json, Client_Report.md and client_summary.json.
void write_text_files(ClientReportSummary& sum, const ClientReportOptions& opt, const Json& previous,
                      const Json& summary) {
  ensure_directory(sum.dir);
  if (!previous.is_null()) {
    write_json_atomic(sum.dir / kPreviousClientSummaryFile, previous);
    sum.files.push_back(sum.dir / kPreviousClientSummaryFile);
  } else if (fs::exists(sum.dir / kPreviousClientSummaryFile)) {
    fs::remove(sum.dir / kPreviousClientSummaryFile);  // an earlier report of that date was removed
  }
  if (opt.formats.count("md")) {
    write_file_atomic(sum.dir / kClientReportMarkdown, sum.markdown);
    sum.files.push_back(sum.dir / kClientReportMarkdown);
  }
  // The summary is what the next run compares with, so it is always written.
  write_json_atomic(sum.dir / kClientSummaryFile, summary);
  sum.files.push_back(sum.dir / kClientSummaryFile);
}

// ---- the PDF

const TextStyle kPdfBullet{.size = 9, .max_lines = 4, .indent = 10, .space_after = 3};
const TextStyle kPdfSmall{.size = 8, .color = kBrandSecondary, .max_lines = 6};

// The bucket rankings of every hashtag in one chart, on one scale, so a reader sees at a glance
// which lengths lead in each hashtag and how the hashtags compare. Rows come hashtag by hashtag:
// the ranked buckets in rank order, then those with too few videos (grey, never ranked). The
// accent marks each hashtag's leading tier from its bucket report (insights/bucket_performance.h),
// so a bucket no significant step separates from the best is never drawn as beaten; every bar
// also says it in words. At most kClientChartRows rows: whole hashtags only, the rest counted.
constexpr std::size_t kClientChartRows = 15;

struct ClientRankingChart {
  PdfBarChart chart;
  std::size_t hashtags_shown = 0, hashtags_left_out = 0;
};

std::vector<PdfBar> hashtag_ranking_bars(const ClientHashtag& h) {
  std::vector<RankedBucket> rows;
  for (const auto& r : h.ranking)
    if (std::isfinite(r.avg_er)) rows.push_back(r);
  std::stable_sort(rows.begin(), rows.end(), [](const RankedBucket& a, const RankedBucket& b) {
    if (a.ranked != b.ranked) return a.ranked;
    return a.ranked && a.rank < b.rank;
  });
  std::vector<PdfBar> bars;
  for (const auto& r : rows) {
    PdfBar bar;
    bar.label = h.name + " " + std::string(bucket_name(r.bucket));
    bar.value = r.avg_er;
    bar.value_label = fmt::format("{} \u00b7 n {}", er_percent(r.avg_er), r.sample_size);
    if (!r.ranked) {
      bar.shade = BarShade::muted;
      bar.value_label += " \u00b7 too few videos, not ranked";
    } else if (r.leading) {
      bar.shade = BarShade::highlight;
      bar.value_label += " \u00b7 leading tier";
    }
    bars.push_back(std::move(bar));
  }
  return bars;
}

ClientRankingChart client_ranking_chart(const std::vector<ClientHashtag>& tags) {
  ClientRankingChart c;
  c.chart.axis_label = "average engagement rate per video (%): likes, comments and shares per view";
  c.chart.label_width = 112;
  c.chart.value_width = 176;
  for (const auto& h : tags) {
    std::vector<PdfBar> bars = hashtag_ranking_bars(h);
    if (bars.empty()) continue;
    if (c.chart.bars.size() + bars.size() > kClientChartRows && !c.chart.bars.empty()) {
      ++c.hashtags_left_out;
      continue;
    }
    for (auto& b : bars) c.chart.bars.push_back(std::move(b));
    ++c.hashtags_shown;
  }
  return c;
}

// The chart with the line that says how to read it, after the budget mix it explains; left out
// with a line saying where the rankings are when the page budget has no room for it.
void draw_client_ranking(FlowLayout& flow, const ClientRankingChart& c) {
  if (c.chart.bars.empty()) return;
  const std::string intro =
      "Average engagement per video length, one bar per hashtag and length, all on one scale. Bars marked "
      "\u201cleading tier\u201d (green) are each hashtag's best lengths: no clear gap separates them from its top one. "
      "Grey bars had too few videos to rank.";
  const double chart_h = bar_chart_height(c.chart) + 4, need = flow.measure_text(intro, kPdfSmall) + chart_h;
  // On the last page the chart leaves room for what follows (a heading and two lines), else it
  // gives way to a pointer.
  if (flow.pages() >= kMaxPdfPages && flow.room() < need + 60) {
    flow.text("The ranking of each hashtag's video lengths is in its own report (Client_Strategy_Report.pdf).",
              kPdfSmall);
    return;
  }
  // The line that says how to read the chart stays with it: both start the next page.
  if (flow.room() < need) flow.page_break();
  flow.text(intro, kPdfSmall);
  if (flow.block(chart_h, [&](cairo_t* cr, double x, double y, double w) { draw_bar_chart(cr, c.chart, x, y, w); }))
    for (const auto& b : c.chart.bars) flow.record_text(b.label + ": " + b.value_label + ".");
  if (c.hashtags_left_out > 0)
    flow.text(fmt::format("{} more hashtag{} did not fit in the chart: see {} or each hashtag's own report.",
                          c.hashtags_left_out, c.hashtags_left_out == 1 ? "" : "s", kClientReportMarkdown),
              kPdfSmall);
}

// The top findings, cut at a whole finding when the last page runs out (the Markdown has them all).
void draw_top_findings(FlowLayout& flow, const TopFindings& top) {
  flow.heading(top.md.heading);
  flow.text(top.md.lines.front(), kPdfSmall);
  const std::string outro =
      fmt::format("Every finding, and how the chance figures are worked out, is in {}.", kClientReportMarkdown);
  std::size_t shown = top.pdf.size();
  if (flow.pages() >= kMaxPdfPages) {
    double room = flow.room() - flow.measure_text(outro, kPdfSmall) -
                  flow.measure_text(fmt::format("{} more in {}.", top.pdf.size(), kClientReportMarkdown), kPdfSmall);
    for (std::size_t i = 0; i < top.pdf.size(); ++i) {
      room -= flow.measure_text("\u2022 " + top.pdf[i], kPdfBullet);
      if (room < 0) {
        shown = i;
        break;
      }
    }
  }
  for (std::size_t i = 0; i < shown; ++i) flow.text("\u2022 " + top.pdf[i], kPdfBullet);
  if (shown < top.pdf.size())
    flow.text(fmt::format("{} more in {}.", top.pdf.size() - shown, kClientReportMarkdown), kPdfSmall);
  flow.text(outro, kPdfSmall);
}

void write_pdf(ClientReportSummary& sum, const std::string& client, const ClientReportOptions& opt,
               const std::vector<Section>& sections, const TopFindings& top, const ClientView& v) {
  PdfDocument doc;
  doc.set_dates(opt.date);
  FlowLayout flow(doc,
                  {"RumiAI \u00b7 Client Report Across Hashtags", client + " \u00b7 " + opt.date,
                   ownership_notice_line(client, opt.agency)},
                  kMaxPdfPages);
  for (std::size_t si = 0; si < sections.size(); ++si) {
    const Section& s = sections[si];
    flow.heading(s.heading);
    const std::size_t keep = s.pdf_lines == 0 ? s.lines.size() : std::min(s.pdf_lines, s.lines.size());
    for (std::size_t i = 0; i < keep; ++i) flow.text("\u2022 " + s.lines[i], kPdfBullet);
    if (keep < s.lines.size())
      flow.text(fmt::format("{} more in {}.", s.lines.size() - keep, kClientReportMarkdown), kPdfSmall);
    if (si == kBudgetSection) draw_client_ranking(flow, client_ranking_chart(v.tags));
  }
  draw_top_findings(flow, top);
  flow.finish();
  const fs::path p = sum.dir / kClientReportPdf;
  doc.save(p.string());
  sum.pdf = PdfResult{p, flow.pages(), flow.truncated(), flow.plain_text(), flow.cut_short()};
  sum.files.push_back(p);
}

// The client dashboard (report/html_dashboard.h) renders last, so it links only files that exist.
void write_dashboard(ClientReportSummary& sum, const std::string& client, const ClientReportOptions& opt,
                     const std::string& notice, const std::vector<Section>& sections,
                     const std::vector<ClientHashtag>& tags) {
  ClientDashboardInput d;
  d.client = client;
  d.date = opt.date;
  d.notice = notice;
  if (!sum.hashtags_not_reported.empty())
    d.notes.push_back("Not reported yet: " + join(sum.hashtags_not_reported, ", ") + ".");
  d.cross_hashtag = sections[kHoldsSection].lines;
  d.links = {{"Client report (PDF)", sum.dir / kClientReportPdf},
             {"Client report (Markdown)", sum.dir / kClientReportMarkdown},
             {"Client summary (JSON)", sum.dir / kClientSummaryFile}};
  for (const auto& h : tags) d.hashtags.push_back(client_entry_from_report_dir(h.report_dir, h.name));
  sum.files.push_back(write_client_dashboard(sum.dir, d));
}

}  // namespace

ClientReportSummary write_client_report(const Workspace& ws, std::string_view client_slug,
                                        const ClientReportOptions& opt) {
  if (!valid_date(opt.date)) throw UsageError("client report date must be YYYY-MM-DD, got '" + opt.date + "'");
  const std::string client = opt.client.empty() ? std::string(client_slug) : opt.client;
  ClientReportSummary sum;
  // v.roadmap points into v.tags, so the view is filled in place and never moved.
  ClientView v;
  v.tags = load_hashtags(ws, client_slug, client, opt, sum);
  v.rep = replicate(v.tags);
  v.findings = collect_findings(v.tags);
  v.roadmap = build_roadmap(v.tags, v.rep);
  v.mix = budget_mix(v.tags);
  sum.holds_across = static_cast<int>(v.rep.holds.size());
  sum.does_not_hold = static_cast<int>(v.rep.does_not_hold.size());
  sum.candidates = v.rep.candidates;
  sum.expected_by_chance = v.rep.expected_by_chance;
  sum.findings = static_cast<int>(v.findings.size());
  sum.roadmap_tests = static_cast<int>(v.roadmap.queue.size());

  const std::string notice = ownership_notice(client, opt.agency);
  const Json summary = summary_json(client, opt.date, v, sum, notice);
  sum.dir = client_reports_dir(ws, client_slug, opt.date);
  const Json previous = previous_summary(sum, opt.date);
  const std::vector<std::string> changes =
      previous.is_null() ? std::vector<std::string>{} : client_summary_changes(previous, summary);

  const std::vector<Section> sections{
      scope_section(v, sum, opt.date), holds_section(v),
      does_not_hold_section(v),        budget_section(v),
      roadmap_section(v.roadmap),      changes_section(previous, changes, sum.previous_date)};
  const TopFindings top = top_findings(v, sections);
  sum.markdown = client_markdown(client, opt.date, sum, sections, top, v.rep, notice);

  write_text_files(sum, opt, previous, summary);
  if (opt.formats.count("pdf")) write_pdf(sum, client, opt, sections, top, v);
  if (opt.formats.count("html")) write_dashboard(sum, client, opt, notice, sections, v.tags);
  return sum;
}

}  // namespace rumi::report
