#include "report/pdf_reports.h"

#include "core/ownership_notice.h"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.h"
#include "core/json.h"
#include "core/ownership_notice.h"
#include "features/feature_catalog.h"
#include "report/creative_guide.h"
#include "report/example_cover.h"
#include "report/pdf_chart.h"
#include "report/pdf_document.h"
#include "report/qr_code.h"
#include "report/sample_size.h"
#include "report/shot_list.h"
#include "report/svg_chart.h"
#include "report/wording.h"

namespace rumi::report {

namespace fs = std::filesystem;

std::vector<std::pair<Bucket, Pattern>> ranked_patterns(const HashtagInputs& in) {
  std::vector<std::pair<Bucket, Pattern>> all;
  for (const auto& b : in.buckets)
    for (const auto& p : b.patterns) all.emplace_back(b.bucket, p);
  std::stable_sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
    if (evidence_rank(x.second.evidence) != evidence_rank(y.second.evidence))
      return evidence_rank(x.second.evidence) < evidence_rank(y.second.evidence);
    const double qx = std::isfinite(x.second.q_value) ? x.second.q_value : 1.0;
    const double qy = std::isfinite(y.second.q_value) ? y.second.q_value : 1.0;
    if (qx != qy) return qx < qy;
    return std::fabs(x.second.lift) > std::fabs(y.second.lift);
  });
  return all;
}

namespace {

const TextStyle kBody{};
const TextStyle kSmall{.size = 8, .color = kBrandSecondary, .max_lines = 3};
const TextStyle kBold{.size = 9.5, .bold = true, .max_lines = 2, .space_after = 1};
const TextStyle kBullet{.size = 9.5, .max_lines = 3, .indent = 10, .space_after = 3};

std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

int total_videos(const HashtagInputs& in) {
  int n = 0;
  for (const auto& b : in.buckets) n += b.sample_size;
  return n;
}

// What the bucket report next to the PDF (insights/bucket_performance.h) says: the leading tier
// (every bucket that no significant step separates from the best one), and each bucket's average
// ER and video count as the tiers were tested on them. Empty without a report.
struct WrittenRanking {
  std::set<std::string> leading;
  std::map<std::string, std::pair<double, int>> avg_and_n;  // bucket -> (avg ER %, videos)
};

WrittenRanking written_ranking(const fs::path& report_dir) {
  WrittenRanking out;
  const fs::path file = report_dir / "bucket_performance_report.json";
  if (!fs::is_regular_file(file)) return out;
  const Json r = read_json_file(file);
  if (r.contains("leading_buckets") && r["leading_buckets"].is_array())
    for (const Json& b : r["leading_buckets"])
      if (b.is_string()) out.leading.insert(b.get<std::string>());
  if (r.contains("bucket_performance_ranking") && r["bucket_performance_ranking"].is_array())
    for (const Json& row : r["bucket_performance_ranking"])
      if (row.is_object() && row.contains("bucket") && row["bucket"].is_string() &&
          row.contains("avg_engagement_rate") && row["avg_engagement_rate"].is_number())
        out.avg_and_n[row["bucket"].get<std::string>()] = {row["avg_engagement_rate"].get<double>(),
                                                           row.value("sample_size", 0)};
  return out;
}

// The bucket ranking as a chart: ranked buckets by average ER, best first, then the buckets with
// too few videos, greyed and labelled, in bucket order whatever their average says (an average
// of 14 videos ranks nothing). The accent colour marks the leading tier, so a bucket whose
// difference from the best is not significant is never drawn as beaten; without a bucket report,
// rank 1 alone. With a report, the bars show its averages and counts (the statistics its tiers
// were tested on, which may describe more videos than were analysed), so bars and tiers agree
// with each other and with the client report across hashtags.
void bucket_chart(FlowLayout& flow, const HashtagInputs& in, const WrittenRanking& written) {
  struct Row {
    Bucket bucket;
    double value;
    int videos;
    bool insufficient;
  };
  std::vector<Row> rows;
  for (const auto& b : in.buckets) {
    if (!b.performance || !std::isfinite(b.performance->avg_er)) continue;
    Row r{b.bucket, b.performance->avg_er, b.performance->sample_size > 0 ? b.performance->sample_size : b.sample_size,
          b.insufficient};
    if (const auto w = written.avg_and_n.find(std::string(bucket_name(b.bucket))); w != written.avg_and_n.end()) {
      r.value = w->second.first;
      if (w->second.second > 0) r.videos = w->second.second;
    }
    rows.push_back(r);
  }
  if (rows.empty()) {
    flow.text("No bucket has performance metrics yet.", kSmall);
    return;
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.insufficient != b.insufficient) return !a.insufficient;
    return !a.insufficient && a.value > b.value;
  });
  const std::set<std::string>& leading = written.leading;
  PdfBarChart c;
  c.axis_label = "average engagement rate per video (%): likes, comments and shares per view";
  int rank = 0;
  for (const Row& r : rows) {
    PdfBar bar;
    bar.value = r.value;
    bar.value_label = fmt::format("{} \u00b7 n {}", er_percent(r.value), r.videos);
    if (r.insufficient) {
      bar.label = std::string(bucket_name(r.bucket));
      bar.value_label += " \u00b7 too few videos, not ranked";
      bar.shade = BarShade::muted;
    } else {
      ++rank;
      bar.label = fmt::format("{}. {}", rank, bucket_name(r.bucket));
      const bool leads = leading.empty() ? rank == 1 : leading.count(std::string(bucket_name(r.bucket))) > 0;
      bar.shade = leads ? BarShade::highlight : BarShade::normal;
      if (leads && rank > 1) bar.value_label += " \u00b7 in the leading tier";
    }
    c.bars.push_back(std::move(bar));
  }
  if (flow.block(bar_chart_height(c) + 4,
                 [&](cairo_t* cr, double x, double y, double w) { draw_bar_chart(cr, c, x, y, w); }))
    for (const auto& b : c.bars) flow.record_text(b.label + ": " + b.value_label + ".");
}

// A pattern has a with/without comparison to draw when its lift was measured on real medians.
bool has_comparison(const Pattern& p) {
  return lift_measured(p) && std::isfinite(p.er_favoured) && std::isfinite(p.er_others) && p.er_others > 0 &&
         p.er_favoured >= 0;
}

