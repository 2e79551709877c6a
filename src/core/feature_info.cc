#include "core/feature_info.h"

namespace rumi {

std::string_view feature_kind_name(FeatureKind k) {
  switch (k) {
    case FeatureKind::numeric: return "numeric";
    case FeatureKind::flag: return "flag";
    case FeatureKind::onehot: return "onehot";
    case FeatureKind::temporal: return "temporal";
    case FeatureKind::derived: return "derived";
  }
  return "?";
}

}  // namespace rumi
