#include "validate/validation_loop.h"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

#include "acquire/csv_reader.h"
#include "acquire/importers.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/slug.h"
#include "core/time_util.h"
#include "store/selections.h"
#include "store/videos.h"
#include "validate/implementation_score.h"
#include "validate/pattern_confidence.h"
#include "validate/strategy_brief.h"

namespace rumi::validate {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

std::string now_text(std::int64_t now) { return format_iso8601_utc(now); }

Json optional_json(const std::optional<double>& v) { return v ? json_number(*v) : Json(); }
Json optional_json(const std::optional<std::int64_t>& v) { return v ? Json(*v) : Json(); }
Json optional_json(const std::optional<std::string>& v) { return v ? Json(*v) : Json(); }

std::optional<double> video_er(const store::TestVideoRow& v) {
  if (!v.has_metrics() || *v.views <= 0) return std::nullopt;
  return static_cast<double>(*v.likes + *v.comments + *v.shares) / static_cast<double>(*v.views) * 100.0;
}

// The ER the analysis takes the log of: a video with views but no interaction at all is floored
// at half an interaction, so it stays in the test (dropping it would flatter its arm) with the
// lowest ER its view count allows.
std::optional<double> analysis_er(const store::TestVideoRow& v) {
  auto er = video_er(v);
  if (!er) return std::nullopt;
  if (*er > 0) return er;
  return 0.5 / static_cast<double>(*v.views) * 100.0;
}

std::string trim(std::string_view t) {
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  return std::string(t);
}

// An optional non-negative number; empty cell = not given. `max` bounds fractions.
std::optional<double> parse_optional_real(std::string_view text, std::string_view file, std::string_view record,
                                          std::string_view field, std::optional<double> max = std::nullopt) {
  const std::string t = trim(text);
  if (t.empty()) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v))
    throw InputError(file, record, field, "not a number ('" + t + "')");
  if (v < 0) throw InputError(file, record, field, "negative value (" + t + ")");
  if (max && v > *max)
    throw InputError(file, record, field,
                     fmt::format("{} is above {}; give a fraction between 0 and 1 (45 % = 0.45)", t, *max));
  return v;
}

std::int64_t parse_count(std::string_view text, std::string_view file, std::string_view record,
                         std::string_view field) {
  std::string_view t = text;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || ptr != t.data() + t.size())
    throw InputError(file, record, field, "not a whole number ('" + std::string(text) + "')");
  if (v < 0) throw InputError(file, record, field, "negative count (" + std::string(t) + ")");
  return v;
}

struct MetricsRecord {
  std::string record;  // "record N" / "line N"
  std::string video_id, url;
  store::TestVideoMetrics metrics;
};

