#include "report/llm_rewrite.h"

#include <cstdlib>
#include <curl/curl.h>
#include <memory>
#include <regex>

#include "core/json.h"

namespace rumi::report {

std::set<std::string> numbers_in(std::string_view text) {
  static const std::regex num(R"(\d+(?:\.\d+)?(?:e-?\d+)?)");
  std::set<std::string> out;
  const std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), num); it != std::sregex_iterator(); ++it) out.insert(it->str());
  return out;
}

bool numbers_preserved(std::string_view original, std::string_view rewrite) {
  const auto ok = numbers_in(original);
  for (const auto& n : numbers_in(rewrite))
    if (!ok.count(n)) return false;
  return true;
}

namespace {
struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};
size_t collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}
}  // namespace

LlmResult rewrite_with_anthropic(const std::string& text) {
  LlmResult r{text, false, {}};
  const char* key = std::getenv("ANTHROPIC_API_KEY");
  if (!key || !*key) {
    r.fallback_reason = "ANTHROPIC_API_KEY not set";
    return r;
  }
  const char* base = std::getenv("RUMI_ANTHROPIC_BASE_URL");
  const std::string url = std::string(base && *base ? base : "https://api.anthropic.com") + "/v1/messages";
  const Json body{{"model", "claude-3-5-haiku-latest"},
                  {"max_tokens", 2000},
                  {"messages",
                   {{{"role", "user"},
                     {"content", "Rewrite this creative brief so a TikTok creator enjoys reading it. Keep the "
                                 "Markdown structure and keep every number exactly as written; add no new "
                                 "numbers or claims.\n\n" +
                                     text}}}}};
  const std::string payload = body.dump();
  std::string response;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    r.fallback_reason = "curl init failed";
    return r;
  }
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  curl_slist* h = nullptr;
  h = curl_slist_append(h, "content-type: application/json");
  h = curl_slist_append(h, "anthropic-version: 2023-06-01");
  h = curl_slist_append(h, ("x-api-key: " + std::string(key)).c_str());
  headers.reset(h);
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, payload.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 60L);
  const CURLcode rc = curl_easy_perform(curl.get());
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (rc != CURLE_OK || status != 200) {
    r.fallback_reason = rc != CURLE_OK ? curl_easy_strerror(rc) : "HTTP " + std::to_string(status);
    return r;
  }
  try {
    const Json j = Json::parse(response);
    if (j.contains("usage") && j["usage"].is_object()) {
      r.input_tokens = j["usage"].value("input_tokens", 0L);
      r.output_tokens = j["usage"].value("output_tokens", 0L);
    }
    std::string out;
    for (const auto& block : j.at("content"))
      if (block.value("type", "") == "text") out += block.at("text").get<std::string>();
    if (out.empty()) {
      r.fallback_reason = "empty answer";
    } else if (!numbers_preserved(text, out)) {
      r.fallback_reason = "the rewrite changed or added numbers";
    } else {
      r.text = out;
      r.rewritten = true;
    }
  } catch (const std::exception& e) {
    r.fallback_reason = std::string("bad answer: ") + e.what();
  }
  return r;
}

}  // namespace rumi::report