// Engagement lift first (the headline number), then prevalence, then the test behind the label.
// Short sentences: a reader takes in one number at a time (and the readability floor of the
// client report holds, tests/report/brief_test.cc).
// The medians are left out when a with/without chart next to the text shows them.
std::string full_statistics(const Pattern& p, int family_size, bool with_medians) {
  std::string s = lift_measured(p) ? "Engagement lift " : "";
  s += lift_with_range(p);
  s += ".";
  if (with_medians && lift_measured(p) && std::isfinite(p.er_others) && p.er_others > 0) {
    s += " Median engagement rate ";
    s += er_percent(p.er_favoured);
    s += " vs ";
    s += er_percent(p.er_others);
    s += ".";
  }
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on " " + std::string chains.
  if (const std::string prev = prevalence_text(p); !prev.empty()) {
    s += ' ';
    s += capitalize(prev);
    s += '.';
  }
  s += ' ';
  s += pattern_statistics(p, family_size);
  s += '.';
  if (!p.supporting_models.empty()) {
    s += " Confirmed by: ";
    for (std::size_t i = 0; i < p.supporting_models.size(); ++i) {
      if (i) s += ", ";
      s += p.supporting_models[i];
    }
    s += '.';
  }
  return s;
}

int family_of(const HashtagInputs& in, Bucket b) {
  const BucketInputs* x = in.find(b);
  return x ? x->family_size : 0;
}

}  // namespace

namespace {

// "Cost of the data: the Apify scrape cost $0.04; analysing 733 videos took under a minute of
// computer time."
std::string cost_sentence(const HashtagInputs& in) {
  std::string s = "Cost of the data: ";
  if (!in.apify_scraped)
    s += "the videos came from an export file (no scrape this run); ";
  else if (in.apify_usage_usd)
    s += fmt::format("the Apify scrape cost ${:.2f}; ", *in.apify_usage_usd);
  else
    s += "Apify did not report the scrape's cost; ";
  // Coarse on purpose: the measured time varies from run to run by seconds, and a report made
  // from the same inputs and seed must not change its bytes for that (the run manifest keeps the
  // exact seconds).
  const double minutes = in.analysis_seconds / 60;
  s += fmt::format("analysing {} videos took {} of computer time", in.analysed_videos,
                   minutes < 1     ? std::string("under a minute")
                   : minutes < 120 ? fmt::format("about {:.0f} min", minutes)
                                   : fmt::format("about {:.1f} hours", minutes / 60));
  if (in.llm_input_tokens + in.llm_output_tokens > 0)
    s += fmt::format("; polishing the strategy texts used {} LLM tokens", in.llm_input_tokens + in.llm_output_tokens);
  return s + ".";
}

}  // namespace

namespace {

// At most this many top patterns on page 1, fewer when they do not fit its budget; the
// dashboard shows every one.
constexpr std::size_t kTopPatternsInClientReport = 8;

void client_scope(FlowLayout& flow, const HashtagInputs& in) {
  flow.heading("Analysis scope");
  int with_model = 0, strong = 0, moderate = 0, emerging = 0;
  std::string per_bucket;
  for (const auto& b : in.buckets) {
    if (!b.insufficient) ++with_model;
    for (const auto& p : b.patterns) {
      strong += p.evidence == Evidence::strong;
      moderate += p.evidence == Evidence::moderate;
    }
    emerging += static_cast<int>(b.hypotheses.size());
    per_bucket += fmt::format("{}{} {} videos{}", per_bucket.empty() ? "" : "; ", bucket_name(b.bucket), b.sample_size,
                              b.insufficient ? " (insufficient data)" : (b.exploratory ? " (exploratory)" : ""));
  }
  flow.text(fmt::format("\u2713 {} videos analysed in {} duration buckets: {}.", total_videos(in), in.buckets.size(),
                        per_bucket.empty() ? "none" : per_bucket),
            kBullet);
  flow.text(fmt::format("\u2713 {} buckets with enough videos for models and statistical tests.", with_model), kBullet);
  if (in.metadata_only) flow.text("\u2713 " + std::string(kMetadataOnlyNote), kBullet);
  if (in.native_content) flow.text("\u2713 " + std::string(kNativeContentNote), kBullet);
  flow.text("\u2713 " + cost_sentence(in), kBullet);
  flow.text(fmt::format("\u2713 Evidence-backed elements: {} STRONG, {} MODERATE; {} hypotheses to test (not yet "
                        "significant, see \"What we need to learn next\").",
                        strong, moderate, emerging),
            kBullet);
  for (const auto& b : in.buckets)
    if (b.insufficient)
      flow.text(fmt::format("\u26a0 {}: only {} videos \u2014 not analysed (at least {} needed). Collect more videos "
                            "of this length.",
                            bucket_name(b.bucket), b.sample_size, kMinVideosForModel),
                TextStyle{.color = kBrandWarning, .max_lines = 2, .indent = 10});
}

void client_bucket_ranking(FlowLayout& flow, const HashtagInputs& in, const fs::path& report_dir) {
  flow.heading("Bucket ranking by average engagement rate");
  bucket_chart(flow, in, written_ranking(report_dir));
}

// "Tested and rejected (left out of the strategies): ...", when a controlled test rejected any.
std::string rejected_patterns_line(const HashtagInputs& in) {
  std::string rejected;
  for (const auto& b : in.buckets)
    for (const auto& p : b.rejected) {
      const auto* n = find_validation(in.validations, p.feature);
      rejected += fmt::format("{}{} ({}, {})", rejected.empty() ? "" : "; ", capitalize(pattern_subject(p)),
                              bucket_name(b.bucket), n ? n->phrase : std::string("rejected"));
    }
  return rejected.empty() ? rejected : "Tested and rejected (left out of the strategies): " + rejected + ".";
}
const TextStyle kRejected{.size = 8.5, .color = kBrandWarning, .max_lines = 4};

// ---- Page budgets ----------------------------------------------------------------------------
//
// Page 1 is the evidence: scope, the bucket ranking chart, then as many top patterns as the rest
// of the page holds. Page 2 is the plan: roadmap, strategies, what to learn next, model quality,
// next steps, sharing the page by weight. A section that needs less than its share gives the
// rest to the others; one that needs more is cut at a whole item, and one line says how many
// more items the dashboard shows and where it is. So the report never runs past two pages and
// never ends mid-sentence, however many patterns or strategies there are.

const TextStyle kMore{.size = 8, .bold = true, .color = kBrandPrimary, .max_lines = 2, .indent = 10};

std::string more_line(std::size_t n, std::string_view what, std::string_view dashboard) {
  if (dashboard.empty()) return fmt::format("{} more {} in the Markdown and JSON report.", n, what);
  return fmt::format("{} more {} in the dashboard: {} (in this report's folder).", n, what, dashboard);
}

struct Piece {
  std::string text;
  TextStyle style;
};

// A section of page 2: heading and intro and outro always drawn, items cut at a whole item.
struct Section {
  std::string heading{};
  std::vector<Piece> intro{};
  std::vector<Piece> items{};
  std::vector<Piece> outro{};
  std::string items_name{};  // "strategies": "3 more strategies in the dashboard: ..."
  double weight = 1;         // its share of the page when the page is short
};

double pieces_height(const FlowLayout& flow, const std::vector<Piece>& v) {
  double h = 0;
  for (const auto& p : v) h += flow.measure_text(p.text, p.style);
  return h;
}

// A heading is kept with what follows it (FlowLayout::heading wants 48 pt free), so no section
// may plan for less.
constexpr double kMinSectionHeight = 48;

double section_fixed_height(const FlowLayout& flow, const Section& s) {
  return flow.measure_heading(s.heading) + pieces_height(flow, s.intro) + pieces_height(flow, s.outro);
}

double section_need(const FlowLayout& flow, const Section& s) {
  return std::max(kMinSectionHeight, section_fixed_height(flow, s) + pieces_height(flow, s.items));
}

// Shares `room` by weight; a section that needs less than its share keeps only its need and the
// rest is shared again among the others (water-filling), so no point of the page is wasted on a
// short section while a long one is cut.
std::vector<double> page_budgets(const std::vector<double>& need, const std::vector<double>& weight, double room) {
  std::vector<double> budget(need.size(), 0);
  std::vector<bool> settled(need.size(), false);
  double left = room;
  for (;;) {
    double wsum = 0;
    for (std::size_t i = 0; i < need.size(); ++i)
      if (!settled[i]) wsum += weight[i];
    if (wsum <= 0) break;
    bool any = false;
    const double share_unit = left / wsum;
    for (std::size_t i = 0; i < need.size(); ++i)
      if (!settled[i] && need[i] <= share_unit * weight[i]) {
        budget[i] = need[i];
        left -= need[i];
        settled[i] = true;
        any = true;
      }
    if (!any) {
      for (std::size_t i = 0; i < need.size(); ++i)
        if (!settled[i]) budget[i] = share_unit * weight[i];
      break;
    }
  }
  return budget;
}

// How many of the items (heights `h`) fit in `room`, keeping room for the "N more" line
// (height `more_h`) whenever some are left out; `more_anyway` when items beyond `h` exist.
std::size_t items_that_fit(const std::vector<double>& h, double room, double more_h, bool more_anyway = false) {
  double used = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    // The last item may use the room the "more" line would have taken.
    const double after = i + 1 < h.size() || more_anyway ? more_h : 0;
    if (used + h[i] + after > room + 1e-6) return i;
    used += h[i];
  }
  return h.size();
}

