#pragma once
// The Billo validation loop as operations on the workspace store: create a test from a
// strategy, record delivered videos, import their engagement after the window, evaluate.
// The CLI (`rumi validate ...`) is a thin layer over these; other stages can call them too.
// Every operation works on an OwnedTest, which can only be obtained for the owning client.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acquire/apify_client.h"
#include "core/json.h"
#include "core/workspace.h"
#include "store/clients.h"
#include "store/database.h"
#include "store/validation.h"
#include "validate/evaluation.h"

namespace rumi::validate {

struct OwnedTest {
  store::BriefTestRow test;
  store::ClientRow client;
  store::HashtagRow hashtag;
};

// Looks a test id up. With `client_name`, a test that belongs to another client is reported as
// unknown (UsageError, exit 2), exactly like an id that does not exist: nothing leaks.
OwnedTest resolve_test(store::Database& db, std::string_view test_id,
                       std::optional<std::string_view> client_name = std::nullopt);

struct CreateOptions {
  int strategy = 0;
  double target_lift = kTargetLift;   // the lift the plan must detect with 80 % power
  std::optional<int> videos_per_arm;  // overrides the computed plan (its power is still printed)
  std::optional<std::string> billo_order_id;
  int window_days = 7;
  std::optional<double> cost_usd;
  std::optional<std::filesystem::path> strategy_file;  // default: newest report's strategy_NN.json
};
// Plans the sample size from the spread of log ER in the strategy's bucket (the newest selection
// of the hashtag, else every stored video of the hashtag in that bucket) and stores it with the
// test.
OwnedTest create_brief_test(store::Database& db, const Workspace& ws, const store::ClientRow& client,
                            const store::HashtagRow& hashtag, const CreateOptions& opts);

// The spread of log ER in one bucket of a hashtag, as create uses it.
SpreadEstimate bucket_spread(store::Database& db, const store::ClientRow& client, const store::HashtagRow& hashtag,
                             std::string_view bucket);
// The stored plan of a test; tests created before plans existed get the default-spread plan.
SamplePlan test_plan(const store::BriefTestRow& t);

struct RecordOptions {
  std::string role;   // test / control
  std::string video;  // TikTok id or URL
  std::optional<std::filesystem::path> analysis_dir;
  std::optional<std::string> posted_at;  // ISO date/time; default now. Starts the window.
  std::optional<std::string> creator;    // the creator's account; pairs test and control videos
};
// "https://www.tiktok.com/@x/video/7522345762324237623?lang=en" -> "7522345762324237623"; a bare
// id stays; any other URL is kept whole as the id. UsageError when empty or too long.
std::string video_id_from_reference(std::string_view video);
store::TestVideoRow record_test_video(store::Database& db, const OwnedTest& t, const RecordOptions& opts);

struct MetricsImportResult {
  int records = 0;
  int updated = 0;
  int unchanged = 0;
};
// Apify items (JSON array / JSONL / Apify CSV: id, playCount, diggCount, commentCount,
// shareCount, webVideoUrl, authorMeta.name as the creator) or a plain CSV
// video_id,views,likes,comments,shares with optional columns creator, age_days (the video's age
// when measured), view_rate_2s and ctr (fractions 0..1 or percentages), avg_watch_time_s. A record
// for a video that is not part of the test is an InputError naming the file and the record;
// nothing is written then. Importing the same numbers again changes nothing.
MetricsImportResult import_test_metrics(store::Database& db, const OwnedTest& t, const std::filesystem::path& file);

// Unix time at which the test's measurement window ends: window_days after its last posted
// video (or after the test was created when no video says when it was posted).
std::int64_t measurement_window_end(store::Database& db, const OwnedTest& t);

struct ApifyMetricsOptions {
  acquire::ApifyOptions apify;      // token, base URL, actor
  std::filesystem::path raw_dir;    // where the scraped items are kept (provenance)
  bool force = false;               // measure before the window ends
  std::optional<std::int64_t> now;  // default now_unix(); for tests
};
struct ApifyMetricsResult {
  MetricsImportResult import;
  std::filesystem::path raw_file;
  std::string run_id;
  std::optional<double> usage_usd;
};
// `rumi validate metrics TEST --apify`: scrapes the recorded test and control videos' URLs with
// the Apify actor (postURLs) once the measurement window has passed, keeps the items in raw_dir
// and imports them exactly as import_test_metrics does. A video without a URL or creator to build
// one from is a UsageError naming it; nothing is scraped then.
ApifyMetricsResult import_test_metrics_from_apify(store::Database& db, const OwnedTest& t,
                                                  const ApifyMetricsOptions& opts);

struct EvaluateOptions {
  bool force = false;
  std::optional<std::int64_t> now;  // default now_unix(); for tests
};
// Refuses (UsageError, exit 2) before the measurement window ends (window_days after the last
// video was posted) unless forced, and with fewer than 2 measured test or control videos.
// Warns when test and control videos were posted on different days or measured at different
// ages. Stores the result on the test and refreshes pattern_validation_results.
Evaluation evaluate_brief_test(store::Database& db, const OwnedTest& t, const EvaluateOptions& opts);

// The test with its videos, patterns and stored result, for `show` and `--json`.
Json test_json(store::Database& db, const OwnedTest& t);
std::string test_text(store::Database& db, const OwnedTest& t);

}  // namespace rumi::validate
