// `rumi check-video` and `rumi validate record --video-file` (validate/video_check.h) on videos
// made by the ffmpeg CLI to follow a strategy, and on controls that do not. The truth is the
// ffmpeg arguments: where the caption starts, how many shots are concatenated, how long it runs.
//
// The strategy file is written in the report stage's format (report/strategies.h strategy_json:
// target_bucket, patterns with role, direction, top_mean, rest_mean) rather than produced by a
// pipeline run, because the synthetic pipeline's strategies are about whatever the generator
// planted, mostly elements (gestures, emotions, objects) the native analyzer does not measure;
// here each element is chosen for what the test checks: one timing the text reader measures
// (time to the first on-screen text), one count the shot detector measures (scene changes), and
// one the native analyzer leaves unmeasured (gestures).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <map>

#include "core/dataset.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/workspace.h"
#include "features/feature_catalog.h"
#include "ml/model_file.h"
#include "ml/train.h"
#include "native/test_media.h"
#include "support/rumi_cli.h"
#include "support/test_support.h"
#include "validate/video_check.h"

namespace rumi {
namespace {

namespace fs = std::filesystem;
namespace tm = rumi::test::media;

const char* kFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

#define RUMI_REQUIRE_VIDEO_TOOLS()                                                      \
  do {                                                                                  \
    RUMI_REQUIRE_FFMPEG();                                                              \
    if (!std::filesystem::exists(kFont)) GTEST_SKIP() << "font " << kFont << " absent"; \
  } while (0)

// The strategy's three elements (catalog names) and their typical values among the top videos
// and the others: the check's target is the midpoint (2.5 s; 3 scene changes; 2.5 gestures).
constexpr const char* kFirstText = "overlay.timeToFirstOverlay";
constexpr const char* kSceneChanges = "density.sceneChangeCount";
constexpr const char* kGestures = "density.elementCounts.gesture";

// `shots` equal shots of distinct two-colour gradients concatenated into `seconds` of 352x640
// video, with a caption from `text_from` to the end when given.
fs::path make_video(int shots, double seconds, std::optional<double> text_from) {
  static const std::vector<std::pair<std::string, std::string>> colours = {
      {"red", "yellow"}, {"blue", "cyan"}, {"green", "white"}, {"purple", "orange"}, {"black", "gray"}};
  std::vector<std::string> argv{tm::ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y"};
  std::string graph;
  for (int i = 0; i < shots; ++i) {
    const auto& [c0, c1] = colours[static_cast<std::size_t>(i) % colours.size()];
    argv.insert(argv.end(), {"-f", "lavfi", "-i",
                             fmt::format("gradients=s=352x640:r=30:c0={}:c1={}:n=2:speed=0.05:d={:.3f}:seed=1", c0, c1,
                                         seconds / shots)});
    graph += fmt::format("[{}:v]", i);
  }
  graph += fmt::format("concat=n={}:v=1:a=0", shots);
  if (text_from)
    graph += fmt::format(
        ",drawtext=fontfile={}:text='SHOP NOW':fontsize=40:fontcolor=white:borderw=3:bordercolor=black:"
        "x=(w-tw)/2:y=h*0.7:enable='gte(t,{:.2f})'",
        kFont, *text_from);
  graph += ",format=yuv420p[v]";
  argv.insert(argv.end(),
              {"-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-threads", "1", "-t",
               fmt::format("{:.3f}", seconds), "-map_metadata", "-1", "-fflags", "+bitexact", "{out}"});
  return tm::make_cached(argv, "mp4");
}

// Follows both measurable elements: text from 0.3 s, 5 shots (4 scene changes).
fs::path following_video() { return make_video(5, 6.0, 0.3); }
// Follows neither: one shot, no text.
fs::path control_video() { return make_video(1, 6.0, std::nullopt); }
// Follows the text timing only: text from 0.3 s, one shot.
fs::path text_only_video() { return make_video(1, 6.0, 0.3); }

Json pattern(const char* feature, const char* direction, double top, double rest, const char* role) {
  return Json{{"feature", feature},
              {"direction", direction},
              {"top_mean", top},
              {"rest_mean", rest},
              {"lift", 0.3},
              {"evidence", "STRONG"},
              {"role", role},
              {"kind", "numeric"},
              {"columns", Json::array({feature})}};
}

Json strategy(int rank, const char* bucket, Json patterns) {
  return Json{{"format", "rumi-strategy"},
              {"format_version", 1},
              {"id", fmt::format("strategy_{:02d}", rank)},
              {"rank", rank},
              {"title", fmt::format("Hook: strategy {}", rank)},
              {"theme", "hook"},
              {"target_bucket", bucket},
              {"patterns", std::move(patterns)}};
}

class CheckVideo : public ::testing::Test {
 protected:
  test::TempDir dir;
  std::string ws() const { return (dir.path() / "ws").string(); }
  fs::path hashtag_dir() const { return dir.path() / "ws" / "MLAnalysis" / "acme" / "nutrition"; }
  test::CommandResult rumi(std::vector<std::string> args) {
    args.insert(args.begin(), {"--workspace", ws()});
    return test::run_rumi(args);
  }
  // Acme with #nutrition (two strategies: one for 0-15 s videos, one for 16-30 s) and #fitness
  // (no report yet).
  void SetUp() override {
    ASSERT_EQ(rumi({"init"}).exit_code, 0);
    write_file_atomic(dir / "c.yaml",
                      "clients:\n  - name: Acme\n    hashtags:\n      - name: \"#nutrition\"\n"
                      "      - name: \"#fitness\"\n");
    auto r = rumi({"config", "apply", (dir / "c.yaml").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path d = hashtag_dir() / "reports" / "2026-03-01" / "strategies";
    ensure_directory(d);
    write_json_atomic(d / "strategy_01.json",
                      strategy(1, "0-15s",
                               Json::array({pattern(kFirstText, "lower_is_better", 0.5, 4.5, "primary"),
                                            pattern(kSceneChanges, "higher_is_better", 5, 1, "supporting"),
                                            pattern(kGestures, "higher_is_better", 4, 1, "supporting")})));
    write_json_atomic(d / "strategy_02.json",
                      strategy(2, "16-30s", Json::array({pattern(kSceneChanges, "lower_is_better", 1, 6, "primary")})));
  }
  Json check(const fs::path& video, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--json", "check-video", video.string(), "Acme", "#nutrition"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = rumi(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? Json::parse(r.out) : Json();
  }
};

const Json& element(const Json& strategy_check, const std::string& feature) {
  for (const Json& e : strategy_check["elements"])
    if (e["feature"] == feature) return e;
  static const Json none;
  ADD_FAILURE() << "no element " << feature << " in " << strategy_check.dump(1);
  return none;
}

TEST_F(CheckVideo, TheFollowingVideoFollowsAndTheControlMisses) {
  RUMI_REQUIRE_VIDEO_TOOLS();
  const Json yes = check(following_video());
  ASSERT_TRUE(yes.is_object());
  SCOPED_TRACE(yes.dump(1));
  EXPECT_EQ(yes["bucket"], "0-15s");
  EXPECT_NEAR(yes["duration_s"].get<double>(), 6.0, 0.1);
  // Only the 0-15 s strategy: the video's length decides the bucket.
  ASSERT_EQ(yes["strategies"].size(), 1u);
  const Json& s = yes["strategies"][0];
  EXPECT_EQ(s["number"], 1);
  EXPECT_EQ(element(s, kFirstText)["outcome"], "followed");
  EXPECT_NEAR(element(s, kFirstText)["value"].get<double>(), 0.3, 0.5);  // the caption starts at 0.3 s
  EXPECT_EQ(element(s, kFirstText)["role"], "primary");
  EXPECT_EQ(element(s, kSceneChanges)["outcome"], "followed");
  EXPECT_EQ(element(s, kSceneChanges)["value"], 4);  // 5 shots
  EXPECT_EQ(element(s, kGestures)["outcome"], "not measured");
  EXPECT_TRUE(element(s, kGestures)["value"].is_null());
  EXPECT_EQ(yes["followed"], 2);
  EXPECT_EQ(yes["missed"], 0);
  EXPECT_EQ(yes["not_measured"], 1);
  EXPECT_DOUBLE_EQ(yes["compliance_share"].get<double>(), 1.0);

  const Json no = check(control_video());
  ASSERT_TRUE(no.is_object());
  SCOPED_TRACE(no.dump(1));
  const Json& c = no["strategies"][0];
  // No text: the time to the first text is the whole video (the schema's convention), 6 s.
  EXPECT_EQ(element(c, kFirstText)["outcome"], "missed");
  EXPECT_NEAR(element(c, kFirstText)["value"].get<double>(), 6.0, 0.2);
  EXPECT_EQ(element(c, kSceneChanges)["outcome"], "missed");
  EXPECT_EQ(element(c, kSceneChanges)["value"], 0);
  EXPECT_EQ(element(c, kGestures)["outcome"], "not measured");
  EXPECT_EQ(no["followed"], 0);
  EXPECT_EQ(no["missed"], 2);
  EXPECT_DOUBLE_EQ(no["compliance_share"].get<double>(), 0.0);
}

TEST_F(CheckVideo, HalfFollowedIsHalfAndTheTextSaysWhatWasMeasured) {
  RUMI_REQUIRE_VIDEO_TOOLS();
  const Json half = check(text_only_video());
  ASSERT_TRUE(half.is_object());
  EXPECT_EQ(half["followed"], 1);
  EXPECT_EQ(half["missed"], 1);
  EXPECT_DOUBLE_EQ(half["compliance_share"].get<double>(), 0.5);

  auto r = rumi({"check-video", text_only_video().string(), "Acme", "#nutrition"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  SCOPED_TRACE(r.out);
  EXPECT_NE(r.out.find("Follows: Put the first text on screen within 1 s. Measured time to the first on-screen text"),
            std::string::npos);
  EXPECT_NE(r.out.find("target: within 2.5 s (top videos typically 0.5 s, the others 4.5 s)"), std::string::npos);
  EXPECT_NE(r.out.find("Misses: Change scene more often, about 5 times. Measured number of scene changes: 0; "
                       "target: above 3"),
            std::string::npos);
  EXPECT_NE(r.out.find("Not measured: Use more hand gestures"), std::string::npos);
  EXPECT_NE(r.out.find("1 of 2 measured recommendation(s) followed (50 %); 1 not measured"), std::string::npos);
  // No patterns file for the bucket: no model, no prediction.
  EXPECT_NE(r.out.find("There is no tested model for 0-15s videos yet"), std::string::npos);
}

TEST_F(CheckVideo, AnotherBucketsStrategyIsCheckedOnlyWhenAskedForAndSaysSo) {
  RUMI_REQUIRE_VIDEO_TOOLS();
  const Json j = check(control_video(), {"--strategy", "2"});
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j["strategies"].size(), 1u);
  EXPECT_EQ(j["strategies"][0]["number"], 2);
  EXPECT_EQ(j["strategies"][0]["target_bucket"], "16-30s");
  // Fewer scene changes is the target there (below 3.5): one shot follows it.
  EXPECT_EQ(element(j["strategies"][0], kSceneChanges)["outcome"], "followed");
  ASSERT_EQ(j["notes"].size(), 1u);
  EXPECT_NE(j["notes"][0].get<std::string>().find("written for 16-30s videos"), std::string::npos);
}

TEST_F(CheckVideo, ABucketWhoseModelFailedItsSkillTestGivesNoPrediction) {
  RUMI_REQUIRE_VIDEO_TOOLS();
  const BucketFiles files = bucket_files(hashtag_dir(), Bucket::s0_15);
  ensure_directory(files.dir);
  write_json_atomic(files.patterns, Json{{"forest_skill", {{"run", true}, {"passed", false}, {"p_value", 0.4}}}});
  auto r = rumi({"check-video", following_video().string(), "Acme", "#nutrition"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("The model for this bucket did not pass its skill test, so no engagement prediction."),
            std::string::npos)
      << r.out;
  const Json j = check(following_video());
  EXPECT_FALSE(j["prediction"]["available"].get<bool>());
}

// A bucket model trained on videos whose engagement rises with early text and more scene
// changes, and whose skill test passed: the video made to follow the strategy is predicted
// higher than its control, each inside its own interval.
TEST_F(CheckVideo, APassingBucketModelPredictsTheFollowingVideoHigher) {
  RUMI_REQUIRE_VIDEO_TOOLS();
  const auto& catalog = features::feature_catalog();
  const std::size_t text = *catalog.index_of(kFirstText), cuts = *catalog.index_of(kSceneChanges);
  Dataset d;
  d.feature_names = catalog.names();
  std::vector<double> row(catalog.size(), std::numeric_limits<double>::quiet_NaN());
  for (int i = 0; i < 40; ++i) {
    const double t = 0.2 + 0.15 * i, c = (i * 7) % 6;
    row[text] = t;
    row[cuts] = c;
    d.add_row("v" + std::to_string(i), 1.0, 8.0 - 1.0 * t + 0.6 * c, row);
  }
  ml::TrainOptions o;
  o.schema_version = catalog.version;
  o.schema_sha256 = catalog.sha256;
  o.forest_trees = 30;
  o.nthread = 1;
  const BucketFiles files = bucket_files(hashtag_dir(), Bucket::s0_15);
  ensure_directory(files.dir);
  write_json_atomic(files.model, ml::model_to_json(ml::train_bucket(d, "0-15s", o)));
  write_json_atomic(files.patterns, Json{{"forest_skill", {{"run", true}, {"passed", true}, {"p_value", 0.02}}}});

  const Json yes = check(following_video()), no = check(control_video());
  ASSERT_TRUE(yes.is_object() && no.is_object());
  const Json &py = yes["prediction"], &pn = no["prediction"];
  ASSERT_TRUE(py["available"].get<bool>()) << py.dump();
  ASSERT_TRUE(pn["available"].get<bool>()) << pn.dump();
  EXPECT_GT(py["engagement_rate"].get<double>(), pn["engagement_rate"].get<double>());
  for (const Json* p : {&py, &pn}) {
    EXPECT_LE((*p)["low"].get<double>(), (*p)["engagement_rate"].get<double>());
    EXPECT_GE((*p)["high"].get<double>(), (*p)["engagement_rate"].get<double>());
  }
  auto r = rumi({"check-video", following_video().string(), "Acme", "#nutrition"});
  EXPECT_NE(r.out.find("Predicted engagement rate for 0-15s videos:"), std::string::npos) << r.out;
}

// --item adds the caption and posting data: an element about the caption is not measured from
// the file alone and measured with the item (the fixture item's own hashtag list is the truth).
TEST_F(CheckVideo, TheItemMeasuresTheCaptionElements) {
  RUMI_REQUIRE_VIDEO_TOOLS();
  const fs::path item = test::fixtures_dir() / "imports" / "apify_single_item.json";
  const Json item_doc = read_json_file(item);
  const Json& first = item_doc.is_array() ? item_doc[0] : item_doc;
  const double hashtags = static_cast<double>(first["hashtags"].size());  // 3
  write_json_atomic(
      hashtag_dir() / "reports" / "2026-03-01" / "strategies" / "strategy_03.json",
      strategy(3, "0-15s", Json::array({pattern("meta.hashtagCount", "higher_is_better", 4, 1, "primary")})));
  const Json alone = check(control_video(), {"--strategy", "3"});
  ASSERT_TRUE(alone.is_object());
  EXPECT_EQ(element(alone["strategies"][0], "meta.hashtagCount")["outcome"], "not measured");
  EXPECT_TRUE(alone["compliance_share"].is_null());  // nothing measurable: no share, not 0 %
  const Json with = check(control_video(), {"--strategy", "3", "--item", item.string()});
  ASSERT_TRUE(with.is_object());
  const Json& e = element(with["strategies"][0], "meta.hashtagCount");
  EXPECT_EQ(e["value"].get<double>(), hashtags);
  EXPECT_EQ(e["outcome"], hashtags > 2.5 ? "followed" : "missed");
}

TEST_F(CheckVideo, BadInputIsRefusedNamingTheThing) {
  RUMI_REQUIRE_VIDEO_TOOLS();
  const std::string video = control_video().string();
  auto missing = rumi({"check-video", (dir / "nope.mp4").string(), "Acme", "#nutrition"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope.mp4"), std::string::npos) << missing.err;
  auto client = rumi({"check-video", video, "Nobody", "#nutrition"});
  EXPECT_EQ(client.exit_code, 2);
  EXPECT_NE(client.err.find("Nobody"), std::string::npos) << client.err;
  auto hashtag = rumi({"check-video", video, "Acme", "#cooking"});
  EXPECT_EQ(hashtag.exit_code, 2);
  EXPECT_NE(hashtag.err.find("cooking"), std::string::npos) << hashtag.err;
  auto none = rumi({"check-video", video, "Acme", "#fitness"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("#fitness has no strategies yet"), std::string::npos) << none.err;
  auto range = rumi({"check-video", video, "Acme", "#nutrition", "--strategy", "9"});
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_NE(range.err.find("strategy 9 is out of range"), std::string::npos) << range.err;
  EXPECT_NE(range.err.find("strategies 1, 2"), std::string::npos) << range.err;
  auto zero = rumi({"check-video", video, "Acme", "#nutrition", "--strategy", "0"});
  EXPECT_EQ(zero.exit_code, 2);
  // 125 s: longer than the last bucket (120 s); refused from the header, before decoding.
  const fs::path long_video = tm::make_testsrc(64, 64, 125, 2);
  auto too_long = rumi({"check-video", long_video.string(), "Acme", "#nutrition"});
  EXPECT_EQ(too_long.exit_code, 2);
  EXPECT_NE(too_long.err.find("too long for any bucket"), std::string::npos) << too_long.err;
}

// The real path: `rumi demo` runs the whole pipeline on its synthetic hashtags and writes real
// strategies and bucket models. Both demo videos are 6 s (0-15 s). For each element of the 0-15 s
// strategies whose truth the ffmpeg arguments give, the outcome must be what the midpoint rule
// says for that truth and the strategy's own typical values (read from the strategy file here);
// the prediction must be there exactly when the bucket's patterns file says the skill test passed.
TEST(CheckVideoOnTheDemo, OutcomesFollowTheTruthAndThePredictionTheSkillTest) {
  RUMI_REQUIRE_VIDEO_TOOLS();
  test::TempDir dir;
  const fs::path out = dir / "demo";
  auto demo = test::run_rumi({"-q", "demo", "--out", out.string(), "--videos", "120"});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  const std::string ws = (out / "workspace").string();
  struct Truth {
    fs::path video;
    std::map<std::string, double> values;  // feature -> true value
  };
  const std::vector<Truth> truths = {
      {following_video(), {{kFirstText, 0.3}, {"overlay.timeToFirstOverlay.hook_3s", 1}, {kSceneChanges, 4}}},
      {control_video(), {{kFirstText, 6.0}, {"overlay.timeToFirstOverlay.hook_3s", 0}, {kSceneChanges, 0}}}};
  int compared = 0;
  for (const std::string tag : {"nutrition", "energydrink"}) {
    const fs::path h = out / "workspace" / "MLAnalysis" / "demo-supplements-co" / tag;
    const Json patterns = read_json_file(bucket_files(h, Bucket::s0_15).patterns);
    const bool passed = patterns["forest_skill"]["passed"].get<bool>();
    for (const Truth& t : truths) {
      auto r = test::run_rumi(
          {"--workspace", ws, "--json", "check-video", t.video.string(), "demo-supplements-co", "#" + tag});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const Json j = Json::parse(r.out);
      SCOPED_TRACE(tag + " " + t.video.string() + "\n" + j.dump(1));
      EXPECT_EQ(j["prediction"]["available"].get<bool>(), passed);
      for (const Json& sc : j["strategies"]) {
        const Json doc = read_json_file(sc["file"].get<std::string>());
        EXPECT_EQ(doc["target_bucket"], "0-15s");
        for (const Json& p : doc["patterns"]) {
          const std::string f = p["feature"];
          auto truth = t.values.find(f);
          if (truth == t.values.end()) continue;
          const double mid = (p["top_mean"].get<double>() + p["rest_mean"].get<double>()) / 2;
          const double tolerance = f == kFirstText ? 0.5 : 0.0;  // the text reader's onset tolerance
          if (std::fabs(truth->second - mid) <= tolerance) continue;
          const bool winners_above = p["top_mean"].get<double>() > p["rest_mean"].get<double>();
          const bool follows = winners_above ? truth->second > mid : truth->second < mid;
          EXPECT_EQ(element(sc, f)["outcome"], follows ? "followed" : "missed") << f;
          ++compared;
        }
      }
    }
  }
  if (compared == 0) GTEST_SKIP() << "the demo's 0-15 s strategies name none of the elements with a known truth";
}

// validate record --video-file stores the same check as the test video's implementation score.
TEST_F(CheckVideo, ValidateRecordStoresTheCheckAsTheImplementationScore) {
  RUMI_REQUIRE_VIDEO_TOOLS();
  auto created = rumi({"-q", "validate", "create", "Acme", "#nutrition", "--strategy", "1", "--videos-per-arm", "2"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string id = "T-nutrition-1";
  auto yes = rumi({"--json", "validate", "record", id, "--role", "test", "--video", "7100000000000000001",
                   "--video-file", following_video().string()});
  ASSERT_EQ(yes.exit_code, 0) << yes.err;
  const Json y = Json::parse(yes.out);
  EXPECT_DOUBLE_EQ(y["implementation_score"].get<double>(), 1.0);
  EXPECT_EQ(y["implementation"]["not_measured"], 1);
  EXPECT_EQ(y["implementation"]["source"], "native video check");
  auto no = rumi({"validate", "record", id, "--role", "test", "--video", "7100000000000000002", "--video-file",
                  control_video().string()});
  ASSERT_EQ(no.exit_code, 0) << no.err;
  EXPECT_NE(no.out.find("follows 0 of 2 measured pattern condition(s) (0 %); 1 not measured"), std::string::npos)
      << no.out;
  auto half = rumi({"validate", "record", id, "--role", "test", "--video", "7100000000000000003", "--video-file",
                    text_only_video().string()});
  ASSERT_EQ(half.exit_code, 0) << half.err;

  auto shown = rumi({"--json", "validate", "show", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  std::map<std::string, double> stored;
  const Json show = Json::parse(shown.out);
  for (const Json& v : show["videos"])
    if (v["implementation_score"].is_number())
      stored[v["video_id"].get<std::string>()] = v["implementation_score"].get<double>();
  ASSERT_EQ(stored.size(), 3u) << shown.out;
  EXPECT_DOUBLE_EQ(stored["7100000000000000001"], 1.0);
  EXPECT_DOUBLE_EQ(stored["7100000000000000002"], 0.0);
  EXPECT_DOUBLE_EQ(stored["7100000000000000003"], 0.5);

  // A 20-s video is in the 16-30 s bucket, not the strategy's 0-15 s: recorded, and said so.
  auto longer = rumi({"validate", "record", id, "--role", "control", "--video", "7100000000000000004", "--video-file",
                      make_video(1, 20.0, std::nullopt).string()});
  ASSERT_EQ(longer.exit_code, 0) << longer.err;
  EXPECT_NE(longer.out.find("(the 16-30s bucket); the test's strategy is for 0-15s videos"), std::string::npos)
      << longer.out;

  auto both = rumi({"validate", "record", id, "--role", "test", "--video", "1", "--video-file",
                    control_video().string(), "--analysis", dir.path().string()});
  EXPECT_EQ(both.exit_code, 2);
  auto gone =
      rumi({"validate", "record", id, "--role", "test", "--video", "1", "--video-file", (dir / "gone.mp4").string()});
  EXPECT_EQ(gone.exit_code, 2);
  EXPECT_NE(gone.err.find("gone.mp4"), std::string::npos) << gone.err;
}

}  // namespace
}  // namespace rumi