void draw_section(FlowLayout& flow, const Section& s, double budget, std::string_view dashboard) {
  flow.heading(s.heading);
  for (const auto& p : s.intro) flow.text(p.text, p.style);
  std::vector<double> h;
  for (const auto& p : s.items) h.push_back(flow.measure_text(p.text, p.style));
  const double more_h = flow.measure_text(more_line(s.items.size(), s.items_name, dashboard), kMore);
  const std::size_t shown = items_that_fit(h, budget - section_fixed_height(flow, s), more_h);
  for (std::size_t i = 0; i < shown; ++i) flow.text(s.items[i].text, s.items[i].style);
  if (shown < s.items.size()) flow.text(more_line(s.items.size() - shown, s.items_name, dashboard), kMore);
  for (const auto& p : s.outro) flow.text(p.text, p.style);
}

void draw_page(FlowLayout& flow, const std::vector<Section>& sections, std::string_view dashboard) {
  std::vector<double> need, weight;
  for (const auto& s : sections) {
    need.push_back(section_need(flow, s));
    weight.push_back(s.weight);
  }
  const auto budget = page_budgets(need, weight, flow.room());
  for (std::size_t i = 0; i < sections.size(); ++i) draw_section(flow, sections[i], budget[i], dashboard);
}

// ---- Page 1: top patterns, each with its with/without bars ------------------------------------

constexpr double kStatsShare = 0.56;  // of the column: the statistics left, the bars right
const TextStyle kPatternStats{.size = 7.5, .color = kBrandSecondary, .max_lines = 5, .space_after = 0};
const TextStyle kPatternNote{.size = 8, .color = kBrandWarning, .max_lines = 2, .indent = 10};

const TextStyle kPatternAlso{.size = 8, .color = kBrandSecondary, .max_lines = 2, .indent = 10};

struct PatternItem {
  std::string headline, stats, note;
  std::string also;  // the elements folded into this one (ranked_ideas)
  bool chart = false;
  PairedBars bars;
};

double stats_width(const FlowLayout& flow, bool chart) {
  return chart ? (flow.column_width() - 10) * kStatsShare : flow.column_width() - 10;
}

// The statistics and the bars side by side: whichever is taller sets the height.
double pattern_body_height(const FlowLayout& flow, const PatternItem& it) {
  TextStyle measure = kPatternStats;
  measure.indent = flow.column_width() - stats_width(flow, it.chart);
  return std::max(flow.measure_text(it.stats, measure), it.chart ? paired_bars_height() + 2 : 0.0) + 5;
}

double pattern_item_height(const FlowLayout& flow, const PatternItem& it) {
  return flow.measure_text(it.headline, kBold) + pattern_body_height(flow, it) +
         (it.note.empty() ? 0 : flow.measure_text(it.note, kPatternNote)) +
         (it.also.empty() ? 0 : flow.measure_text(it.also, kPatternAlso));
}

void draw_pattern_item(FlowLayout& flow, const PatternItem& it) {
  flow.text(it.headline, kBold);
  const double sw = stats_width(flow, it.chart);
  if (flow.block(pattern_body_height(flow, it), [&](cairo_t* cr, double x, double y, double w) {
        auto l = make_layout(cr, it.stats, kPatternStats, sw);
        set_color(cr, kPatternStats.color);
        cairo_move_to(cr, x + 10, y);
        pango_cairo_show_layout(cr, l.get());
        if (it.chart) draw_paired_bars(cr, it.bars, x + 10 + sw + 8, y + 1, w - 10 - sw - 8);
      })) {
    flow.record_text(it.stats);
    if (it.chart)
      flow.record_text(it.bars.with_label + ": " + it.bars.with_text + ". " + it.bars.without_label + ": " +
                       it.bars.without_text + ".");
  }
  if (!it.note.empty()) flow.text(it.note, kPatternNote);
  if (!it.also.empty()) flow.text(it.also, kPatternAlso);
}