std::vector<MetricsRecord> read_metrics_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  const std::string text = read_file(file);
  std::string_view body = text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  while (!body.empty() && std::isspace(static_cast<unsigned char>(body.front()))) body.remove_prefix(1);
  if (body.empty()) throw InputError(name, "document", "(file)", "empty input");
  std::vector<MetricsRecord> out;
  if (body.front() != '[' && body.front() != '{') {
    acquire::CsvTable t = acquire::parse_csv(text, name);
    if (t.column("video_id") >= 0) {
      for (const char* need : {"video_id", "views", "likes", "comments", "shares"})
        if (t.column(need) < 0) throw InputError(name, "header", need, "required column is missing");
      for (std::size_t i = 0; i < t.rows.size(); ++i) {
        const auto& row = t.rows[i];
        MetricsRecord m;
        m.record = "line " + std::to_string(t.row_lines[i]);
        auto cell = [&](const char* col) -> std::string {
          const int c = t.column(col);
          return static_cast<std::size_t>(c) < row.size() ? row[static_cast<std::size_t>(c)] : std::string();
        };
        m.video_id = cell("video_id");
        if (m.video_id.empty()) throw InputError(name, m.record, "video_id", "missing");
        m.metrics.views = parse_count(cell("views"), name, m.record, "views");
        m.metrics.likes = parse_count(cell("likes"), name, m.record, "likes");
        m.metrics.comments = parse_count(cell("comments"), name, m.record, "comments");
        m.metrics.shares = parse_count(cell("shares"), name, m.record, "shares");
        if (t.column("creator") >= 0) {
          std::string c = trim(cell("creator"));
          if (c.size() > 200) throw InputError(name, m.record, "creator", "longer than 200 characters");
          if (!c.empty()) m.metrics.creator = std::move(c);
        }
        if (t.column("age_days") >= 0)
          m.metrics.measured_age_days = parse_optional_real(cell("age_days"), name, m.record, "age_days", 3650.0);
        if (t.column("view_rate_2s") >= 0)
          m.metrics.view_rate_2s = parse_optional_real(cell("view_rate_2s"), name, m.record, "view_rate_2s", 1.0);
        if (t.column("avg_watch_time_s") >= 0)
          m.metrics.avg_watch_time_s =
              parse_optional_real(cell("avg_watch_time_s"), name, m.record, "avg_watch_time_s", 86400.0);
        if (t.column("ctr") >= 0) m.metrics.ctr = parse_optional_real(cell("ctr"), name, m.record, "ctr", 1.0);
        out.push_back(std::move(m));
      }
      return out;
    }
  }
  // Apify items in any of the formats acquisition accepts.
  acquire::ImportOptions opts;
  opts.fetched_utc = now_unix();
  acquire::ImportedBatch batch = acquire::import_text(text, name, opts);
  for (std::size_t i = 0; i < batch.videos.size(); ++i) {
    const Video& v = batch.videos[i];
    MetricsRecord m;
    m.record = "record " + std::to_string(i + 1);
    m.video_id = v.id;
    m.url = v.url;
    m.metrics.views = v.views;
    m.metrics.likes = v.likes;
    m.metrics.comments = v.comments;
    m.metrics.shares = v.shares;
    if (!v.author.empty()) m.metrics.creator = v.author;
    out.push_back(std::move(m));
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

OwnedTest resolve_test(store::Database& db, std::string_view test_id, std::optional<std::string_view> client_name) {
  auto unknown = [&] {
    return UsageError("unknown validation test '" + std::string(test_id) + "'" +
                      (client_name ? " for client '" + std::string(*client_name) + "'" : std::string()) +
                      "; see 'rumi validate list CLIENT'");
  };
  std::optional<store::BriefTestRow> test;
  if (client_name) {
    auto c = store::find_client(db, slugify(*client_name, "client"));
    if (!c) throw UsageError("unknown client '" + std::string(*client_name) + "'; see 'rumi client list'");
    test = store::find_brief_test(db, c->id, test_id);
  } else {
    test = store::find_brief_test_any_client(db, test_id);
  }
  if (!test) throw unknown();
  OwnedTest out;
  out.test = *test;
  bool found_client = false;
  for (auto& c : store::list_clients(db))
    if (c.id == test->client_id) {
      out.client = std::move(c);
      found_client = true;
    }
  if (!found_client) throw unknown();
  bool found_hashtag = false;
  for (auto& h : store::list_hashtags(db, out.client.id))
    if (h.id == test->hashtag_id) {
      out.hashtag = std::move(h);
      found_hashtag = true;
    }
  if (!found_hashtag) throw unknown();
  return out;
}

namespace {

Json plan_json(const SamplePlan& p, bool overridden) {
  return Json{{"n_per_arm", p.n_per_arm},
              {"overridden", overridden},
              {"target_lift", json_number(p.target_lift)},
              {"alpha", json_number(p.alpha)},
              {"power", json_number(p.power)},
              {"log_er_sd", json_number(p.spread.sd)},
              {"sd_source", p.spread.source},
              {"sd_videos", p.spread.videos},
              {"sd_creators", p.spread.creators},
              {"sd_df", p.spread.df},
              {"sd_note", p.spread.note},
              {"effect_size", json_number(p.effect_size)},
              {"power_at_plan", json_number(two_sample_power(p.n_per_arm, p.effect_size, p.alpha))},
              {"power_3_vs_2", json_number(p.power_3_vs_2)},
              {"no_effect_rejection_chance", json_number(p.null_rejection_chance)},
              {"text", plan_text(p)}};
}

}  // namespace

SpreadEstimate bucket_spread(store::Database& db, const store::ClientRow& client, const store::HashtagRow& hashtag,
                             std::string_view bucket) {
  std::vector<double> ers;
  std::vector<std::string> creators;
  auto add = [&](double er, const std::string& video_id) {
    const auto v = store::find_video(db, video_id);
    ers.push_back(er);
    creators.push_back(v ? v->author : std::string());
  };
  if (auto sel = store::latest_selection(db, client.id, hashtag.id))
    for (const auto& v : sel->videos)
      if (v.bucket == bucket) add(v.er, v.video_id);
  SpreadEstimate s = estimate_log_spread(ers, creators);
  if (s.source != "default" || bucket.empty()) return s;
  // Too few selected videos: every stored video of the hashtag whose duration falls in the bucket.
  ers.clear();
  creators.clear();
  for (const auto& id : store::hashtag_video_ids(db, hashtag.slug)) {
    const auto v = store::find_video(db, id);
    Bucket b{};
    if (!v || classify_duration(v->duration_s, &b) != DurationVerdict::ok || bucket_name(b) != bucket) continue;
    if (auto er = engagement_rate(*v)) {
      ers.push_back(*er);
      creators.push_back(v->author);
    }
  }
  return estimate_log_spread(ers, creators);
}

SamplePlan test_plan(const store::BriefTestRow& t) {
  SpreadEstimate spread;
  spread.source = "default";
  spread.note = "planned before sample sizes were stored; the default within-creator SD of log ER";
  double target = kTargetLift;
  if (t.plan_json) {
    const Json j = parse_json(*t.plan_json, "test " + t.id + " plan");
    spread.sd = j.value("log_er_sd", kDefaultLogSd);
    spread.source = j.value("sd_source", std::string("default"));
    spread.videos = j.value("sd_videos", 0);
    spread.creators = j.value("sd_creators", 0);
    spread.df = j.value("sd_df", 0);
    spread.note = j.value("sd_note", std::string());
    target = j.value("target_lift", kTargetLift);
  }
  SamplePlan p = plan_sample(spread, target);
  if (t.planned_n_per_arm) p.n_per_arm = *t.planned_n_per_arm;
  return p;
}

OwnedTest create_brief_test(store::Database& db, const Workspace& ws, const store::ClientRow& client,
                            const store::HashtagRow& hashtag, const CreateOptions& opts) {
  if (opts.strategy < 1) throw UsageError("--strategy must be a positive strategy number (1..10)");
  if (!(opts.target_lift >= 0.01 && opts.target_lift <= 10))
    throw UsageError("--target-lift must be a percentage between 1 and 1000");
  if (opts.videos_per_arm && (*opts.videos_per_arm < kMinVideosPerArm || *opts.videos_per_arm > 100000))
    throw UsageError(fmt::format("--videos-per-arm must be between {} and 100000", kMinVideosPerArm));
  if (opts.window_days < 1 || opts.window_days > 365) throw UsageError("--window-days must be between 1 and 365");
  if (opts.cost_usd && !(*opts.cost_usd >= 0 && *opts.cost_usd < 1e9))
    throw UsageError("--cost-usd must be a non-negative amount in dollars");
  if (opts.billo_order_id && opts.billo_order_id->size() > 200) throw UsageError("--order-id is too long");
  const std::filesystem::path file = opts.strategy_file
                                         ? *opts.strategy_file
                                         : find_strategy_file(ws.hashtag_dir(client.slug, hashtag.slug), opts.strategy);
  const StrategyBrief brief = read_strategy_brief(file, opts.strategy);
  Json patterns = Json::array();
  for (const auto& p : brief.patterns) patterns.push_back(to_json(p));

  store::BriefTestRow row;
  row.client_id = client.id;
  row.hashtag_id = hashtag.id;
  row.strategy_number = opts.strategy;
  row.strategy_title = brief.title;
  row.bucket = brief.bucket;
  row.creative_brief = brief.document.dump();
  row.patterns_json = patterns.dump();
  row.strategy_file = file.string();
  row.billo_order_id = opts.billo_order_id;
  row.created_at = now_text(now_unix());
  row.window_days = opts.window_days;
  row.cost_usd = opts.cost_usd;
  SamplePlan plan = plan_sample(bucket_spread(db, client, hashtag, brief.bucket), opts.target_lift);
  if (opts.videos_per_arm) plan.n_per_arm = *opts.videos_per_arm;
  std::string id;
  db.transaction([&] {
    id = store::insert_brief_test(db, row, hashtag.slug);
    store::set_brief_test_plan(db, client.id, id, plan.n_per_arm,
                               plan_json(plan, opts.videos_per_arm.has_value()).dump());
  });
  return OwnedTest{*store::find_brief_test(db, client.id, id), client, hashtag};
}

std::string video_id_from_reference(std::string_view video) {
  std::string_view v = video;
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
  if (v.empty()) throw UsageError("--video must be a TikTok video id or URL");
  if (v.size() > 500) throw UsageError("--video is too long (over 500 characters)");
  if (auto pos = v.find("/video/"); pos != std::string_view::npos) {
    std::string_view rest = v.substr(pos + 7);
    std::size_t n = 0;
    while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n]))) ++n;
    if (n > 0) return std::string(rest.substr(0, n));
  }
  return std::string(v);
}

