// rumi run CONFIG, rumi demo, rumi runs list|show.
#include <CLI/CLI.hpp>
#include <memory>
#include <sstream>

#include "analyze/stop_signal.h"
#include "cli/cli.h"
#include "core/error.h"
#include "core/log.h"
#include "core/slug.h"
#include "core/time_util.h"
#include "pipeline/demo.h"
#include "pipeline/native_demo.h"
#include "pipeline/run_pipeline.h"
#include "store/clients.h"
#include "store/runs.h"
#include "store/workspace_lock.h"
#include "store/workspace_store.h"

namespace rumi::cli {

namespace {

struct RunArgs {
  std::string config;
  std::vector<std::string> imports, replays;
  std::string analyzer, date, formats = "json,md,pdf,html", videos, llm;
  bool apify = false, force = false, native = false, download = false;
  std::uint64_t seed = kDefaultSeed;
  double min_success = -1;  // < 0: the hashtag's success_gate
};

void add_run(Registry& r) {
  auto a = std::make_shared<RunArgs>();
  auto* cmd = r.app.add_subcommand("run", "All stages for every client and hashtag in a config file");
  cmd->add_option("CONFIG", a->config, "YAML configuration (spec Appendix B)")->required();
  cmd->add_option("--import", a->imports, "Apify export for every hashtag, or '#tag=FILE' for one (repeatable)");
  cmd->add_option("--replay", a->replays, "RumiAI output dir for every hashtag, or '#tag=DIR' for one");
  cmd->add_option("--analyzer", a->analyzer, "External analyzer 'CMD ... {url} {id} {out}' (instead of --replay)");
  cmd->add_flag("--native", a->native,
                "rumi's own analyzer (default when no --replay/--analyzer and nothing analysed yet); without "
                "--videos it analyses captions and posting data of every eligible video");
  cmd->add_option("--videos", a->videos, "Folder of <video_id>.mp4 files for --native content analysis");
  cmd->add_flag("--download", a->download,
                "With --native: analyse the videos' content, downloading each from its item's links first");
  cmd->add_flag("--apify", a->apify, "Scrape the hashtags live with Apify (APIFY_TOKEN)");
  cmd->add_option("--seed", a->seed, "Seed for every random choice (default 42)");
  cmd->add_option("--date", a->date, "Report folder date YYYY-MM-DD (default today, UTC)");
  cmd->add_option("--formats", a->formats, "Report formats: json,md,pdf,html");
  cmd->add_option("--llm", a->llm,
                  "Optional rewrite of strategy texts: anthropic (off by default; ANTHROPIC_API_KEY; numbers checked)")
      ->check(CLI::IsMember({"anthropic"}));
  cmd->add_flag("--force", a->force, "Redo every stage even when its inputs are unchanged");
  cmd->add_option("--min-success", a->min_success,
                  "Share of each bucket's selected videos that must be analysed before training "
                  "(default: the hashtag's success_gate, 0.8; recorded in the run manifest)")
      ->check(CLI::Range(0.0, 1.0));
  std::string* line = &r.command_line;
  cmd->callback([&r, a, line] {
    r.action = [a, line](const Context& ctx) {
      pipeline::RunOptions o;
      o.config_file = a->config;
      for (const auto& i : a->imports) o.imports.push_back(pipeline::parse_targeted_path(i));
      for (const auto& i : a->replays) o.replays.push_back(pipeline::parse_targeted_path(i));
      if (!a->analyzer.empty()) o.analyzer = a->analyzer;
      if (o.analyzer && !o.replays.empty()) throw UsageError("give either --replay or --analyzer, not both");
      o.native = a->native;
      if (o.native && (o.analyzer || !o.replays.empty()))
        throw UsageError("give one of --native, --replay or --analyzer");
      if (!a->videos.empty()) o.videos_dir = a->videos;
      o.download = a->download;
      if (o.download && (o.analyzer || !o.replays.empty()))
        throw UsageError("--download goes with --native, not --replay or --analyzer");
      o.apify = a->apify;
      o.seed = a->seed;
      o.report_date = a->date.empty() ? format_date_utc(now_unix()) : a->date;
      if (!parse_iso8601_utc(o.report_date) || o.report_date.size() != 10)
        throw UsageError("--date must be YYYY-MM-DD, got '" + o.report_date + "'");
      o.formats = a->formats;
      o.llm = a->llm;
      o.force = a->force;
      if (a->min_success >= 0) o.min_success = a->min_success;
      o.quiet = ctx.quiet() || ctx.json();
      o.command_line = *line;
      Workspace ws = ctx.workspace();
      store::init_workspace(ws);
      auto lock =
          store::WorkspaceLock::acquire(ws, "run", store::LockOptions{.timeout = store::lock_timeout_from_env()});
      analyze::StopSignalGuard guard;
      o.stop = &guard.flag();
      const auto res = pipeline::run_pipeline(ws, o);
      ctx.emit(res.to_json(), res.summary_table());
      return res.exit_code;
    };
  });
}

void add_demo(Registry& r) {
  struct DemoArgs {
    std::string out = "rumi-demo";
    std::uint64_t seed = kDefaultSeed;
    int videos = 250;
    int native_videos = 0;
  };
  auto a = std::make_shared<DemoArgs>();
  auto* cmd = r.app.add_subcommand("demo",
                                   "End-to-end run on built-in synthetic data (2 hashtags, ~250 videos each), or on "
                                   "real mp4 files it makes (--native-videos)");
  cmd->add_option("--out", a->out, "Output folder (default ./rumi-demo)");
  cmd->add_option("--seed", a->seed, "Seed (default 42)");
  cmd->add_option("--videos", a->videos, "Synthetic videos per hashtag (default 250)")->check(CLI::Range(40, 5000));
  std::string native_help = "Instead: make this many real mp4 files with ffmpeg (default ";
  native_help.append(std::to_string(pipeline::kDefaultNativeDemoVideos))
      .append(" when given without a number) and analyse them with rumi's native analyzer");
  cmd->add_option("--native-videos", a->native_videos, native_help)
      ->expected(0, 1)
      ->default_str(std::to_string(pipeline::kDefaultNativeDemoVideos))
      ->check(CLI::Range(20, 500))
      ->excludes("--videos");
  cmd->callback([&r, a] {
    r.action = [a](const Context& ctx) {
      pipeline::DemoOptions o;
      o.out = a->out;
      o.seed = a->seed;
      o.videos_per_hashtag = a->videos;
      o.native_videos = a->native_videos;
      if (ctx.global.workspace) o.workspace = *ctx.global.workspace;
      o.quiet = ctx.quiet() || ctx.json();
      Workspace ws(o.workspace ? *o.workspace : std::filesystem::absolute(o.out) / "workspace");
      store::init_workspace(ws);
      auto lock =
          store::WorkspaceLock::acquire(ws, "demo", store::LockOptions{.timeout = store::lock_timeout_from_env()});
      analyze::StopSignalGuard guard;
      o.stop = &guard.flag();
      const auto res = pipeline::run_demo(o);
      std::ostringstream human;
      human << res.run.summary_table() << "\nDemo workspace: " << res.workspace.string()
            << "\nConfig used:    " << res.config_file.string() << "\n";
      if (!res.videos_dir.empty())
        human << "Videos:         " << res.videos_dir.string() << " (analysed by rumi's native analyzer)\n\n"
              << res.planted_summary
              << "\nThe truth of every video: " << (res.videos_dir.parent_path() / "planted.json").string() << "\n";
      for (const auto& h : res.run.hashtags) {
        human << "\n" << h.hashtag_name << " reports (" << h.reports_dir.string() << "):\n";
        for (const auto& p : h.pdfs) human << "  PDF  " << p.string() << "\n";
        for (const auto& m : h.markdown) human << "  MD   " << m.string() << "\n";
      }
      Json j = res.run.to_json();
      j["workspace"] = res.workspace.string();
      j["config"] = res.config_file.string();
      if (!res.videos_dir.empty()) {
        j["videos_dir"] = res.videos_dir.string();
        j["analyzer"] = "native";
        j["planted"] = res.planted_summary;
      }
      ctx.emit(j, human.str());
      return res.run.exit_code;
    };
  });
}

// Dense literal code kept as written: clang-format would put one field per line.
// clang-format off
void add_runs(Registry& r) {
  auto* runs = r.app.add_subcommand("runs", "List and show run manifests");
  runs->require_subcommand(1);
  auto client = std::make_shared<std::string>();
  auto* list = runs->add_subcommand("list", "List runs (workspace runs, or one client's hashtag runs with --client)");
  list->add_option("--client", *client, "Only this client's runs");
  list->callback([&r, client] {
    r.action = [client](const Context& ctx) {
      Workspace ws = ctx.workspace();
      store::Database db = store::open_workspace(ws);
      Json out = Json::array();
      std::ostringstream human;
      if (!client->empty()) {
        auto c = store::find_client(db, slugify(*client, "client"));
        if (!c) throw UsageError("unknown client '" + *client + "'; see 'rumi client list'");
        for (const auto& h : store::list_hashtags(db, c->id)) {
          std::error_code ec;
          const auto dir = ws.runs_dir(c->slug, h.slug);
          std::vector<std::filesystem::path> manifests;
          for (const auto& e : std::filesystem::directory_iterator(dir, ec))
            if (std::filesystem::exists(e.path() / "manifest.json")) manifests.push_back(e.path() / "manifest.json");
          std::sort(manifests.begin(), manifests.end());
          for (const auto& m : manifests) {
            Json j = read_json_file(m);
            out.push_back({{"run_id", j.value("run_id", "")}, {"hashtag", h.name}, {"status", j.value("status", "")},
                           {"finished_at", j.value("finished_at", "")}, {"manifest", m.string()}});
            human << j.value("run_id", "") << "\t" << h.name << "\t" << j.value("status", "") << "\t" << m.string() << "\n";
          }
        }
      } else {
        for (const store::RunRow& run : store::list_config_runs(db)) {
          out.push_back({{"run_id", run.id}, {"command", run.command}, {"started_at", run.started_at},
                         {"finished_at", run.finished_at}, {"status", run.status}, {"manifest", run.manifest_path}});
          human << run.id << "\t" << run.status << "\t" << run.command << "\n";
        }
      }
      if (out.empty()) human << "No runs yet.";
      ctx.emit(out, human.str());
      return 0;
    };
  });
  struct ShowArgs {
    std::string id, client;
  };
  auto sa = std::make_shared<ShowArgs>();
  auto* show = runs->add_subcommand("show", "Show a run manifest");
  show->add_option("RUN_ID", sa->id)->required();
  show->add_option("--client", sa->client, "Show this client's hashtag manifests of the run");
  show->callback([&r, sa] {
    r.action = [sa](const Context& ctx) {
      Workspace ws = ctx.workspace();
      store::Database db = store::open_workspace(ws);
      std::string dir_name = sa->id;
      for (char& ch : dir_name)
        if (ch == ':') ch = '-';
      if (dir_name.find('/') != std::string::npos || dir_name.find("..") != std::string::npos)
        throw UsageError("invalid run id '" + sa->id + "'");
      Json doc;
      if (!sa->client.empty()) {
        auto c = store::find_client(db, slugify(sa->client, "client"));
        if (!c) throw UsageError("unknown client '" + sa->client + "'; see 'rumi client list'");
        doc = Json::array();
        for (const auto& h : store::list_hashtags(db, c->id)) {
          const auto m = ws.runs_dir(c->slug, h.slug) / dir_name / "manifest.json";
          if (std::filesystem::exists(m)) doc.push_back(read_json_file(m));
        }
        if (doc.empty()) throw UsageError("client '" + c->name + "' has no run '" + sa->id + "'");
      } else {
        const auto m = ws.global_runs_dir() / dir_name / "manifest.json";
        if (!std::filesystem::exists(m)) throw UsageError("no run '" + sa->id + "'; see 'rumi runs list'");
        doc = read_json_file(m);
      }
      ctx.emit(doc, dump_json(doc));
      return 0;
    };
  });
}
// clang-format on

}  // namespace

void register_pipeline_commands(Registry& r) {
  add_run(r);
  add_demo(r);
  add_runs(r);
}

}  // namespace rumi::cli
