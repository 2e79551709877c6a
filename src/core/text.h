#pragma once
// Turning schema keys into words for human-facing text, shared by the feature catalog's phrase
// templates and the reports' fallbacks, so a key reads the same everywhere.
#include <string>
#include <string_view>

namespace rumi {

// "timeToFirstOverlay" -> "time to first overlay"; "elementCounts.text" -> "element counts text".
std::string humanize_key(std::string_view key);
// Unicode code points in valid UTF-8 (Python's len() of the decoded string).
int utf8_length(std::string_view s);

}  // namespace rumi
