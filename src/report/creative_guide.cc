#include "report/creative_guide.h"

#include <cmath>
#include <fmt/format.h>

#include "report/wording.h"

namespace rumi::report {

namespace {

bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }
bool ends_with(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}

constexpr double kHookSeconds = 3.0;

// Where in the video a pattern belongs: 0 hook, 1 body, 2 cta; plus an optional timing sentence.
int section_of(const Pattern& p, double max_s, std::string* timing) {
  const std::string& f = p.feature;
  if (contains(f, "hook_3s") || contains(f, "first_third")) return 0;
  if (contains(f, "last_third") || ends_with(f, ".final")) return 2;
  if (contains(f, "middle_third")) return 1;
  if (ends_with(f, "_pos") && std::isfinite(p.top_mean) && p.top_mean >= 0 && p.top_mean <= 1) {
    const double at = p.top_mean * max_s;
    if (timing && std::isfinite(p.rest_mean))
      *timing = fmt::format("top videos: around second {}, the rest: around second {}", whole_seconds(at),
                            whole_seconds(p.rest_mean * max_s));
    if (at < kHookSeconds) return 0;
    if (at >= max_s * 2.0 / 3.0) return 2;
    return 1;
  }
  if (contains(f, "cta") || contains(f, "CTA")) return 2;
  return 1;
}

Json pattern_entry(const Pattern& p, const PatternValidations& v) {
  return Json{{"feature", p.feature},
              {"validation", validation_json(v, p.feature)},
              {"source", p.source},
              {"sentence", pattern_sentence(p)},
              {"evidence", evidence_name(p.evidence)},
              {"direction", direction_name(p.direction)},
              {"lift", json_number(p.lift)},
              {"ci95", Json::array({json_number(p.ci95[0]), json_number(p.ci95[1])})},
              {"p_value", json_number(p.p_value)},
              {"q_value", json_number(p.q_value)},
              {"effect_size", json_number(p.effect_size)},
              {"sample_size", p.sample_size},
              {"top_count", p.top_count},
              {"top_prevalence", json_number(p.top_prevalence)}};
}

}  // namespace

std::vector<GuideSection> recommended_structure(const BucketInputs& b) {
  const double max_s = bucket_max_seconds(b.bucket);
  const double cta_from = std::round(max_s * 2.0 / 3.0);
  std::vector<GuideSection> s = {{"hook", 0, kHookSeconds, {}}, {"body", kHookSeconds, cta_from, {}},
                                 {"cta", cta_from, max_s, {}}};
  for (const Pattern& p : b.patterns) {
    if (is_avoid(p)) continue;
    std::string timing;
    const int sec = section_of(p, max_s, &timing);
    std::string text = capitalize(pattern_subject(p));
    if (!timing.empty()) text += " (" + timing + ")";
    text += " \u2014 " + std::string(evidence_name(p.evidence)) + validation_suffix(b.validations, p.feature);
    s[sec].elements.push_back(std::move(text));
  }
  return s;
}

