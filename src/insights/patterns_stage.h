#pragma once
// The patterns stage as the pipeline and CLI run it: stats::find_patterns_for_hashtag with
// every pattern's sentence written by pattern_phrase (stats cannot depend on insights).
//
// Buckets are independent (own features.csv, own RNG streams "patterns/<bucket>/...", own
// patterns_<b>.json), so they run on `threads` threads; each job fills only its own slot and the
// summary is assembled in bucket order, so files and summary are identical for any thread count.
// When buckets fail, the first failing bucket in bucket order is the error reported.
#include <filesystem>
#include <span>
#include <string>

#include "core/feature_info.h"
#include "stats/patterns_file.h"

namespace rumi::insights {

inline constexpr int kDefaultPatternThreads = 2;

// hashtag: as shown to people ("#nutrition" or "nutrition"); empty uses the folder name.
stats::PatternsSummary run_patterns_stage(const std::filesystem::path& hashtag_dir,
                                          std::span<const FeatureInfo> catalog_info, stats::PatternOptions opt,
                                          std::string hashtag = {}, int threads = kDefaultPatternThreads);

}  // namespace rumi::insights