// One item per idea: an element that is one idea with a stronger one of its bucket (it ranks
// the videos almost alike, or goes with engagement only as far as it moves with the stronger
// one) is not a second finding, so it gets no item of its own; the stronger one's item names it.
// Returns the items of the elements that stand on their own, best first (an idea ranks where its
// best element does: idea_order), each with the subjects folded into it.
struct RankedIdea {
  Bucket bucket{};
  const Pattern* pattern = nullptr;
  std::vector<std::string> folded;  // subjects of the elements that are one idea with it
};
std::vector<RankedIdea> ranked_ideas(const HashtagInputs& in, const std::vector<std::pair<Bucket, Pattern>>& ranked) {
  std::vector<std::pair<const BucketInputs*, std::string>> items;
  for (const auto& [bucket, p] : ranked) items.emplace_back(in.find(bucket), p.feature);
  std::vector<RankedIdea> ideas;
  std::map<std::pair<const BucketInputs*, std::string>, std::size_t> index;  // a root's idea
  for (std::size_t i : idea_order(items)) {
    const auto& [bucket, p] = ranked[i];
    const BucketInputs* bi = items[i].first;
    const auto root = bi ? index.find({bi, idea_root_of(*bi, p.feature)}) : index.end();
    if (root != index.end() && root->first.second != p.feature) {
      ideas[root->second].folded.push_back(pattern_subject(p));
      continue;
    }
    index[{bi, p.feature}] = ideas.size();
    ideas.push_back({bucket, &p, {}});
  }
  return ideas;
}

std::vector<PatternItem> pattern_items(const HashtagInputs& in, const std::vector<RankedIdea>& ideas) {
  std::vector<PatternItem> items;
  double scale = 0;
  for (std::size_t i = 0; i < ideas.size() && i < kTopPatternsInClientReport; ++i) {
    const Bucket bucket = ideas[i].bucket;
    const Pattern& p = *ideas[i].pattern;
    const BucketInputs* bi = in.find(bucket);
    PatternItem it;
    it.headline =
        fmt::format("{}{} \u00b7 {}{} \u00b7 {}", bucket_name(bucket), bi && bi->exploratory ? " (exploratory)" : "",
                    evidence_name(p.evidence), validation_suffix(in.validations, p.feature), pattern_who(p));
    it.chart = has_comparison(p);
    it.stats = full_statistics(p, family_of(in, bucket), !it.chart);
    if (vanishes_after_adjustment(p)) it.note = adjustment_note(p).substr(1);
    if (const auto& f = ideas[i].folded; !f.empty()) {
      // Two lines at most: the three strongest by name, the rest counted (the dashboard has all).
      const std::vector<std::string> named(f.begin(),
                                           f.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(f.size(), 3)));
      it.also = "The same signal, not counted again: " + join(named, "; ") +
                (f.size() > named.size() ? fmt::format("; and {} more", f.size() - named.size()) : std::string()) + ".";
    }
    if (it.chart) {
      const auto [n_with, n_others] = comparison_counts(p);
      it.bars.with_value = p.er_favoured;
      it.bars.without_value = p.er_others;
      it.bars.with_text = fmt::format("{} (n {})", er_percent(p.er_favoured), n_with);
      it.bars.without_text = fmt::format("{} (n {})", er_percent(p.er_others), n_others);
      scale = std::max({scale, p.er_favoured, p.er_others});
    }
    items.push_back(std::move(it));
  }
  // One scale for every pair, so a longer bar is a higher rate in any two of them.
  const double end = nice_ticks(scale).back();
  for (auto& it : items) it.bars.max_value = end;
  return items;
}

void client_top_patterns(FlowLayout& flow, const HashtagInputs& in, std::string_view dashboard) {
  flow.heading("Top findings with full statistics");
  const auto ranked = ranked_patterns(in);
  const std::vector<RankedIdea> ideas = ranked_ideas(in, ranked);
  if (ranked.empty())
    flow.text(
        "No creative element separated the top videos from the rest with statistical confidence at the "
        "current sample sizes. We recommend collecting more videos before changing the creative approach; "
        "the testing roadmap below is limited accordingly.",
        TextStyle{.color = kBrandWarning, .max_lines = 4});
  const std::vector<PatternItem> items = pattern_items(in, ideas);
  if (!ranked.empty())
    flow.text(std::string(kLiftMeaning), TextStyle{.size = 8, .color = kBrandSecondary, .max_lines = 5});
  const bool any_chart = std::any_of(items.begin(), items.end(), [](const PatternItem& it) { return it.chart; });
  if (any_chart) {
    const double end = items.front().bars.max_value;
    const std::string caption = fmt::format("median engagement rate of each group; one scale for all, 0 to {} %",
                                            svg_number(end, end == std::floor(end) ? 0 : 1));
    if (flow.block(pair_legend_height() + 4, [&](cairo_t* cr, double x, double y, double w) {
          draw_pair_legend(cr, x + 10, y, w - 10, "videos that do it", "the others", caption);
        }))
      flow.record_text("Bars: median engagement rate, videos that do it vs the others.");
  }
  // Page 1's budget: what is left of it after the rejected-patterns line.
  const std::string rejected = rejected_patterns_line(in);
  const double outro = rejected.empty() ? 0 : flow.measure_text(rejected, kRejected);
  std::vector<double> h;
  for (const auto& it : items) h.push_back(pattern_item_height(flow, it));
  const double more_h = flow.measure_text(more_line(ideas.size(), "findings", dashboard), kMore);
  // Findings beyond kTopPatternsInClientReport are left out even when they would fit.
  const std::size_t shown = items_that_fit(h, flow.room() - outro, more_h, ideas.size() > items.size());
  for (std::size_t i = 0; i < shown; ++i) draw_pattern_item(flow, items[i]);
  if (shown < ideas.size()) flow.text(more_line(ideas.size() - shown, "findings", dashboard), kMore);
  if (!rejected.empty()) flow.text(rejected, kRejected);
}

