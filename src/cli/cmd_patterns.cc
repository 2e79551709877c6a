// rumi patterns CLIENT HASHTAG [--seed N] [--correction bh|holm|bonferroni] [--resamples N]
// Finds each bucket's patterns (patterns_<b>.json) and writes the bucket performance report.
#include <CLI/CLI.hpp>
#include <memory>
#include <sstream>

#include "cli/cli.h"
#include "cli/target.h"
#include "core/error.h"
#include "core/time_util.h"
#include "features/feature_catalog.h"
#include "insights/bucket_performance.h"
#include "insights/patterns_stage.h"
#include "stats/multiple_testing.h"
#include "store/workspace_lock.h"

namespace rumi::cli {

namespace {

struct PatternsArgs {
  std::string client, hashtag, correction = "bh";
  std::uint64_t seed = kDefaultSeed;
  int resamples = stats::kDefaultBootstrapResamples;
};

}  // namespace

void register_patterns_commands(Registry& r) {
  auto args = std::make_shared<PatternsArgs>();
  auto* cmd = r.app.add_subcommand(
      "patterns", "Find which creative elements go with higher engagement in each bucket and rank the buckets");
  cmd->add_option("CLIENT", args->client, "Client name or slug")->required();
  cmd->add_option("HASHTAG", args->hashtag, "Hashtag of that client")->required();
  cmd->add_option("--seed", args->seed, "Seed for the folds, permutations and bootstrap intervals (default 42)");
  cmd->add_option("--correction", args->correction, "Multiple-testing correction: bh (default), holm, bonferroni");
  cmd->add_option("--resamples", args->resamples, "Bootstrap resamples (>= 1000, default 1000)");
  cmd->callback([&r, args] {
    r.action = [args](const Context& ctx) -> int {
      stats::PatternOptions opt;
      opt.seed = args->seed;
      opt.correction = stats::parse_correction(args->correction);
      if (args->resamples < 1000 || args->resamples > 100000)
        throw UsageError("--resamples must be between 1000 and 100000");
      opt.bootstrap_resamples = args->resamples;
      Target t = open_target(ctx, args->client, args->hashtag);
      const auto lock = store::WorkspaceLock::acquire(t.workspace, "patterns #" + t.hashtag.slug,
                                                      store::LockOptions{.timeout = store::lock_timeout_from_env()});
      const auto& catalog = features::feature_catalog();
      const auto summary = insights::run_patterns_stage(t.dir(), catalog.features, opt, t.hashtag.name);
      if (summary.buckets.empty())
        throw NotEnoughDataError("no bucket has a features.csv under " + t.dir().string() +
                                 "; run 'rumi analyze' (and 'rumi train') first");
      const auto reports = t.workspace.reports_dir(t.client.slug, t.hashtag.slug, format_date_utc(now_unix()));
      const auto files = insights::write_bucket_performance_report(
          t.dir(), reports, insights::BucketReportNames{t.client.name, t.hashtag.name});

      Json j{{"buckets", Json::array()},
             {"bucket_performance_report", files.json.string()},
             {"bucket_performance_markdown", files.markdown.string()},
             {"strategic_summary", files.strategic_summary.string()},
             {"seed", opt.seed},
             {"correction", stats::correction_name(opt.correction)}};
      std::ostringstream human;
      human << "Patterns for " << t.hashtag.name << " (" << t.client.name << "):\n";
      for (const auto& b : summary.buckets) {
        j["buckets"].push_back(Json{{"bucket", bucket_name(b.bucket)},
                                    {"sample_size", b.sample_size},
                                    {"strong", b.strong},
                                    {"moderate", b.moderate},
                                    {"emerging", b.emerging},
                                    {"insufficient_data", b.insufficient_data},
                                    {"exploratory", b.exploratory},
                                    {"elements_tested", b.family_size},
                                    {"forest_skill_passed", b.skill_passed},
                                    {"file", b.file.string()}});
        human << "  " << bucket_name(b.bucket) << ": " << b.sample_size << " videos, ";
        if (b.insufficient_data)
          human << "too few for patterns (need " << kMinVideosForModel << ")";
        else
          human << b.strong << " strong, " << b.moderate << " moderate, " << b.emerging << " hypotheses to test, from "
                << b.family_size << " creative elements"
                << (b.exploratory ? " (exploratory: fewer than 30 videos, at most MODERATE)" : "");
        human << "\n";
      }
      human << "Bucket performance report: " << files.markdown.string();
      ctx.emit(j, human.str());
      return 0;
    };
  });
}

}  // namespace rumi::cli