CreativeGuide build_creative_guide(const BucketInputs& b, std::string_view hashtag) {
  const std::string bname(bucket_name(b.bucket));
  const std::string title = fmt::format("What works in {} {} videos", bucket_human(b.bucket), hashtag_tag(hashtag));
  std::string status = "ok";
  if (b.insufficient)
    status = "insufficient_data";
  else if (b.patterns.empty() && !b.rejected.empty())
    status = "patterns_rejected_by_tests";
  else if (b.patterns.empty())
    status = "no_significant_patterns";

  Json j{{"format", "rumi-creative-guide"}, {"format_version", 1},      {"bucket", bname},
         {"title", title},                 {"status", status},          {"sample_size", b.sample_size},
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

  Json notes = Json::array();
  if (status == "insufficient_data") {
    const std::string n = fmt::format(
        "INSUFFICIENT DATA: only {} videos in this bucket; at least {} are needed before any pattern is tested. "
        "Collect more videos of this length (at least {} for a full analysis) and re-run.",
        b.sample_size, kMinVideosForModel, kMinVideosForFullAnalysis);
    notes.push_back(n);
    md += "> " + n + "\n";
    j["notes"] = notes;
    j["what_works"] = Json::array();
    j["avoid"] = Json::array();
    j["structure"] = Json::array();
    j["decision_rules"] = Json::array();
    return {j, md};
  }
  if (b.exploratory) {
    const std::string n = fmt::format(
        "Exploratory: {} videos (fewer than {}); treat every finding as a hypothesis to test, not a rule.",
        b.sample_size, kMinVideosForFullAnalysis);
    notes.push_back(n);
    md += "> " + n + "\n\n";
  }
  if (status == "no_significant_patterns") {
    const std::string n = fmt::format(
        "No creative element separated the top videos from the rest with statistical confidence at this sample "
        "size ({} videos). Do not change your creative approach on this data; collect more videos of this "
        "length (at least {}) and re-run.",
        b.sample_size, kMinVideosForFullAnalysis);
    notes.push_back(n);
    md += "> " + n + "\n\n";
  }
  if (status == "patterns_rejected_by_tests") {
    const std::string n =
        "Every pattern found in this bucket was rejected by controlled tests, so there is no advice to give yet; "
        "keep your creative approach and collect more videos of this length.";
    notes.push_back(n);
    md += "> " + n + "\n\n";
  }
  j["notes"] = notes;

  Json works = Json::array(), avoid = Json::array();
  std::string works_md, avoid_md;
  for (const Pattern& p : b.patterns) {
    const std::string line = "- **" + std::string(evidence_name(p.evidence)) + "**" +
                             validation_suffix(b.validations, p.feature) + " " + pattern_sentence(p) + "\n";
    if (is_avoid(p)) {
      avoid.push_back(pattern_entry(p, b.validations));
      avoid_md += line;
    } else {
      works.push_back(pattern_entry(p, b.validations));
      works_md += line;
    }
  }
  j["what_works"] = works;
  j["avoid"] = avoid;
  if (!works_md.empty()) md += "## What works\n\n" + works_md + "\n";

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
  j["structure"] = structure;
  if (any_element) md += "## Recommended structure\n\n" + structure_md + "\n";
  if (!avoid_md.empty()) md += "## What to avoid\n\n" + avoid_md + "\n";

  Json rejected = Json::array();
  if (!b.rejected.empty()) {
    md += "## Tested and rejected\n\nControlled tests did not confirm these patterns, so they are left out of the "
          "advice above and out of the strategies:\n\n";
    for (const Pattern& p : b.rejected) {
      const auto* note = find_validation(b.validations, p.feature);
      const std::string phrase = note ? note->phrase : std::string("rejected");
      rejected.push_back(Json{{"feature", p.feature}, {"subject", pattern_subject(p)}, {"validation", phrase}});
      md += "- " + capitalize(pattern_subject(p)) + " \u2014 " + phrase + "\n";
    }
    md += "\n";
  }
  j["tested_and_rejected"] = rejected;

  Json rules = Json::array();
  std::vector<Pattern> known = b.patterns;  // rejected patterns still name features in the tree's rules
  known.insert(known.end(), b.rejected.begin(), b.rejected.end());
  for (const auto& r : b.tree_rules) rules.push_back(humanize_rule(r, known));
  j["decision_rules"] = rules;
  if (!rules.empty()) {
    md += "## Decision rules (from the decision tree)\n\n";
    for (const auto& r : rules) md += "- " + r.get<std::string>() + "\n";
    if (b.cv_r2) md += fmt::format("\nCross-validated R\u00b2 of the forest model: {}.\n", two_decimals(*b.cv_r2));
    md += "\n";
  }
  md += "Evidence labels: STRONG = significant after correction and backed by several models; MODERATE = "
        "significant; EMERGING = early signal worth testing.\n";
  return {j, md};
}

}  // namespace rumi::report
