#pragma once
// A pool of feature vectors for calibrating the evidence engine (stats/calibration.h): the
// synthetic generator with its planted effects switched off, run through the real feature
// extractor, so the pool has the real schema's feature types, cross-feature correlations and
// missing-value patterns while ER depends on none of them.
#include <cstdint>
#include <filesystem>

#include "core/dataset.h"

namespace rumi::synth {

// Writes the synthetic analyses under `scratch` (created; the caller removes it) and returns
// one row per video in catalog column order, target = the generator's ER (pure noise).
Dataset null_feature_pool(int videos, std::uint64_t seed, const std::filesystem::path& scratch);

}  // namespace rumi::synth
