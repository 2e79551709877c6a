#include "report/pdf_reports.h"

#include "core/ownership_notice.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "core/error.h"
#include "features/feature_catalog.h"
#include "report/creative_guide.h"
#include "core/ownership_notice.h"
#include "report/pdf_document.h"
#include "report/qr_code.h"
#include "report/sample_size.h"
#include "report/shot_list.h"
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

void bucket_chart(FlowLayout& flow, const HashtagInputs& in) {
  struct Bar {
    std::string label;
    double value;
    bool insufficient;
  };
  std::vector<Bar> bars;
  for (const auto& b : in.buckets)
    if (b.performance && std::isfinite(b.performance->avg_er))
      bars.push_back({std::string(bucket_name(b.bucket)), b.performance->avg_er, b.insufficient});
  if (bars.empty()) {
    flow.text("No bucket has performance metrics yet.", kSmall);
    return;
  }
  // Buckets with too few videos are not ranked among the others: they follow, greyed, in bucket
  // order, whatever their average says (an average of 14 videos ranks nothing).
  std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) {
    if (a.insufficient != b.insufficient) return !a.insufficient;
    return !a.insufficient && a.value > b.value;
  });
  const double max_v = std::max(bars.front().value, 1e-9);
  const double row = 18;
  flow.block(row * static_cast<double>(bars.size()) + 6, [&](cairo_t* cr, double x, double y, double w) {
    const double label_w = 58, value_w = 120;
    const double bar_w = w - label_w - value_w;
    for (std::size_t i = 0; i < bars.size(); ++i) {
      const double top = y + row * static_cast<double>(i);
      TextStyle ls{.size = 8.5, .bold = true, .max_lines = 1};
      auto l = make_layout(cr, bars[i].label, ls, label_w - 4);
      set_color(cr, kTextColor);
      cairo_move_to(cr, x, top + 2);
      pango_cairo_show_layout(cr, l.get());
      const double len = std::max(1.0, bar_w * std::max(0.0, bars[i].value) / max_v);
      set_color(cr, bars[i].insufficient ? kBrandSecondary : (i == 0 ? kBrandAccent : kBrandPrimary));
      cairo_rectangle(cr, x + label_w, top + 2, len, row - 6);
      cairo_fill(cr);
      std::string v = er_percent(bars[i].value);
      if (bars[i].insufficient) v += " (too few, unranked)";
      TextStyle vs{.size = 8, .max_lines = 1};
      auto vl = make_layout(cr, v, vs, value_w - 6);
      set_color(cr, kTextColor);
      cairo_move_to(cr, x + label_w + len + 4, top + 2);
      pango_cairo_show_layout(cr, vl.get());
    }
  });
}

