#include "core/video.h"

namespace rumi {

std::optional<double> engagement_rate(const Video& v) {
  if (v.views <= 0) return std::nullopt;
  return static_cast<double>(v.likes + v.comments + v.shares) / static_cast<double>(v.views) * 100.0;
}

}  // namespace rumi
