#pragma once
// Parsing the numbers scrapers emit. Counts must be exact non-negative 64-bit integers: ER is the
// training target, so a silently mangled count would poison every model downstream.
#include <cstdint>
#include <optional>
#include <string_view>

namespace rumi::acquire {

// "12345" -> 12345. nullopt for anything else (sign, decimals, spaces, overflow).
std::optional<std::int64_t> parse_plain_count(std::string_view text);
// TikTok display strings: "541.2K" -> 541200, "1.4M" -> 1400000, "2B", plain "454".
// The suffix scales the decimal exactly (no binary rounding); nullopt when malformed or negative.
std::optional<std::int64_t> parse_display_count(std::string_view text);
// "00:31" -> 31, "01:02:03" -> 3723, "45" / "45.5" -> seconds. nullopt when malformed.
std::optional<double> parse_clock_duration(std::string_view text);
// A video id: 1..32 ASCII digits.
bool is_valid_video_id(std::string_view id);

}  // namespace rumi::acquire
