#include "acquire/apify_client.h"

#include <simdjson.h>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/error.h"
#include "core/json.h"
#include "core/log.h"

namespace rumi::acquire {

std::string actor_path_id(std::string_view actor) {
  std::string s(actor);
  for (char& c : s)
    if (c == '/') c = '~';
  return s;
}

ApifyOptions apify_options_from_env(const config::AnalysisConfig& cfg) {
  ApifyOptions o;
  o.actor = cfg.apify_actor;
  o.max_items = cfg.max_items;
  if (const char* base = std::getenv("RUMI_APIFY_BASE_URL"); base && *base) o.base_url = base;
  if (const char* token = std::getenv("APIFY_TOKEN"); token && *token) o.token = token;
  return o;
}

namespace {

Json parse_response(const HttpResponse& r, std::string_view what) {
  try {
    return Json::parse(r.body);
  } catch (const Json::parse_error& e) {
    throw InputError("Apify response to " + std::string(what), "body", "(json)",
                     std::string("invalid JSON (") + e.what() + ")");
  }
}

std::string data_string(const Json& j, std::string_view key, std::string_view what) {
  if (!j.is_object() || !j.contains("data") || !j["data"].is_object() || !j["data"].contains(key) ||
      !j["data"][std::string(key)].is_string())
    throw InputError("Apify response to " + std::string(what), "data", key, "missing");
  return j["data"][std::string(key)].get<std::string>();
}

void require_ok(const HttpResponse& r, std::string_view what) {
  if (r.status == 401 || r.status == 403)
    throw UsageError("Apify refused " + std::string(what) + " (HTTP " + std::to_string(r.status) +
                     "): check APIFY_TOKEN");
  if (r.status < 200 || r.status >= 300)
    throw Error("Apify " + std::string(what) + " failed: HTTP " + std::to_string(r.status));
}

std::optional<double> number_at(const Json& run, std::initializer_list<const char*> path) {
  const Json* j = &run;
  for (const char* k : path) {
    if (!j->is_object() || !j->contains(k)) return std::nullopt;
    j = &(*j)[k];
  }
  if (!j->is_number()) return std::nullopt;
  return j->get<double>();
}

// Starts the actor with `input`, waits for a terminal status and pages through its dataset.
ApifyFetch run_actor(const ApifyOptions& o, const Json& input, const std::string& label) {
  if (o.token.empty()) throw UsageError("APIFY_TOKEN is not set; export your Apify API token to use --apify");
  const std::int64_t deadline = steady_now_ms() + static_cast<std::int64_t>(o.overall_timeout_s * 1000);
  HttpClient http(o.token, o.retry, o.seed, deadline);
  ApifyFetch out;
  std::string start_url = o.base_url + "/v2/acts/" + actor_path_id(o.actor) + "/runs";
  HttpResponse started = http.request("POST", start_url, input.dump());
  require_ok(started, "start of actor " + o.actor);
  Json run = parse_response(started, "start of actor " + o.actor);
  out.run_id = data_string(run, "id", "run start");
  spdlog::info("Apify run {} started for {}", out.run_id, label);

  while (true) {
    std::string status = data_string(run, "status", "run status");
    if (status == "SUCCEEDED") break;
    if (status == "FAILED" || status == "TIMED-OUT" || status == "ABORTED")
      throw Error("Apify run " + out.run_id + " for " + label + " ended with status " + status +
                  "; see the run log in the Apify console");
    if (steady_now_ms() + static_cast<std::int64_t>(o.poll_interval_s * 1000) > deadline)
      throw Error("Apify run " + out.run_id + " still " + status + " at the overall timeout");
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<std::int64_t>(o.poll_interval_s * 1000)));
    HttpResponse polled = http.request("GET", o.base_url + "/v2/actor-runs/" + out.run_id);
    require_ok(polled, "status of run " + out.run_id);
    run = parse_response(polled, "status of run " + out.run_id);
  }
  out.usage_usd = number_at(run, {"data", "usageTotalUsd"});
  out.compute_units = number_at(run, {"data", "stats", "computeUnits"});
  out.dataset_id = data_string(run, "defaultDatasetId", "run status");

  simdjson::dom::parser parser;
  for (std::int64_t offset = 0; offset < o.max_items;) {
    std::int64_t limit = std::min(o.page_limit, o.max_items - offset);
    std::string url = o.base_url + "/v2/datasets/" + out.dataset_id + "/items?offset=" + std::to_string(offset) +
                      "&limit=" + std::to_string(limit) + "&clean=true&format=json";
    HttpResponse page = http.request("GET", url);
    require_ok(page, "dataset " + out.dataset_id + " items");
    simdjson::dom::array items;
    auto err = parser.parse(page.body).get(items);
    if (err)
      throw InputError("Apify dataset " + out.dataset_id, "offset " + std::to_string(offset), "(json)",
                       std::string("not a JSON array: ") + simdjson::error_message(err));
    std::size_t n = items.size();
    if (n == 0) break;
    out.item_count += n;
    out.pages.push_back(std::move(page.body));
    offset += static_cast<std::int64_t>(n);
    if (static_cast<std::int64_t>(n) < limit) break;
  }
  spdlog::info("Apify run {}: {} items", out.run_id, out.item_count);
  return out;
}

}  // namespace

ApifyFetch fetch_hashtag(const ApifyOptions& o, std::string_view hashtag) {
  std::string tag(hashtag);
  if (!tag.empty() && tag[0] == '#') tag.erase(0, 1);
  const Json input = {{"hashtags", Json::array({tag})},
                      {"resultsPerPage", o.max_items},
                      {"shouldDownloadVideos", false},
                      {"shouldDownloadCovers", false},
                      {"shouldDownloadSubtitles", false}};
  return run_actor(o, input, "#" + tag);
}

ApifyFetch fetch_post_urls(const ApifyOptions& opts, const std::vector<std::string>& urls) {
  if (urls.empty()) throw UsageError("no video URLs to measure");
  ApifyOptions o = opts;
  o.max_items = static_cast<std::int64_t>(urls.size());
  const Json input = {{"postURLs", urls},
                      {"resultsPerPage", 1},
                      {"shouldDownloadVideos", false},
                      {"shouldDownloadCovers", false},
                      {"shouldDownloadSubtitles", false}};
  return run_actor(o, input, std::to_string(urls.size()) + " video URL(s)");
}

}  // namespace rumi::acquire