// Engagement lift first (the headline number), then prevalence, then the test behind the label.
// Short sentences: a reader takes in one number at a time (and the readability floor of the
// client report holds, tests/report/brief_test.cc).
std::string full_statistics(const Pattern& p, int family_size) {
  std::string s = lift_measured(p) ? "Engagement lift " : "";
  s += lift_with_range(p);
  s += ".";
  if (lift_measured(p) && std::isfinite(p.er_others) && p.er_others > 0) {
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
  if (!in.apify_scraped) s += "the videos came from an export file (no scrape this run); ";
  else if (in.apify_usage_usd) s += fmt::format("the Apify scrape cost ${:.2f}; ", *in.apify_usage_usd);
  else s += "Apify did not report the scrape's cost; ";
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

// The top patterns that fit page 1 with their statistics; the rest are in the guides.
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

void client_bucket_ranking(FlowLayout& flow, const HashtagInputs& in) {
  flow.heading("Bucket ranking by average engagement rate");
  bucket_chart(flow, in);
}

// "Tested and rejected (left out of the strategies): ...", when a controlled test rejected any.
void client_rejected_patterns(FlowLayout& flow, const HashtagInputs& in) {
  std::string rejected;
  for (const auto& b : in.buckets)
    for (const auto& p : b.rejected) {
      const auto* n = find_validation(in.validations, p.feature);
      rejected += fmt::format("{}{} ({}, {})", rejected.empty() ? "" : "; ", capitalize(pattern_subject(p)),
                              bucket_name(b.bucket), n ? n->phrase : std::string("rejected"));
    }
  if (!rejected.empty())
    flow.text("Tested and rejected (left out of the strategies): " + rejected + ".",
              TextStyle{.size = 8.5, .color = kBrandWarning, .max_lines = 4});
}

void client_top_patterns(FlowLayout& flow, const HashtagInputs& in) {
  flow.heading("Top patterns with full statistics");
  const auto ranked = ranked_patterns(in);
  if (ranked.empty()) {
    flow.text("No creative element separated the top videos from the rest with statistical confidence at the "
              "current sample sizes. We recommend collecting more videos before changing the creative approach; "
              "the testing roadmap below is limited accordingly.",
              TextStyle{.color = kBrandWarning, .max_lines = 4});
  }
  if (!ranked.empty()) flow.text(std::string(kLiftMeaning), kSmall);
  for (std::size_t i = 0; i < ranked.size() && i < kTopPatternsInClientReport; ++i) {
    const auto& [bucket, p] = ranked[i];
    const BucketInputs* bi = in.find(bucket);
    flow.text(fmt::format("{}{} \u00b7 {}{} \u00b7 {}", bucket_name(bucket),
                          bi && bi->exploratory ? " (exploratory)" : "", evidence_name(p.evidence),
                          validation_suffix(in.validations, p.feature), pattern_who(p)),
              kBold);
    flow.text(full_statistics(p, family_of(in, bucket)),
              TextStyle{.size = 8, .color = kBrandSecondary, .max_lines = 3, .indent = 10});
    if (vanishes_after_adjustment(p))
      flow.text(adjustment_note(p).substr(1), TextStyle{.size = 8, .color = kBrandWarning, .max_lines = 2, .indent = 10});
  }
  client_rejected_patterns(flow, in);
}

void client_priority_strategies(FlowLayout& flow, const StrategySet& strategies) {
  flow.heading("Priority creative strategies");
  for (const auto& s : strategies.strategies)
    flow.text(fmt::format("{}. {} \u2014 {} \u00b7 {}{} \u00b7 {}{}{}", s.rank, s.title, bucket_name(s.bucket),
                          evidence_name(s.primary.evidence), validation_suffix(s.validations, s.primary.feature),
                          lift_measured(s.primary) ? "engagement lift " : "", lift_with_range(s.primary),
                          s.exploratory ? " \u00b7 exploratory bucket" : ""),
              kBullet);
}

// Phase 1 (Billo tests) and phase 2 (affiliates), then the strategies in priority order.
void client_testing_roadmap(FlowLayout& flow, const StrategySet& strategies) {
  flow.heading("Testing roadmap");
  const std::size_t n = strategies.strategies.size();
  if (n == 0) {
    flow.text("No strategy can be tested yet: no evidence-backed pattern exists. Next step: collect more videos "
              "per duration bucket and re-run the analysis.",
              TextStyle{.color = kBrandWarning, .max_lines = 3});
    return;
  }
  flow.text(fmt::format("Phase 1 \u2014 Billo validation: {} creative strategies, each piloted as {} test and {} "
                        "control videos; 'rumi validate create' sizes the full test (about {} videos per arm).",
                        n, kBilloTestVideos, kBilloControlVideos, typical_videos_per_arm()),
            kBullet);
  flow.text("Phase 2 \u2014 Affiliate rollout: only strategies whose test videos beat their controls go to "
            "affiliates, as Affiliate Creative Briefs.",
            kBullet);
  const auto proven = std::count_if(strategies.strategies.begin(), strategies.strategies.end(),
                                    [](const Strategy& s) { return s.proven; });
  if (proven == 0)
    flow.text(std::string(kAffiliateBriefsPending), kSmall);
  else
    flow.text(fmt::format("{} of {} strategies are validated by Billo tests; their Affiliate Creative Briefs are "
                          "ready.",
                          proven, n),
              kSmall);
  if (!strategies.shortfall.empty()) flow.text(strategies.shortfall, kSmall);
  client_priority_strategies(flow, strategies);
}

// Short version of what_to_learn_next.md: one line per bucket, within the page budget.
void client_learn_next(FlowLayout& flow, const HashtagInputs& in) {
  flow.heading("What we need to learn next");
  for (const auto& b : in.buckets) {
    std::string line(bucket_name(b.bucket));
    line += ": ";
    if (!b.hypotheses.empty()) {
      line += fmt::format("{} hypothes{} to test (not yet significant), e.g. \"{}\"; ", b.hypotheses.size(),
                          b.hypotheses.size() == 1 ? "is" : "es", pattern_who(b.hypotheses.front()));
    }
    line += "detecting a realistic effect takes " + videos_needed_text(b) + ".";
    flow.text(line, kBullet);
  }
  flow.text(fmt::format("Planning rule: Spearman rho {} at {:.0f} % power, two-sided alpha {} split over the bucket's "
                        "elements (Bonferroni, conservative), Fisher z. Full list: {}.",
                        kPlanningRho, kPlanningPower * 100, kPlanningAlpha, kLearnNextFile),
            kSmall);
}

void client_model_quality(FlowLayout& flow, const HashtagInputs& in) {
  flow.heading("Model quality and method");
  for (const auto& b : in.buckets) {
    if (b.insufficient || (!b.cv_r2 && !(b.forest_skill && b.forest_skill->run))) continue;
    std::string line(bucket_name(b.bucket));
    line += ":";
    if (b.cv_r2) line += " cross-validated R\u00b2 " + two_decimals(*b.cv_r2);
    if (b.forest_skill && b.forest_skill->run)
      line += fmt::format("{} forest beats chance on held-out videos: {} (p {})", b.cv_r2 ? ";" : "",
                          b.forest_skill->passed ? "yes" : "no", p_value_text(b.forest_skill->p_value));
    flow.text(line, kBullet);
  }
  flow.text("Each creative element is tested once against engagement rate over all videos of its bucket (Spearman "
            "rank correlation, or Mann-Whitney U for elements a video has or not); q-values correct for the number "
            "of elements tested (Benjamini-Hochberg). STRONG also needs the bucket's model to predict held-out "
            "videos better than chance. Ranges are BCa bootstrap intervals. Findings describe what videos that do "
            "it had, not what doing it causes. Decision-tree rules are in the analyst appendix (not validated).",
            kSmall);
}

void client_next_steps(FlowLayout& flow, const config::BrandInputs& brand) {
  flow.heading("Next steps");
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
  flow.text(next, kBody);
}

}  // namespace

// Page 1 is the evidence (scope, bucket ranking, top patterns); page 2 the plan (roadmap,
// strategies, what to learn next, model quality, next steps).
PdfResult write_client_report_pdf(const fs::path& path, const HashtagInputs& in, const StrategySet& strategies,
                                  const ReportMeta& meta) {
  PdfDocument doc;
  doc.set_dates(meta.date);
  FlowLayout flow(doc, {"RumiAI \u00b7 Creative Strategy Report",
                        meta.client + " \u00b7 " + hashtag_tag(meta.hashtag) + " \u00b7 " + meta.date,
                        ownership_notice_line(meta.client, meta.brand.agency)},
                  kMaxPdfPages);
  flow.text(fmt::format("Client: {}   Hashtag: {}   Analysis date: {}", meta.client, hashtag_tag(meta.hashtag), meta.date),
            kBold);
  client_scope(flow, in);
  client_bucket_ranking(flow, in);
  client_top_patterns(flow, in);
  flow.page_break();
  client_testing_roadmap(flow, strategies);
  client_learn_next(flow, in);
  client_model_quality(flow, in);
  client_next_steps(flow, meta.brand);
  flow.finish();
  doc.save(path.string());
  return {path, flow.pages(), flow.truncated(), flow.plain_text()};
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
std::string instruction_for(const ShotList& shots, const Pattern& p) {
  for (const auto& sec : shots.sections)
    for (const auto& shot : sec.shots)
      if (shot.feature == p.feature) return shot.instruction;
  return strategy_action(p);
}

// What the control videos change: only the one element, said through its shot instruction so
// creator and strategist read the same thing.
std::string control_difference(const ShotList& shots, const Pattern& p) {
  return "they do not follow \u201c" + instruction_for(shots, p) + "\u201d; everything else stays the same";
}

void example_video(FlowLayout& flow, const HashtagInputs& in, const Strategy& s, const std::string& instruction) {
  // Prefer a video that shows the strategy's element; fall back to the bucket's best video and
  // say so, so the caption never claims what the video does not show.
  const BucketInputs* b = in.find(s.bucket);
  const ExampleVideo* ex = nullptr;
  if (b)
    if (auto it = b->examples.find(s.primary.feature); it != b->examples.end()) ex = &it->second;
  std::string url, caption;
  if (ex) {
    url = ex->url;
    caption = fmt::format("Scan to watch the most engaging video of this length that does this ({}): {}. Its "
                          "engagement rate was {}.",
                          bucket_name(s.bucket), lower_first(instruction), er_percent(ex->er));
  } else if (!s.example_urls.empty()) {
    url = s.example_urls.front();
    caption = fmt::format("Scan to watch a top video of this length ({}). We found no analysed video with a link "
                          "that shows this idea, so watch it for the style, not the idea.",
                          bucket_name(s.bucket));
  }
  if (url.empty()) return;
  const QrMatrix qr = encode_qr(url);
  if (qr.empty()) return;
  flow.heading(ex ? "See it in a top video" : "A top video of this length");
  if (flow.block(84, [&](cairo_t* cr, double x, double y, double w) {
    draw_qr(cr, qr, x, y, 78);
    TextStyle t{.size = 8.5, .max_lines = 5};
    auto l = make_layout(cr, caption + "\n" + url, t, w - 90);
    set_color(cr, kTextColor);
    cairo_move_to(cr, x + 90, y + 6);
    pango_cairo_show_layout(cr, l.get());
  }))
    flow.record_text(caption + "\n" + url);
}

// What every section of one brief draws from: the strategy, the brand inputs and the shot list
// of the strategy's elements.
struct BriefContext {
  const HashtagInputs& in;
  const Strategy& s;
  const config::BrandInputs& b;
  std::string tag;                  // "#nutrition"
  ShotList shots;
  std::string length;               // planned length in whole seconds
  std::string primary_instruction;  // the primary element as the shot list says it
};

BriefContext brief_context(const HashtagInputs& in, const Strategy& s, const ReportMeta& meta) {
  std::vector<Pattern> elements{s.primary};
  elements.insert(elements.end(), s.supporting.begin(), s.supporting.end());
  ShotList shots = build_shot_list(s.bucket, elements, features::feature_catalog());
  const std::string length = whole_seconds(shots.length_s);
  const std::string primary = instruction_for(shots, s.primary);
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
  if (b.brand.empty()) flow.text(missing_note(b, "brand"), kMissing);
  else flow.text(b.about.empty() ? b.brand : b.brand + ". " + b.about, kBody);
  flow.heading("The product");
  if (b.product.empty()) flow.text(missing_note(b, "product"), kMissing);
  else flow.text(b.product_description.empty() ? b.product : b.product + ". " + b.product_description, kBody);
  flow.heading("Why people buy it");
  if (b.usps.empty()) flow.text(missing_note(b, "usps"), kMissing);
  for (const auto& u : b.usps) flow.text("\u2713 " + u, kBullet);
  flow.heading("Who it is for");
  if (b.target_audience.empty()) flow.text(missing_note(b, "target_audience"), kMissing);
  else flow.text(b.target_audience, kBody);
}

void brief_idea(FlowLayout& flow, const BriefContext& c) {
  const Strategy& s = c.s;
  flow.heading("The idea in one sentence");
  std::string idea = fmt::format("Film a {}-second video{} and {}.", c.length,
                                 c.b.product.empty() ? std::string() : " about " + c.b.product,
                                 lower_first(c.primary_instruction));
  flow.text(idea, TextStyle{.size = 10.5, .bold = true, .max_lines = 3});
  std::string why = "Why: top videos of this length do this more often.";
  if (lift_measured(s.primary) && s.primary.lift > 0)
    why = fmt::format("Why: videos that do this had an engagement lift of {} over the others.",
                      signed_percent(s.primary.lift));
  flow.text(why, kBody);
  if (vanishes_after_adjustment(s.primary))
    flow.text(adjustment_note(s.primary).substr(1), TextStyle{.color = kBrandWarning, .max_lines = 3});
  flow.text("Confidence: " + simple_confidence(s.primary.evidence) + validation_suffix(s.validations, s.primary.feature) +
                ".",
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
    for (const Shot& shot : sec.shots) flow.text(shot.timing + ": " + shot.instruction + ".", kBullet);
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
  if (n == 0) flow.text("No key messages, USPs or call to action given yet, so we suggest no text. Ask before you film.", kMissing);
  else flow.text("Keep each one short: a few words, big and easy to read.", kSmall);
}

void brief_messages_and_tone(FlowLayout& flow, const config::BrandInputs& b) {
  flow.heading("Key messages and tone");
  if (b.key_messages.empty()) flow.text(missing_note(b, "key_messages"), kMissing);
  for (const auto& m : b.key_messages) flow.text("\u2022 " + m, kBullet);
  if (b.tone.empty()) flow.text(missing_note(b, "tone"), kMissing);
  else flow.text("Tone: " + b.tone, kBullet);
}

void brief_do_and_dont(FlowLayout& flow, const config::BrandInputs& b) {
  flow.heading("Do and don't");
  flow.text("Do: film the shots above, in that order. They are what the top videos do.", kBullet);
  if (b.call_to_action.empty()) flow.text(missing_note(b, "call_to_action"), kMissing);
  else flow.text("Do: end with the call to action: \u201c" + b.call_to_action + "\u201d", kBullet);
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
                        c.length, control_difference(c.shots, c.s.primary)),
            kBullet);
  flow.text("\u2610 Post them all the same way: organic posts from one account, no paid boost on any of them, at "
            "the same time of day, test and control taking turns.",
            kBullet);
  flow.text("\u2610 Vertical (9:16) video. Send the file and the link of each post.", kBullet);
  flow.text("Send back 7 days after each post: views, likes, comments and shares. Add the 2-second view rate, the "
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
  if (b.agency_contact.empty()) flow.text("Not given yet: the contact for questions. Ask the brand.", kMissing);
  else flow.text("Questions? " + b.agency_contact, kBody);
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
  FlowLayout flow(doc, {billo ? "Creator Brief" : "Affiliate Creative Brief",
                        brand + " \u00b7 " + c.tag + " \u00b7 Strategy " + std::to_string(s.rank),
                        ownership_notice_line(meta.client, meta.brand.agency)},
                  kMaxPdfPages);
  if (!c.b.logo.empty()) draw_logo(flow, c.b.logo);
  brief_who_we_are(flow, c);
  brief_brand_inputs(flow, c.b);
  brief_idea(flow, c);
  example_video(flow, in, s, c.primary_instruction);
  flow.page_break();
  brief_shot_list(flow, c);
  brief_on_screen_text(flow, c.b);
  brief_messages_and_tone(flow, c.b);
  brief_do_and_dont(flow, c.b);
  if (billo) brief_deliverables(flow, c);
  else brief_make_it_yours(flow, c);
  brief_contact(flow, c.b);
  flow.finish();
  doc.save(path.string());
  return {path, flow.pages(), flow.truncated(), flow.plain_text()};
}

}  // namespace rumi::report
