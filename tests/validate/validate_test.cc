// The Billo validation loop: hand-computed verdicts, scipy parity of the p-values and the store
// operations (idempotent metrics, unknown videos, too few videos, the window, client isolation);
// the whole loop through the real binary: tests/e2e/validate_cli_test.cc.
#include <gtest/gtest.h>
#include <httplib.h>

#include <fmt/format.h>
#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>
#include <thread>

#include "acquire/apify_client.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/time_util.h"
#include "features/analysis_reader.h"
#include "features/feature_catalog.h"
#include "store/clients.h"
#include "store/validation.h"
#include "store/workspace_store.h"
#include "support/test_support.h"
#include "validate/evaluation.h"
#include "validate/implementation_score.h"
#include "validate/pattern_confidence.h"
#include "validate/strategy_brief.h"
#include "validate/validate_fixtures.h"
#include "validate/validation_loop.h"
#include "validate/validation_report.h"

namespace rumi {
namespace {

namespace fs = std::filesystem;
using test::strategy_json;
using validate::TestStatus;

// --- verdicts on hand-computed numbers ---------------------------------------------------------
// (The decision rules on larger samples and the scipy / statsmodels parity are in
// validation_stats_test.cc.)

TEST(Evaluation, LiftIsTheRatioOfGeometricMeans) {
  // ERs 10, 11, 12 vs 5, 6: geometric means 1320^(1/3) and sqrt(30); lift = their ratio - 1.
  // Welch on the logs: p = 0.0337 (scipy), so with no plan to wait for the rules say validated.
  std::vector<double> test{10, 11, 12}, control{5, 6};
  auto e = validate::evaluate_test(test, control, 500.0);
  EXPECT_DOUBLE_EQ(e.test_mean_er, 11.0);
  EXPECT_DOUBLE_EQ(e.control_mean_er, 5.5);
  ASSERT_TRUE(e.lift);
  EXPECT_NEAR(*e.lift, std::cbrt(1320.0) / std::sqrt(30.0) - 1.0, 1e-12);
  EXPECT_EQ(e.itt.method, "welch_log");
  EXPECT_NEAR(e.itt.p_value, 0.03368216753027301, 1e-9);
  EXPECT_EQ(e.status, TestStatus::validated);
  // ROI: +100.3 % lift for $500.
  ASSERT_TRUE(e.lift_pct_per_dollar);
  EXPECT_NEAR(*e.lift_pct_per_dollar, *e.lift * 100 / 500, 1e-12);
  EXPECT_NE(validate::roi_line(e).find("0.201 % lift per dollar"), std::string::npos) << validate::roi_line(e);
}

TEST(Evaluation, ThreeVersusTwoIsNeverDecidedUnderThePlan) {
  // The same clear-looking win, but the test was planned at 65 per arm: no verdict at 3 + 2.
  auto obs = [](std::string id, bool test, double er) {
    validate::VideoObservation o;
    o.video_id = std::move(id);
    o.is_test = test;
    o.er = er;
    return o;
  };
  std::vector<validate::VideoObservation> v = {obs("1", true, 10), obs("2", true, 11), obs("3", true, 12),
                                               obs("4", false, 5), obs("5", false, 6)};
  validate::EvaluationOptions o;
  o.planned_n_per_arm = 65;
  auto e = validate::evaluate_videos(v, o);
  EXPECT_EQ(e.status, TestStatus::inconclusive);
  EXPECT_FALSE(e.reached_plan);
  EXPECT_NE(e.explanation.find("planned 65 videos"), std::string::npos) << e.explanation;
}

TEST(Evaluation, TooFewVideosIsRefused) {
  std::vector<double> test{10, 11, 12}, control{5};
  try {
    validate::evaluate_test(test, control);
    FAIL() << "expected a refusal";
  } catch (const UsageError& e) {
    EXPECT_EQ(e.code(), ExitCode::bad_input);
    EXPECT_NE(std::string(e.what()).find("1 control"), std::string::npos) << e.what();
  }
}

// --- pattern confidence -------------------------------------------------------------------------

TEST(PatternConfidence, AggregatesTestsIntoStatusesPerBucket) {
  // Results stored before issue 17 carry no comparison: they count as tests, decide nothing.
  std::vector<validate::TestOutcome> outcomes = {
      {"16-30s",
       {"hook_text", "overlay_density"},
       {"Put text in the first 2 s", ""},
       "validated",
       0.50,
       "2026-01-02T00:00:00Z",
       std::nullopt,
       std::nullopt},
      {"16-30s", {"hook_text"}, {""}, "validated", 0.32, "2026-01-05T00:00:00Z", std::nullopt, std::nullopt},
      {"0-15s", {"hook_text"}, {""}, "rejected", 0.02, "2026-01-03T00:00:00Z", std::nullopt, std::nullopt},
      {"16-30s", {"ignored"}, {""}, "pending", std::nullopt, "", std::nullopt, std::nullopt},
  };
  auto m = validate::aggregate_pattern_validations(outcomes);
  ASSERT_EQ(m.size(), 3u);
  const auto& hook = m[{"16-30s", "hook_text"}];
  EXPECT_EQ(hook.tests, 2);
  EXPECT_EQ(hook.successful, 2);
  EXPECT_EQ(hook.status, "inconclusive");
  EXPECT_EQ(hook.last_tested, "2026-01-05T00:00:00Z");
  EXPECT_EQ(hook.description, "Put text in the first 2 s");
  const auto& other_bucket = m[{"0-15s", "hook_text"}];  // another bucket: its own entry
  EXPECT_EQ(other_bucket.tests, 1);
  EXPECT_EQ(other_bucket.rejected, 1);
}

// --- implementation score ----------------------------------------------------------------------

TEST(ImplementationScore, MidpointRuleAndDirections) {
  validate::PatternCondition higher{"f", "higher_is_better", 10.0, 4.0, 1.5, "STRONG", ""};
  EXPECT_TRUE(validate::condition_met(higher, 7.5));  // midpoint 7
  EXPECT_FALSE(validate::condition_met(higher, 6.9));
  EXPECT_FALSE(validate::condition_met(higher, std::nan("")));
  validate::PatternCondition lower{"f", "lower_is_better", 2.0, 6.0, -0.3, "", ""};
  EXPECT_TRUE(validate::condition_met(lower, 3.0));  // midpoint 4
  EXPECT_FALSE(validate::condition_met(lower, 5.0));
  validate::PatternCondition flag{"f", "present_is_better", std::nullopt, std::nullopt, std::nullopt, "", ""};
  EXPECT_TRUE(validate::condition_met(flag, 1.0));
  EXPECT_FALSE(validate::condition_met(flag, 0.0));
}

void expect_scores_analysis(const fs::path& samples, const std::string& id) {
  auto a = features::load_analysis_from_dir(samples, id);
  auto values = features::extract_features(a, std::numeric_limits<double>::quiet_NaN());
  const auto& catalog = features::feature_catalog();
  std::vector<std::size_t> finite;
  for (std::size_t i = 0; i < values.size() && finite.size() < 2; ++i)
    if (std::isfinite(values[i]) && catalog.features[i].name.rfind("flow_present", 0) != 0) finite.push_back(i);
  ASSERT_EQ(finite.size(), 2u);
  const double v0 = values[finite[0]], v1 = values[finite[1]];
  std::vector<validate::PatternCondition> conds = {
      {catalog.features[finite[0]].name, "higher_is_better", v0 + 1, v0 - 3, 0.2, "", ""},  // midpoint v0-1: met
      {catalog.features[finite[1]].name, "higher_is_better", v1 + 3, v1 + 1, 0.2, "", ""},  // midpoint v1+2: not met
      {"no_such_feature", "higher_is_better", 1.0, 0.0, 0.2, "", ""},
  };
  auto s = validate::score_implementation_from_dir(conds, samples, id);
  EXPECT_EQ(s.conditions, 3);
  EXPECT_EQ(s.met, 1);
  EXPECT_NEAR(s.score, 1.0 / 3.0, 1e-12);
  EXPECT_FALSE(s.checks[2].known_feature);
}

TEST(ImplementationScore, ScoresARealRumiAiAnalysis) {
  RUMI_REQUIRE_SHARED(test::shared_dir() / "rumiai_samples");
  expect_scores_analysis(test::shared_dir() / "rumiai_samples", "7280654844715666731");
}

// The repository's own era-B analysis (tests/fixtures/rumiai_era_b), flat prefixed layout.
TEST(ImplementationScore, ScoresTheFixtureAnalysis) {
  expect_scores_analysis(test::fixtures_dir() / "rumiai_era_b", "7525543521688748076");
}

// --- store operations ---------------------------------------------------------------------------

class Loop : public ::testing::Test {
 protected:
  test::TempDir dir;
  Workspace ws{dir.path() / "ws"};
  store::Database db = store::init_workspace(ws);
  store::ClientRow acme = store::upsert_client(db, "acme", "Acme", "").first;
  store::ClientRow other = store::upsert_client(db, "other", "Other", "").first;
  store::HashtagRow tag = store::upsert_hashtag(db, acme.id, "nutrition", "#nutrition", "", "{}").first;
  store::HashtagRow other_tag = store::upsert_hashtag(db, other.id, "nutrition", "#nutrition", "", "{}").first;