store::TestVideoRow record_test_video(store::Database& db, const OwnedTest& t, const RecordOptions& opts) {
  if (opts.role != "test" && opts.role != "control") throw UsageError("--role must be 'test' or 'control'");
  store::TestVideoRow row;
  row.test_id = t.test.id;
  row.client_id = t.client.id;
  row.video_id = video_id_from_reference(opts.video);
  row.role = opts.role;
  const std::string ref(opts.video);
  if (ref.find("://") != std::string::npos) row.url = ref;
  if (opts.creator) {
    std::string c = trim(*opts.creator);
    if (c.size() > 200) throw UsageError("--creator is too long (over 200 characters)");
    if (!c.empty() && c.front() == '@') c.erase(0, 1);  // "@name" and "name" are one creator
    if (!c.empty()) row.creator = std::move(c);
  }
  const std::int64_t now = now_unix();
  row.created_at = now_text(now);
  if (opts.posted_at) {
    auto at = parse_iso8601_utc(*opts.posted_at);
    if (!at) throw UsageError("--posted-at '" + *opts.posted_at + "' is not a date (YYYY-MM-DD[THH:MM:SSZ])");
    row.posted_at = now_text(*at);
  } else {
    row.posted_at = row.created_at;
  }
  if (opts.analysis_dir) {
    if (!std::filesystem::is_directory(*opts.analysis_dir))
      throw UsageError("--analysis " + opts.analysis_dir->string() + " is not a directory");
    const auto conditions =
        pattern_conditions_from_json(parse_json(t.test.patterns_json, "test " + t.test.id), "test " + t.test.id);
    const ImplementationScore s = score_implementation_from_dir(conditions, *opts.analysis_dir, row.video_id);
    row.implementation_score = s.scored ? std::optional<double>(s.score) : std::nullopt;
    row.implementation_json = to_json(s).dump();
    row.analysis_path = opts.analysis_dir->string();
  }
  db.transaction([&] { store::upsert_test_video(db, row); });
  for (auto& v : store::list_test_videos(db, t.client.id, t.test.id))
    if (v.video_id == row.video_id) return v;
  throw Error("recorded video " + row.video_id + " could not be read back");
}

