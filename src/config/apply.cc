#include "config/apply.h"

#include "store/clients.h"

namespace rumi::config {

ApplyResult apply_config(store::Database& db, const ConfigFile& cfg) {
  ApplyResult result;
  const std::string source = "config apply " + cfg.path.filename().string();
  db.transaction([&] {
    for (const ClientSpec& c : cfg.clients) {
      auto before = store::find_client(db, c.slug);
      auto [client, client_changed] = store::upsert_client(db, c.slug, c.name, c.industry);
      if (client_changed) {
        std::string msg = before ? "updated client '" + c.name + "' (industry '" + before->industry + "' -> '" +
                                       c.industry + "')"
                                 : "created client '" + c.name + "'";
        (before ? result.clients_updated : result.clients_created)++;
        store::record_config_change(db, client.id, source, msg);
        result.changes.push_back(msg);
      } else {
        result.unchanged++;
      }
      for (const HashtagSpec& h : c.hashtags) {
        auto old = store::find_hashtag(db, client.id, h.slug);
        const std::string config_json = to_json(h.analysis).dump();
        auto [tag, tag_changed] = store::upsert_hashtag(db, client.id, h.slug, h.name, h.url, config_json);
        if (!tag_changed) {
          result.unchanged++;
          continue;
        }
        std::string msg;
        if (old) {
          Json patch = Json::diff(Json::parse(old->config_json), Json::parse(config_json));
          msg = "updated hashtag " + h.name + " of '" + c.name + "': " +
                (patch.empty() ? std::string("name/url changed") : patch.dump());
          result.hashtags_updated++;
        } else {
          msg = "added hashtag " + h.name + " to '" + c.name + "'";
          result.hashtags_created++;
        }
        store::record_config_change(db, client.id, source, msg);
        result.changes.push_back(msg);
      }
    }
  });
  return result;
}

}  // namespace rumi::config
