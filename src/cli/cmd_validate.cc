// rumi validate create|record|metrics|evaluate|list|show|report: the Billo validation loop.
// Test ids are global; commands that take only a TEST_ID accept --client to make sure the id
// belongs to the client the operator means (another client's id is then "unknown").
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <memory>
#include <sstream>

#include "acquire/apify_client.h"
#include "cli/cli.h"
#include "cli/target.h"
#include "config/analysis_config.h"
#include "core/error.h"
#include "core/json.h"
#include "core/slug.h"
#include "core/time_util.h"
#include "store/validation.h"
#include "store/workspace_lock.h"
#include "store/workspace_store.h"
#include "validate/pattern_confidence.h"
#include "validate/validation_loop.h"
#include "validate/validation_report.h"
#include "validate/video_check.h"

namespace rumi::cli {

namespace {

std::optional<std::string_view> client_filter(const std::string& client) {
  if (client.empty()) return std::nullopt;
  return std::string_view(client);
}

void add_create(CLI::App& validate, Registry& r) {
  struct Args {
    std::string client, hashtag, order_id, strategy_file;
    int strategy = 0, window_days = 7;
    std::optional<double> cost_usd;
    double target_lift_pct = 25;
    std::optional<int> videos_per_arm;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = validate.add_subcommand("create", "Create a Billo test from one of the report's strategies");
  cmd->add_option("CLIENT", a->client)->required();
  cmd->add_option("HASHTAG", a->hashtag)->required();
  cmd->add_option("--strategy", a->strategy, "Strategy number (reports/<date>/strategies/strategy_NN.json)")
      ->required();
  cmd->add_option("--order-id", a->order_id, "Billo order id");
  cmd->add_option("--window-days", a->window_days, "Measurement window in days (default 7)");
  cmd->add_option("--cost-usd", a->cost_usd, "Billo cost in US dollars (enables the ROI line)");
  cmd->add_option("--strategy-file", a->strategy_file, "Use this strategy JSON instead of the newest report's");
  cmd->add_option("--target-lift", a->target_lift_pct,
                  "Engagement lift in percent the test is planned to detect with 80 % power (default 25)");
  cmd->add_option("--videos-per-arm", a->videos_per_arm,
                  "Film this many videos per arm instead of the computed plan (its power is printed)");
  cmd->callback([&r, a] {
    r.action = [a](const Context& ctx) {
      Target t = open_target(ctx, a->client, a->hashtag);
      validate::CreateOptions o;
      const auto lock = store::WorkspaceLock::acquire(t.workspace, "validate create #" + t.hashtag.slug,
                                                      store::LockOptions{.timeout = store::lock_timeout_from_env()});
      o.strategy = a->strategy;
      if (!a->order_id.empty()) o.billo_order_id = a->order_id;
      o.window_days = a->window_days;
      o.cost_usd = a->cost_usd;
      if (!a->strategy_file.empty()) o.strategy_file = a->strategy_file;
      o.target_lift = a->target_lift_pct / 100.0;
      o.videos_per_arm = a->videos_per_arm;
      auto owned = validate::create_brief_test(t.db, t.workspace, t.client, t.hashtag, o);
      Json j = validate::test_json(t.db, owned);
      std::string human = owned.test.id + "\n";
      if (!ctx.quiet()) {
        const Json& plan = j["plan"];
        human += fmt::format("Created test {} for strategy {}{} ({} pattern(s)) in the {} bucket.\n", owned.test.id,
                             owned.test.strategy_number,
                             owned.test.strategy_title.empty() ? "" : " \"" + owned.test.strategy_title + "\"",
                             j["patterns"].size(), owned.test.bucket.empty() ? "unknown" : owned.test.bucket);
        human += fmt::format("Videos per arm needed: {} ({} test + {} control videos).\n", plan["n_per_arm"].get<int>(),
                             plan["n_per_arm"].get<int>(), plan["n_per_arm"].get<int>());
        if (plan.value("overridden", false))
          human += fmt::format(
              "You set this number; the computed plan from the bucket's spread would differ. With it the test has a "
              "{:.0f} % chance of detecting a {:+.0f} % lift.\n",
              plan["power_at_plan"].get<double>() * 100, plan["target_lift"].get<double>() * 100);
        human += plan["text"].get<std::string>() + "\n";
        human += fmt::format(
            "Post test and control videos on the same day and measure them at the same age. Record each with "
            "'rumi validate record {} --role test|control --video URL --creator NAME'.",
            owned.test.id);
      }
      ctx.emit(j, human);
      return 0;
    };
  });
}

// The human line of a recorded video's implementation score: from the native check of its file
// (every element's outcome), else from its RumiAI analysis.
std::string implementation_text(const Json& imp, std::optional<double> score,
                                const std::optional<validate::ConditionsCheck>& check) {
  if (check) {
    std::string s = score ? fmt::format(": follows {} of {} measured pattern condition(s) ({:.0f} %)", check->followed,
                                        check->followed + check->missed, *score * 100)
                          : std::string(": no pattern condition could be measured in the video, so it has no score");
    if (check->not_measured) s += fmt::format("; {} not measured", check->not_measured);
    return s + "\n" + validate::conditions_text(*check);
  }
  if (!score) return "";
  if (imp.contains("score") && imp["score"].is_null())
    return ": no pattern condition could be measured in its analysis";
  std::string s = fmt::format(": implements {} of {} measured pattern condition(s) ({:.0f} %)", imp["met"].get<int>(),
                              imp["conditions"].get<int>() - imp.value("not_measured", 0), *score * 100);
  if (int n = imp.value("not_measured", 0)) s += fmt::format("; {} not measured", n);
  return s;
}

// The bucket the test's strategy is written for: the stored bucket, else the brief's
// target_bucket (the report stage's name for it; tests created from its files store none).
std::string test_bucket(const store::BriefTestRow& t) {
  if (!t.bucket.empty()) return t.bucket;
  const Json brief = parse_json(t.creative_brief, "test " + t.id + " creative_brief");
  auto it = brief.is_object() ? brief.find("target_bucket") : brief.end();
  return it != brief.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void add_record(CLI::App& validate, Registry& r) {
  struct Args {
    std::string test_id, client, role, video, analysis, video_file, posted_at, creator;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = validate.add_subcommand("record", "Add a delivered test or control video to a test");
  cmd->add_option("TEST_ID", a->test_id)->required();
  cmd->add_option("--role", a->role, "test (with the pattern) or control (without)")->required();
  cmd->add_option("--video", a->video, "TikTok video id or URL")->required();
  auto* analysis =
      cmd->add_option("--analysis", a->analysis, "RumiAI output directory of this video (scores the implementation)");
  cmd->add_option("--video-file", a->video_file,
                  "The delivered video file: rumi's native analysis scores the implementation, as 'rumi check-video' "
                  "checks it")
      ->excludes(analysis);
  cmd->add_option("--posted-at", a->posted_at, "When the video went live (default now); starts the window");
  cmd->add_option("--creator", a->creator, "The creator who filmed it (pairs test and control videos by creator)");
  cmd->add_option("--client", a->client, "Refuse unless the test belongs to this client");
  cmd->callback([&r, a] {
    r.action = [a](const Context& ctx) {
      store::Database db = store::open_workspace(ctx.workspace());
      auto owned = validate::resolve_test(db, a->test_id, client_filter(a->client));
      // The analysis reads only the file, so it runs before the lock: other commands on the
      // hashtag are not held up while the video is decoded.
      std::optional<validate::VideoMeasurement> measured;
      std::optional<validate::ConditionsCheck> check;
      if (!a->video_file.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(a->video_file, ec))
          throw UsageError("--video-file " + a->video_file + " not found");
        measured = validate::measure_video_file(a->video_file, nullptr, native::ContentOptions{});
        check = validate::check_test_video(owned, *measured);
      }
      const auto lock = store::WorkspaceLock::acquire(ctx.workspace(), "validate record #" + owned.hashtag.slug,
                                                      store::LockOptions{.timeout = store::lock_timeout_from_env()});
      validate::RecordOptions o;
      o.role = a->role;
      o.video = a->video;
      if (!a->analysis.empty()) o.analysis_dir = a->analysis;
      if (!a->posted_at.empty()) o.posted_at = a->posted_at;
      if (!a->creator.empty()) o.creator = a->creator;
      auto v = validate::record_test_video(db, owned, o);
      if (check) v = validate::store_video_check(db, v, *check, *measured);
      Json j{{"test_id", v.test_id},
             {"video_id", v.video_id},
             {"role", v.role},
             {"posted_at", v.posted_at},
             {"implementation_score", v.implementation_score ? Json(*v.implementation_score) : Json()},
             {"implementation", v.implementation_json
                                    ? parse_json(*v.implementation_json, "rumi.db: test_videos.implementation_json")
                                    : Json()},
             {"creator", v.creator ? Json(*v.creator) : Json()}};
      std::string human = fmt::format("Recorded {} video {} for {}", v.role, v.video_id, v.test_id) +
                          implementation_text(j["implementation"], v.implementation_score, check);
      if (const std::string tb = measured ? test_bucket(owned.test) : std::string();
          !tb.empty() && tb != bucket_name(measured->bucket))
        human +=
            fmt::format("\nNote: the video is {:.1f} s long (the {} bucket); the test's strategy is for {} videos.",
                        measured->duration_s, bucket_name(measured->bucket), tb);
      ctx.emit(j, human);
      return 0;
    };
  });
}

void add_metrics(CLI::App& validate, Registry& r) {
  struct Args {
    std::string test_id, client, file;
    bool apify = false, force = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = validate.add_subcommand("metrics", "Import engagement of the test's videos after the window");
  cmd->add_option("TEST_ID", a->test_id)->required();
  auto* import = cmd->add_option("--import", a->file,
                                 "Apify items (JSON/JSONL/CSV) or CSV video_id,views,likes,comments,shares [,creator, "
                                 "age_days, view_rate_2s, avg_watch_time_s, ctr]");
  auto* apify =
      cmd->add_flag("--apify", a->apify,
                    "Scrape the test's video URLs with the Apify actor (APIFY_TOKEN) once the window has passed");
  import->excludes(apify);
  cmd->add_flag("--force", a->force, "With --apify: measure before the window has ended");
  cmd->add_option("--client", a->client, "Refuse unless the test belongs to this client");
  cmd->callback([&r, a] {
    r.action = [a](const Context& ctx) {
      if (a->file.empty() && !a->apify) throw UsageError("give --import FILE or --apify");
      store::Database db = store::open_workspace(ctx.workspace());
      auto owned = validate::resolve_test(db, a->test_id, client_filter(a->client));
      const auto lock = store::WorkspaceLock::acquire(ctx.workspace(), "validate metrics #" + owned.hashtag.slug,
                                                      store::LockOptions{.timeout = store::lock_timeout_from_env()});
      if (a->apify) {
        validate::ApifyMetricsOptions o;
        o.apify = acquire::apify_options_from_env(config::analysis_config_from_json(
            parse_json(owned.hashtag.config_json, "hashtags.config_json"), "stored config of " + owned.hashtag.name));
        o.raw_dir = ctx.workspace().hashtag_dir(owned.client.slug, owned.hashtag.slug) / "validation";
        o.force = a->force;
        const auto res = validate::import_test_metrics_from_apify(db, owned, o);
        Json j{{"test_id", owned.test.id},      {"apify_run", res.run_id},       {"file", res.raw_file.string()},
               {"records", res.import.records}, {"updated", res.import.updated}, {"unchanged", res.import.unchanged}};
        j["usage_usd"] = res.usage_usd ? Json(*res.usage_usd) : Json(nullptr);
        ctx.emit(j, fmt::format("{}: {} record(s) from Apify run {} (kept in {}): {} updated, {} unchanged{}",
                                owned.test.id, res.import.records, res.run_id, res.raw_file.string(),
                                res.import.updated, res.import.unchanged,
                                res.usage_usd ? fmt::format("; Apify cost ${:.4f}", *res.usage_usd) : ""));
        return 0;
      }
      auto res = validate::import_test_metrics(db, owned, a->file);
      ctx.emit(Json{{"test_id", owned.test.id},
                    {"file", a->file},
                    {"records", res.records},
                    {"updated", res.updated},
                    {"unchanged", res.unchanged}},
               fmt::format("{}: {} record(s) from {}: {} updated, {} unchanged", owned.test.id, res.records, a->file,
                           res.updated, res.unchanged));
      return 0;
    };
  });
}

void add_evaluate(CLI::App& validate, Registry& r) {
  struct Args {
    std::string test_id, client;
    bool force = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = validate.add_subcommand("evaluate", "Compare test and control engagement and decide the verdict");
  cmd->add_option("TEST_ID", a->test_id)->required();
  cmd->add_flag("--force", a->force, "Evaluate before the measurement window has ended");
  cmd->add_option("--client", a->client, "Refuse unless the test belongs to this client");
  cmd->callback([&r, a] {
    r.action = [a](const Context& ctx) {
      store::Database db = store::open_workspace(ctx.workspace());
      auto owned = validate::resolve_test(db, a->test_id, client_filter(a->client));
      const auto lock = store::WorkspaceLock::acquire(ctx.workspace(), "validate evaluate #" + owned.hashtag.slug,
                                                      store::LockOptions{.timeout = store::lock_timeout_from_env()});
      validate::EvaluateOptions o;
      o.force = a->force;
      auto e = validate::evaluate_brief_test(db, owned, o);
      std::ostringstream human;
      human << owned.test.id << ": " << validate::status_name(e.status) << "\n";
      human << fmt::format("  test ER {:.2f} % (n={}), control ER {:.2f} % (n={}), planned {} per arm\n",
                           e.test_mean_er, e.n_test, e.control_mean_er, e.n_control,
                           e.planned_n_per_arm ? std::to_string(*e.planned_n_per_arm) : std::string("-"));
      human << "  intention to treat (" << e.itt.method << "): lift " << validate::format_lift_ci(e.itt);
      if (e.itt.defined) human << fmt::format(", p = {:.4g}", e.itt.p_value);
      human << "\n";
      if (e.per_protocol)
        human << "  implemented well (score >= 0.7, " << e.per_protocol_test_videos << " test videos): lift "
              << validate::format_lift_ci(*e.per_protocol) << "\n";
      for (const auto& m : e.other_metrics)
        human << "  " << m.metric << " (reported, not deciding): lift " << validate::format_lift_ci(m.itt) << "\n";
      for (const auto& w : e.warnings) human << "  Warning: " << w << "\n";
      human << "  " << e.explanation;
      if (std::string roi = validate::roi_line(e); !roi.empty()) human << "\n  " << roi;
      Json j = validate::to_json(e);
      j["test_id"] = owned.test.id;
      ctx.emit(j, human.str());
      return 0;
    };
  });
}

void add_list(CLI::App& validate, Registry& r) {
  struct Args {
    std::string client, hashtag;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = validate.add_subcommand("list", "List a client's validation tests");
  cmd->add_option("CLIENT", a->client)->required();
  cmd->add_option("HASHTAG", a->hashtag);
  cmd->callback([&r, a] {
    r.action = [a](const Context& ctx) {
      store::Database db = store::open_workspace(ctx.workspace());
      auto c = store::find_client(db, slugify(a->client, "client"));
      if (!c) throw UsageError("unknown client '" + a->client + "'; see 'rumi client list'");
      std::optional<std::int64_t> hashtag_id;
      if (!a->hashtag.empty()) {
        auto h = store::find_hashtag(db, c->id, slugify(a->hashtag, "hashtag"));
        if (!h) throw UsageError("client '" + c->name + "' has no hashtag '" + a->hashtag + "'");
        hashtag_id = h->id;
      }
      Json out = Json::array();
      std::ostringstream human;
      for (const auto& t : store::list_brief_tests(db, c->id, hashtag_id)) {
        auto owned = validate::resolve_test(db, t.id, c->slug);
        Json j = validate::test_json(db, owned);
        human << fmt::format("{}\t{}\tstrategy {}\t{}\t{}\t{} video(s)\n", t.id, owned.hashtag.name, t.strategy_number,
                             t.status, validate::format_lift(t.performance_lift), j["videos"].size());
        out.push_back(std::move(j));
      }
      if (out.empty()) human << "No validation tests for " << c->name << " yet.";
      ctx.emit(out, human.str());
      return 0;
    };
  });
}

void add_show(CLI::App& validate, Registry& r) {
  struct Args {
    std::string test_id, client;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = validate.add_subcommand("show", "Show one test with its videos and verdict");
  cmd->add_option("TEST_ID", a->test_id)->required();
  cmd->add_option("--client", a->client, "Refuse unless the test belongs to this client");
  cmd->callback([&r, a] {
    r.action = [a](const Context& ctx) {
      store::Database db = store::open_workspace(ctx.workspace());
      auto owned = validate::resolve_test(db, a->test_id, client_filter(a->client));
      ctx.emit(validate::test_json(db, owned), validate::test_text(db, owned));
      return 0;
    };
  });
}

void add_report(CLI::App& validate, Registry& r) {
  struct Args {
    std::string client, hashtag, date;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = validate.add_subcommand("report", "Write reports/<date>/validation_report.md");
  cmd->add_option("CLIENT", a->client)->required();
  cmd->add_option("HASHTAG", a->hashtag)->required();
  cmd->add_option("--date", a->date, "Report date folder (default today, UTC)");
  cmd->callback([&r, a] {
    r.action = [a](const Context& ctx) {
      Target t = open_target(ctx, a->client, a->hashtag);
      std::string date = a->date.empty() ? format_date_utc(now_unix()) : a->date;
      if (date.size() != 10 || !parse_iso8601_utc(date)) throw UsageError("--date must be YYYY-MM-DD");
      auto path = validate::write_validation_report(t.db, t.workspace, t.client, t.hashtag, date);
      Json patterns = Json::object();
      Json by_bucket = Json::array();
      for (const auto& [key, v] : validate::pattern_validations_by_bucket(t.db, t.client.id, t.hashtag.id))
        by_bucket.push_back(Json{{"bucket", key.first},
                                 {"feature", key.second},
                                 {"status", v.status},
                                 {"tests", v.tests},
                                 {"pooled", validate::to_json(v.pooled)},
                                 {"phrase", validate::validation_phrase(v)}});
      for (const auto& [feature, v] : validate::pattern_validations(t.db, t.client.id, t.hashtag.id))
        patterns[feature] = Json{{"status", v.status},
                                 {"bucket", v.bucket},
                                 {"tests", v.tests},
                                 {"successful", v.successful},
                                 {"rejected", v.rejected},
                                 {"average_lift", v.average_lift ? Json(*v.average_lift) : Json()},
                                 {"phrase", validate::validation_phrase(v)}};
      ctx.emit(Json{{"report", path.string()}, {"patterns", patterns}, {"patterns_by_bucket", by_bucket}},
               "Wrote " + path.string());
      return 0;
    };
  });
}

}  // namespace

void register_validate_commands(Registry& r) {
  auto* validate = r.app.add_subcommand("validate", "Billo test/control validation loop");
  validate->require_subcommand(1);
  add_create(*validate, r);
  add_record(*validate, r);
  add_metrics(*validate, r);
  add_evaluate(*validate, r);
  add_list(*validate, r);
  add_show(*validate, r);
  add_report(*validate, r);
}

}  // namespace rumi::cli