MetricsImportResult import_test_metrics(store::Database& db, const OwnedTest& t, const std::filesystem::path& file) {
  const std::vector<MetricsRecord> records = read_metrics_file(file);
  const auto videos = store::list_test_videos(db, t.client.id, t.test.id);
  std::map<std::string, std::string> by_key;  // id or lower-cased url -> video id
  for (const auto& v : videos) {
    by_key[v.video_id] = v.video_id;
    if (!v.url.empty()) by_key[lower(v.url)] = v.video_id;
  }
  // Resolve everything before writing anything: one bad record leaves the store untouched.
  std::vector<std::pair<const MetricsRecord*, std::string>> resolved;
  for (const auto& m : records) {
    auto it = by_key.find(m.video_id);
    if (it == by_key.end() && !m.url.empty()) it = by_key.find(lower(m.url));
    if (it == by_key.end())
      throw InputError(file.string(), m.record, "video_id",
                       "video " + m.video_id + " is not part of test " + t.test.id +
                           "; record it first with 'rumi validate record " + t.test.id +
                           " --role test|control --video " + m.video_id + "'");
    resolved.emplace_back(&m, it->second);
  }
  MetricsImportResult res;
  res.records = static_cast<int>(records.size());
  const std::string now = now_text(now_unix());
  db.transaction([&] {
    for (const auto& [m, id] : resolved) {
      if (store::set_test_video_metrics(db, t.client.id, t.test.id, id, m->metrics, now, file.filename().string()))
        ++res.updated;
      else
        ++res.unchanged;
    }
  });
  return res;
}

