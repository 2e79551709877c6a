#pragma once
// The 7 RumiAI flows and the block-name prefixes the upstream runner uses, so every layout on
// disk (prefixed `_result`, generic `_ml`, wrapped `_complete`) reads into the same generic shape.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace rumi::features {

inline constexpr std::array<std::string_view, 7> kFlowNames = {
    "creative_density", "emotional_journey",       "person_framing",   "scene_pacing",
    "speech_analysis",  "visual_overlay_analysis", "metadata_analysis"};

// Era C (RumiAI from about Sep 2025) writes one temporal windows document per video instead of
// the 7 flows; the merged analysis stores it under this flow name (era_c.h, docs/contracts.md).
inline constexpr std::string_view kTemporalWindowsFlow = "temporal_windows";

inline constexpr std::array<std::string_view, 6> kBlockNames = {"CoreMetrics", "Dynamics", "Interactions",
                                                                "KeyEvents",   "Patterns", "Quality"};

// "creative_density" -> "density" (schema doc section 3); nullopt for unknown flows.
std::optional<std::string_view> flow_prefix(std::string_view flow);
bool is_flow_name(std::string_view flow);

// "densityCoreMetrics" (with prefix "density") -> "CoreMetrics"; also accepts a generic name.
// nullopt when the key is not one of the 6 blocks.
std::optional<std::string> generic_block_name(std::string_view key, std::string_view prefix);

}  // namespace rumi::features
