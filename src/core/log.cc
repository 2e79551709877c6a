#include "core/log.h"

#include <cstdlib>

#include "core/redact.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace rumi {

void setup_logging(int verbosity) {
  auto logger = std::make_shared<spdlog::logger>("rumi", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("%^%l%$: %v");
  spdlog::level::level_enum level = spdlog::level::info;
  if (verbosity < 0) level = spdlog::level::err;
  if (verbosity == 1) level = spdlog::level::debug;
  if (verbosity >= 2) level = spdlog::level::trace;
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

void add_log_file(const std::filesystem::path& file) {
  auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string(), false);
  sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l: %v");
  sink->set_level(spdlog::level::debug);
  spdlog::default_logger()->sinks().push_back(sink);
  spdlog::default_logger()->set_level(std::min(spdlog::default_logger()->level(), spdlog::level::debug));
  for (auto& s : spdlog::default_logger()->sinks())
    if (s != sink && s->level() == spdlog::level::trace) s->set_level(spdlog::default_logger()->level());
}

std::string redact_secrets(std::string_view text) {
  // Signed links (token=, X-Amz-Signature=, x-signature=) first, then the environment's tokens.
  std::string out = redact_urls(text);
  for (const char* var : {"APIFY_TOKEN", "ANTHROPIC_API_KEY"}) {
    const char* v = std::getenv(var);
    if (!v || std::string_view(v).size() < 4) continue;
    std::string secret(v);
    for (std::size_t pos; (pos = out.find(secret)) != std::string::npos;) out.replace(pos, secret.size(), "***");
  }
  return out;
}

}  // namespace rumi