std::int64_t measurement_window_end(store::Database& db, const OwnedTest& t) {
  std::int64_t last_posted = 0;
  for (const auto& v : store::list_test_videos(db, t.client.id, t.test.id))
    if (auto at = parse_iso8601_utc(v.posted_at)) last_posted = std::max(last_posted, *at);
  if (last_posted == 0) last_posted = parse_iso8601_utc(t.test.created_at).value_or(now_unix());
  return last_posted + static_cast<std::int64_t>(t.test.window_days) * kSecondsPerDay;
}

namespace {

void require_window_ended(store::Database& db, const OwnedTest& t, std::int64_t now, bool force,
                          std::string_view action) {
  const std::int64_t window_end = measurement_window_end(db, t);
  if (now < window_end && !force)
    throw UsageError(fmt::format(
        "the {}-day measurement window of {} ends at {}; engagement measured earlier is not comparable. Wait, or "
        "pass --force to {} anyway",
        t.test.window_days, t.test.id, format_iso8601_utc(window_end), action));
}

// The TikTok URL of a recorded video: the one it was recorded with, else built from its creator.
std::optional<std::string> video_url(const store::TestVideoRow& v) {
  if (v.url.starts_with("https://") || v.url.starts_with("http://")) return v.url;
  if (v.creator && !v.creator->empty()) {
    std::string handle = *v.creator;
    if (handle.front() == '@') handle.erase(0, 1);
    return "https://www.tiktok.com/@" + handle + "/video/" + v.video_id;
  }
  return std::nullopt;
}

}  // namespace

