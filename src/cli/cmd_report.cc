// rumi report CLIENT HASHTAG [--formats json,md,pdf,html] [--date YYYY-MM-DD]
#include <CLI/CLI.hpp>
#include <memory>
#include <sstream>

#include "cli/cli.h"
#include "cli/target.h"
#include "core/time_util.h"
#include "pipeline/report_validations.h"
#include "report/write_reports.h"
#include "store/validation.h"
#include "store/workspace_lock.h"
#include "validate/pattern_confidence.h"
#include "validate/validation_report.h"

namespace rumi::cli {

namespace {

// The report stage takes plain notes (no store dependency); the CLI links both and converts.
struct ReportArgs {
  std::string client, hashtag, formats = "json,md,pdf,html", date;
  std::uint64_t seed = 42;
  std::string llm;
};

}  // namespace

void register_report_commands(Registry& r) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = r.app.add_subcommand("report", "Write creative guides, strategies, PDFs and index.html for a hashtag");
  cmd->add_option("CLIENT", args->client, "Client name or slug")->required();
  cmd->add_option("HASHTAG", args->hashtag, "Hashtag of that client")->required();
  cmd->add_option("--formats", args->formats, "Comma-separated: json,md,pdf,html (default all)");
  cmd->add_option("--date", args->date, "Report folder date YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--llm", args->llm, "Optional rewrite of strategy text: anthropic (off by default)");
  cmd->add_option("--seed", args->seed, "Seed recorded with the reports (default 42)");
  cmd->callback([&r, args] {
    r.action = [args](const Context& ctx) -> int {
      report::ReportOptions opt;
      opt.formats = report::parse_formats(args->formats);
      opt.date = args->date.empty() ? format_date_utc(now_unix()) : args->date;
      opt.seed = args->seed;
      opt.llm = args->llm;
      Target t = open_target(ctx, args->client, args->hashtag);
      const auto lock = store::WorkspaceLock::acquire(t.workspace, "report #" + t.hashtag.slug,
                                                      store::LockOptions{.timeout = store::lock_timeout_from_env()});
      opt.client = t.client.name.empty() ? t.client.slug : t.client.name;
      opt.hashtag = t.hashtag.name.empty() ? t.hashtag.slug : t.hashtag.name;
      opt.validations = pipeline::report_validations(t.db, t.client.id, t.hashtag.id);
      report::ReportSummary sum = report::write_reports(t.dir(), opt);
      // The Billo test log sits next to the reports it changed, once any test exists.
      if (!store::list_brief_tests(t.db, t.client.id, t.hashtag.id).empty())
        sum.files.push_back(validate::write_validation_report(t.db, t.workspace, t.client, t.hashtag, opt.date));
      std::ostringstream human;
      human << "Reports for " << opt.client << " " << opt.hashtag << " in " << sum.dir.string() << "\n"
            << "  " << sum.buckets << " bucket guides, " << sum.strategies << " strategies, " << sum.pdfs.size()
            << " PDFs, " << sum.files.size() << " files\n";
      if (!sum.strategy_shortfall.empty()) human << "  note: " << sum.strategy_shortfall << "\n";
      if (sum.rejected_patterns > 0)
        human << "  " << sum.rejected_patterns << " pattern(s) rejected by controlled tests were left out\n";
      if (sum.strategies > 0)
        human << "  " << (sum.affiliate_briefs > 0 ? std::to_string(sum.affiliate_briefs) + " strategies validated by Billo tests (affiliate briefs)"
                                                    : std::string(report::kAffiliateBriefsPending))
              << "\n";
      for (const auto& p : sum.pdfs)
        if (p.truncated) human << "  note: " << p.path.filename().string() << " was cut to 2 pages\n";
      if (sum.llm_calls > 0)
        human << "  LLM rewrite: " << sum.llm_calls << " call(s), " << sum.llm_input_tokens << " input and "
              << sum.llm_output_tokens << " output tokens\n";
      ctx.emit(sum.to_json(), human.str());
      return 0;
    };
  });
}

}  // namespace rumi::cli
