#include "pipeline/native_demo.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>

#include "analyze/process_group.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/log.h"
#include "core/rng.h"
#include "core/time_util.h"
#include "stats/correlation.h"

namespace rumi::pipeline {
namespace fs = std::filesystem;

namespace {

constexpr const char* kHashtag = "#demovideos";
constexpr double kTextSeconds = 3.0;  // how long the caption stays on screen
constexpr double kBaseEr = 8.0;       // percent, at a caption onset of kPivotS
constexpr double kPivotS = 2.0;
constexpr double kSlopePerSecond = 0.3;             // log-ER drop per second the caption comes later
constexpr double kNoiseSd = 0.25;                   // sd of the log-ER noise
constexpr double kMinEr = 2.2;                      // above the selection's 2 % floor, so every video is eligible
constexpr std::int64_t kFirstCreated = 1748736000;  // 2025-06-01: a fixed date keeps the export's bytes fixed

// Far apart in hue and brightness, so every cut is a clear change for the shot detector.
const std::vector<std::string> kPalette = {"0xC0392B", "0x2E86C1", "0x28B463", "0xF1C40F", "0x7D3C98", "0x1C2833"};
const std::vector<std::string> kScreenTexts = {"TRY THIS",    "MY MORNING FIX", "3 EASY STEPS",
                                               "DAY 1 OF 30", "WAIT FOR IT",    "HONEST REVIEW"};
// One caption for every video: only the video content varies, so no caption feature can
// correlate with engagement by chance and crowd the planted element.
constexpr const char* kCaption = "A quick demo video";

struct Draw {
  Rng rng;
  double u() { return uniform01(rng); }
  double u(double a, double b) { return a + (b - a) * u(); }
  int i(int a, int b) { return a + static_cast<int>(uniform_index(rng, static_cast<std::uint64_t>(b - a + 1))); }
  double n() { return standard_normal(rng); }
  const std::string& pick(const std::vector<std::string>& v) { return v[uniform_index(rng, v.size())]; }
};

double tenths(double x) { return std::round(x * 10.0) / 10.0; }

// Shots of at least 1 s each, cut at tenths of a second; the last shot takes the remainder so
// the lengths sum to the duration exactly.
void draw_shots(Draw& d, NativeDemoVideo& v) {
  const int shots = d.i(1, 4);
  std::vector<double> w(static_cast<std::size_t>(shots));
  double total = 0;
  for (double& x : w) total += (x = d.u(0.2, 1.0));
  const double spare = v.duration_s - shots * 1.0;
  double used = 0;
  std::string previous;
  for (int s = 0; s < shots; ++s) {
    const double len =
        s + 1 == shots ? tenths(v.duration_s - used) : tenths(1.0 + spare * w[static_cast<std::size_t>(s)] / total);
    used += len;
    v.shot_lengths.push_back(len);
    std::string c;
    do c = d.pick(kPalette);
    while (c == previous);  // consecutive shots differ, so each cut is a visible change
    v.colours.push_back(previous = c);
  }
}

struct Counts {
  std::int64_t views = 0, likes = 0, comments = 0, shares = 0, saves = 0, fans = 0;
};

Json apify_item(const NativeDemoVideo& v, std::int64_t created, const Counts& c) {
  std::string iso = format_iso8601_utc(created);
  if (!iso.empty() && iso.back() == 'Z') iso.insert(iso.size() - 1, ".000");
  std::string author = "democreator";
  author.append(v.id, v.id.size() - 3, 3);
  std::string author_id = "6";  // appended, not "6" + ...: GCC 12's false -Wrestrict
  author_id.append(v.id, 1, 18);
  return {{"id", v.id},
          {"text", std::string(kCaption) + " " + kHashtag},
          {"textLanguage", "en"},
          {"createTime", created},
          {"createTimeISO", iso},
          {"isAd", false},
          {"isSponsored", false},
          {"isSlideshow", false},
          {"isPinned", false},
          {"authorMeta",
           {{"id", author_id},
            {"name", author},
            {"nickName", author},
            {"verified", false},
            {"fans", c.fans},
            {"heart", c.fans * 7},
            {"video", 120}}},
          {"musicMeta", {{"musicName", "original sound"}, {"musicAuthor", author}, {"musicOriginal", true}}},
          {"webVideoUrl", "https://www.tiktok.com/@" + author + "/video/" + v.id},
          {"videoMeta", {{"height", 640}, {"width", 360}, {"duration", v.duration_s}, {"format", "mp4"}}},
          {"diggCount", c.likes},
          {"shareCount", c.shares},
          {"playCount", c.views},
          {"commentCount", c.comments},
          {"collectCount", c.saves},
          {"hashtags", Json::array({{{"id", ""}, {"name", "demovideos"}, {"title", ""}, {"cover", ""}}})},
          {"mentions", Json::array()}};
}

// One video: its look, its planted engagement and its Apify item. Each video draws from its own
// stream, so changing one never shifts another.
Json plan_video(std::uint64_t seed, int index, Rng& id_rng, std::set<std::string>& ids, NativeDemoVideo& v) {
  Draw d{make_rng(seed, "native_demo/video/" + std::to_string(index))};
  v.duration_s = d.i(6, 12);
  draw_shots(d, v);
  v.text_onset_s = tenths(d.u(0.0, std::min(5.0, v.duration_s - kTextSeconds)));
  v.text = d.pick(kScreenTexts);
  const double log_er = std::log(kBaseEr) - kSlopePerSecond * (v.text_onset_s - kPivotS) + kNoiseSd * d.n();
  v.engagement_rate = std::max(kMinEr, std::exp(log_er));
  Counts c;
  c.views = std::max<std::int64_t>(1500, std::llround(6000 * std::exp(0.7 * d.n())));
  c.fans = std::max<std::int64_t>(500, std::llround(20000 * std::exp(1.0 * d.n())));
  const double engagements = static_cast<double>(c.views) * v.engagement_rate / 100.0;
  c.likes = std::llround(engagements * 0.82);
  c.comments = std::llround(engagements * 0.06);
  c.shares = std::llround(engagements * 0.12);
  c.saves = std::llround(engagements * 0.05);
  const std::int64_t created = kFirstCreated + index * 43200 + static_cast<std::int64_t>(uniform_index(d.rng, 40000));
  // Like TikTok's: the upper 32 bits of the id are the creation time.
  do v.id = std::to_string((static_cast<std::uint64_t>(created) << 32) | uniform_index(id_rng, std::uint64_t{1} << 32));
  while (!ids.insert(v.id).second);
  return apify_item(v, created, c);
}

Json video_truth(const NativeDemoVideo& v) {
  Json cuts = Json::array();
  double t = 0;
  for (std::size_t s = 0; s + 1 < v.shot_lengths.size(); ++s) cuts.push_back(tenths(t += v.shot_lengths[s]));
  return {{"id", v.id},
          {"file", v.id + ".mp4"},
          {"duration_s", v.duration_s},
          {"shots", v.shot_lengths.size()},
          {"cut_times_s", cuts},
          {"shot_colours", v.colours},
          {"text", v.text},
          {"text_onset_s", v.text_onset_s},
          {"text_end_s", tenths(v.text_onset_s + kTextSeconds)},
          {"planted_engagement_rate", std::round(v.engagement_rate * 100) / 100}};
}

Json planted_doc(const NativeDemoPlan& p, double rho) {
  Json videos = Json::array();
  for (const auto& v : p.videos) videos.push_back(video_truth(v));
  return {
      {"format", "rumi-native-demo-planted"},
      {"format_version", 1},
      {"seed", p.seed},
      {"videos", p.videos.size()},
      {"hashtag", kHashtag},
      {"bucket", "0-15s"},
      {"effects", Json::array({{{"feature", "overlay.timeToFirstOverlay"},
                                {"element", "time to the first on-screen text"},
                                {"direction", "negative"},
                                {"model", fmt::format("log(ER%) = log({}) - {} x (caption onset s - {}) + N(0, {}), "
                                                      "ER floored at {} %",
                                                      kBaseEr, kSlopePerSecond, kPivotS, kNoiseSd, kMinEr)},
                                {"sample_spearman_rho", std::round(rho * 1000) / 1000}}})},
      {"not_planted", {"number of shots (cuts)", "duration", "on-screen words", "views", "followers"}},
      {"same_for_all", {"caption", "sound (none)", "frame size 360x640"}},
      {"truth", videos}};
}

}  // namespace

NativeDemoPlan plan_native_demo(std::uint64_t seed, int videos) {
  if (videos < 20 || videos > 500)
    throw UsageError("demo --native-videos: " + std::to_string(videos) +
                     " videos; give 20 to 500 (patterns need at least 20 videos in a bucket, 30 for full evidence)");
  NativeDemoPlan p;
  p.seed = seed;
  Rng id_rng = make_rng(seed, "native_demo/ids");
  std::set<std::string> ids;
  for (int i = 0; i < videos; ++i) {
    NativeDemoVideo v;
    p.items.push_back(plan_video(seed, i, id_rng, ids, v));
    p.videos.push_back(std::move(v));
  }
  std::vector<double> onset, er;
  for (const auto& v : p.videos) onset.push_back(v.text_onset_s), er.push_back(v.engagement_rate);
  const double rho = stats::spearman(onset, er).statistic;
  p.planted = planted_doc(p, rho);
  p.planted_summary = fmt::format(
      "Planted in the native demo's {} videos ({}, bucket 0-15s): the earlier the first on-screen text appears, the "
      "higher the engagement. Each second later goes with about {:.0f} % lower engagement (log-ER slope -{} per "
      "second, noise sd {} on log ER); in this sample Spearman's rho between the caption's onset and ER is {:.2f}. "
      "Nothing else was planted: cuts, duration, on-screen words, views and followers are noise, and every video has "
      "the same caption. rumi should find it among the 0-15s patterns: \"show the first on-screen text sooner\" in "
      "the creative guide (time to first overlay, or an element grouped with it such as text in the first 3 seconds).",
      videos, kHashtag, 100 * (1 - std::exp(-kSlopePerSecond)), kSlopePerSecond, kNoiseSd, rho);
  return p;
}

void write_native_demo_export(const NativeDemoPlan& plan, const fs::path& dir) {
  ensure_directory(dir);
  write_json_atomic(dir / "apify_items.json", plan.items);
  write_json_atomic(dir / "planted.json", plan.planted);
}

std::vector<std::string> native_demo_ffmpeg_argv(const NativeDemoVideo& v, const fs::path& out) {
  std::vector<std::string> argv{"ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"};
  std::string graph;
  for (std::size_t s = 0; s < v.shot_lengths.size(); ++s) {
    argv.insert(argv.end(), {"-f", "lavfi", "-i",
                             fmt::format("color=c={}:s=360x640:r=30:d={:.1f}", v.colours[s], v.shot_lengths[s])});
    graph += fmt::format("[{}:v]", s);
  }
  graph += fmt::format(
      "concat=n={}:v=1:a=0,drawtext=fontfile={}:text='{}':fontsize=40:fontcolor=white:borderw=3:bordercolor=black:"
      "x=(w-tw)/2:y=h*0.7:enable='between(t,{:.1f},{:.1f})',format=yuv420p[v]",
      v.shot_lengths.size(), kNativeDemoFont, v.text, v.text_onset_s, v.text_onset_s + kTextSeconds);
  argv.insert(argv.end(),
              {"-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-threads", "1", "-t",
               std::to_string(v.duration_s), "-map_metadata", "-1", "-fflags", "+bitexact", "-f", "mp4", out.string()});
  return argv;
}

namespace {

constexpr const char* kNativeConfig =
    R"(# rumi native demo configuration (generated by `rumi demo --native-videos`): one client, one
# hashtag whose videos are real mp4 files made with ffmpeg, analysed by rumi's native analyzer.
clients:
  - name: "Demo Video Lab"
    industry: "nutritional_supplements"
    # Brand inputs of the creator briefs (docs/config.md), printed as given.
    brief:
      brand: "Demo Video Lab"
      product: "Daily Greens powder"
      usps: ["Third-party tested", "No added sugar", "Mixes in 10 seconds"]
      target_audience: "People aged 25 to 40 who want more energy without coffee crashes."
      key_messages: ["One scoop covers your greens for the day."]
      tone: "Warm and honest, like telling a friend. Not salesy."
      call_to_action: "Tap the link to try Daily Greens."
      agency: "Demo Agency"
    hashtags:
      - name: "#demovideos"
        analysis_config:
          videos_per_segment: {}
          segments: ["0-15s"]
          min_date: "2025-01-05"
)";

// Makes every planned video that is not there yet, two ffmpeg processes at a time (each encodes
// on one thread). A file is written under a temporary name and renamed, so a stopped run never
// leaves a half-written mp4 that a later run would take for done.
void make_videos(const NativeDemoPlan& plan, const fs::path& dir, const std::atomic<bool>* stop) {
  if (!fs::exists(kNativeDemoFont))
    throw Error(std::string("demo --native-videos: the caption font ") + kNativeDemoFont +
                " is missing (Debian package fonts-dejavu-core; scripts/install-deps.sh installs it)");
  ensure_directory(dir);
  std::atomic<std::size_t> next{0};
  std::mutex mu;
  std::string first_error;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < plan.videos.size();) {
      const NativeDemoVideo& v = plan.videos[i];
      const fs::path file = dir / (v.id + ".mp4"), tmp = dir / (v.id + ".mp4.part");
      if (fs::exists(file)) continue;
      analyze::ProcessOptions po;
      po.timeout_s = 120;
      po.stop = stop;
      const auto outcome =
          analyze::run_in_process_group(native_demo_ffmpeg_argv(v, tmp), dir.parent_path() / "ffmpeg.log", po);
      std::error_code ec;
      if (outcome.ok()) fs::rename(tmp, file, ec);
      if (outcome.ok() && !ec) continue;
      fs::remove(tmp, ec);
      std::lock_guard lock(mu);
      if (first_error.empty())
        first_error = outcome.kind == analyze::ProcessOutcome::Kind::exec_failed
                          ? "cannot run ffmpeg (install it: scripts/install-deps.sh, Debian package ffmpeg)"
                          : "ffmpeg failed on " + file.string() + ": " + outcome.describe(po.timeout_s) + " (see " +
                                (dir.parent_path() / "ffmpeg.log").string() + ")";
      next = plan.videos.size();  // stop the other worker after its current file
    }
  };
  std::thread other(worker);
  worker();
  other.join();
  if (stop && stop->load()) throw Error("demo --native-videos: stopped while making the videos");
  if (!first_error.empty()) throw Error("demo --native-videos: " + first_error);
}

}  // namespace

