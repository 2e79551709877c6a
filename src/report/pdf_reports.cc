#include "report/pdf_reports.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "core/error.h"
#include "report/creative_guide.h"
#include "report/pdf_document.h"
#include "report/qr_code.h"
#include "report/sample_size.h"
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
  std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.value > b.value; });
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
      if (bars[i].insufficient) v += " (insufficient data)";
      TextStyle vs{.size = 8, .max_lines = 1};
      auto vl = make_layout(cr, v, vs, value_w - 6);
      set_color(cr, kTextColor);
      cairo_move_to(cr, x + label_w + len + 4, top + 2);
      pango_cairo_show_layout(cr, vl.get());
    }
  });
}

// Engagement lift first (the headline number), then prevalence, then the test behind the label.
std::string full_statistics(const Pattern& p, int family_size) {
  std::string s = lift_measured(p) ? "engagement lift " : "";
  s += lift_with_range(p);
  if (lift_measured(p) && std::isfinite(p.er_others) && p.er_others > 0) {
    s += " \u00b7 median engagement rate ";
    s += er_percent(p.er_favoured);
    s += " vs ";
    s += er_percent(p.er_others);
  }
  if (const std::string prev = prevalence_text(p); !prev.empty()) s += " \u00b7 " + prev;
  s += " \u00b7 " + pattern_statistics(p, family_size);
  if (!p.supporting_models.empty()) {
    s += " \u00b7 confirmed by: ";
    for (std::size_t i = 0; i < p.supporting_models.size(); ++i) s += (i ? ", " : "") + p.supporting_models[i];
  }
  return s;
}

int family_of(const HashtagInputs& in, Bucket b) {
  const BucketInputs* x = in.find(b);
  return x ? x->family_size : 0;
}

}  // namespace

