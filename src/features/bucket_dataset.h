#pragma once
// The features stage: turns the merged analyses of the selected videos of one bucket into the
// training matrix (in memory for train, bucket_<b>/features.csv on disk).
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/bucket.h"
#include "core/dataset.h"
#include "core/json.h"

namespace rumi::features {

// Rows follow the selection order of `selection.buckets[<b>].selected`; weight and er come from
// the selection. Videos without `bucket_<b>/videos/<id>_analysis.json` are skipped (the analyze
// stage records why). Files are parsed on up to 2 threads; the result does not depend on it.
// Throws InputError for an unreadable analysis file or a malformed selection, and when the
// bucket's analyses come from both RumiAI eras (era B flows and era C temporal windows share no
// feature column; docs/features.md "Mixing eras").
Dataset build_bucket_dataset(const std::filesystem::path& hashtag_dir, Bucket b, const Json& selection);

struct BucketFeaturesSummary {
  Bucket bucket;
  std::size_t selected = 0;
  std::size_t rows = 0;  // videos with an analysis
  std::filesystem::path file;
};

// Reads acquisition/selection.json and writes bucket_<b>/features.csv (atomically) for every
// bucket that has at least one analysis. Returns one entry per bucket written.
std::vector<BucketFeaturesSummary> write_features(const std::filesystem::path& hashtag_dir);

}  // namespace rumi::features
