#pragma once
// Everything the report writers read, loaded once from the per-bucket files of one hashtag
// (patterns_<b>.json, performance_metrics.json, model_<b>.json) and acquisition/selection.json.
// Reports only ever see these aggregated findings, never raw video data.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/bucket.h"
#include "core/pattern.h"
#include "report/pattern_validation.h"

namespace rumi::report {

// Oldest patterns file format the reports read: format 2's `lift` is the cross-fitted
// engagement lift (stats/engagement_lift.h).
inline constexpr int kMinPatternsFormat = 2;

// STRONG or MODERATE: significant after correction. Only these become advice, strategies,
// Billo briefs or paid test plans; EMERGING is a hypothesis to test.
bool is_evidence_backed(Evidence e);

// The bucket forest's out-of-sample skill test (patterns file `forest_skill`): STRONG needs it.
struct ForestSkill {
  bool run = false;
  bool passed = false;
  double p_value = 1;
  std::string reason;  // why it did not run
};

// A top video of the bucket that shows an element (the briefs' example, issue 18 point 4): the
// highest-ER analysed video whose value of the element's feature is on its favoured side.
struct ExampleVideo {
  std::string video_id, url;
  double er = 0;     // percent
  double value = 0;  // the element's feature value in this video
};

// What the reports say when the analysis was metadata-only (docs/native.md): every finding is
// about captions and posting, none about what happens in the video.
inline constexpr std::string_view kMetadataOnlyNote =
    "Based on captions and posting data, not on the videos' content: rumi analysed the Apify items only "
    "(no video files).";
// What they say when rumi's native analyzer measured the video files (progress.json's
// analyzer_version "rumi-native-..."), so a reader knows where the content measurements came from.
inline constexpr std::string_view kNativeContentNote =
    "The videos' content (cuts, on-screen text, faces, sound and speech) was measured by rumi's native analyzer "
    "from the video files; captions and posting data come from the Apify items.";

// Two elements whose per-video values have |Spearman rho| at least this are one idea in the
// strategies (BucketInputs::same_idea_as). The statistics keep testing them separately.
inline constexpr double kSameIdeaRho = 0.7;
// An element is explained by the stronger ones of its bucket when, with one of them or all of
// them held fixed (partial Spearman, stats/correlation.h; or a rank regression of ER on the
// element and every stronger element that stands on its own, stats/confounders.h), its own
// association is not significant at this level (two-sided,
// uncorrected: the lenient side, since the rule only ever removes a claim). Then it is one idea
// with the stronger element it moves with most (BucketInputs::same_idea_as, ::explained_by). A
// creative element that only goes with engagement because it moves with stronger ones (more
// text elements in videos with more on-screen elements per second) is not a second finding.
inline constexpr double kExplainedAlpha = 0.05;

// How stronger elements explain a weaker one (kExplainedAlpha).
struct Explanation {
  std::string by;                 // the stronger element it moves with most (Pattern::feature)
  std::vector<std::string> held;  // every stronger element held fixed in the test (`by` among them)
  double coefficient = 0;         // its rank-regression coefficient with them held fixed (for an
                                  // echo, report_inputs.cc rule 3: its partial Spearman with `by`)
  double p_value = 1;             // the coefficient's two-sided p (Student's t)
  int n = 0;                      // videos in the test
};

struct BucketInputs {
  Bucket bucket{};
  bool metadata_only = false;  // the hashtag's analysis run was metadata-only (see HashtagInputs)
  int sample_size = 0;
  bool insufficient = false;  // < kMinVideosForModel videos (from either file)
  bool exploratory = false;   // 20-29 videos
  bool has_patterns_file = false;
  // Evidence-backed elements (STRONG / MODERATE, q < 0.05 after correction), strongest first:
  // the only ones that become advice, strategies or paid tests.
  std::vector<Pattern> patterns;
  // EMERGING elements (q < 0.20): hypotheses to test, shown only under "What we need to learn
  // next", never as advice.
  std::vector<Pattern> hypotheses;
  int family_size = 0;  // creative elements that entered the bucket's correction (`family.size`)
  // The m of the sample-size rule (sample_size.h): family_size, or the hashtag's largest family
  // when this bucket was never tested (too few videos), so its target is not understated.
  int planning_family = 0;
  std::optional<ForestSkill> forest_skill;
  std::optional<BucketPerformance> performance;
  // models.decision_tree.rules as training wrote them (the `text` of each rule object, or the
  // string itself). Not validated: they go to the analyst appendix only.
  std::vector<std::string> tree_rules;
  std::optional<double> cv_r2;
  std::vector<std::string> example_urls;  // selected videos in rank order (https only)
  // Per evidence-backed element (by Pattern::feature): a video that shows it, from features.csv
  // and the selection's URLs; absent when no analysed video with an https URL shows it.
  std::map<std::string, ExampleVideo> examples;
  // Per evidence-backed element (by Pattern::feature): the stronger element (earlier in
  // `patterns`) whose values rank this bucket's videos almost alike (|Spearman rho| >=
  // kSameIdeaRho over the videos measured on both, features.csv). The two are one idea for a
  // reader ("first text within 1 s" and "text in the first 3 seconds"), so it leads one strategy
  // only. Also an element a stronger one explains (kExplainedAlpha; the first close one wins,
  // else the stronger element that leaves it the least, i.e. the largest partial p). Absent when
  // no stronger element is that close or explains it.
  std::map<std::string, std::string> same_idea_as;
  std::map<std::string, Explanation> explained_by;  // the subset of same_idea_as found by kExplainedAlpha
  std::vector<Pattern> rejected;                    // labelled but rejected by controlled tests (not advice)
  PatternValidations validations;                   // the hashtag's test results, for the labels
};

// The stronger elements `feature` is one idea with, following same_idea_as along the chain, the
// nearest first (a cycle stops where it closes); empty when it stands on its own.
std::vector<std::string> idea_chain_of(const BucketInputs& b, const std::string& feature);
// The end of that chain: the element that carries the signal; the feature itself when it stands
// on its own.
std::string idea_root_of(const BucketInputs& b, const std::string& feature);

// Elements listed so that each idea counts once: `items` are (bucket, feature) in ranking order;
// the result is that order regrouped so every element comes right after its idea root
// (idea_root_of) when the root is among the items, each group at the place of its best-ranked
// member, the root first. An element whose root is not among the items stands on its own. Used by
// the strategies (which element may lead) and the client PDF (one item per idea).
std::vector<std::size_t> idea_order(const std::vector<std::pair<const BucketInputs*, std::string>>& items);

struct HashtagInputs {
  std::filesystem::path dir;
  // checkpoints/progress.json says "mode": "metadata": captions and posting data only.
  bool metadata_only = false;
  // progress.json's analyzer_version starts with "rumi-native-" and the mode is not metadata.
  bool native_content = false;
  // What the data cost: the live scrape (selection.json "apify", when there was one) and the
  // analysis time of the videos (progress.json, seconds of the attempts that finished).
  std::optional<double> apify_usage_usd;
  bool apify_scraped = false;
  double analysis_seconds = 0;
  int analysed_videos = 0;
  // --llm only: the tokens the strategy rewrite spent in this report run (0 without it).
  long llm_input_tokens = 0, llm_output_tokens = 0;
  std::vector<BucketInputs> buckets;  // buckets with at least one input file, in bucket order
  PatternValidations validations;
  const BucketInputs* find(Bucket b) const;
};

// Throws InputError (naming the file) on a malformed document, or on a patterns file older than
// format 2 (its `lift` was the feature-mean gap, not an engagement lift); missing files are
// allowed.
HashtagInputs load_hashtag_inputs(const std::filesystem::path& hashtag_dir);

// Moves patterns and hypotheses that controlled tests rejected into `rejected` (so no guide's
// "what works", no strategy and no "learn next" list uses them) and hands every bucket the
// validations for its labels.
void apply_pattern_validations(HashtagInputs& in, const PatternValidations& v);

// True when `value` shows the element in the direction that goes with higher engagement:
// present (> 0) / absent (== 0) for presence elements; at or beyond the top videos' typical
// value, and beyond the other videos' typical value, for numeric ones.
bool shows_element(const Pattern& p, double value);

}  // namespace rumi::report