// ---- Page 2: the plan ---------------------------------------------------------------------------

// The shortfall's first two sentences (how many strategies, and the themes with no finding):
// three small lines hold no more, and a reason cut mid-sentence is no reason. The rest of the
// reasons are in the dashboard (and strategies/index.json), and the line says so.
std::string shortfall_lead(std::string_view full, std::string_view dashboard) {
  std::size_t end = 0;
  for (int sentence = 0; sentence < 2; ++sentence) {
    const std::size_t dot = full.find(". ", end);
    if (dot == std::string_view::npos) return std::string(full);
    end = dot + 1;
  }
  return std::string(full.substr(0, end)) + " Why the other findings were left out: " +
         (dashboard.empty() ? std::string("strategies/index.json") : std::string(dashboard)) + ".";
}

// Phase 1 (Billo tests) and phase 2 (affiliates); the strategies follow as their own section.
Section client_testing_roadmap(const StrategySet& strategies, std::string_view dashboard) {
  Section sec{.heading = "Testing roadmap", .weight = 1};
  const std::size_t n = strategies.strategies.size();
  if (n == 0) {
    sec.intro.push_back(
        {"No strategy can be tested yet: no evidence-backed pattern exists. Next step: collect more "
         "videos per duration bucket and re-run the analysis.",
         TextStyle{.color = kBrandWarning, .max_lines = 3}});
    return sec;
  }
  sec.intro.push_back(
      {fmt::format("Phase 1 \u2014 Billo validation: {} creative strategies, each piloted as {} test and "
                   "{} control videos; 'rumi validate create' sizes the full test (about {} videos per "
                   "arm).",
                   n, kBilloTestVideos, kBilloControlVideos, typical_videos_per_arm()),
       kBullet});
  sec.intro.push_back(
      {"Phase 2 \u2014 Affiliate rollout: only strategies whose test videos beat their controls go to "
       "affiliates, as Affiliate Creative Briefs.",
       kBullet});
  const auto proven = std::count_if(strategies.strategies.begin(), strategies.strategies.end(),
                                    [](const Strategy& s) { return s.proven; });
  if (proven == 0)
    sec.intro.push_back({std::string(kAffiliateBriefsPending), kSmall});
  else
    sec.intro.push_back(
        {fmt::format("{} of {} strategies are validated by Billo tests; their Affiliate Creative Briefs "
                     "are ready.",
                     proven, n),
         kSmall});
  if (!strategies.shortfall.empty())
    sec.intro.push_back({shortfall_lead(strategies.shortfall, dashboard),
                         TextStyle{.size = 8, .color = kBrandSecondary, .max_lines = 5}});
  return sec;
}

Section client_priority_strategies(const StrategySet& strategies) {
  Section sec{.heading = "Priority creative strategies", .items_name = "strategies", .weight = 3};
  // The title names the bucket ("(61-90-second videos)"); the line adds the evidence, the
  // engagement lift and how common it is among the top videos.
  for (const auto& s : strategies.strategies) {
    const std::string prevalence = prevalence_text(s.primary);
    sec.items.push_back(
        {fmt::format("{}. {} \u2014 {}{} \u00b7 {}{}{}{}", s.rank, s.title, evidence_name(s.primary.evidence),
                     validation_suffix(s.validations, s.primary.feature),
                     lift_measured(s.primary) ? "engagement lift " : "", lift_with_range(s.primary),
                     prevalence.empty() ? "" : "; " + prevalence, s.exploratory ? " \u00b7 exploratory bucket" : ""),
         kBullet});
  }
  return sec;
}

// Short version of what_to_learn_next.md: one line per bucket.
Section client_learn_next(const HashtagInputs& in) {
  Section sec{.heading = "What we need to learn next", .items_name = "buckets", .weight = 1.5};
  for (const auto& b : in.buckets) {
    std::string line(bucket_name(b.bucket));
    line += ": ";
    // Three lines hold one example: the first hypothesis; held-back findings are counted with
    // their first reason (what_to_learn_next.md names each).
    if (!b.hypotheses.empty()) {
      line += fmt::format("{} hypothes{} to test (not yet significant), e.g. \"{}\"; ", b.hypotheses.size(),
                          b.hypotheses.size() == 1 ? "is" : "es", pattern_who(b.hypotheses.front()));
    }
    if (const auto back = held_back_in(b); !back.empty())
      line += fmt::format("{} significant finding{} not briefed ({}); ", back.size(), back.size() == 1 ? "" : "s",
                          back.front().reason);
    line += "detecting a realistic effect takes " + videos_needed_text(b) + ".";
    sec.items.push_back({line, kBullet});
  }
  sec.outro.push_back(
      {fmt::format("Planning rule: Spearman rho {} at {:.0f} % power, two-sided alpha {} split over the "
                   "bucket's elements (Bonferroni, conservative), Fisher z. Full list: {}.",
                   kPlanningRho, kPlanningPower * 100, kPlanningAlpha, kLearnNextFile),
       kSmall});
  return sec;
}

Section client_model_quality(const HashtagInputs& in) {
  Section sec{.heading = "Model quality and method", .items_name = "buckets", .weight = 1.5};
  for (const auto& b : in.buckets) {
    if (b.insufficient || (!b.cv_r2 && !(b.forest_skill && b.forest_skill->run))) continue;
    std::string line(bucket_name(b.bucket));
    line += ":";
    if (b.cv_r2) line += " cross-validated R\u00b2 " + two_decimals(*b.cv_r2);
    if (b.forest_skill && b.forest_skill->run)
      line += fmt::format("{} forest beats chance on held-out videos: {} (p {})", b.cv_r2 ? ";" : "",
                          b.forest_skill->passed ? "yes" : "no", p_value_text(b.forest_skill->p_value));
    sec.items.push_back({line, kBullet});
  }
  sec.outro.push_back(
      {"Each creative element is tested once against engagement rate over all videos of its bucket (Spearman rank "
       "correlation, or Mann-Whitney U for elements a video has or not); q-values correct for the number of elements "
       "tested (Benjamini-Hochberg). STRONG also needs the bucket's model to predict held-out videos better than "
       "chance. Ranges are BCa bootstrap intervals. Findings describe what videos that do it had, not what doing it "
       "causes. Decision-tree rules are in the analyst appendix (not validated).",
       TextStyle{.size = 8, .color = kBrandSecondary, .max_lines = 5}});
  return sec;
}

