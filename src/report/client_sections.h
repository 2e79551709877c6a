#pragma once
// The words of the client report (report/client_report.h), one function per section. The
// Markdown carries every line; the PDF keeps each section's first pdf_lines lines and points to
// the Markdown for the rest, so both say the same things in the same order.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "report/client_view.h"

namespace rumi::report::client {

struct Section {
  std::string heading;
  std::vector<std::string> lines;  // each a paragraph or a bullet
  bool bullets = true;
  std::size_t pdf_lines = 0;  // the PDF keeps this many lines (0: all) and points to the Markdown
};

// Where the sections that the later parts refer to sit in the section list.
constexpr std::size_t kHoldsSection = 1, kDoesNotHoldSection = 2, kBudgetSection = 3;

struct TopFindings {
  Section md;                    // up to 3 per hashtag and bucket
  std::vector<std::string> pdf;  // the PDF's shorter version
};

// "a, b and c" with last_sep " and "; without it every separator is sep.
std::string join(const std::vector<std::string>& items, std::string_view sep, std::string_view last_sep = {});

Section scope_section(const ClientView& v, const ClientReportSummary& sum, const std::string& date);
Section holds_section(const ClientView& v);
Section does_not_hold_section(const ClientView& v);
Section budget_section(const ClientView& v);
Section roadmap_section(const Roadmap& r);
Section changes_section(const Json& previous, const std::vector<std::string>& changes,
                        const std::string& previous_date);

// Top findings: per hashtag and bucket, evidence-backed only, each once: a finding already said
// under "holds across" or "does not hold" is not repeated (in the PDF: not repeated when the PDF
// printed it there). `sections` is the list above, in that order.
TopFindings top_findings(const ClientView& v, const std::vector<Section>& sections);

// The whole Markdown: title, the sections, the top findings, how to read it, the notice.
std::string client_markdown(const std::string& client, const std::string& date, const ClientReportSummary& sum,
                            const std::vector<Section>& sections, const TopFindings& top, const ReplicationResult& rep,
                            const std::string& notice);

}  // namespace rumi::report::client
