#pragma once
// The HTML dashboards: one index.html per hashtag report folder and one per client.
//
// Rules, and why:
// * Self-contained: inline CSS and inline SVG charts, no script, no web fonts, no network
//   address anywhere in the page. Reports are mailed and opened offline, and a page that fetches
//   nothing leaks nothing about who reads it.
// * Rendered, not linked: the hashtag page shows the bucket ranking, every creative guide (once),
//   every strategy, the Billo validation status and "what we need to learn next" as HTML, built
//   from the same structures the JSON/Markdown/PDF writers use, so the page never says something
//   the files do not. The raw files are linked for readers who want them.
// * Every link resolves: a file is linked only when it exists in the report folder at render
//   time (write_reports renders the index last), and every href is relative.
// * Every string from data is HTML-escaped (captions, hashtags and client names are user text).
// * Deterministic: same inputs, same bytes (no clock, no randomness, fixed number formatting).
// * Readable on a phone (390 px) and a laptop (1280 px): one column, charts scale to the width.
// * Closes with the ownership notice (core/ownership_notice.h), like every client-facing output.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "report/report_inputs.h"
#include "report/strategies.h"

namespace rumi::report {

// ---------------------------------------------------------------------------------------------
// Per hashtag: reports/<date>/index.html

struct HashtagDashboardInput {
  const HashtagInputs& in;        // after apply_pattern_validations
  const StrategySet& strategies;  // as written to strategies/
  std::string_view client;
  std::string_view hashtag;
  std::string_view date;                  // the report date, YYYY-MM-DD
  const std::vector<std::string>& notes;  // notes the report stage collected (shortfalls, rejections...)
  std::string_view notice;                // ownership notice (core/ownership_notice.h)
  std::filesystem::path report_dir;       // the folder index.html goes to; links only to files in it
};

// The whole page. Reads, besides the structures given, the report folder's
// bucket_performance_report.json (ranking and verdicts, when the insights stage wrote it) and
// each bucket's features.csv under in.dir (the engagement rate of every analysed video, for the
// distribution chart; a bucket without one gets its summary numbers only).
std::string render_hashtag_dashboard(const HashtagDashboardInput& d);

// ---------------------------------------------------------------------------------------------
// Per client: one page across its hashtags.

struct DashboardLink {
  std::string label;
  // A file: absolute, or relative to the client page's folder. Rendered as a relative href
  // when the file exists, as plain text marked "(not written)" otherwise.
  std::filesystem::path target;
};

struct ClientBucketRow {
  std::string bucket;    // "0-15s"
  int rank = 0;          // 1 = best; ignored when !ranked
  bool ranked = false;   // insufficient buckets are listed last and never ranked
  std::string verdict;   // "HIGH PRIORITY", "insufficient data", ...
  double avg_er = 0;     // percent
  double median_er = 0;  // percent
  int videos = 0;
};

struct ClientHashtagEntry {
  std::string hashtag;                    // "#nutrition" (a missing '#' is added)
  std::string date;                       // report date of this hashtag's folder
  bool metadata_only = false;             // "based on captions and posting data"
  int videos = 0;                         // videos the statistics describe
  std::vector<ClientBucketRow> buckets;   // in ranking order
  std::vector<std::string> top_findings;  // plain sentences, best evidence first (3-5 is plenty)
  std::filesystem::path index_html;       // the hashtag's reports/<date>/index.html
  std::vector<DashboardLink> links;       // its PDFs and anything else worth a click
};

struct ClientDashboardInput {
  std::string client;
  std::string date;                        // the client report's date
  std::vector<std::string> notes;          // shown under the scope line
  std::vector<std::string> cross_hashtag;  // "what holds across hashtags" sentences (may be empty)
  std::vector<DashboardLink> links;        // the client report's own files (PDF, Markdown, JSON)
  std::vector<ClientHashtagEntry> hashtags;
  std::string notice;  // ownership notice; empty = ownership_notice(client)
};

// The client page as a string; hrefs are relative to `client_reports_dir`.
std::string render_client_dashboard(const std::filesystem::path& client_reports_dir, const ClientDashboardInput& in);
// Writes client_reports_dir/index.html (atomically, creating the folder) and returns its path.
std::filesystem::path write_client_dashboard(const std::filesystem::path& client_reports_dir,
                                             const ClientDashboardInput& in);

// A ClientHashtagEntry read back from a finished hashtag report folder (reports/<date>/):
// bucket ranking from bucket_performance_report.json, top findings from the strategies' primary
// patterns (strategies/strategy_*.json, rank order), links to index.html and the PDFs. Missing
// files leave their parts empty; a malformed one is an InputError naming it.
ClientHashtagEntry client_entry_from_report_dir(const std::filesystem::path& report_dir, std::string_view hashtag);

}  // namespace rumi::report
