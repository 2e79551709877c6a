#pragma once
// The HTML building blocks every rumi page shares: escaping, and the page shell (inline CSS for
// one readable column on a 390 px phone and a 1280 px laptop, and the chart styles of
// report/svg_chart.h). No script, no web font, no network address: pages are opened offline.
// The dashboards themselves are in report/html_dashboard.h.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace rumi::report {

// &, <, >, " and ' as entities: safe in element text and in double-quoted attributes.
std::string html_escape(std::string_view s);

// "<!DOCTYPE html>...<body>": charset, viewport for phones, the title (escaped), inline CSS.
std::string html_page_open(std::string_view title);
// The footer paragraph (escaped; e.g. the ownership notice) and the closing tags.
std::string html_page_close(std::string_view footer);

// A relative href from `dir` to `file` (generic separators, each path segment percent-encoded
// where a URL needs it, then HTML-escaped), or "" when `file` does not exist: callers link only
// to files that exist.
std::string relative_href(const std::filesystem::path& dir, const std::filesystem::path& file);

}  // namespace rumi::report
