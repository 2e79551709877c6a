#pragma once
// Checking one video file against a hashtag's strategies (`rumi check-video`, issue 20 point 4:
// the seed's "Affiliate Content Compliance Tracker", phase 1) and scoring a delivered Billo video
// from its file (`rumi validate record --video-file`).
//
// How, and why:
// * The video is analysed by rumi's native analyzer (native/content_analysis.h, the same pass
//   `rumi analyze-video` and `rumi analyze --native` run) and its flows become the feature
//   vector exactly as the features stage builds it for a natively analysed hashtag, so a
//   strategy's element means the same column here as in the patterns it came from.
// * Each recommendation (a strategy's primary or supporting pattern, a test's pattern
//   condition) is checked by the implementation score's rule (validate/implementation_score.h:
//   the winners' side of the midpoint between the top videos' and the other videos' typical
//   value). One rule for both commands, so `check-video` before filming and the stored score of
//   the delivered video agree.
// * An element the native analyzer does not measure (its column is NaN: gestures, objects,
//   anything a flow leaves out) is "not measured", never "missed", and stays out of the share:
//   compliance share = followed / (followed + missed).
// * The bucket is the video's own duration's (core/bucket.h). The engagement prediction is the
//   bucket model's (ml/predict.h) only when that bucket's forest passed its out-of-sample skill
//   test (patterns_<bucket>.json `forest_skill.passed`): a model that does not predict held-out
//   videos better than chance gives no number, and the result says so.
// * Bad input is a UsageError / InputError (exit 2) naming the file, strategy or bucket.
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/bucket.h"
#include "core/json.h"
#include "core/video.h"
#include "native/content_analysis.h"
#include "validate/implementation_score.h"
#include "validate/strategy_brief.h"
#include "validate/validation_loop.h"

namespace rumi::validate {

// The video as the native analyzer measured it, and its feature vector.
struct VideoMeasurement {
  std::filesystem::path file;
  std::string video_id;
  double duration_s = 0;
  Bucket bucket{};
  native::ContentAnalysis analysis;
  std::vector<double> features;  // feature_catalog() order; NaN = not measured
};

// The bucket of a video of `duration_s` seconds; UsageError naming `file` when it is too long
// for any bucket (> 120 s) or has no duration.
Bucket bucket_for_video(const std::filesystem::path& file, double duration_s);

// Probes the file first (header only: a missing file or a video too long for any bucket is
// refused before anything is decoded), then runs the native analysis. `item` (its Apify item,
// optional) adds the caption and posting flow.
VideoMeasurement measure_video_file(const std::filesystem::path& file, const Video* item,
                                    const native::ContentOptions& options);

// The feature vector of a native content analysis, built as the native analyze stage builds it.
std::vector<double> native_feature_values(const native::ContentAnalysis& analysis, std::string_view video_id);

enum class ElementOutcome { followed, missed, not_measured };
std::string_view element_outcome_name(ElementOutcome o);  // "followed", "missed", "not measured"

// One recommendation against the video, in words a marketing manager reads aloud.
struct ElementCheck {
  std::string feature;
  std::string role;         // primary / supporting (strategies), "" for a test's condition
  std::string element;      // "time to the first on-screen text"
  std::string instruction;  // what the strategy asks, "Put the first text on screen within 0.8 s"
  ElementOutcome outcome = ElementOutcome::not_measured;
  double value = 0;      // NaN when not measured
  std::string measured;  // "2.4 s", "yes", or "" when not measured
  std::string target;    // "within 1.2 s (top videos typically 0.8 s, the others 3.5 s)"
  std::string note;      // why not measured, or that the feature is unknown to this version
};

struct ConditionsCheck {
  std::vector<ElementCheck> elements;
  int followed = 0, missed = 0, not_measured = 0;
  std::optional<double> share;  // followed / (followed + missed); none when nothing was measured
  ImplementationScore score;    // the same check, as validate record stores it
};

// Checks conditions against a measured video. `roles` (optional, parallel to conditions) labels
// each as primary / supporting.
ConditionsCheck check_conditions(std::span<const PatternCondition> conditions, const VideoMeasurement& video,
                                 std::span<const std::string> roles = {});

struct StrategyCheck {
  StrategyBrief brief;
  std::optional<Bucket> target_bucket;  // the strategy's target_bucket (or bucket), when it names one
  ConditionsCheck check;
};

// The newest report date's strategies (reports/<date>/strategies/strategy_NN.json), by number.
// UsageError naming `hashtag` and the folder when the hashtag has none yet.
std::vector<StrategyBrief> hashtag_strategies(const std::filesystem::path& hashtag_dir, std::string_view hashtag);

// The bucket model's engagement prediction for the video, when the bucket passed its skill test.
struct EngagementPrediction {
  bool available = false;
  std::string reason;                // why there is none, a whole sentence
  double er = 0, low = 0, high = 0;  // percent; ~90 % interval
  std::filesystem::path model;
};
EngagementPrediction predict_engagement(const std::filesystem::path& hashtag_dir, Bucket bucket,
                                        std::span<const double> features);

struct VideoCheckRequest {
  std::filesystem::path video_file;
  const Video* item = nullptr;
  std::filesystem::path hashtag_dir;
  std::string hashtag;          // "#nutrition", for the text
  std::optional<int> strategy;  // one strategy; default: every strategy of the video's bucket
  native::ContentOptions content;
};

struct VideoCheck {
  VideoMeasurement video;
  std::string hashtag;
  std::vector<StrategyCheck> strategies;
  // Over the distinct elements (feature and direction) of all checked strategies.
  int followed = 0, missed = 0, not_measured = 0;
  std::optional<double> share;
  EngagementPrediction prediction;
  std::vector<std::string> notes;  // e.g. the chosen strategy targets another bucket
};

// Looks the strategies up before the video is decoded (no strategies, a number out of range and
// no strategy for the video's bucket are refused without the analysis).
VideoCheck check_video(const VideoCheckRequest& request);

// `rumi validate record --video-file`: the test's pattern conditions checked against the video
// (the check above), and stored on the recorded video as its implementation score: the
// compliance share, or no score when nothing was measured; implementation_json keeps every
// element's outcome and the file. Returns the row as stored.
ConditionsCheck check_test_video(const OwnedTest& t, const VideoMeasurement& video);
store::TestVideoRow store_video_check(store::Database& db, store::TestVideoRow recorded, const ConditionsCheck& c,
                                      const VideoMeasurement& video);

Json to_json(const ElementCheck& e);
Json to_json(const ConditionsCheck& c);
Json to_json(const VideoCheck& c);
// "Follows: ...", "Misses: ...", "Not measured: ..." lines of one check.
std::string conditions_text(const ConditionsCheck& c);
std::string video_check_text(const VideoCheck& c);

}  // namespace rumi::validate
