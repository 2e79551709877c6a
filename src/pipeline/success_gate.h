#pragma once
// The analysis success gate (seed section 3.2, step 3: at least 80 % of a bucket's selected
// videos must be analysed before its results mean anything). `rumi analyze` reports it; `rumi
// run` and `rumi train` enforce it here, on the analyses stored for the hashtag, so a bucket most
// of whose videos failed is never trained on, whichever command comes next. The threshold is the
// hashtag's `success_gate` unless `--min-success` overrides it; either way it is recorded.
#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"

namespace rumi::pipeline {

struct GateBucket {
  std::string bucket;
  int selected = 0;
  int analysed = 0;  // selected videos with bucket_<b>/videos/<id>_analysis.json
  bool passed = true;
};

struct GateCheck {
  double min_success = 0.8;
  std::string source;    // "config success_gate" | "--min-success"
  bool checked = false;  // false when there is no selection to check against
  bool passed = true;
  std::string note;  // why it was not checked
  std::vector<GateBucket> buckets;

  // {"min_success", "source", "checked", "passed", "note", "buckets": [{bucket, selected, analysed, share, passed}]}
  Json to_json() const;
  // "#tag: bucket 0-15s: only 10 of 30 selected videos (33 %) are analysed, below the required 80 % ..."
  std::string failure_message(const std::string& hashtag, const std::string& command) const;
};

// Reads hashtag_dir/acquisition/selection.json and counts, per bucket, the selected videos whose
// analysis file exists. A bucket with nothing selected passes. No selection.json: not checked
// (passed, with a note), e.g. features.csv written by hand. A malformed selection throws
// InputError (file, record, field). min_success outside [0, 1] is a UsageError.
GateCheck check_success_gate(const std::filesystem::path& hashtag_dir, double min_success, std::string source);

}  // namespace rumi::pipeline
