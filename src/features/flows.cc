#include "features/flows.h"

#include <algorithm>

namespace rumi::features {

namespace {
constexpr std::array<std::string_view, 7> kPrefixes = {"density", "emotional",     "personFraming", "scenePacing",
                                                       "speech",  "visualOverlay", "metadata"};
}

std::optional<std::string_view> flow_prefix(std::string_view flow) {
  for (std::size_t i = 0; i < kFlowNames.size(); ++i)
    if (kFlowNames[i] == flow) return kPrefixes[i];
  return std::nullopt;
}

bool is_flow_name(std::string_view flow) { return flow_prefix(flow).has_value(); }

std::optional<std::string> generic_block_name(std::string_view key, std::string_view prefix) {
  auto is_block = [](std::string_view k) {
    return std::find(kBlockNames.begin(), kBlockNames.end(), k) != kBlockNames.end();
  };
  if (is_block(key)) return std::string(key);
  if (!prefix.empty() && key.size() > prefix.size() && key.substr(0, prefix.size()) == prefix) {
    std::string rest(key.substr(prefix.size()));
    if (!rest.empty() && rest[0] >= 'a' && rest[0] <= 'z') rest[0] = static_cast<char>(rest[0] - 'a' + 'A');
    if (is_block(rest)) return rest;
  }
  return std::nullopt;
}

}  // namespace rumi::features
