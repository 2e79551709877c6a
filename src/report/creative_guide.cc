#include "report/creative_guide.h"

#include <fmt/format.h>
#include <cmath>
#include <set>

#include "report/analyst_appendix.h"
#include "report/sample_size.h"
#include "report/shot_list.h"
#include "report/strategies.h"
#include "report/wording.h"

namespace rumi::report {

namespace {

Json pattern_entry(const Pattern& p, const PatternValidations& v, int family_size) {
  return Json{{"feature", p.feature},
              {"columns", p.columns},
              {"validation", validation_json(v, p.feature)},
              {"source", p.source},
              {"finding", pattern_finding(p)},
              {"sentence", pattern_sentence(p)},
              {"statistics", pattern_statistics(p, family_size)},
              {"evidence", evidence_name(p.evidence)},
              {"direction", direction_name(p.direction)},
              {"engagement_lift", json_number(p.lift)},
              {"ci95", Json::array({json_number(p.ci95[0]), json_number(p.ci95[1])})},
              {"er_favoured", json_number(p.er_favoured)},
              {"er_others", json_number(p.er_others)},
              {"test", p.test},
              {"p_value", json_number(p.p_value)},
              {"q_value", json_number(p.q_value)},
              {"effect_size", json_number(p.effect_size)},
              {"sample_size", p.sample_size},
              {"top_count", p.top_count},
              {"top_showing", p.top_showing},
              {"rest_count", p.rest_count},
              {"rest_showing", p.rest_showing},
              {"may_reflect_confounders", vanishes_after_adjustment(p)}};
}

constexpr const char* kEvidenceLegend =
    "Evidence labels: STRONG (\u2605\u2605\u2605) = unlikely to be chance after correcting for every element tested "
    "(q < 0.05) and confirmed on held-out videos; MODERATE (\u2605\u2605\u2606) = unlikely to be chance after that "
    "correction (q < 0.05); Hypothesis to test = a weaker signal (q < 0.20), not yet significant. All of them "
    "describe what videos that do it had, not what doing it causes.\n";

}  // namespace

std::string videos_needed_text(const BucketInputs& b) {
  return fmt::format("about {} videos (this bucket has {})", videos_to_detect(b.planning_family), b.sample_size);
}

LearnNext learn_next(const BucketInputs& b) {
  LearnNext out;
  Json hyps = Json::array();
  std::string md;
  if (b.hypotheses.empty()) {
    md += "No hypotheses to test in this bucket: no further element came near significance (q < 0.20).\n";
  } else {
    md +=
        "These elements showed a weaker signal (q < 0.20 after correction). They are hypotheses to test, not "
        "findings: no strategy, brief or paid test is built on them.\n\n";
    for (const Pattern& p : b.hypotheses) {
      hyps.push_back(pattern_entry(p, b.validations, b.family_size));
      md += "- " + pattern_sentence(p) + adjustment_note(p) + "\n";
    }
  }
  // Significant elements that did not hold up on held-out videos, or that point against a
  // better-evidenced one: no strategy is built on them (strategies.h), so they are to learn next.
  Json held = Json::array();
  const std::vector<HeldBackElement> back = held_back_in(b);
  if (!back.empty()) {
    md += "\nSignificant, but not advice yet:\n\n";
    for (const auto& h : back) {
      held.push_back(Json{{"feature", h.pattern.feature},
                          {"evidence", evidence_name(h.pattern.evidence)},
                          {"reason", h.reason},
                          {"engagement_lift", json_number(h.pattern.lift)},
                          {"ci95", Json::array({json_number(h.pattern.ci95[0]), json_number(h.pattern.ci95[1])})}});
      md += "- " + held_back_line(h) + "\n";
    }
  }
  const int needed = videos_to_detect(b.planning_family);
  md += fmt::format("\n**Videos needed to detect a realistic effect:** {}{}. {}\n", videos_needed_text(b),
                    b.family_size > 0 ? fmt::format(", with {} elements tested", b.family_size) : std::string(),
                    planning_rule_text());
  out.json = Json{{"hypotheses", hyps},
                  {"held_back", held},
                  {"videos_needed", needed},
                  {"videos_in_bucket", b.sample_size},
                  {"family_size", b.planning_family},
                  {"rule", planning_rule_text()}};
  out.markdown = std::move(md);
  return out;
}

std::string learn_next_markdown(const HashtagInputs& in, std::string_view hashtag) {
  std::string md = "# What we need to learn next: " + hashtag_tag(hashtag) + "\n\n";
  md +=
      "Hypotheses to test are elements with a weaker signal (q < 0.20 after correction): not yet significant, "
      "so they are not advice and no paid test is planned on them. Each bucket also states how many videos it "
      "would need to detect a realistic effect.\n\n";
  md += std::string(kLiftMeaning) + "\n\n";
  for (const auto& b : in.buckets) {
    md += fmt::format("## {} videos ({}){}\n\n", bucket_human(b.bucket), bucket_name(b.bucket),
                      b.insufficient ? " \u2014 insufficient data" : (b.exploratory ? " \u2014 exploratory" : ""));
    md += learn_next(b).markdown + "\n";
  }
  return md;
}

std::vector<GuideSection> recommended_structure(const BucketInputs& b) {
  // The same hook / body / CTA frame as the Billo shot list (shot_list.h), over the same planned
  // length inside the bucket, so the guide and the briefs never disagree on where an element
  // goes or at which second ("around second 10" of a 12-second video, as the brief says it).
  const ShotFrame frame = shot_frame(planned_length_s(b.bucket));
  std::vector<GuideSection> s = {{"hook", 0, frame.hook_end, {}},
                                 {"body", frame.hook_end, frame.cta_from, {}},
                                 {"cta", frame.cta_from, frame.length_s, {}}};
  std::set<std::string> said;
  for (const Pattern& p : b.patterns) {
    if (is_avoid(p) || !holds_on_held_out(p)) continue;
    const FeatureInfo info = element_info(p);
    double at = 0;
    std::size_t sec = section_for(info, p.top_median, frame, &at);
    if (sec == 3) continue;  // caption and posting: not part of the video's structure
    // What to do, as the creator would be told, else the finding in words.
    std::string text = strategy_action(p, b.bucket);
    if (!said.insert(text).second) continue;
    if (s[sec].elements.size() >= kMaxShotsPerSection) continue;
    if (std::isfinite(at) && info.say.unit == Unit::video_share && std::isfinite(p.rest_median))
      text += fmt::format(" (top videos: around second {}, the rest: around second {})", whole_seconds(at),
                          whole_seconds(p.rest_median * frame.length_s));
    text += " \u2014 " + std::string(evidence_name(p.evidence)) + validation_suffix(b.validations, p.feature);
    s[sec].elements.push_back(std::move(text));
  }
  return s;
}

namespace {

std::string guide_status(const BucketInputs& b) {
  if (b.insufficient) return "insufficient_data";
  if (b.patterns.empty() && !b.rejected.empty()) return "patterns_rejected_by_tests";
  if (b.patterns.empty()) return "no_significant_patterns";
  return "ok";
}

// The title line and the bucket's size and engagement; the data basis when only captions and
// posting data were analysed.
CreativeGuide guide_header(const BucketInputs& b, const std::string& title, const std::string& status) {
  const std::string bname(bucket_name(b.bucket));
  Json j{{"format", "rumi-creative-guide"},
         {"format_version", 1},
         {"bucket", bname},
         {"title", title},
         {"status", status},
         {"sample_size", b.sample_size},
         {"exploratory", b.exploratory}};
  std::string md = "# " + title + "\n\n";
  md += fmt::format("Bucket **{}** \u00b7 {} videos analysed", bname, b.sample_size);
  if (b.performance) {
    j["avg_engagement"] = json_number(b.performance->avg_er);
    j["median_engagement"] = json_number(b.performance->median_er);
    md += fmt::format(" \u00b7 average engagement {} (median {})", er_percent(b.performance->avg_er),
                      er_percent(b.performance->median_er));
  }
  md += "\n\n";
  if (b.metadata_only) {
    md += std::string(kMetadataOnlyNote) + "\n\n";
    j["analysis_basis"] = "captions_and_posting_data";
  }
  return {j, md};
}

// A bucket too small to test anything: the note, empty advice and what it needs to learn next.
CreativeGuide insufficient_guide(const BucketInputs& b, CreativeGuide g) {
  const std::string n = fmt::format(
      "INSUFFICIENT DATA: only {} videos in this bucket; at least {} are needed before any pattern is tested. "
      "Collect more videos of this length (at least {} for a full analysis) and re-run.",
      b.sample_size, kMinVideosForModel, kMinVideosForFullAnalysis);
  g.markdown += "> " + n + "\n";
  g.json["notes"] = Json::array({n});
  g.json["what_works"] = Json::array();
  g.json["avoid"] = Json::array();
  g.json["structure"] = Json::array();
  const LearnNext ln = learn_next(b);
  g.json["learn_next"] = ln.json;
  g.markdown += "\n## What we need to learn next\n\n" + ln.markdown;
  return g;
}

// The caveats a reader needs before the advice: exploratory bucket, nothing significant, or
// everything rejected by controlled tests.
void guide_notes(const BucketInputs& b, const std::string& status, CreativeGuide& g) {
  Json notes = Json::array();
  auto note = [&](const std::string& n) {
    notes.push_back(n);
    g.markdown += "> " + n + "\n\n";
  };
  if (b.exploratory)
    note(
        fmt::format("Exploratory: {} videos (fewer than {}); no finding here is confirmed on held-out videos (at most "
                    "MODERATE), so test before you scale.",
                    b.sample_size, kMinVideosForFullAnalysis));
  if (status == "no_significant_patterns")
    note(
        fmt::format("No creative element separated the top videos from the rest with statistical confidence at this "
                    "sample size ({} videos). Do not change your creative approach on this data; collect more videos "
                    "of this length and re-run: detecting a realistic effect here takes {}.",
                    b.sample_size, videos_needed_text(b)));
  if (status == "patterns_rejected_by_tests")
    note(
        "Every pattern found in this bucket was rejected by controlled tests, so there is no advice to give yet; "
        "keep your creative approach and collect more videos of this length.");
  g.json["notes"] = notes;
}

// "What works" goes into the Markdown now; the Markdown of the patterns to keep low is returned,
// since it follows the recommended structure.
std::string guide_patterns(const BucketInputs& b, CreativeGuide& g) {
  const std::string who = bucket_human(b.bucket);
  Json works = Json::array(), avoid = Json::array();
  std::string works_md, avoid_md;
  for (const Pattern& p : b.patterns) {
    if (!holds_on_held_out(p)) continue;  // listed under "What we need to learn next" instead
    // One element, one line: what the top videos do, in the element's unit, then what videos that
    // do it had in engagement.
    const std::string line = "- **" + std::string(evidence_name(p.evidence)) + "**" +
                             validation_suffix(b.validations, p.feature) + " " + pattern_finding(p, who) + " " +
                             pattern_sentence(p) + adjustment_note(p) + "\n";
    if (is_avoid(p)) {
      avoid.push_back(pattern_entry(p, b.validations, b.family_size));
      avoid_md += line;
    } else {
      works.push_back(pattern_entry(p, b.validations, b.family_size));
      works_md += line;
    }
  }
  g.json["what_works"] = works;
  g.json["avoid"] = avoid;
  if (!works_md.empty()) g.markdown += "## What works\n\n" + works_md + "\n";
  return avoid_md;
}

void guide_structure(const BucketInputs& b, CreativeGuide& g) {
  Json structure = Json::array();
  std::string structure_md;
  bool any_element = false;
  for (const auto& s : recommended_structure(b)) {
    structure.push_back(Json{{"section", s.name}, {"from_s", s.from_s}, {"to_s", s.to_s}, {"elements", s.elements}});
    const char* label = s.name == "hook" ? "Hook" : (s.name == "body" ? "Body" : "Call to action");
    structure_md += fmt::format("- **{} ({}-{}s):** ", label, whole_seconds(s.from_s), whole_seconds(s.to_s));
    if (s.elements.empty()) {
      structure_md += "no measured pattern for this part; keep it as you normally would.\n";
    } else {
      any_element = true;
      for (std::size_t i = 0; i < s.elements.size(); ++i) structure_md += (i ? "; " : "") + s.elements[i];
      structure_md += ".\n";
    }
  }
  g.json["structure"] = structure;
  g.json["planned_length_s"] = planned_length_s(b.bucket);
  if (any_element)
    g.markdown += fmt::format(
                      "## Recommended structure\n\nTimings for a {}-second video, the length the Billo briefs "
                      "plan for.\n\n",
                      whole_seconds(planned_length_s(b.bucket))) +
                  structure_md + "\n";
}

void guide_rejected(const BucketInputs& b, CreativeGuide& g) {
  Json rejected = Json::array();
  if (!b.rejected.empty()) {
    g.markdown +=
        "## Tested and rejected\n\nControlled tests did not confirm these patterns, so they are left out of "
        "the advice above and out of the strategies:\n\n";
    for (const Pattern& p : b.rejected) {
      const auto* note = find_validation(b.validations, p.feature);
      const std::string phrase = note ? note->phrase : std::string("rejected");
      rejected.push_back(Json{{"feature", p.feature}, {"subject", pattern_subject(p)}, {"validation", phrase}});
      g.markdown += "- " + capitalize(pattern_subject(p)) + " \u2014 " + phrase + "\n";
    }
    g.markdown += "\n";
  }
  g.json["tested_and_rejected"] = rejected;
}

// What to learn next, where the tree's rules are, and the evidence legend.
void guide_closing(const BucketInputs& b, CreativeGuide& g) {
  const LearnNext ln = learn_next(b);
  g.json["learn_next"] = ln.json;
  g.markdown += "## What we need to learn next\n\n" + ln.markdown + "\n";
  // The tree's rules are a single unvalidated model fit: analysts may read them, nobody acts on them.
  g.json["analyst_appendix"] = b.tree_rules.empty() ? Json(nullptr) : Json(std::string(kAnalystAppendixFile));
  if (!b.tree_rules.empty())
    g.markdown += fmt::format(
        "Decision-tree rules for this bucket are in the analyst appendix ({}); they are not "
        "validated and are not advice.\n\n",
        kAnalystAppendixFile);
  g.markdown += kEvidenceLegend;
}

}  // namespace

CreativeGuide build_creative_guide(const BucketInputs& b, std::string_view hashtag) {
  const std::string title = fmt::format("What works in {} {} videos", bucket_human(b.bucket), hashtag_tag(hashtag));
  const std::string status = guide_status(b);
  CreativeGuide g = guide_header(b, title, status);
  if (b.insufficient) return insufficient_guide(b, std::move(g));
  guide_notes(b, status, g);
  if (!b.patterns.empty() || !b.hypotheses.empty()) g.markdown += std::string(kLiftMeaning) + "\n\n";
  const std::string avoid_md = guide_patterns(b, g);
  guide_structure(b, g);
  // "Less X" is often something to do ("less time before the first text"), so the heading says
  // what the list holds rather than "avoid".
  if (!avoid_md.empty()) g.markdown += "## What to keep low or leave out\n\n" + avoid_md + "\n";
  guide_rejected(b, g);
  guide_closing(b, g);
  return g;
}

}  // namespace rumi::report
