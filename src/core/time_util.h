#pragma once
// All times are UTC unix seconds internally; text is ISO-8601 ("2025-07-01T12:00:00Z").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rumi {

// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff][Z|+hh:mm]" and the same with a space.
std::optional<std::int64_t> parse_iso8601_utc(std::string_view text);
std::string format_iso8601_utc(std::int64_t unix_seconds);
std::string format_date_utc(std::int64_t unix_seconds);  // YYYY-MM-DD
// "20250701T120000Z": the ISO form without '-' and ':', for ids and file names.
std::string format_compact_utc(std::int64_t unix_seconds);
// "20250701_120000": the timestamp RumiAI puts in flow file names (<flow>_ml_<ts>.json).
std::string format_file_timestamp_utc(std::int64_t unix_seconds);
std::int64_t now_unix();
// Days from civil date (proleptic Gregorian); exposed for tests and the CSV importers.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);

}  // namespace rumi
