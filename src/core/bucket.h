#pragma once
// Duration buckets are the unit of analysis: every model, pattern and guide is per bucket,
// because what works in a 15-second video differs from a 60-second one.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace rumi {

enum class Bucket : int { s0_15 = 0, s16_30 = 1, s31_60 = 2, s61_90 = 3, s91_120 = 4 };

inline constexpr std::array<Bucket, 5> kAllBuckets = {Bucket::s0_15, Bucket::s16_30, Bucket::s31_60, Bucket::s61_90,
                                                      Bucket::s91_120};

// "0-15s", "16-30s", "31-60s", "61-90s", "91-120s".
std::string_view bucket_name(Bucket b);
// Accepts the names above (and without the trailing 's'); nullopt when unknown.
std::optional<Bucket> parse_bucket(std::string_view name);
// Upper bound in seconds (15, 30, 60, 90, 120) and a human label ("15-second").
double bucket_max_seconds(Bucket b);
std::string bucket_human(Bucket b);

enum class DurationVerdict { ok, too_long, slideshow_or_no_duration };
// d <= 0 -> slideshow_or_no_duration; d > 120 -> too_long; otherwise ok with the bucket.
DurationVerdict classify_duration(double seconds, Bucket* out);

// Sample-size rules: < 20 no model, 20-29 exploratory, >= 30 full.
inline constexpr int kMinVideosForModel = 20;
inline constexpr int kMinVideosForFullAnalysis = 30;

}  // namespace rumi