ApifyMetricsResult import_test_metrics_from_apify(store::Database& db, const OwnedTest& t,
                                                  const ApifyMetricsOptions& opts) {
  require_window_ended(db, t, opts.now.value_or(now_unix()), opts.force, "measure");
  const auto videos = store::list_test_videos(db, t.client.id, t.test.id);
  if (videos.empty())
    throw UsageError("test " + t.test.id + " has no recorded videos; record them with 'rumi validate record'");
  std::vector<std::string> urls, missing;
  for (const auto& v : videos) {
    if (auto u = video_url(v))
      urls.push_back(*u);
    else
      missing.push_back(v.video_id);
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& id : missing) list += (list.empty() ? "" : ", ") + id;
    throw UsageError("no URL for video(s) " + list + " of test " + t.test.id +
                     ": record them with --video URL or --creator ACCOUNT, or import the counts with --import FILE");
  }
  const acquire::ApifyFetch fetched = acquire::fetch_post_urls(opts.apify, urls);
  // One JSON array of every item, kept beside the test as the record of what was measured.
  Json items = Json::array();
  for (const auto& page : fetched.pages)
    for (auto& item : Json::parse(page)) items.push_back(std::move(item));
  ApifyMetricsResult res;
  res.raw_file = opts.raw_dir / (t.test.id + "_apify_" + format_compact_utc(opts.now.value_or(now_unix())) + ".json");
  ensure_directory(opts.raw_dir);
  write_file_atomic(res.raw_file, dump_json(items));
  res.import = import_test_metrics(db, t, res.raw_file);
  res.run_id = fetched.run_id;
  res.usage_usd = fetched.usage_usd;
  return res;
}

namespace {

// The recorded videos of a test as the evaluation sees them: the measured ones as observations,
// every one as a line of the stored result, and what the comparability checks need.
struct Observed {
  std::vector<VideoObservation> observations;
  std::vector<std::string> not_measured;
  Json per_video = Json::array();
  double score_sum = 0;
  int scored = 0, n_test = 0, n_control = 0;
  std::map<std::string, std::vector<std::string>> posted_days;  // day -> roles
  std::vector<std::pair<double, std::string>> ages;             // age in days, video id
};

// The age at measurement: as sent with the metrics, else import time minus posting time.
std::optional<double> measured_age_days(const store::TestVideoRow& v) {
  std::optional<double> age = v.measured_age_days;
  if (!age && v.measured_at)
    if (auto m = parse_iso8601_utc(*v.measured_at), p = parse_iso8601_utc(v.posted_at); m && p)
      age = static_cast<double>(*m - *p) / kSecondsPerDay;
  return age;
}

void observe_video(const store::TestVideoRow& v, Observed& ob) {
  auto er = analysis_er(v);
  Json j{{"video_id", v.video_id},
         {"role", v.role},
         {"er", er ? json_number(*video_er(v)) : Json()},
         {"creator", optional_json(v.creator)}};
  if (!v.has_metrics())
    j["excluded"] = "no_metrics";
  else if (!er)
    j["excluded"] = "no_views";
  if (!er) {
    ob.per_video.push_back(j);
    ob.not_measured.push_back(v.video_id);
    return;
  }
  VideoObservation o;
  o.video_id = v.video_id;
  o.is_test = v.role == "test";
  o.creator = v.creator.value_or("");
  o.er = *er;
  o.implementation_score = v.implementation_score;
  o.view_rate_2s = v.view_rate_2s;
  o.avg_watch_time_s = v.avg_watch_time_s;
  o.ctr = v.ctr;
  ob.observations.push_back(o);
  ++(o.is_test ? ob.n_test : ob.n_control);
  ob.posted_days[v.posted_at.substr(0, 10)].push_back(v.role);
  if (const std::optional<double> age = measured_age_days(v)) {
    ob.ages.emplace_back(*age, v.video_id);
    j["age_days"] = json_number(*age);
  }
  j["in_per_protocol"] = !o.is_test || (v.implementation_score && *v.implementation_score >= kImplementedScore);
  ob.per_video.push_back(j);
  if (o.is_test && v.implementation_score) {
    ob.score_sum += *v.implementation_score;
    ++ob.scored;
  }
}

void require_enough_measured(const Observed& ob, const OwnedTest& t) {
  if (ob.n_test >= kMinVideosPerArm && ob.n_control >= kMinVideosPerArm) return;
  std::string msg = fmt::format(
      "too few measured videos to evaluate: {} test and {} control (need at least {} of each with metrics); "
      "record more videos with 'rumi validate record' and import their metrics",
      ob.n_test, ob.n_control, kMinVideosPerArm);
  if (!ob.not_measured.empty()) {
    msg += " (without usable metrics:";
    for (const auto& id : ob.not_measured) msg += " " + id;
    msg += "; import them with 'rumi validate metrics " + t.test.id + " --import FILE')";
  }
  throw UsageError(msg);
}

// Test and control share the posting day and the measurement age, so that the feed, the
// season and the time a video had to collect engagement are the same for both arms.
std::vector<std::string> comparability_warnings(const Observed& ob) {
  std::vector<std::string> warnings;
  if (ob.posted_days.size() > 1) {
    std::string days;
    for (const auto& [day, roles] : ob.posted_days) days += (days.empty() ? "" : ", ") + day;
    warnings.push_back(fmt::format(
        "videos were posted on {} different days ({}); test and control videos should go live on the same day",
        ob.posted_days.size(), days));
  }
  if (ob.ages.size() >= 2) {
    auto [lo, hi] = std::minmax_element(ob.ages.begin(), ob.ages.end());
    if (hi->first - lo->first > 1.0)
      warnings.push_back(fmt::format(
          "videos were measured at different ages ({:.1f} days for {} to {:.1f} days for {}); measure test and "
          "control videos at the same age",
          lo->first, lo->second, hi->first, hi->second));
  }
  return warnings;
}

}  // namespace

