#pragma once
// The live Apify path: start the TikTok actor for one hashtag, wait for a terminal status, page
// through its dataset. Returns the raw pages; the apify-json importer normalizes them, so live
// and file imports share one parser and one set of error rules.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acquire/http_client.h"
#include "config/analysis_config.h"

namespace rumi::acquire {

struct ApifyOptions {
  std::string base_url = "https://api.apify.com";
  std::string token;
  std::string actor = "clockworks/tiktok-scraper";
  std::int64_t max_items = 800;
  std::int64_t page_limit = 1000;
  double poll_interval_s = 5.0;
  double overall_timeout_s = 3600.0;
  RetryPolicy retry;
  std::uint64_t seed = 42;
};

// Defaults + config (actor, max_items) + environment: APIFY_TOKEN (UsageError when unset) and
// RUMI_APIFY_BASE_URL (tests point it at a local fake server).
ApifyOptions apify_options_from_env(const config::AnalysisConfig& cfg);

struct ApifyFetch {
  std::string run_id, dataset_id;
  std::vector<std::string> pages;  // JSON array text per non-empty page
  std::size_t item_count = 0;
  // What the run cost, from the finished run object (usageTotalUsd, stats.computeUnits); absent
  // when Apify does not report it.
  std::optional<double> usage_usd, compute_units;
};

// Throws UsageError without a token, Error when the run ends FAILED / TIMED-OUT / ABORTED or
// retries/timeouts run out, InputError when a response is not the JSON Apify documents.
ApifyFetch fetch_hashtag(const ApifyOptions& opts, std::string_view hashtag);

// The same actor on given video URLs (its postURLs input), for re-measuring known videos (the
// validation loop's test and control videos). Same errors as fetch_hashtag.
ApifyFetch fetch_post_urls(const ApifyOptions& opts, const std::vector<std::string>& urls);

// "clockworks/tiktok-scraper" -> "clockworks~tiktok-scraper" (Apify's URL form).
std::string actor_path_id(std::string_view actor);

}  // namespace rumi::acquire