Section client_next_steps(const config::BrandInputs& brand) {
  Section sec{.heading = "Next steps", .weight = 1};
  const auto missing = config::missing_brand_fields(brand);
  std::string next = "Review and approve the testing approach. ";
  if (missing.empty()) {
    next += "The creator briefs carry your brand inputs; check them. ";
  } else {
    std::vector<std::string> labels;
    for (const auto& m : missing) labels.push_back(config::brand_field_label(m));
    next += "Send what the creator briefs still lack: " + join(labels, ", ") + ". ";
  }
  next += "Then start the Billo round with the strategies above.";
  sec.intro.push_back({next, kBody});
  return sec;
}

}  // namespace

PdfResult write_client_report_pdf(const fs::path& path, const HashtagInputs& in, const StrategySet& strategies,
                                  const ReportMeta& meta, std::string_view dashboard) {
  PdfDocument doc;
  doc.set_dates(meta.date);
  FlowLayout flow(doc,
                  {"RumiAI \u00b7 Creative Strategy Report",
                   meta.client + " \u00b7 " + hashtag_tag(meta.hashtag) + " \u00b7 " + meta.date,
                   ownership_notice_line(meta.client, meta.brand.agency)},
                  kMaxPdfPages);
  flow.text(
      fmt::format("Client: {}   Hashtag: {}   Analysis date: {}", meta.client, hashtag_tag(meta.hashtag), meta.date),
      kBold);
  client_scope(flow, in);
  client_bucket_ranking(flow, in, path.parent_path());
  client_top_patterns(flow, in, dashboard);
  flow.page_break();
  std::vector<Section> plan{client_testing_roadmap(strategies, dashboard)};
  if (!strategies.strategies.empty()) plan.push_back(client_priority_strategies(strategies));
  plan.push_back(client_learn_next(in));
  plan.push_back(client_model_quality(in));
  plan.push_back(client_next_steps(meta.brand));
  draw_page(flow, plan, dashboard);
  flow.finish();
  doc.save(path.string());
  return {path, flow.pages(), flow.truncated(), flow.plain_text(), flow.cut_short()};
}

