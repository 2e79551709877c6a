// rumi acquire CLIENT HASHTAG [--import FILE]... [--apify] [--max-items N] [--format F] [--seed S]
#include <CLI/CLI.hpp>
#include <memory>
#include <sstream>

#include "acquire/acquire.h"
#include "cli/cli.h"
#include "cli/target.h"
#include "core/error.h"
#include "core/time_util.h"
#include "store/workspace_lock.h"

namespace rumi::cli {

namespace {

struct AcquireArgs {
  std::string client, hashtag, format = "auto";
  std::vector<std::string> imports;
  bool apify = false;
  std::int64_t max_items = 0;
  std::uint64_t seed = kDefaultSeed;
};

}  // namespace

void register_acquire_commands(Registry& r) {
  auto args = std::make_shared<AcquireArgs>();
  auto* cmd = r.app.add_subcommand("acquire", "Import or scrape a hashtag's videos and select the best per bucket");
  cmd->add_option("CLIENT", args->client, "Client name or slug")->required();
  cmd->add_option("HASHTAG", args->hashtag, "Hashtag of that client")->required();
  cmd->add_option("--import", args->imports, "Apify JSON/JSONL/CSV, legacy or display-CSV export (repeatable)");
  cmd->add_flag("--apify", args->apify, "Scrape live with the Apify actor (needs APIFY_TOKEN)");
  cmd->add_option("--max-items", args->max_items, "Apify items to scrape (default: config max_items)");
  cmd->add_option("--format", args->format, "auto|apify-json|apify-csv|legacy-json|display-csv");
  cmd->add_option("--seed", args->seed, "Seed for the contrast design's random half (default 42)");
  cmd->callback([&r, args] {
    r.action = [args](const Context& ctx) -> int {
      auto format = acquire::parse_import_format(args->format);
      if (!format)
        throw UsageError("unknown --format '" + args->format +
                         "'; use auto, apify-json, apify-csv, legacy-json or display-csv");
      if (args->imports.empty() && !args->apify) throw UsageError("acquire needs --import FILE and/or --apify");
      if (args->max_items < 0 || args->max_items > 100000) throw UsageError("--max-items must be between 1 and 100000");
      Target t = open_target(ctx, args->client, args->hashtag);
      const auto lock = store::WorkspaceLock::acquire(t.workspace, "acquire #" + t.hashtag.slug,
                                                      store::LockOptions{.timeout = store::lock_timeout_from_env()});
      if (args->max_items > 0) t.analysis.max_items = args->max_items;
      acquire::AcquireRequest req{t.workspace, t.db, t.client,    t.hashtag, t.analysis,
                                  {},          {},   args->apify, {},        now_unix()};
      req.seed = args->seed;
      for (const auto& f : args->imports) req.imports.emplace_back(f);
      req.import_options.format = *format;
      acquire::AcquireResult res = acquire::acquire(req);

      std::ostringstream human;
      human << "Acquired " << t.hashtag.name << " for " << t.client.name << ": " << res.records_read << " records, "
            << res.videos.size() << " unique videos";
      if (res.duplicates)
        human << " (" << res.duplicates << " duplicate records merged, " << res.conflicting_ids.size()
              << " with different stats: newest kept)";
      human << "\n" << acquire::selection_summary_table(res.selection);
      human << "Selection: " << res.selection_path.string();
      Json j{{"run_id", res.run_id},
             {"records", res.records_read},
             {"unique_videos", res.videos.size()},
             {"duplicates", res.duplicates},
             {"conflicting_ids", res.conflicting_ids},
             {"selection_path", res.selection_path.string()},
             {"raw_path", res.raw_path.string()},
             {"buckets", Json::object()}};
      for (const auto& b : res.selection.buckets)
        j["buckets"][std::string(bucket_name(b.bucket))] = {{"found", b.found},         {"eligible", b.eligible},
                                                            {"outliers", b.outliers()}, {"selected", b.selected.size()},
                                                            {"top", b.top_count},       {"random", b.random_count},
                                                            {"target", b.target},       {"missing", b.missing()}};
      ctx.emit(j, human.str());
      return 0;
    };
  });
}

}  // namespace rumi::cli
