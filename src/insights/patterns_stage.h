#pragma once
// The patterns stage as the pipeline and CLI run it: stats::find_patterns_for_hashtag with
// every pattern's sentence written by pattern_phrase (stats cannot depend on insights).
#include <filesystem>
#include <span>
#include <string>

#include "core/feature_info.h"
#include "stats/patterns_file.h"

namespace rumi::insights {

// hashtag: as shown to people ("#nutrition" or "nutrition"); empty uses the folder name.
stats::PatternsSummary run_patterns_stage(const std::filesystem::path& hashtag_dir,
                                          std::span<const FeatureInfo> catalog_info, stats::PatternOptions opt,
                                          std::string hashtag = {});

}  // namespace rumi::insights
