// The YAML configuration file (clients, hashtags, analysis_config).
#include <filesystem>

#include "config/config_file.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rumi::fuzz::run_one([&] {
    (void)rumi::config::parse_config_text(rumi::fuzz::as_text(data, size), std::filesystem::path("fuzz.yaml"));
  });
}
