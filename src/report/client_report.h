#pragma once
// The client view: one report across all of a client's hashtags (docs/reporting.md "Client
// view"). It is written from what the hashtag reports already wrote, never from raw data and
// without recomputing any statistic:
//   bucket_<b>/patterns_<b>.json     findings (STRONG / MODERATE) and every tested element
//                                    (`all_elements`, for what holds across hashtags)
//   reports/<date>/bucket_performance_report.json   the bucket ranking and content mix
//   reports/<date>/strategies/       the strategies and their Billo validation state
//   reports/<date>/creative_guide_<b>.json          patterns rejected by controlled tests
// For each hashtag the latest report folder dated on or before the client report's date is used;
// a hashtag without one is listed as "not reported yet" and contributes nothing else.
//
// Output, in <client>/client_reports/<date>/ (a name with '_', so no hashtag slug can take it):
//   Client_Report.md (everything), Client_Report.pdf (2 pages, dated by the run date so a re-run
//   is byte-identical), index.html (the client dashboard, report/html_dashboard.h, with "html"),
//   client_summary.json (machine-readable: what the next run diffs against)
//   and, when an earlier client report exists, previous_client_summary.json: the summary of the
//   latest client report dated before this one, copied beside it so the "what changed" section
//   can be checked. A re-run on the same date compares with the same earlier report, so it writes
//   the same bytes.
//
// What holds across hashtags follows client_replication.h. The testing roadmap orders the
// hashtags' strategies not yet proven by Billo tests: elements that hold across hashtags first,
// then STRONG before MODERATE, then each hashtag's own rank; two tests run at a time, two weeks
// each (a week to film, a week to post and collect the numbers); at most kRoadmapTests tests.
// Strategies whose last test was inconclusive come after the untested ones; proven ones are
// listed as ready for affiliates; rejected patterns never appear.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/workspace.h"
#include "report/pdf_reports.h"

namespace rumi::report {

inline constexpr int kRoadmapTests = 6;
inline constexpr int kRoadmapParallelTests = 2;
inline constexpr int kRoadmapWeeksPerTest = 2;
inline constexpr std::string_view kClientReportsFolder = "client_reports";
inline constexpr std::string_view kClientReportMarkdown = "Client_Report.md";
inline constexpr std::string_view kClientReportPdf = "Client_Report.pdf";
inline constexpr std::string_view kClientSummaryFile = "client_summary.json";
inline constexpr std::string_view kPreviousClientSummaryFile = "previous_client_summary.json";

struct ClientHashtagRef {
  std::string slug;
  std::string name;  // display name ("#nutrition"); empty: from the hashtag's reports, else "#" + slug
};

struct ClientReportOptions {
  std::string client;  // display name; empty: the client slug
  std::string date;    // YYYY-MM-DD: the folder, the PDF dates, the cut-off for hashtag reports
  // md, pdf, html (index.html); client_summary.json is always written (the next run diffs it).
  std::set<std::string> formats{"json", "md", "pdf", "html"};
  // The client's hashtags in display order; empty: every hashtag folder of the client, by slug.
  std::vector<ClientHashtagRef> hashtags;
  std::string agency;  // for the ownership notice; empty: kDefaultAgency
};

struct ClientReportSummary {
  std::filesystem::path dir;
  std::vector<std::filesystem::path> files;
  std::vector<std::string> hashtags_reported, hashtags_not_reported;
  int findings = 0, holds_across = 0, does_not_hold = 0, candidates = 0, roadmap_tests = 0;
  double expected_by_chance = 0;
  std::string previous_date;  // "" when this is the first client report
  std::optional<PdfResult> pdf;
  std::string markdown;  // the Markdown as written (also when md is not among the formats)
  Json to_json() const;
};

// <client>/client_reports/<date>; UsageError on a bad slug or date.
std::filesystem::path client_reports_dir(const Workspace& ws, std::string_view client_slug, std::string_view date);

// Throws UsageError (exit 2) when the client folder does not exist or none of its hashtags has a
// report on or before the date; InputError naming the file on a malformed input.
ClientReportSummary write_client_report(const Workspace& ws, std::string_view client_slug,
                                        const ClientReportOptions& opt);

// The "what changed" lines between two client summaries, for the hashtags both cover: new
// findings, findings that went away, changed labels (evidence or direction), and elements that
// started or stopped holding across hashtags. Empty when nothing changed.
std::vector<std::string> client_summary_changes(const Json& previous, const Json& current);

}  // namespace rumi::report