namespace {

// "Not in the brand inputs yet: ask <contact> (we do not guess it)." for one missing field.
std::string missing_note(const config::BrandInputs& b, std::string_view key) {
  std::string s = "Not given yet: ";
  s += config::brand_field_label(key);
  s += ". Ask ";
  s += b.agency_contact.empty() ? std::string("the agency") : b.agency_contact;
  s += " before you film.";
  return s;
}

const TextStyle kMissing{.color = kBrandWarning, .max_lines = 2, .indent = 10};

// Draws the logo (a PNG checked at config time and again here) scaled into a box; false when
// the file is gone or unreadable, so the brief simply has no logo.
bool draw_logo(FlowLayout& flow, const std::string& path) {
  if (!config::is_usable_logo(path)) return false;
  SurfacePtr img(cairo_image_surface_create_from_png(path.c_str()));
  if (cairo_surface_status(img.get()) != CAIRO_STATUS_SUCCESS) return false;
  const double w = cairo_image_surface_get_width(img.get()), h = cairo_image_surface_get_height(img.get());
  if (w <= 0 || h <= 0) return false;
  const double box_w = 150, box_h = 44;
  const double scale = std::min(box_w / w, box_h / h);
  flow.block(box_h + 6, [&](cairo_t* cr, double x, double y, double) {
    cairo_translate(cr, x, y);
    cairo_scale(cr, scale, scale);
    cairo_set_source_surface(cr, img.get(), 0, 0);
    cairo_paint(cr);
  });
  return true;
}

// The shot instruction of an element in the shot list ("Put the first text on screen within
// 0.7 s"), or the strategy's action when the shot list left it out.
std::string instruction_for(const ShotList& shots, const Pattern& p, Bucket b) {
  if (const Shot* shot = find_shot(shots, p.feature)) return shot->instruction;
  return strategy_action(p, b);
}

// What the control videos change: only the one element, said through its shot instruction so
// creator and strategist read the same thing.
std::string control_difference(const ShotList& shots, const Pattern& p, Bucket b) {
  return "they do not follow \u201c" + instruction_for(shots, p, b) + "\u201d; everything else stays the same";
}

// The example video of a brief: a QR code and its caption under a heading, or nothing when no
// video has a usable link.
struct ExamplePlan {
  std::string heading, caption, url;
  QrMatrix qr;
  const CoverFrame* still = nullptr;  // a frame of the video itself, when its file is on disk
};
constexpr double kExampleBlockHeight = 84;
constexpr double kStillWidth = 44;

ExamplePlan plan_example(const HashtagInputs& in, const Strategy& s, const std::string& instruction,
                         const std::map<std::string, CoverFrame>& covers) {
  // Prefer a video that shows the strategy's element; fall back to the bucket's best video and
  // say so, so the caption never claims what the video does not show.
  const BucketInputs* b = in.find(s.bucket);
  const ExampleVideo* ex = nullptr;
  if (b)
    if (auto it = b->examples.find(s.primary.feature); it != b->examples.end()) ex = &it->second;
  ExamplePlan plan;
  if (ex) {
    plan.url = ex->url;
    plan.caption = fmt::format(
        "Scan to watch the most engaging video of this length that does this ({}): {}. Its "
        "engagement rate was {}.",
        bucket_name(s.bucket), lower_first(instruction), er_percent(ex->er));
    if (const auto c = covers.find(ex->video_id); c != covers.end()) {
      plan.still = &c->second;
      plan.caption += fmt::format(" The picture is a still from that video at {} s.", whole_seconds(c->second.t));
    }
  } else if (!s.example_urls.empty()) {
    plan.url = s.example_urls.front();
    plan.caption = fmt::format(
        "Scan to watch a top video of this length ({}). We found no analysed video with a "
        "link that shows this idea, so watch it for the style, not the idea.",
        bucket_name(s.bucket));
  }
  if (plan.url.empty()) return {};
  plan.qr = encode_qr(plan.url);
  if (plan.qr.empty()) return {};
  plan.heading = ex ? "See it in a top video" : "A top video of this length";
  return plan;
}

double example_height(const FlowLayout& flow, const ExamplePlan& plan) {
  return plan.qr.empty() ? 0 : flow.measure_heading(plan.heading) + kExampleBlockHeight;
}

void example_video(FlowLayout& flow, const ExamplePlan& plan) {
  if (plan.qr.empty()) return;
  flow.heading(plan.heading);
  if (flow.block(kExampleBlockHeight, [&](cairo_t* cr, double x, double y, double w) {
        draw_qr(cr, plan.qr, x, y, 78);
        // The still beside the code: a 9:16 box as tall as the code, so the block keeps its height.
        const double text_x = plan.still ? x + 88 + kStillWidth + 10 : x + 90;
        if (plan.still) draw_cover_frame(cr, *plan.still, x + 88, y, kStillWidth, 78);
        TextStyle t{.size = 8.5, .max_lines = 5};
        auto l = make_layout(cr, plan.caption + "\n" + plan.url, t, x + w - text_x);
        set_color(cr, kTextColor);
        cairo_move_to(cr, text_x, y + 6);
        pango_cairo_show_layout(cr, l.get());
      }))
    flow.record_text(plan.caption + "\n" + plan.url);
}

// The strategy's element as a small with/without bar under the idea, when it fits on page 1
// with what still has to go there (`keep_free`): page 2 starts on its own, so it never pushes
// the brief past two pages.
void brief_comparison(FlowLayout& flow, const Pattern& p, double keep_free) {
  if (!has_comparison(p)) return;
  const std::string line = fmt::format("Videos that do this: median engagement rate {}; others: {}.",
                                       er_percent(p.er_favoured), er_percent(p.er_others));
  const double bars_h = paired_bars_height() + 8;
  if (flow.room() < flow.measure_text(line, kBody) + bars_h + keep_free) return;
  PairedBars bars;
  bars.with_value = p.er_favoured;
  bars.without_value = p.er_others;
  bars.with_label = "do this";
  bars.with_text = er_percent(p.er_favoured);
  bars.without_text = er_percent(p.er_others);
  bars.max_value = nice_ticks(std::max(p.er_favoured, p.er_others)).back();
  bars.label_width = 44;
  bars.value_width = 40;
  flow.text(line, kBody);
  flow.block(bars_h, [&](cairo_t* cr, double x, double y, double w) {
    draw_paired_bars(cr, bars, x + 10, y + 1, std::min(w - 10, 280.0));
  });
}

// What every section of one brief draws from: the strategy, the brand inputs and the shot list
// of the strategy's elements.
struct BriefContext {
  const HashtagInputs& in;
  const Strategy& s;
  const config::BrandInputs& b;
  std::string tag;  // "#nutrition"
  ShotList shots;
  std::string length;               // planned length in whole seconds
  std::string primary_instruction;  // the primary element as the shot list says it
};

BriefContext brief_context(const HashtagInputs& in, const Strategy& s, const ReportMeta& meta) {
  std::vector<Pattern> elements{s.primary};
  elements.insert(elements.end(), s.supporting.begin(), s.supporting.end());
  ShotList shots = build_shot_list(s.bucket, elements, features::feature_catalog(), 0, &meta.brand);
  const std::string length = whole_seconds(shots.length_s);
  const std::string primary = instruction_for(shots, s.primary, s.bucket);
  return {in, s, meta.brand, hashtag_tag(meta.hashtag), std::move(shots), length, primary};
}

// ---- Page 1: who we are, the brand, the product, its USPs, the audience, the idea ----

void brief_who_we_are(FlowLayout& flow, const BriefContext& c) {
  const config::BrandInputs& b = c.b;
  flow.heading("Who we are");
  std::string who = b.agency.empty() ? "We" : b.agency;
  if (!b.agency.empty() && !b.brand.empty()) who += " (the marketing agency of " + b.brand + ")";
  flow.text(fmt::format("{} studied {} {} TikTok videos to learn what the best ones do. This brief turns one "
                        "finding into a video you can film.",
                        who, total_videos(c.in), c.tag),
            kBody);
}

// The brand, the product, why people buy it and who it is for: the brand inputs as given, each
// missing one named with whom to ask.
void brief_brand_inputs(FlowLayout& flow, const config::BrandInputs& b) {
  flow.heading("The brand");
  if (b.brand.empty())
    flow.text(missing_note(b, "brand"), kMissing);
  else
    flow.text(b.about.empty() ? b.brand : b.brand + ". " + b.about, kBody);
  flow.heading("The product");
  if (b.product.empty())
    flow.text(missing_note(b, "product"), kMissing);
  else
    flow.text(b.product_description.empty() ? b.product : b.product + ". " + b.product_description, kBody);
  flow.heading("Why people buy it");
  if (b.usps.empty()) flow.text(missing_note(b, "usps"), kMissing);
  for (const auto& u : b.usps) flow.text("\u2713 " + u, kBullet);
  flow.heading("Who it is for");
  if (b.target_audience.empty())
    flow.text(missing_note(b, "target_audience"), kMissing);
  else
    flow.text(b.target_audience, kBody);
}

void brief_idea(FlowLayout& flow, const BriefContext& c) {
  const Strategy& s = c.s;
  flow.heading("The idea in one sentence");
  std::string idea =
      fmt::format("Film a {}-second video{} and {}.", c.length,
                  c.b.product.empty() ? std::string() : " about " + c.b.product, lower_first(c.primary_instruction));
  flow.text(idea, TextStyle{.size = 10.5, .bold = true, .max_lines = 3});
  std::string why = "Why: top videos of this length do this more often.";
  if (lift_measured(s.primary) && s.primary.lift > 0)
    why = fmt::format("Why: videos that do this had an engagement lift of {} over the others.",
                      signed_percent(s.primary.lift));
  // How common it is among the top videos: a creator sees it is what the best videos do.
  if (const std::string prevalence = prevalence_text(s.primary); !prevalence.empty())
    why += " " + capitalize(prevalence) + ".";
  flow.text(why, kBody);
  if (vanishes_after_adjustment(s.primary))
    flow.text(adjustment_note(s.primary).substr(1), TextStyle{.color = kBrandWarning, .max_lines = 3});
  flow.text("Confidence: " + simple_confidence(s.primary.evidence) +
                validation_suffix(s.validations, s.primary.feature) + ".",
            kBody);
  if (s.exploratory)
    flow.text(fmt::format("This comes from an exploratory bucket (fewer than {} videos). Test it before you scale it.",
                          kMinVideosForFullAnalysis),
              TextStyle{.color = kBrandWarning, .max_lines = 2});
}

// ---- Page 2: the creative direction ----

void brief_shot_list(FlowLayout& flow, const BriefContext& c) {
  flow.heading(fmt::format("Shot list for a {}-second video", c.length));
  for (const ShotSection& sec : c.shots.sections) {
    flow.text(sec.label + " (" + sec.timing + ")", kBold);
    if (sec.shots.empty() && !sec.empty_note.empty()) flow.text(sec.empty_note, kBullet);
    for (const Shot& shot : sec.shots) {
      std::string line = shot.timing;
      line.append(": ").append(shot.instruction).append(".");
      if (!shot.target.empty()) line.append(" ").append(capitalize(shot.target)).append(".");
      flow.text(line, kBullet);
    }
  }
}

// Hook, middle and end text from the key messages, USPs and call to action; none invented.
void brief_on_screen_text(FlowLayout& flow, const config::BrandInputs& b) {
  flow.heading("On-screen text ideas");
  int n = 0;
  if (!b.key_messages.empty()) {
    flow.text("Hook: \u201c" + b.key_messages.front() + "\u201d", kBullet);
    ++n;
  }
  if (!b.usps.empty()) {
    flow.text("Middle: \u201c" + b.usps.front() + "\u201d", kBullet);
    ++n;
  }
  if (!b.call_to_action.empty()) {
    flow.text("End: \u201c" + b.call_to_action + "\u201d", kBullet);
    ++n;
  }
  if (n == 0)
    flow.text("No key messages, USPs or call to action given yet, so we suggest no text. Ask before you film.",
              kMissing);
  else
    flow.text("Keep each one short: a few words, big and easy to read.", kSmall);
}

void brief_messages_and_tone(FlowLayout& flow, const config::BrandInputs& b) {
  flow.heading("Key messages and tone");
  if (b.key_messages.empty()) flow.text(missing_note(b, "key_messages"), kMissing);
  for (const auto& m : b.key_messages) flow.text("\u2022 " + m, kBullet);
  if (b.tone.empty())
    flow.text(missing_note(b, "tone"), kMissing);
  else
    flow.text("Tone: " + b.tone, kBullet);
}

void brief_do_and_dont(FlowLayout& flow, const config::BrandInputs& b) {
  flow.heading("Do and don't");
  flow.text("Do: film the shots above, in that order. They are what the top videos do.", kBullet);
  if (b.call_to_action.empty())
    flow.text(missing_note(b, "call_to_action"), kMissing);
  else
    flow.text("Do: end with the call to action: \u201c" + b.call_to_action + "\u201d", kBullet);
  if (!b.words_to_avoid.empty()) flow.text("Don't say: " + join(b.words_to_avoid, ", ") + ".", kBullet);
  flow.text("Don't make claims about the product that the brand has not given you.", kBullet);
}

// Billo's deliverables: the test and control videos of the pilot, posted alike, and what to
// send back.
void brief_deliverables(FlowLayout& flow, const BriefContext& c) {
  flow.heading("What to deliver");
  flow.text(fmt::format("\u2610 {} test videos that follow this brief, and {} control videos.", kBilloTestVideos,
                        kBilloControlVideos),
            kBullet);
  flow.text(fmt::format("\u2610 Same creator, same script, same product and same length ({} s) in all of them. The "
                        "controls change one thing only: {}.",
                        c.length, control_difference(c.shots, c.s.primary, c.s.bucket)),
            kBullet);
  flow.text(
      "\u2610 Post them all the same way: organic posts from one account, no paid boost on any of them, at "
      "the same time of day, test and control taking turns.",
      kBullet);
  flow.text("\u2610 Vertical (9:16) video. Send the file and the link of each post.", kBullet);
  flow.text(
      "Send back 7 days after each post: views, likes, comments and shares. Add the 2-second view rate, the "
      "average watch time and the click-through rate when TikTok shows them.",
      kBody);
  flow.text("Success: " + strategy_success_metric(c.s), kSmall);
}

// Affiliates film a proven strategy in their own voice; only the length and the shots stay.
void brief_make_it_yours(FlowLayout& flow, const BriefContext& c) {
  flow.heading("Make it yours");
  flow.text("Use your own moment and your own words. Your energy, calm or hyped, is what your followers know.",
            kBullet);
  flow.text(fmt::format("Keep the length near {} s and keep the shots above.", c.length), kBullet);
}

void brief_contact(FlowLayout& flow, const config::BrandInputs& b) {
  flow.heading("Contact");
  if (b.agency_contact.empty())
    flow.text("Not given yet: the contact for questions. Ask the brand.", kMissing);
  else
    flow.text("Questions? " + b.agency_contact, kBody);
}

}  // namespace

