#pragma once
// The three 2-page PDFs: the client's strategy report (full statistics, spec 5.7 "clients"),
// and the creator briefs for Billo and affiliates (simple confidence only, no p-values). A brief
// follows seed section 5.6: page 1 who we are, the brand, the product, its USPs, the audience
// and the idea in one sentence; page 2 the shot list with timings, on-screen text, key
// messages, tone, do's and don'ts, deliverables and the test design, the success metric and a
// contact.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/brand.h"
#include "report/example_cover.h"
#include "report/report_inputs.h"
#include "report/strategies.h"

namespace rumi::report {

struct ReportMeta {
  std::string client;
  std::string hashtag;
  std::string date;  // YYYY-MM-DD; also the PDFs' creation date, so re-runs are byte-identical
  // The brand inputs of the briefs (client's, with the hashtag's overrides). Empty fields are
  // named as missing in the briefs, never filled in.
  config::BrandInputs brand;
  // Stills of the briefs' example videos by video id (report/example_cover.h); a brief whose
  // example has none shows its QR code and caption only.
  std::map<std::string, CoverFrame> covers;
};

enum class Audience { billo, affiliate };

struct PdfResult {
  std::filesystem::path path;
  int pages = 0;
  bool truncated = false;              // some content did not fit in the page budget (it is in the MD/JSON)
  std::string text;                    // every paragraph, bullet and heading drawn (FlowLayout::plain_text)
  std::vector<std::string> cut_short;  // texts cut at their line limit (FlowLayout::cut_short)
};

inline constexpr int kMaxPdfPages = 2;

// The hashtag dashboard as the report folder has it: write_reports renders index.html next to
// the PDFs (report/html_dashboard.h), so a relative path from the PDF is the file name.
inline constexpr std::string_view kDashboardFile = "index.html";

// Each section has a page budget (page 1: scope, bucket ranking chart, top patterns; page 2:
// roadmap, strategies, what to learn next, model quality, next steps). A section that does not
// fit is cut at a whole item, and the PDF says "N more ... in the dashboard: <dashboard>", a
// path relative to the PDF's folder; an empty `dashboard` (no HTML written) points to the
// Markdown and JSON report instead.
PdfResult write_client_report_pdf(const std::filesystem::path& path, const HashtagInputs& in,
                                  const StrategySet& strategies, const ReportMeta& meta,
                                  std::string_view dashboard = kDashboardFile);
PdfResult write_creator_brief_pdf(const std::filesystem::path& path, const HashtagInputs& in, const Strategy& s,
                                  const ReportMeta& meta, Audience audience);

// Patterns of every bucket, best evidence first (same order as the strategies).
std::vector<std::pair<Bucket, Pattern>> ranked_patterns(const HashtagInputs& in);

}  // namespace rumi::report
