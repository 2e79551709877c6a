#pragma once
// The actionable sentence for a pattern, e.g. "0-15s #nutrition videos with text on screen
// in the first 3 seconds got 34 % more engagement (STRONG, 82 videos)". Built from the
// catalog's human phrase; raw feature names never reach human text.
#include <string>
#include <string_view>

#include "core/bucket.h"
#include "core/feature_info.h"
#include "core/pattern.h"

namespace rumi::insights {

std::string pattern_phrase(const Pattern& p, const FeatureInfo& info, Bucket b, std::string_view hashtag);

// The catalog phrase, or a readable fallback ("hook text 3s") when the catalog has none.
std::string feature_words(const FeatureInfo& info);

}  // namespace rumi::insights
