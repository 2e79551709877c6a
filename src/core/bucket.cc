#include "core/bucket.h"

#include "core/enum_names.h"

namespace rumi {

constexpr EnumName<Bucket> kBucketNames[] = {{Bucket::s0_15, "0-15s"},
                                             {Bucket::s16_30, "16-30s"},
                                             {Bucket::s31_60, "31-60s"},
                                             {Bucket::s61_90, "61-90s"},
                                             {Bucket::s91_120, "91-120s"}};

std::string_view bucket_name(Bucket b) { return name_of(kBucketNames, b); }

std::optional<Bucket> parse_bucket(std::string_view name) {
  for (Bucket b : kAllBuckets) {
    std::string_view full = bucket_name(b);
    if (name == full || name == full.substr(0, full.size() - 1)) return b;
  }
  return std::nullopt;
}

double bucket_max_seconds(Bucket b) {
  static constexpr std::array<double, 5> kMax = {15, 30, 60, 90, 120};
  return kMax[static_cast<int>(b)];
}

std::string bucket_human(Bucket b) {
  static constexpr std::array<const char*, 5> kHuman = {"up to 15-second", "16-30-second", "31-60-second",
                                                        "61-90-second", "91-120-second"};
  return kHuman[static_cast<int>(b)];
}

DurationVerdict classify_duration(double seconds, Bucket* out) {
  if (!(seconds > 0)) return DurationVerdict::slideshow_or_no_duration;
  if (seconds > 120) return DurationVerdict::too_long;
  Bucket b = Bucket::s91_120;
  if (seconds <= 15)
    b = Bucket::s0_15;
  else if (seconds <= 30)
    b = Bucket::s16_30;
  else if (seconds <= 60)
    b = Bucket::s31_60;
  else if (seconds <= 90)
    b = Bucket::s61_90;
  if (out) *out = b;
  return DurationVerdict::ok;
}

}  // namespace rumi
