#include "report/analyst_appendix.h"

#include <fmt/format.h>

#include "report/wording.h"

namespace rumi::report {

std::string analyst_appendix_markdown(const HashtagInputs& in, std::string_view hashtag) {
  std::string md = "# Analyst appendix: decision-tree rules (not validated) \u2014 " + hashtag_tag(hashtag) + "\n\n";
  md +=
      "> **Not validated.** Each bucket's decision tree is a single model fitted on all of its videos. Its splits "
      "were not tested against chance and many leaves hold only one or two videos, so these rules are not advice "
      "and no guide, strategy or brief uses them. Read them as ideas for a future pre-declared test. The evidence "
      "labels in the guides come only from the per-element tests.\n\n";
  md +=
      "Feature names in [brackets] are replaced by their plain-English description; thresholds and predicted "
      "engagement rates are exactly as training wrote them.\n\n";
  for (const auto& b : in.buckets) {
    md += fmt::format("## {} ({} videos)\n\n", bucket_name(b.bucket), b.sample_size);
    if (b.insufficient) {
      md += fmt::format("Too few videos for a model (at least {} needed).\n\n", kMinVideosForModel);
      continue;
    }
    if (b.forest_skill) {
      const ForestSkill& s = *b.forest_skill;
      if (!s.run)
        md += "Forest skill test: not run" + (s.reason.empty() ? std::string() : " (" + s.reason + ")") +
              "; no element can be STRONG here.\n";
      else
        md += fmt::format(
            "Forest skill test (out-of-fold predictions vs engagement rate, against label "
            "permutations): p {} \u2014 {}.\n",
            p_value_text(s.p_value),
            s.passed ? "the model predicts held-out videos better than chance"
                     : "no better than chance, so no element can be STRONG here");
    }
    if (b.cv_r2) md += fmt::format("Cross-validated R\u00b2 of the forest: {}.\n", two_decimals(*b.cv_r2));
    md += "\n";
    if (b.tree_rules.empty()) {
      md += "No decision-tree rules were written for this bucket.\n\n";
      continue;
    }
    std::vector<Pattern> known = b.patterns;  // every element the bucket named, for readable rules
    known.insert(known.end(), b.hypotheses.begin(), b.hypotheses.end());
    known.insert(known.end(), b.rejected.begin(), b.rejected.end());
    for (const auto& r : b.tree_rules) md += "- " + humanize_rule(r, known) + "\n";
    md += "\n";
  }
  return md;
}

}  // namespace rumi::report
