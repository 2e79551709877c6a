#pragma once
// One acquisition: read the inputs (files and/or a live Apify run), normalize and dedupe, select
// per bucket, then store everything at once: raw JSONL (private + public copy), videos,
// acquisition and selection rows in one transaction, and acquisition/selection.json. Any bad
// input throws before the first write, so a failed acquire leaves the workspace as it was.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "acquire/apify_client.h"
#include "acquire/importers.h"
#include "acquire/selection.h"
#include "config/analysis_config.h"
#include "core/workspace.h"
#include "store/clients.h"
#include "store/database.h"

namespace rumi::acquire {

struct AcquireRequest {
  const Workspace& workspace;
  store::Database& db;
  const store::ClientRow& client;
  const store::HashtagRow& hashtag;
  const config::AnalysisConfig& config;
  std::vector<std::filesystem::path> imports;
  ImportOptions import_options;  // format override, line cap
  bool apify = false;
  std::optional<ApifyOptions> apify_options;  // nullopt: apify_options_from_env(config)
  std::int64_t now = 0;                       // unix seconds; stamps the run id and fetched times
  std::uint64_t seed = kDefaultSeed;          // the contrast design's random half (--seed)
};

struct AcquireResult {
  std::string run_id;
  std::size_t records_read = 0;
  std::size_t duplicates = 0;
  std::vector<std::string> conflicting_ids;  // duplicates whose stats disagreed (newest kept)
  std::vector<Video> videos;                 // unique, sorted by id
  SelectionResult selection;
  Json selection_json;
  std::filesystem::path selection_path, raw_path, public_raw_path;
  std::int64_t selection_id = 0;
  // The live Apify run, when there was one, and what it cost (absent when Apify did not say).
  std::string apify_run_id;
  std::optional<double> apify_usage_usd, apify_compute_units;
};

AcquireResult acquire(const AcquireRequest& req);

}  // namespace rumi::acquire
