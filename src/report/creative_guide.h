#pragma once
// The per-bucket creative guide: what works in "up to 15-second #nutrition videos"
// specifically, a hook / body / CTA structure placed from the temporal patterns, what to avoid,
// and the decision tree's rules. Honest when a bucket is too small or nothing is significant.
#include <string>

#include "core/json.h"
#include "report/report_inputs.h"

namespace rumi::report {

struct GuideSection {
  std::string name;  // hook / body / cta
  double from_s = 0, to_s = 0;
  std::vector<std::string> elements;  // sentences
};

// Hook = first 3 seconds (the catalog's hook window), CTA = last third, body in between.
std::vector<GuideSection> recommended_structure(const BucketInputs& b);

struct CreativeGuide {
  Json json;
  std::string markdown;
};

CreativeGuide build_creative_guide(const BucketInputs& b, std::string_view hashtag);

}  // namespace rumi::report
