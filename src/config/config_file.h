#pragma once
// The configuration file, YAML or JSON (JSON is read as YAML flow syntax, so both report lines).
// Two shapes are accepted, both from the seed:
//  * Appendix B: `clients:` [{name, industry, hashtags: [{name, url, analysis_config: {...}}]}];
//  * section 3.2: `{mode: ml_training, client: {name, is_new, industry}, hashtags: [...]}` with
//    `videos_per_segment`, `date_filter` and `segments` directly on each hashtag.
// The section 3.2 hashtag keys are accepted in the Appendix B shape too; giving one both on the
// hashtag and in its analysis_config is an error (which would win is not obvious). Each client
// (and each hashtag, overriding its client) may carry `brief:`, the brand inputs of the creator
// briefs (config/brand.h). Loading validates everything and reports the file, line and field of
// the first error; an unknown key is an error too, so a typo or a setting rumi does not
// implement never passes silently.
#include <filesystem>
#include <string>
#include <vector>

#include "config/analysis_config.h"
#include "config/brand.h"

namespace rumi::config {

struct HashtagSpec {
  std::string name;  // "#nutrition"
  std::string slug;  // "nutrition"
  std::string url;
  AnalysisConfig analysis;
  BrandInputs brief;  // only what this hashtag overrides; merge_brand(client.brief, brief) is what applies
};

struct ClientSpec {
  std::string name, slug, industry;
  BrandInputs brief;
  std::vector<HashtagSpec> hashtags;
};

struct ConfigFile {
  std::filesystem::path path;
  std::vector<ClientSpec> clients;
  // Notes for the user that do not stop the load (none today: unknown keys are errors). Kept so
  // callers that print warnings need no change when one is added.
  std::vector<std::string> warnings;
};

// Throws InputError (exit 2) naming file, line and field.
ConfigFile load_config_file(const std::filesystem::path& path);
ConfigFile parse_config_text(std::string_view yaml_text, const std::filesystem::path& path_for_errors);

}  // namespace rumi::config
