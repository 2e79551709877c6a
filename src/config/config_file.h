#pragma once
// The YAML configuration file (spec Appendix B): clients, their industry and hashtags, each with
// an analysis_config. Loading validates everything and reports the file, line and field of the
// first error; unknown keys are warnings (with their line) so typos do not pass silently.
#include <filesystem>
#include <string>
#include <vector>

#include "config/analysis_config.h"

namespace rumi::config {

struct HashtagSpec {
  std::string name;  // "#nutrition"
  std::string slug;  // "nutrition"
  std::string url;
  AnalysisConfig analysis;
};

struct ClientSpec {
  std::string name, slug, industry;
  std::vector<HashtagSpec> hashtags;
};

struct ConfigFile {
  std::filesystem::path path;
  std::vector<ClientSpec> clients;
  std::vector<std::string> warnings;  // "config.yaml:7: unknown key 'videos_per_segmnt' (ignored)"
};

// Throws InputError (exit 2) naming file, line and field.
ConfigFile load_config_file(const std::filesystem::path& path);
ConfigFile parse_config_text(std::string_view yaml_text, const std::filesystem::path& path_for_errors);

}  // namespace rumi::config
