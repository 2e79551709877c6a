#pragma once
// Names become directory names, so every client / hashtag name goes through slugify: lower-case
// ASCII letters, digits and '-', '#' dropped. Anything that would slug to empty, that is longer
// than kMaxNameLength, or that contains path syntax ("..", "/", "\\", NUL) is refused (exit 2).
#include <string>
#include <string_view>

namespace rumi {

inline constexpr std::size_t kMaxNameLength = 100;
inline constexpr std::size_t kMaxSlugLength = 64;

// Throws UsageError naming `what` (e.g. "client name") on refusal.
std::string slugify(std::string_view name, std::string_view what = "name");
bool is_valid_slug(std::string_view slug);
// Hashtag display form: "#nutrition" for "nutrition", "#Nutrition", " #nutrition ".
std::string normalize_hashtag(std::string_view name);

}  // namespace rumi
