#pragma once
// The feature schema run on simdjson DOM values (the hot path of fast_extract.h). `flows` holds
// each flow's block object in kFlowNames order, an empty node for a missing flow; `windows` the
// era-C temporal windows document (empty for era B). Gives exactly the values
// extract_features_into(LoadedAnalysis...) gives for the same document.
#include <array>
#include <span>
#include <string>
#include <vector>

#include "features/json_node.h"

namespace rumi::features {

void extract_features_into(const std::array<SimdNode, 7>& flows, SimdNode windows, double duration_s,
                           std::span<double> out, std::vector<std::string>* warnings = nullptr);

}  // namespace rumi::features