Evaluation evaluate_brief_test(store::Database& db, const OwnedTest& t, const EvaluateOptions& opts) {
  const std::int64_t now = opts.now.value_or(now_unix());
  const auto videos = store::list_test_videos(db, t.client.id, t.test.id);
  require_window_ended(db, t, now, opts.force, "evaluate");
  const std::int64_t window_end = measurement_window_end(db, t);

  Observed ob;
  for (const auto& v : videos) observe_video(v, ob);
  require_enough_measured(ob, t);
  EvaluationOptions eo;
  const SamplePlan plan = test_plan(t.test);
  eo.planned_n_per_arm = plan.n_per_arm;
  eo.cost_usd = t.test.cost_usd;
  eo.warnings = comparability_warnings(ob);
  Evaluation e = evaluate_videos(ob.observations, eo);
  Json result = to_json(e);
  result["videos"] = ob.per_video;
  result["mean_implementation_score"] = ob.scored > 0 ? Json(ob.score_sum / ob.scored) : Json();
  result["plan"] =
      t.test.plan_json ? parse_json(*t.test.plan_json, "test " + t.test.id + " plan") : plan_json(plan, false);
  result["window_end"] = format_iso8601_utc(window_end);
  result["forced_before_window_end"] = now < window_end;
  const std::string evaluated_at = format_iso8601_utc(now);
  db.transaction([&] {
    store::update_brief_test_result(db, t.client.id, t.test.id, status_name(e.status), e.lift,
                                    e.itt.defined ? std::optional<double>(e.itt.p_value) : std::nullopt, result.dump(),
                                    evaluated_at);
    refresh_pattern_validations(db, t.client.id, t.hashtag.id);
  });
  return e;
}

