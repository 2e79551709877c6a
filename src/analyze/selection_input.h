#pragma once
// What analyze needs from acquisition/selection.json (docs/contracts.md): the selected videos in
// a fixed order (bucket order, then the selection's rank order), so a resumed run visits them in
// the same sequence. The file's hash pins a run to the selection it started from.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/bucket.h"

namespace rumi::analyze {

struct SelectedVideo {
  Bucket bucket = Bucket::s0_15;
  std::string video_id;
  std::string url;
};

struct SelectionInput {
  std::vector<SelectedVideo> videos;
  std::vector<Bucket> buckets;  // every bucket the selection lists, even with 0 selected
  std::string sha256;           // of the file's bytes
};

// Throws InputError (file, record, field) for a malformed file; UsageError when it is missing.
SelectionInput read_selection_input(const std::filesystem::path& file);

// Video ids become file names and argv values: 1..64 of [A-Za-z0-9_-]. Anything else is refused
// per video (recorded as a failure), never passed to the analyzer.
bool is_safe_video_id(std::string_view id);

}  // namespace rumi::analyze
