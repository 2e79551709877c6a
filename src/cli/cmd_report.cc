// rumi report CLIENT HASHTAG [--formats json,md,pdf,html] [--date YYYY-MM-DD]
// rumi report CLIENT [--formats ...] [--date ...]: the client view across its reported hashtags.
#include <CLI/CLI.hpp>
#include <memory>
#include <set>
#include <sstream>

#include "cli/cli.h"
#include "cli/target.h"
#include "config/apply.h"
#include "core/error.h"
#include "core/slug.h"
#include "core/time_util.h"
#include "pipeline/native_cover_frame.h"
#include "pipeline/report_validations.h"
#include "report/client_report.h"
#include "report/write_reports.h"
#include "store/clients.h"
#include "store/validation.h"
#include "store/workspace_lock.h"
#include "store/workspace_store.h"
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

// The client view: written from the hashtags' reports, never from raw data (report/client_report.h).
int run_client_report(const Context& ctx, const ReportArgs& args) {
  const std::set<std::string> formats = report::parse_formats(args.formats);
  const std::string date = args.date.empty() ? format_date_utc(now_unix()) : args.date;
  if (!args.llm.empty()) throw UsageError("--llm applies to hashtag reports only (rumi report CLIENT HASHTAG)");
  Workspace ws = ctx.workspace();
  store::Database db = store::open_workspace(ws);
  const std::string slug = slugify(args.client, "client");
  const auto client = store::find_client(db, slug);
  if (!client) throw UsageError("unknown client '" + args.client + "'; see 'rumi client list'");
  const auto lock = store::WorkspaceLock::acquire(ws, "report client " + client->slug,
                                                  store::LockOptions{.timeout = store::lock_timeout_from_env()});
  report::ClientReportOptions opt;
  opt.client = client->name.empty() ? client->slug : client->name;
  opt.date = date;
  opt.formats = formats;
  opt.agency = config::effective_brand(*client, nullptr).agency;
  for (const auto& h : store::list_hashtags(db, client->id)) opt.hashtags.push_back({h.slug, h.name});
  if (opt.hashtags.empty())
    throw UsageError("client '" + opt.client + "' has no hashtags; add them to the config and run 'rumi config apply'");
  const report::ClientReportSummary sum = report::write_client_report(ws, client->slug, opt);
  std::ostringstream human;
  human << "Client report for " << opt.client << " in " << sum.dir.string() << "\n"
        << "  hashtags: " << sum.hashtags_reported.size() << " reported";
  if (!sum.hashtags_not_reported.empty()) human << ", " << sum.hashtags_not_reported.size() << " not reported yet";
  human << "\n  " << sum.findings << " findings; " << sum.holds_across << " hold across hashtags (of " << sum.candidates
        << " tested in two or more), " << sum.does_not_hold << " do not hold\n"
        << "  roadmap: " << sum.roadmap_tests << " Billo tests\n";
  if (sum.pdf && sum.pdf->truncated)
    human << "  note: " << sum.pdf->path.filename().string() << " was cut to 2 pages\n";
  ctx.emit(sum.to_json(), human.str());
  return 0;
}

}  // namespace

void register_report_commands(Registry& r) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = r.app.add_subcommand(
      "report", "Write a hashtag's guides, strategies, PDFs and index.html; without HASHTAG, the client report");
  cmd->add_option("CLIENT", args->client, "Client name or slug")->required();
  cmd->add_option("HASHTAG", args->hashtag, "Hashtag of that client (omit for the client report)");
  cmd->add_option("--formats", args->formats, "Comma-separated: json,md,pdf,html (default all)");
  cmd->add_option("--date", args->date, "Report folder date YYYY-MM-DD (default: today, UTC)");
  cmd->add_option("--llm", args->llm, "Optional rewrite of strategy text: anthropic (off by default)");
  cmd->add_option("--seed", args->seed, "Seed recorded with the reports (default 42)");
  cmd->callback([&r, args] {
    r.action = [args](const Context& ctx) -> int {
      if (args->hashtag.empty()) return run_client_report(ctx, *args);
      report::ReportOptions opt;
      opt.formats = report::parse_formats(args->formats);
      opt.date = args->date.empty() ? format_date_utc(now_unix()) : args->date;
      opt.seed = args->seed;
      opt.llm = args->llm;
      opt.cover_frame = pipeline::native_cover_frame;
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
        human << "  "
              << (sum.affiliate_briefs > 0
                      ? std::to_string(sum.affiliate_briefs) + " strategies validated by Billo tests (affiliate briefs)"
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