PdfResult write_client_report_pdf(const fs::path& path, const HashtagInputs& in, const StrategySet& strategies,
                                  const ReportMeta& meta) {
  PdfDocument doc;
  FlowLayout flow(doc, {"RumiAI \u00b7 Creative Strategy Report",
                        meta.client + " \u00b7 " + hashtag_tag(meta.hashtag) + " \u00b7 " + meta.date,
                        "Confidential \u2014 prepared for " + meta.client + ". Every figure comes from measured data."},
                  kMaxPdfPages);
  flow.text(fmt::format("Client: {}   Hashtag: {}   Analysis date: {}", meta.client, hashtag_tag(meta.hashtag), meta.date),
            kBold);

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

  flow.heading("Bucket ranking by average engagement rate");
  bucket_chart(flow, in);

  flow.heading("Top patterns with full statistics");
  const auto ranked = ranked_patterns(in);
  if (ranked.empty()) {
    flow.text("No creative element separated the top videos from the rest with statistical confidence at the "
              "current sample sizes. We recommend collecting more videos before changing the creative approach; "
              "the testing roadmap below is limited accordingly.",
              TextStyle{.color = kBrandWarning, .max_lines = 4});
  }
  if (!ranked.empty()) flow.text(std::string(kLiftMeaning), kSmall);
  for (std::size_t i = 0; i < ranked.size() && i < 8; ++i) {
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

  flow.page_break();
  flow.heading("Testing roadmap");
  const std::size_t n = strategies.strategies.size();
  if (n == 0) {
    flow.text("No strategy can be tested yet: no evidence-backed pattern exists. Next step: collect more videos "
              "per duration bucket and re-run the analysis.",
              TextStyle{.color = kBrandWarning, .max_lines = 3});
  } else {
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
    flow.heading("Priority creative strategies");
    for (const auto& s : strategies.strategies)
      flow.text(fmt::format("{}. {} \u2014 {} \u00b7 {}{} \u00b7 {}{}{}", s.rank, s.title, bucket_name(s.bucket),
                            evidence_name(s.primary.evidence), validation_suffix(s.validations, s.primary.feature),
                            lift_measured(s.primary) ? "engagement lift " : "", lift_with_range(s.primary),
                            s.exploratory ? " \u00b7 exploratory bucket" : ""),
                kBullet);
  }
  // Short version of what_to_learn_next.md: one line per bucket, within the page budget.
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
  flow.heading("Next steps");
  flow.text("Review and approve the testing approach; send product details and USPs for the creator briefs; "
            "start the Billo round with the strategies above.",
            kBody);
  flow.finish();
  doc.save(path.string());
  return {path, flow.pages(), flow.truncated()};
}

PdfResult write_creator_brief_pdf(const fs::path& path, const HashtagInputs& in, const Strategy& s,
                                  const ReportMeta& meta, Audience audience) {
  const bool billo = audience == Audience::billo;
  PdfDocument doc;
  FlowLayout flow(doc, {billo ? "RumiAI \u00b7 Creator Brief" : "RumiAI \u00b7 Affiliate Creative Brief",
                        meta.client + " \u00b7 " + hashtag_tag(meta.hashtag) + " \u00b7 Strategy " + std::to_string(s.rank),
                        "Confidential \u2014 prepared for " + meta.client + " creators."},
                  kMaxPdfPages);
  flow.heading("How we got these insights");
  flow.text(fmt::format("We analysed {} {} TikTok videos, grouped by length, with AI video analysis and statistics "
                        "to find what the top-performing videos do differently. Brand: {}.",
                        total_videos(in), hashtag_tag(meta.hashtag), meta.client),
            kBody);

  // Invariant: a brief is a paid test, and EMERGING patterns never become strategies.
  if (!is_evidence_backed(s.primary.evidence))
    throw Error("refusing to write a creator brief for a pattern that is only a hypothesis to test (" + s.id + ")");
  flow.heading(std::string(billo ? "Your strategy: " : "The winning idea: ") + s.title);
  flow.text("Confidence: " + simple_confidence(s.primary.evidence) + validation_suffix(s.validations, s.primary.feature),
            kBold);
  flow.text(pattern_sentence(s.primary) + adjustment_note(s.primary), kBody);
  flow.text(std::string(kLiftMeaning), kSmall);
  if (s.bucket_avg_er)
    flow.text(fmt::format("Typical engagement for {} videos: {}.", bucket_human(s.bucket), er_percent(*s.bucket_avg_er)),
              kSmall);
  if (s.exploratory)
    flow.text(fmt::format("This comes from an exploratory bucket (fewer than {} videos): test it before you scale it.",
                          kMinVideosForFullAnalysis),
              TextStyle{.color = kBrandWarning, .max_lines = 2});

  if (!billo) {
    flow.heading("What the data shows");
    for (const auto& p : s.supporting) flow.text("\u2022 " + pattern_sentence(p) + adjustment_note(p), kBullet);
    flow.text("These describe what the best videos of this length had in common; a controlled test is what shows "
              "they work for you.",
              kBody);
  }

  flow.heading(billo ? "The flow, second by second" : "The flow");
  for (const auto& step : strategy_steps(s)) flow.text("\u25b8 " + step, kBullet);

  flow.heading("Must include");
  flow.text("\u2610 " + strategy_action(s.primary), kBullet);
  for (const auto& p : s.supporting) flow.text("\u2610 " + strategy_action(p), kBullet);

  if (billo) {
    flow.heading("Deliverables");
    flow.text(fmt::format("\u2610 {} test videos that follow this brief (vary your energy and wording).", kBilloTestVideos),
              kBullet);
    flow.text(fmt::format("\u2610 {} control videos: same product and length, without the elements above.",
                          kBilloControlVideos),
              kBullet);
    flow.text(fmt::format("\u2610 Length within the {} bucket, vertical (portrait) format.", bucket_name(s.bucket)),
              kBullet);
    flow.text("Success: " + strategy_success_metric(s), kSmall);
  } else {
    flow.heading("Make it yours");
    flow.text("\u2022 Your own moment and your own words \u2014 don't read a script.", kBullet);
    flow.text("\u2022 Your energy: calm or hyped, whatever your audience knows you for.", kBullet);
    flow.text(fmt::format("\u2022 Keep the length within {} and keep the must-include elements.", bucket_name(s.bucket)),
              kBullet);
  }

  if (!s.example_urls.empty()) {
    const std::string& url = s.example_urls.front();
    const QrMatrix qr = encode_qr(url);
    if (!qr.empty()) {
      flow.heading("Example video");
      flow.block(96, [&](cairo_t* cr, double x, double y, double w) {
        draw_qr(cr, qr, x, y, 90);
        TextStyle t{.size = 8.5, .max_lines = 4};
        auto l = make_layout(cr, "Scan to watch a top video from this bucket:\n" + url, t, w - 100);
        set_color(cr, kTextColor);
        cairo_move_to(cr, x + 100, y + 8);
        pango_cairo_show_layout(cr, l.get());
      });
    }
  }
  flow.finish();
  doc.save(path.string());
  return {path, flow.pages(), flow.truncated()};
}

}  // namespace rumi::report
