#pragma once
// RumiAI era C, "temporal windows" (schema doc ../shared/spec/rumiai-output-schema.md section 8;
// docs/features.md "Era C"): one `<id>_temporal_windows*.json` per video instead of the 7 era-B
// flows. It holds the same ~45 flat measurements for the first 3 seconds (hook), 3-5 equal
// middle segments and the last 3 seconds (closing). This file validates such a document and maps
// it onto the `windows.` feature columns, which are appended to the era-B catalog: an era-B
// analysis leaves them NaN and an era-C analysis leaves the era-B columns NaN, so a bucket must
// hold one era only (bucket_dataset.cc refuses a mix).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/feature_info.h"
#include "core/json.h"

namespace rumi::features {

// Checks the structure (not the values) of an era-C document read from `file`: an object with a
// `temporal_windows` object whose `hook` / `closing` are objects or null and `middle_segments`
// an array of objects; `duration`, when present, a positive number. Throws InputError naming the
// file, the record (e.g. "temporal_windows.middle_segments[2]") and the field.
void validate_temporal_windows(const Json& doc, std::string_view file);
// The same checks on either JSON representation (json_node.h: JsonNode or SimdNode), so the
// simdjson hot path refuses exactly the documents the nlohmann path refuses.
template <class Node>
void validate_temporal_windows_node(const Node& doc, std::string_view file);

// "2025-06-14T06:25:43+00:00", "...Z", "... 06:25:43" (taken as UTC) or a Unix time in seconds
// -> Unix seconds UTC; false for anything else.
bool parse_create_time(std::string_view text, double* unix_seconds);

// The era-C columns in catalog order (name, source, kind, phrase, one-hot group).
const std::vector<FeatureInfo>& temporal_window_features();

// Writes temporal_window_features().size() values for one video. `doc` is the era-C document (an
// empty node for an era-B analysis: everything NaN except `video.flow_present:temporal_windows`
// = 0). Node is JsonNode or SimdNode (json_node.h); both give identical values.
template <class Node>
void fill_temporal_window_features(const Node& doc, double* out, std::vector<std::string>* warnings);

}  // namespace rumi::features
