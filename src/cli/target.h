#pragma once
// Resolving "CLIENT HASHTAG" arguments: every per-hashtag command starts here. It opens the
// workspace, finds the client (by name or slug) and the hashtag within that client only, and
// loads the hashtag's analysis config. Unknown names are a UsageError (exit 2).
#include <filesystem>
#include <string_view>

#include "cli/cli.h"
#include "config/analysis_config.h"
#include "store/clients.h"
#include "store/database.h"

namespace rumi::cli {

struct Target {
  Workspace workspace;
  store::Database db;
  store::ClientRow client;
  store::HashtagRow hashtag;
  config::AnalysisConfig analysis;

  std::filesystem::path dir() const { return workspace.hashtag_dir(client.slug, hashtag.slug); }
};

Target open_target(const Context& ctx, std::string_view client, std::string_view hashtag);

}  // namespace rumi::cli
