#include "cli/target.h"

#include "core/error.h"
#include "core/slug.h"
#include "store/workspace_store.h"

namespace rumi::cli {

Target open_target(const Context& ctx, std::string_view client, std::string_view hashtag) {
  Workspace ws = ctx.workspace();
  store::Database db = store::open_workspace(ws);
  const std::string client_slug = slugify(client, "client");
  const std::string hashtag_slug = slugify(hashtag, "hashtag");
  auto c = store::find_client(db, client_slug);
  if (!c) throw UsageError("unknown client '" + std::string(client) + "'; see 'rumi client list'");
  auto h = store::find_hashtag(db, c->id, hashtag_slug);
  if (!h)
    throw UsageError("client '" + c->name + "' has no hashtag '" + std::string(hashtag) + "'; see 'rumi hashtag list " +
                     c->slug + "'");
  config::AnalysisConfig cfg = config::analysis_config_from_json(
      parse_json(h->config_json, "rumi.db: hashtags.config_json of " + h->name), "stored config of " + h->name);
  return Target{std::move(ws), std::move(db), std::move(*c), std::move(*h), std::move(cfg)};
}

}  // namespace rumi::cli
