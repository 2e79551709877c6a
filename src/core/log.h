#pragma once
// Logging goes to stderr (level from -q/-v) and, when a run is active, to runs/<run-id>/log.txt.
// Secrets are never passed to the logger; redact_secrets() is a last line of defence for text
// that might contain an environment token (e.g. a URL with ?token=).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace rumi {

// verbosity: -1 quiet (errors only), 0 normal (info), 1 debug, 2 trace.
void setup_logging(int verbosity);
void add_log_file(const std::filesystem::path& file);
std::string redact_secrets(std::string_view text);

}  // namespace rumi
