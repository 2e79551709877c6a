#pragma once
// The fixed, versioned feature schema: one numeric vector per video, same names in the same
// order for every video, so models trained on one run can score the next. Models record
// `version` and `sha256` and refuse a mismatch.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/feature_info.h"
#include "features/analysis_reader.h"

namespace rumi::features {

// 2: the era-C temporal windows columns (`windows.*`, era_c.h) appended after the era-B ones.
inline constexpr std::string_view kFeatureSchemaVersion = "rumi-features-2";

struct FeatureCatalog {
  std::string version;
  std::string sha256;  // of the feature names joined with '\n'
  std::vector<FeatureInfo> features;
  std::size_t size() const { return features.size(); }
  std::vector<std::string> names() const;
  std::optional<std::size_t> index_of(std::string_view name) const;
};

const FeatureCatalog& feature_catalog();

// How reports say a column: its catalog entry, or for a name the catalog does not know (an
// older dataset, a test fixture) the default wording of its kind from the humanised source key,
// marked not for creators. Never the raw name.
FeatureInfo describe_column(std::string_view name, std::string_view source, FeatureKind kind);

// Pairs of columns that carry the same quantity under two names (a flow's summary and the same
// statistic of its curve; a rate per second and per minute; a count and the length of the list
// it counts). The evidence engine groups each pair into one creative element whatever the data
// say, so a report never lists one thing twice (stats/elements.h).
const std::vector<std::pair<std::string, std::string>>& known_duplicate_columns();

// Columns that describe the analysis rather than the video: whether a flow was produced
// (video.flow_present:*) and the analyzer's own Quality block (confidence, completeness,
// reliability, coverage), except metadata_analysis's, whose Quality flags (a caption, a link)
// are things a creator chooses. They are never tested as creative elements: a creator cannot
// film "higher detection confidence", and testing them only enlarges the correction family.
std::vector<std::string> non_creative_columns();

// The feature vector of one video, catalog order, exactly feature_catalog().size() values.
// A missing flow or key gives NaN (never 0: "not measured" differs from "none"), except the
// flow_present.* flags and the duration. `duration_s` is the video duration from the selection
// (the timelines are normalised by it); NaN/<=0 falls back to metadata videoDuration.
// Unknown enum values count in the group's `other` column and add a warning.
std::vector<double> extract_features(const LoadedAnalysis& a, double duration_s,
                                     std::vector<std::string>* warnings = nullptr);
void extract_features_into(const LoadedAnalysis& a, double duration_s, std::span<double> out,
                           std::vector<std::string>* warnings = nullptr);

}  // namespace rumi::features