Json test_json(store::Database& db, const OwnedTest& t) {
  const auto& r = t.test;
  Json videos = Json::array();
  for (const auto& v : store::list_test_videos(db, t.client.id, r.id)) {
    auto er = video_er(v);
    videos.push_back({{"video_id", v.video_id},
                      {"role", v.role},
                      {"url", v.url},
                      {"posted_at", v.posted_at},
                      {"implementation_score", optional_json(v.implementation_score)},
                      {"views", optional_json(v.views)},
                      {"likes", optional_json(v.likes)},
                      {"comments", optional_json(v.comments)},
                      {"shares", optional_json(v.shares)},
                      {"er", er ? json_number(*er) : Json()},
                      {"measured_at", optional_json(v.measured_at)},
                      {"creator", optional_json(v.creator)},
                      {"measured_age_days", optional_json(v.measured_age_days)},
                      {"view_rate_2s", optional_json(v.view_rate_2s)},
                      {"avg_watch_time_s", optional_json(v.avg_watch_time_s)},
                      {"ctr", optional_json(v.ctr)}});
  }
  return Json{{"id", r.id},
              {"client", t.client.slug},
              {"hashtag", t.hashtag.name},
              {"strategy_number", r.strategy_number},
              {"strategy_title", r.strategy_title},
              {"bucket", r.bucket},
              {"strategy_file", r.strategy_file},
              {"patterns", parse_json(r.patterns_json, "test " + r.id)},
              {"billo_order_id", optional_json(r.billo_order_id)},
              {"created_at", r.created_at},
              {"window_days", r.window_days},
              {"cost_usd", optional_json(r.cost_usd)},
              {"planned_n_per_arm", r.planned_n_per_arm ? Json(*r.planned_n_per_arm) : Json()},
              {"plan", r.plan_json ? parse_json(*r.plan_json, "test " + r.id + " plan") : Json()},
              {"status", r.status},
              {"lift", optional_json(r.performance_lift)},
              {"p_value", optional_json(r.p_value)},
              {"evaluated_at", optional_json(r.evaluated_at)},
              {"result", r.result_json ? parse_json(*r.result_json, "test " + r.id) : Json()},
              {"videos", videos}};
}

std::string test_text(store::Database& db, const OwnedTest& t) {
  const Json j = test_json(db, t);
  std::ostringstream o;
  o << t.test.id << "  " << t.hashtag.name << "  strategy " << t.test.strategy_number;
  if (!t.test.strategy_title.empty()) o << " \"" << t.test.strategy_title << "\"";
  if (!t.test.bucket.empty()) o << " (" << t.test.bucket << ")";
  o << "\n  status: " << t.test.status;
  if (t.test.performance_lift) o << ", lift " << format_lift(t.test.performance_lift);
  if (t.test.p_value) o << fmt::format(", p = {:.4g}", *t.test.p_value);
  o << "\n  created " << t.test.created_at << ", window " << t.test.window_days << " days";
  if (t.test.billo_order_id) o << ", Billo order " << *t.test.billo_order_id;
  if (t.test.cost_usd) o << fmt::format(", cost ${:.2f}", *t.test.cost_usd);
  if (t.test.planned_n_per_arm)
    o << "\n  planned: " << *t.test.planned_n_per_arm << " test and " << *t.test.planned_n_per_arm << " control videos";
  o << "\n  patterns:";
  for (const auto& p : j["patterns"]) o << " " << p.value("feature", "") << " (" << p.value("direction", "") << ")";
  o << "\n  videos:\n";
  for (const auto& v : j["videos"]) {
    o << "    " << v["role"].get<std::string>() << "  " << v["video_id"].get<std::string>();
    if (!v["creator"].is_null()) o << "  @" << v["creator"].get<std::string>();
    if (!v["er"].is_null())
      o << fmt::format("  ER {:.2f} %", v["er"].get<double>());
    else
      o << "  (no metrics yet)";
    if (!v["implementation_score"].is_null())
      o << fmt::format("  implementation {:.0f} %", v["implementation_score"].get<double>() * 100);
    o << "\n";
  }
  if (!j["result"].is_null()) {
    o << "  " << j["result"].value("explanation", "") << "\n";
    if (auto w = j["result"].find("warnings"); w != j["result"].end() && w->is_array())
      for (const auto& x : *w) o << "  Warning: " << x.get<std::string>() << "\n";
    if (std::string roi = j["result"].value("roi", ""); !roi.empty()) o << "  " << roi << "\n";
  }
  return o.str();
}

}  // namespace rumi::validate