  void write_strategy(const std::string& date, int n, const std::vector<std::string>& features) {
    fs::path d = ws.reports_dir("acme", "nutrition", date) / "strategies";
    ensure_directory(d);
    write_json_atomic(d / fmt::format("strategy_{:02d}.json", n),
                      strategy_json(n, "Strategy " + std::to_string(n), features));
  }

  validate::OwnedTest make_test(int n, std::optional<double> cost = std::nullopt) {
    validate::CreateOptions o;
    o.strategy = n;
    o.cost_usd = cost;
    return validate::create_brief_test(db, ws, acme, tag, o);
  }

  void record(const validate::OwnedTest& t, const std::string& role, const std::string& video) {
    validate::record_test_video(db, t, {role, video, std::nullopt, std::string("2020-01-01"), std::nullopt});
  }
};

TEST_F(Loop, CreateReadsTheNewestStrategyAndRefusesMissingOnes) {
  write_strategy("2026-01-01", 1, {"old_feature"});
  write_strategy("2026-02-01", 1, {"hook_text", "overlay_density"});
  auto t = make_test(1, 450.0);
  EXPECT_EQ(t.test.id, "T-nutrition-1");
  EXPECT_EQ(t.test.strategy_title, "Strategy 1");
  EXPECT_NE(t.test.strategy_file.find("2026-02-01"), std::string::npos);
  auto pats = Json::parse(t.test.patterns_json);
  ASSERT_EQ(pats.size(), 2u);
  EXPECT_EQ(pats[0]["feature"], "hook_text");
  EXPECT_EQ(Json::parse(t.test.creative_brief)["extra"], "kept");
  EXPECT_EQ(make_test(1).test.id, "T-nutrition-2");
  try {
    make_test(7);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("strategy_07.json"), std::string::npos) << e.what();
  }
}

TEST_F(Loop, CreateTakesTheBucketAsTheReportStageWritesIt) {
  // report/strategies.cc writes the bucket as target_bucket; hand-made briefs say bucket.
  Json doc = strategy_json(1, "Strategy 1", {"hook_text"});
  doc.erase("bucket");
  doc["target_bucket"] = "31-60s";
  fs::path d = ws.reports_dir("acme", "nutrition", "2026-03-01") / "strategies";
  ensure_directory(d);
  write_json_atomic(d / "strategy_01.json", doc);
  EXPECT_EQ(make_test(1).test.bucket, "31-60s");
  write_strategy("2026-04-01", 1, {"hook_text"});
  EXPECT_EQ(make_test(1).test.bucket, "16-30s");
}

TEST_F(Loop, MetricsImportIsIdempotentAndRejectsUnknownVideos) {
  write_strategy("2026-01-01", 1, {"hook_text"});
  auto t = make_test(1);
  record(t, "test", "https://www.tiktok.com/@a/video/7000000000000000001?lang=en");
  record(t, "control", "7000000000000000002");
  write_file_atomic(dir / "m.csv",
                    "video_id,views,likes,comments,shares\n7000000000000000001,1000,80,10,10\n"
                    "7000000000000000002,2000,90,5,5\n");
  auto first = validate::import_test_metrics(db, t, dir / "m.csv");
  EXPECT_EQ(first.updated, 2);
  auto before = validate::test_json(db, t);
  auto second = validate::import_test_metrics(db, t, dir / "m.csv");
  EXPECT_EQ(second.updated, 0);
  EXPECT_EQ(second.unchanged, 2);
  EXPECT_EQ(validate::test_json(db, t), before);
  EXPECT_DOUBLE_EQ(before["videos"][0]["er"].get<double>(), 10.0);  // test video first: 100 / 1000

  // Apify items, matched by id; one unknown video -> InputError naming the file and the record, nothing written.
  write_file_atomic(
      dir / "items.json",
      R"([{"id": "7000000000000000001", "playCount": 1000, "diggCount": 80, "commentCount": 10, "shareCount": 10,
                         "webVideoUrl": "https://www.tiktok.com/@a/video/7000000000000000001"},
                        {"id": "7999999999999999999", "playCount": 5, "diggCount": 1, "commentCount": 0, "shareCount": 0}])");
  try {
    validate::import_test_metrics(db, t, dir / "items.json");
    FAIL();
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("items.json"), std::string::npos) << msg;
    EXPECT_NE(msg.find("record 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("7999999999999999999"), std::string::npos) << msg;
  }
  EXPECT_EQ(validate::test_json(db, t), before);
  // A negative count is refused with the line and the field.
  write_file_atomic(dir / "bad.csv", "video_id,views,likes,comments,shares\n7000000000000000001,1000,-1,0,0\n");
  EXPECT_THROW(validate::import_test_metrics(db, t, dir / "bad.csv"), InputError);
}

