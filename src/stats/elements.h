#pragma once
// Creative elements: the unit the evidence engine tests and the reports speak of. Many feature
// columns measure one thing twice (a flow's avgDensity and the mean of its density curve; a
// time in seconds and the same time as a share of the video), so testing columns one by one
// inflates the correction family and makes reports repeat themselves. Columns are grouped
// without looking at ER:
//
//   1. Columns that describe the analysis rather than the video (analyzer confidence, flow
//      availability; listed by the catalog) are not creative elements and are not tested.
//      A column is testable when it has >= kMinVideosForModel values and at least
//      kMinGroupSize videos away from its most common value (for a flag: >= 5 with and >= 5
//      without). Others are listed as untested with the reason; a rule that ignores ER keeps
//      the p-values valid.
//   2. Known duplicates (the same quantity under two names, listed by the feature catalog)
//      start in one group.
//   3. Average-linkage agglomeration on |Spearman| between columns (ranks over each column's
//      values, Pearson over rows where both are present): two groups merge while the average
//      |rho| over all their column pairs is >= min_abs_rho (0.8). Average linkage rather than
//      single linkage, so a chain a~b~c does not glue unrelated a and c together.
//   4. The representative, whose values are tested, is chosen without ER: catalog priority
//      (direct measurements, then derived values, then timeline summaries), then fewest missing
//      values, then catalog order.
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/dataset.h"
#include "core/feature_info.h"

namespace rumi::stats {

inline constexpr std::size_t kMinGroupSize = 5;

struct Element {
  std::size_t representative = 0;    // column index into the dataset
  std::vector<std::size_t> columns;  // every member (representative included), catalog order
};

struct UntestedColumn {
  std::size_t column = 0;
  std::string reason;  // not_a_creative_element | too_few_values | no_variation
};

struct ElementOptions {
  double min_abs_rho = 0.8;
  // Pairs of column names that measure the same quantity (feature catalog); unknown names are
  // ignored so an older dataset still groups.
  std::vector<std::pair<std::string, std::string>> known_duplicates;
  // Columns that describe the analysis, not the video (feature catalog): never tested.
  std::vector<std::string> not_creative;
};

struct ElementSet {
  std::vector<Element> elements;         // ordered by representative column
  std::vector<UntestedColumn> untested;  // column order
};

// `info[c]` describes column c of `d` (same length as d.cols()).
ElementSet group_elements(const Dataset& d, std::span<const FeatureInfo> info, const ElementOptions& opt);

// Whether a kind is a presence indicator (0/1): tested as ER with vs without.
bool is_presence_kind(FeatureKind k);

// Average ranks of the finite values of `v`; NaN where v is NaN.
std::vector<double> ranks_with_missing(std::span<const double> v);

}  // namespace rumi::stats
