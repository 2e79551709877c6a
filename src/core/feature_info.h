#pragma once
// What downstream stages (stats, insights, reports) need to know about a feature without
// depending on the feature extractor: its kind, where it comes from, and how to say it in words.
#include <string>
#include <vector>

namespace rumi {

enum class FeatureKind { numeric, flag, onehot, temporal, derived };
std::string_view feature_kind_name(FeatureKind k);

struct FeatureInfo {
  std::string name;     // stable catalog name, e.g. "overlay.hook_text_3s"
  std::string source;   // flow.Block.key path into the RumiAI output
  FeatureKind kind = FeatureKind::numeric;
  std::string phrase;   // human phrase template, e.g. "text on screen in the first 3 seconds"
  std::string group;    // one-hot group (the enum's source key) for chi-square tests; empty otherwise
};

}  // namespace rumi
