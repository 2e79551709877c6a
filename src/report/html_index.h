#pragma once
// index.html for a report folder: one self-contained page (inline CSS, relative links).
#include <filesystem>
#include <string>
#include <vector>

namespace rumi::report {

struct IndexLink {
  std::string group;  // "Guides", "Strategies", "PDFs", ...
  std::string label;
  std::string href;   // relative to the report folder
};

std::string html_escape(std::string_view s);
// `footer` (escaped) closes the page, e.g. the ownership notice (report/notice.h).
std::string render_index_html(std::string_view title, const std::vector<IndexLink>& links,
                              const std::vector<std::string>& notes, std::string_view footer = {});

}  // namespace rumi::report
