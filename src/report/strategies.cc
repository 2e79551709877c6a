#include "report/strategies.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "features/feature_catalog.h"
#include "insights/pattern_phrase.h"
#include "report/creative_guide.h"
#include "report/shot_list.h"
#include "report/wording.h"
#include "validate/test_statistics.h"

namespace rumi::report {

std::string_view strategy_format_name(StrategyFormat f) {
  switch (f) {
    case StrategyFormat::recipe: return "recipe_style";
    case StrategyFormat::pattern: return "pattern_based";
    case StrategyFormat::comparative: return "comparative";
    case StrategyFormat::element_checklist: return "element_focused";
    case StrategyFormat::narrative: return "narrative_arc";
  }
  return "?";
}

namespace {

// The seed's mix for 10 reports: 3 recipe, 3 pattern, 2 comparative, 1 element, 1 narrative;
// the easiest formats go to the best-evidenced strategies.
constexpr StrategyFormat kFormatOrder[kStrategiesPerHashtag] = {
    StrategyFormat::recipe,      StrategyFormat::pattern,     StrategyFormat::comparative,
    StrategyFormat::recipe,      StrategyFormat::pattern,     StrategyFormat::element_checklist,
    StrategyFormat::recipe,      StrategyFormat::pattern,     StrategyFormat::comparative,
    StrategyFormat::narrative};

// Titles say what to do, in the element's own words, without the measured target (the body
// has it): "Put the first text on screen within 0.8 s" -> "Put the first text on screen".
std::string title_action(const Pattern& p) {
  const FeatureInfo info = element_info(p);
  const bool more = insights::favours_more(p.direction);
  if (for_creators(info, more)) return fill_instruction(instruction_template(info, more), "");
  return "Make videos that " + insights::element_predicate(p, info);
}

std::string make_title(StrategyFormat f, const Pattern& p, Bucket b) {
  std::string action = title_action(p);
  if (action.size() > 80) action = action.substr(0, 77) + "...";
  const std::string len = bucket_human(b);
  switch (f) {
    case StrategyFormat::recipe: return fmt::format("Recipe: {} ({} videos)", action, len);
    case StrategyFormat::pattern: return fmt::format("Pattern: {} ({} videos)", action, len);
    case StrategyFormat::comparative:
      return fmt::format("Test and control: {} ({} videos)", capitalize(pattern_subject(p)), len);
    case StrategyFormat::element_checklist: return fmt::format("Checklist: {} ({} videos)", action, len);
    case StrategyFormat::narrative: return fmt::format("Story arc: {} ({} videos)", action, len);
  }
  return action;
}

}  // namespace

std::string strategy_action(const Pattern& p) {
  const FeatureInfo info = element_info(p);
  const bool more = insights::favours_more(p.direction);
  if (for_creators(info, more)) return creator_instruction(info, more, p.top_median);
  // Not filmable as such: say which videos to aim for, in the finding's own words.
  return "Make videos that " + insights::element_predicate(p, info);
}

namespace {

bool filmable(const Pattern& p) {
  const auto& cat = features::feature_catalog();
  const auto i = cat.index_of(p.feature);
  return !i || for_creators(cat.features[*i], insights::favours_more(p.direction));
}

struct Candidate {
  const BucketInputs* b;
  const Pattern* p;
};

// Evidence-backed only, even if a caller put EMERGING patterns into `patterns`: a strategy
// comes with a paid Billo test plan, and a hypothesis is not worth paying creators for yet.
// A strategy becomes a Billo brief, so its elements must be filmable: a catalog element whose
// favoured side has no creator instruction (variation of on-screen activity, a one-hot
// category to avoid) stays in the guides and is named in the shortfall, never briefed.
// Columns the catalog does not know (an older dataset) carry no such judgement and are kept.
// Best evidence first, then lowest q-value, then largest lift.
std::vector<Candidate> ranked_candidates(const HashtagInputs& in, std::vector<std::string>& unfilmable) {
  std::vector<Candidate> all;
  for (const auto& b : in.buckets)
    for (const auto& p : b.patterns)
      if (is_evidence_backed(p.evidence)) {
        if (!filmable(p)) {
          unfilmable.push_back(pattern_subject(p));
          continue;
        }
        all.push_back({&b, &p});
      }
  std::stable_sort(all.begin(), all.end(), [](const Candidate& x, const Candidate& y) {
    if (evidence_rank(x.p->evidence) != evidence_rank(y.p->evidence))
      return evidence_rank(x.p->evidence) < evidence_rank(y.p->evidence);
    const double qx = std::isfinite(x.p->q_value) ? x.p->q_value : 1.0, qy = std::isfinite(y.p->q_value) ? y.p->q_value : 1.0;
    if (qx != qy) return qx < qy;
    return std::fabs(x.p->lift) > std::fabs(y.p->lift);
  });
  return all;
}

// The strategy of rank i + 1: its primary pattern, up to two supporting ones from its bucket, and
// whether controlled tests have proven all of them.
Strategy make_strategy(std::size_t i, const Candidate& c) {
  // Named pointers, not a structured binding: the lambda below uses them, and capturing a
  // structured binding is a C++20 feature clang 14 (the fuzz and tidy builds) lacks.
  const BucketInputs* b = c.b;
  const Pattern* p = c.p;
  Strategy s;
  s.rank = static_cast<int>(i) + 1;
  s.id = fmt::format("strategy_{:02d}", s.rank);
  s.format = kFormatOrder[i];
  s.bucket = b->bucket;
  s.primary = *p;
  for (const auto& q : b->patterns)
    if (&q != p && s.supporting.size() < 2 && is_evidence_backed(q.evidence) && q.feature != p->feature && filmable(q))
      s.supporting.push_back(q);
  s.exploratory = b->exploratory;
  s.family_size = b->family_size;
  if (b->performance) s.bucket_avg_er = b->performance->avg_er;
  s.example_urls = b->example_urls;
  s.bucket_sample_size = b->sample_size;
  s.title = make_title(s.format, *p, b->bucket);
  s.proven = true;
  auto note = [&](const Pattern& q) {
    if (const auto* n = find_validation(b->validations, q.feature)) s.validations.emplace(q.feature, *n);
    s.proven = s.proven && is_proven(b->validations, q.feature);
  };
  note(s.primary);
  for (const auto& q : s.supporting) note(q);
  return s;
}

// Why fewer than kStrategiesPerHashtag strategies were written: no strategy is padded.
std::string shortfall_text(const HashtagInputs& in, std::size_t backed, std::size_t written,
                           const std::vector<std::string>& unfilmable) {
  std::size_t hypotheses = 0;
  for (const auto& b : in.buckets) hypotheses += b.hypotheses.size();
  std::string out = fmt::format(
      "Only {} evidence-backed patterns (STRONG or MODERATE) were found across all duration buckets, so {} "
      "strategies were written instead of {}. No strategy is invented or padded without one; collect more videos "
      "to find more.",
      backed, written, kStrategiesPerHashtag);
  if (hypotheses > 0)
    out += fmt::format(" {} hypothes{} to test (not yet significant) {} listed under \"What we need to "
                       "learn next\" instead of becoming strategies.",
                       hypotheses, hypotheses == 1 ? "is" : "es", hypotheses == 1 ? "is" : "are");
  if (!unfilmable.empty())
    out += fmt::format(" {} evidence-backed element{} cannot be filmed as such (for example {}), so {} in "
                       "the creative guides but not in a brief.",
                       unfilmable.size(), unfilmable.size() == 1 ? "" : "s", unfilmable.front(),
                       unfilmable.size() == 1 ? "it is" : "they are");
  std::size_t rejected = 0;
  for (const auto& b : in.buckets) rejected += b.rejected.size();
  if (rejected > 0)
    out += fmt::format(" {} further pattern{} rejected by controlled tests and left out.", rejected,
                       rejected == 1 ? " was" : "s were");
  return out;
}

}  // namespace

StrategySet build_strategies(const HashtagInputs& in) {
  std::vector<std::string> unfilmable;
  const std::vector<Candidate> all = ranked_candidates(in, unfilmable);
  StrategySet set;
  for (std::size_t i = 0; i < all.size() && i < static_cast<std::size_t>(kStrategiesPerHashtag); ++i)
    set.strategies.push_back(make_strategy(i, all[i]));
  if (set.strategies.size() < static_cast<std::size_t>(kStrategiesPerHashtag))
    set.shortfall = shortfall_text(in, all.size() + unfilmable.size(), set.strategies.size(), unfilmable);
  return set;
}

std::vector<std::string> strategy_steps(const Strategy& s) {
  std::vector<Pattern> patterns = {s.primary};
  patterns.insert(patterns.end(), s.supporting.begin(), s.supporting.end());
  const ShotList list = build_shot_list(s.bucket, patterns, features::feature_catalog());
  std::vector<std::string> steps;
  for (const auto& sec : list.sections) {
    const char* what = sec.name == "hook" ? "Hook: stop the scroll"
                       : sec.name == "body" ? "Body: show and explain"
                                            : "Finish: call to action";
    std::string line = fmt::format("{}-{}s  {}", whole_seconds(sec.from_s), whole_seconds(sec.to_s), what);
    for (const auto& shot : sec.shots) {
      line += " \u2014 " + shot.instruction;
      if (shot.timing != sec.timing) line += " (" + shot.timing + ")";
    }
    if (sec.shots.empty() && sec.name == "cta") line += " \u2014 end with your usual call to action";
    steps.push_back(std::move(line));
  }
  for (const auto& shot : list.posting) steps.push_back("When you post \u2014 " + shot.instruction);
  return steps;
}

int planned_lift_percent() { return static_cast<int>(std::lround(validate::kTargetLift * 100.0)); }

int typical_videos_per_arm() {
  return validate::videos_per_arm_for_power(std::log1p(validate::kTargetLift) / validate::kDefaultLogSd);
}

std::string strategy_test_plan(const Strategy& s) {
  return fmt::format(
      "Pilot: Billo films {} test videos that follow this brief ({}) and {} control videos with the same product, "
      "creator and length ({}) that do not, to check the brief can be filmed. A pilot of {} videos cannot decide "
      "whether the element works: run 'rumi validate create' for the number of videos per arm that detects a "
      "+{} % lift 80 % of the time (about {} per arm at the typical spread of engagement). Post test and control "
      "the same day and compare them at the same age.",
      kBilloTestVideos, strategy_action(s.primary), kBilloControlVideos, bucket_name(s.bucket),
      kBilloTestVideos + kBilloControlVideos, planned_lift_percent(), typical_videos_per_arm());
}

std::string strategy_success_metric(const Strategy& s) {
  std::string m = "Average engagement rate of the test videos is above the controls'";
  if (s.bucket_avg_er) m += " and above the bucket average of " + er_percent(*s.bucket_avg_er);
  return m + ".";
}

Json strategy_json(const Strategy& s, std::string_view hashtag) {
  Json patterns = Json::array();
  auto add = [&](const Pattern& p, const char* role) {
    Json e = to_json(p);
    e.erase("details");
    e["role"] = role;
    e["sentence"] = pattern_sentence(p);
    e["statistics"] = pattern_statistics(p, s.family_size);
    e["may_reflect_confounders"] = vanishes_after_adjustment(p);
    e["validation"] = validation_json(s.validations, p.feature);
    patterns.push_back(std::move(e));
  };
  add(s.primary, "primary");
  for (const auto& p : s.supporting) add(p, "supporting");
  return Json{{"format", "rumi-strategy"},
              {"format_version", 1},
              {"id", s.id},
              {"rank", s.rank},
              {"title", s.title},
              {"report_format", strategy_format_name(s.format)},
              {"hashtag", hashtag_tag(hashtag)},
              {"target_bucket", bucket_name(s.bucket)},
              {"evidence", evidence_name(s.primary.evidence)},
              {"exploratory_test", s.exploratory},
              {"validated", s.proven},
              {"patterns", patterns},
              {"steps", strategy_steps(s)},
              {"test_plan", Json{{"test_videos", kBilloTestVideos},
                                 {"control_videos", kBilloControlVideos},
                                 {"text", strategy_test_plan(s)}}},
              {"success_metric", strategy_success_metric(s)},
              {"bucket_avg_engagement", s.bucket_avg_er ? json_number(*s.bucket_avg_er) : Json(nullptr)},
              {"example_videos", s.example_urls.size() > 3
                                     ? std::vector<std::string>(s.example_urls.begin(), s.example_urls.begin() + 3)
                                     : s.example_urls}};
}

std::string strategy_markdown(const Strategy& s, std::string_view hashtag) {
  std::string md = fmt::format("# Strategy {}: {}\n\n", s.rank, s.title);
  md += fmt::format("Format: {} \u00b7 Target: {} {} videos ({}) \u00b7 Confidence: {}{}\n\n",
                    strategy_format_name(s.format), bucket_human(s.bucket), hashtag_tag(hashtag),
                    bucket_name(s.bucket), simple_confidence(s.primary.evidence),
                    validation_suffix(s.validations, s.primary.feature));
  if (s.exploratory)
    md += fmt::format("> Exploratory bucket: only {} videos (fewer than {}), so this rests on thinner data than "
                      "usual. Test it before scaling it.\n\n",
                      s.bucket_sample_size, kMinVideosForFullAnalysis);
  switch (s.format) {
    case StrategyFormat::recipe:
      md += "## Ingredients\n\n";
      md += "- " + strategy_action(s.primary) + "\n";
      for (const auto& p : s.supporting) md += "- " + strategy_action(p) + "\n";
      md += "\n## Steps\n\n";
      for (const auto& st : strategy_steps(s)) md += "1. " + st + "\n";
      break;
    case StrategyFormat::pattern:
    case StrategyFormat::narrative:
      md += s.format == StrategyFormat::pattern ? "## The pattern\n\n" : "## The story arc\n\n";
      for (const auto& st : strategy_steps(s)) md += "- " + st + "\n";
      break;
    case StrategyFormat::comparative:
      md += "## A vs B\n\n";
      md += fmt::format("- **A (test):** {}\n- **B (control):** the opposite\n", strategy_action(s.primary));
      break;
    case StrategyFormat::element_checklist:
      md += "## Checklist\n\n";
      md += "- [ ] " + strategy_action(s.primary) + "\n";
      for (const auto& p : s.supporting) md += "- [ ] " + strategy_action(p) + "\n";
      break;
  }
  md += "\n## Why: the measured patterns\n\n";
  md += std::string(kLiftMeaning) + "\n\n";
  auto why = [&](const Pattern& p) {
    const auto* n = find_validation(s.validations, p.feature);
    md += "- " + pattern_sentence(p) + adjustment_note(p) +
          (n && !n->phrase.empty() ? " Controlled tests: " + n->phrase + "." : "") + "\n";
    md += "  - Statistics: " + pattern_statistics(p, s.family_size) + "\n";
  };
  why(s.primary);
  for (const auto& p : s.supporting) why(p);
  md += "\n## Test plan\n\n" + strategy_test_plan(s) + "\n\n## Success metric\n\n" + strategy_success_metric(s) + "\n";
  if (!s.example_urls.empty()) md += "\nExample video: " + s.example_urls.front() + "\n";
  return md;
}

}  // namespace rumi::report
