#pragma once
// A pool of feature vectors for calibrating the evidence engine (stats/calibration.h): the
// synthetic generator with its planted effects switched off, run through the real feature
// extractor, so the pool has the real schema's feature types, cross-feature correlations and
// missing-value patterns while ER depends on none of them.
#include <cstdint>
#include <filesystem>

#include <span>

#include "core/dataset.h"
#include "core/video.h"

namespace rumi::synth {

// Writes the synthetic analyses under `scratch` (created; the caller removes it) and returns
// one row per video in catalog column order, target = the generator's ER (pure noise).
Dataset null_feature_pool(int videos, std::uint64_t seed, const std::filesystem::path& scratch);

// Real videos (an Apify export) through rumi's native metadata analysis and the real feature
// extractor: one row per video with views > 0, target = its real ER. With
// CalibrationOptions::shuffle_pool_er the calibration permutes that ER, which keeps the real
// features' types, correlations and missing values and the real ER distribution, with every link
// between them broken.
Dataset metadata_feature_pool(std::span<const Video> videos);

}  // namespace rumi::synth