DemoResult run_native_demo(const DemoOptions& o) {
  DemoResult result;
  const fs::path out = fs::absolute(o.out), data = out / "native";
  result.workspace = o.workspace ? fs::absolute(*o.workspace) : out / "workspace";
  result.videos_dir = data / "videos";
  const NativeDemoPlan plan = plan_native_demo(o.seed, o.native_videos);
  // Another seed or count makes other videos: drop the old ones so the folder holds this plan only.
  const fs::path stamp = data / "demo_options.json";
  const Json options_doc{{"format_version", 1}, {"seed", o.seed}, {"videos", o.native_videos}};
  bool same = false;
  try {
    same = fs::exists(stamp) && read_json_file(stamp) == options_doc;
  } catch (const std::exception&) {
  }
  std::error_code ec;
  if (!same) fs::remove_all(data, ec);
  write_native_demo_export(plan, data);
  // Before the videos: each finished file is whole (renamed into place), so a stopped run's
  // files stay valid for the same plan and the next run makes only the missing ones.
  write_json_atomic(stamp, options_doc);
  if (!o.quiet) spdlog::info("making {} demo videos with ffmpeg in {}", plan.videos.size(), result.videos_dir.string());
  make_videos(plan, result.videos_dir, o.stop);
  result.config_file = out / "native-demo.yaml";
  write_file_atomic(result.config_file, fmt::format(kNativeConfig, o.native_videos));
  RunOptions run;
  run.config_file = result.config_file;
  run.imports.push_back({std::nullopt, data / "apify_items.json"});
  run.native = true;
  run.videos_dir = result.videos_dir;
  run.seed = o.seed;
  run.report_date = format_date_utc(now_unix());
  run.quiet = o.quiet;
  run.stop = o.stop;
  run.command_line = "demo --native-videos " + std::to_string(o.native_videos) + " --out " + out.string();
  result.planted_summary = plan.planted_summary;
  result.run = run_pipeline(Workspace(result.workspace), run);
  return result;
}

}  // namespace rumi::pipeline
