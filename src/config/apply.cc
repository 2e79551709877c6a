#include "config/apply.h"

#include "core/error.h"
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
        std::string msg =
            before ? "updated client '" + c.name + "' (industry '" + before->industry + "' -> '" + c.industry + "')"
                   : "created client '" + c.name + "'";
        (before ? result.clients_updated : result.clients_created)++;
        store::record_config_change(db, client.id, source, msg);
        result.changes.push_back(msg);
      } else {
        result.unchanged++;
      }
      // Brand inputs: the stored text is the whole set, so a field removed from the file is
      // removed from the store too (the brief then says it is missing).
      if (store::set_client_brand(db, client.id, to_json(c.brief).dump())) {
        std::string msg = "updated brand inputs of '" + c.name + "'";
        const auto missing = missing_brand_fields(c.brief);
        if (!missing.empty()) {
          msg += " (still missing:";
          for (const auto& m : missing) msg += " " + m;
          msg += ")";
        }
        store::record_config_change(db, client.id, source, msg);
        result.changes.push_back(msg);
      }
      for (const HashtagSpec& h : c.hashtags) {
        auto old = store::find_hashtag(db, client.id, h.slug);
        const std::string config_json = to_json(h.analysis).dump();
        auto [tag, tag_changed] = store::upsert_hashtag(db, client.id, h.slug, h.name, h.url, config_json);
        if (store::set_hashtag_brand(db, client.id, tag.id, to_json(h.brief).dump())) {
          const std::string msg = "updated the brand inputs " + h.name + " overrides for '" + c.name + "'";
          store::record_config_change(db, client.id, source, msg);
          result.changes.push_back(msg);
        }
        if (!tag_changed) {
          result.unchanged++;
          continue;
        }
        std::string msg;
        if (old) {
          Json patch = Json::diff(parse_json(old->config_json, "rumi.db: hashtags.config_json of " + h.name),
                                  parse_json(config_json, "config of " + h.name));
          msg = "updated hashtag " + h.name + " of '" + c.name +
                "': " + (patch.empty() ? std::string("name/url changed") : patch.dump());
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

BrandInputs effective_brand(const store::ClientRow& client, const store::HashtagRow* hashtag) {
  auto parse = [](const std::string& text, const std::string& where) {
    try {
      return brand_from_json(parse_json(text.empty() ? std::string("{}") : text, where + " brand_json"), where);
    } catch (const Json::exception& e) {  // a stored value of the wrong type
      throw InputError(where, "", "brand_json", std::string("not valid brand inputs: ") + e.what());
    }
  };
  BrandInputs b = parse(client.brand_json, "stored brand inputs of client '" + client.slug + "'");
  if (hashtag) b = merge_brand(b, parse(hashtag->brand_json, "stored brand inputs of hashtag " + hashtag->name));
  return b;
}

}  // namespace rumi::config