PdfResult write_creator_brief_pdf(const fs::path& path, const HashtagInputs& in, const Strategy& s,
                                  const ReportMeta& meta, Audience audience) {
  // Invariant: a brief is a paid test, and EMERGING patterns never become strategies.
  if (!is_evidence_backed(s.primary.evidence))
    throw Error("refusing to write a creator brief for a pattern that is only a hypothesis to test (" + s.id + ")");
  const bool billo = audience == Audience::billo;
  const BriefContext c = brief_context(in, s, meta);
  const std::string brand = c.b.brand.empty() ? meta.client : c.b.brand;
  PdfDocument doc;
  doc.set_dates(meta.date);
  FlowLayout flow(doc,
                  {billo ? "Creator Brief" : "Affiliate Creative Brief",
                   brand + " \u00b7 " + c.tag + " \u00b7 Strategy " + std::to_string(s.rank),
                   ownership_notice_line(meta.client, meta.brand.agency)},
                  kMaxPdfPages);
  if (!c.b.logo.empty()) draw_logo(flow, c.b.logo);
  brief_who_we_are(flow, c);
  brief_brand_inputs(flow, c.b);
  brief_idea(flow, c);
  const ExamplePlan example = plan_example(in, s, c.primary_instruction, meta.covers);
  brief_comparison(flow, s.primary, example_height(flow, example));
  example_video(flow, example);
  flow.page_break();
  brief_shot_list(flow, c);
  brief_on_screen_text(flow, c.b);
  brief_messages_and_tone(flow, c.b);
  brief_do_and_dont(flow, c.b);
  if (billo)
    brief_deliverables(flow, c);
  else
    brief_make_it_yours(flow, c);
  brief_contact(flow, c.b);
  flow.finish();
  doc.save(path.string());
  return {path, flow.pages(), flow.truncated(), flow.plain_text(), flow.cut_short()};
}

}  // namespace rumi::report