// A fake Apify actor for postURLs runs: answers with one item per requested URL whose counts
// depend on the video id, and reports what the run cost.
class FakePostUrlActor {
 public:
  FakePostUrlActor() {
    svr_.Post("/v2/acts/clockworks~tiktok-scraper/runs", [this](const httplib::Request& req, httplib::Response& res) {
      input_ = Json::parse(req.body);
      auth_ = req.get_header_value("Authorization");
      res.set_content(R"({"data":{"id":"run7","status":"RUNNING","defaultDatasetId":"ds7"}})", "application/json");
    });
    svr_.Get("/v2/actor-runs/run7", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"data":{"id":"run7","status":"SUCCEEDED","defaultDatasetId":"ds7","usageTotalUsd":0.0123,)"
                      R"("stats":{"computeUnits":0.004}}})",
                      "application/json");
    });
    svr_.Get("/v2/datasets/ds7/items", [this](const httplib::Request&, httplib::Response& res) {
      Json items = Json::array();
      for (const auto& url : input_["postURLs"]) {
        const std::string u = url.get<std::string>();
        const std::string id = u.substr(u.rfind('/') + 1);
        const int likes = id.back() == '1' ? 100 : 50;
        items.push_back({{"id", id},
                         {"webVideoUrl", u},
                         {"playCount", 1000},
                         {"diggCount", likes},
                         {"commentCount", 0},
                         {"shareCount", 0},
                         {"videoMeta", {{"duration", 20}}}});
      }
      res.set_content(items.dump(), "application/json");
    });
    port_ = svr_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { svr_.listen_after_bind(); });
    // stop() before the listener runs is lost and the join below would wait forever.
    while (!svr_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakePostUrlActor() {
    svr_.stop();
    thread_.join();
  }
  acquire::ApifyOptions options() const {
    acquire::ApifyOptions o;
    o.base_url = "http://127.0.0.1:" + std::to_string(port_);
    o.token = "secret-token-123";
    o.poll_interval_s = 0.01;
    return o;
  }
  Json input_;
  std::string auth_;

 private:
  httplib::Server svr_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(Loop, MetricsFromApifyScrapeTheRecordedUrlsAfterTheWindow) {
  write_strategy("2026-01-01", 1, {"hook_text"});
  auto t = make_test(1);
  record(t, "test", "https://www.tiktok.com/@anna/video/7000000000000000001");
  validate::record_test_video(
      db, t, {"control", "7000000000000000002", std::nullopt, std::string("2020-01-01"), std::string("@bob")});
  FakePostUrlActor apify;
  validate::ApifyMetricsOptions o;
  o.apify = apify.options();
  o.raw_dir = dir / "validation";
  o.now = *parse_iso8601_utc("2020-01-05");  // 4 days after posting: the 7-day window is open
  try {
    validate::import_test_metrics_from_apify(db, t, o);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("measurement window"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(apify.input_.is_null());  // nothing was scraped
  o.now = *parse_iso8601_utc("2020-01-09");
  const auto res = validate::import_test_metrics_from_apify(db, t, o);
  EXPECT_EQ(apify.input_["postURLs"], (Json{"https://www.tiktok.com/@anna/video/7000000000000000001",
                                            "https://www.tiktok.com/@bob/video/7000000000000000002"}));
  EXPECT_EQ(apify.auth_, "Bearer secret-token-123");
  EXPECT_EQ(res.import.updated, 2);
  EXPECT_EQ(res.run_id, "run7");
  ASSERT_TRUE(res.usage_usd);
  EXPECT_DOUBLE_EQ(*res.usage_usd, 0.0123);
  EXPECT_TRUE(fs::exists(res.raw_file));
  EXPECT_EQ(read_file(res.raw_file).find("secret-token"), std::string::npos);  // the token is never kept
  const Json j = validate::test_json(db, t);
  EXPECT_DOUBLE_EQ(j["videos"][0]["er"].get<double>(), 10.0);  // 100 likes / 1000 views
  EXPECT_DOUBLE_EQ(j["videos"][1]["er"].get<double>(), 5.0);
}

TEST_F(Loop, MetricsFromApifyNeedAUrlForEveryVideo) {
  write_strategy("2026-01-01", 1, {"hook_text"});
  auto t = make_test(1);
  record(t, "test", "7000000000000000001");  // a bare id, no creator: no URL can be built
  FakePostUrlActor apify;
  validate::ApifyMetricsOptions o;
  o.apify = apify.options();
  o.raw_dir = dir / "validation";
  o.force = true;
  try {
    validate::import_test_metrics_from_apify(db, t, o);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("7000000000000000001"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(apify.input_.is_null());
}

TEST_F(Loop, EvaluateRespectsTheWindowAndTheMinimumAndUpdatesPatterns) {
  write_strategy("2026-01-01", 1, {"hook_text", "overlay_density"});
  auto t = make_test(1);
  // Posted now: the 7-day window has not ended.
  validate::record_test_video(db, t, {"test", "1", std::nullopt, std::nullopt, std::nullopt});
  record(t, "test", "2");
  record(t, "test", "3");
  record(t, "control", "4");
  write_file_atomic(dir / "m.csv",
                    "video_id,views,likes,comments,shares\n1,1000,100,0,0\n2,1000,110,0,0\n"
                    "3,1000,120,0,0\n4,1000,50,0,0\n");
  validate::import_test_metrics(db, t, dir / "m.csv");
  try {
    validate::evaluate_brief_test(db, t, {});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("measurement window"), std::string::npos) << e.what();
  }
  // Forced, but only one control video.
  try {
    validate::evaluate_brief_test(db, t, {true, std::nullopt});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("too few"), std::string::npos) << e.what();
  }
  record(t, "control", "5");
  write_file_atomic(dir / "m2.csv", "video_id,views,likes,comments,shares\n5,1000,60,0,0\n");
  validate::import_test_metrics(db, t, dir / "m2.csv");
  auto e = validate::evaluate_brief_test(db, t, {true, std::nullopt});
  // ERs 10, 11, 12 vs 5, 6 look like a clear win, but the test was planned at 65 per arm (no
  // selection, so the default spread): 3 + 2 videos decide nothing.
  EXPECT_EQ(*t.test.planned_n_per_arm, 65);
  EXPECT_EQ(e.status, TestStatus::inconclusive);
  EXPECT_NEAR(*e.lift, std::cbrt(1320.0) / std::sqrt(30.0) - 1.0, 1e-12);
  EXPECT_NE(e.explanation.find("planned 65 videos"), std::string::npos) << e.explanation;
  auto pv = validate::pattern_validations(db, acme.id, tag.id);
  ASSERT_EQ(pv.size(), 2u);
  EXPECT_EQ(pv["hook_text"].status, "inconclusive");
  EXPECT_EQ(pv["hook_text"].bucket, "16-30s");
  EXPECT_EQ(pv["hook_text"].tests, 1);
  // Re-evaluating does not double count.
  validate::evaluate_brief_test(db, t, {true, std::nullopt});
  EXPECT_EQ(validate::pattern_validations(db, acme.id, tag.id)["hook_text"].tests, 1);
  // The other client sees nothing.
  EXPECT_TRUE(validate::pattern_validations(db, other.id, other_tag.id).empty());
}

TEST_F(Loop, CreatorsPairTheAnalysisAndTimingDifferencesAreWarned) {
  write_strategy("2026-01-01", 1, {"hook_text"});
  validate::CreateOptions o;
  o.strategy = 1;
  o.videos_per_arm = 4;  // the operator's choice; the computed plan is still stored beside it
  auto t = validate::create_brief_test(db, ws, acme, tag, o);
  EXPECT_EQ(*t.test.planned_n_per_arm, 4);
  const Json plan = Json::parse(*t.test.plan_json);
  EXPECT_TRUE(plan["overridden"].get<bool>());
  EXPECT_EQ(plan["sd_source"], "default");
  EXPECT_LT(plan["power_at_plan"].get<double>(), 0.2);
  std::string csv = "video_id,views,likes,comments,shares,creator,age_days,avg_watch_time_s\n";
  const std::vector<std::pair<int, int>> likes = {{120, 100}, {90, 80}, {300, 250}, {55, 50}};  // test, control
  for (int c = 0; c < 4; ++c) {
    const std::string who = fmt::format("@maker{}", c);
    validate::record_test_video(
        db, t, {"test", fmt::format("1{}", c), std::nullopt, std::string(c == 3 ? "2020-01-02" : "2020-01-01"), who});
    validate::record_test_video(db, t,
                                {"control", fmt::format("2{}", c), std::nullopt, std::string("2020-01-01"), who});
    csv += fmt::format("1{},1000,{},0,0,,7,{}\n2{},1000,{},0,0,,{},4.5\n", c, likes[c].first, 5 + c, c, likes[c].second,
                       c == 2 ? 9 : 7);
  }
  write_file_atomic(dir / "m.csv", csv);
  validate::import_test_metrics(db, t, dir / "m.csv");
  auto e = validate::evaluate_brief_test(db, t, {true, std::nullopt});
  EXPECT_EQ(e.itt.method, "paired_creator_t");  // "@maker0" recorded, matched as "maker0"
  EXPECT_EQ(e.itt.creators, 4);
  ASSERT_EQ(e.warnings.size(), 2u);
  EXPECT_NE(e.warnings[0].find("2 different days"), std::string::npos) << e.warnings[0];
  EXPECT_NE(e.warnings[1].find("different ages"), std::string::npos) << e.warnings[1];
  ASSERT_EQ(e.other_metrics.size(), 1u);
  EXPECT_EQ(e.other_metrics[0].metric, "avg_watch_time_s");
  // Bad optional fields name the file, the line and the field.
  write_file_atomic(dir / "bad.csv", "video_id,views,likes,comments,shares,ctr\n10,1000,1,0,0,45\n");
  try {
    validate::import_test_metrics(db, t, dir / "bad.csv");
    FAIL();
  } catch (const InputError& err) {
    const std::string msg = err.what();
    EXPECT_NE(msg.find("bad.csv"), std::string::npos) << msg;
    EXPECT_NE(msg.find("line 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("ctr"), std::string::npos) << msg;
  }
}

TEST_F(Loop, TestIdsOfOneClientAreUnknownToAnother) {
  write_strategy("2026-01-01", 1, {"hook_text"});
  auto t = make_test(1);
  EXPECT_NO_THROW(validate::resolve_test(db, t.test.id, std::string_view("Acme")));
  EXPECT_THROW(validate::resolve_test(db, t.test.id, std::string_view("Other")), UsageError);
  EXPECT_FALSE(store::find_brief_test(db, other.id, t.test.id));
  EXPECT_TRUE(store::list_brief_tests(db, other.id).empty());
  EXPECT_TRUE(store::list_test_videos(db, other.id, t.test.id).empty());
}

// --- the real binary, end to end ----------------------------------------------------------------

}  // namespace
}  // namespace rumi
