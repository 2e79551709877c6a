#pragma once
// Clients and their hashtags. Every hashtag query takes the client id: no function here can
// return another client's rows.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"

namespace rumi::store {

struct ClientRow {
  std::int64_t id = 0;
  std::string slug, name, industry;
  std::string created_at, updated_at;
  std::string brand_json = "{}";  // config::BrandInputs as JSON (schema 4)
};

struct HashtagRow {
  std::int64_t id = 0;
  std::int64_t client_id = 0;
  std::string slug, name, url;
  std::string config_json;  // config::AnalysisConfig as JSON
  std::string created_at, updated_at;
  std::string brand_json = "{}";  // what this hashtag overrides of its client's brand inputs (schema 4)
};

std::optional<ClientRow> find_client(Database& db, std::string_view slug);
std::vector<ClientRow> list_clients(Database& db);
// Inserts or updates by slug; returns the row and whether anything changed.
std::pair<ClientRow, bool> upsert_client(Database& db, std::string_view slug, std::string_view name,
                                         std::string_view industry);

std::optional<HashtagRow> find_hashtag(Database& db, std::int64_t client_id, std::string_view slug);
std::vector<HashtagRow> list_hashtags(Database& db, std::int64_t client_id);
std::pair<HashtagRow, bool> upsert_hashtag(Database& db, std::int64_t client_id, std::string_view slug,
                                           std::string_view name, std::string_view url, std::string_view config_json);

// Brand inputs (stored text as config::to_json(BrandInputs).dump()); return whether they changed.
bool set_client_brand(Database& db, std::int64_t client_id, std::string_view brand_json);
bool set_hashtag_brand(Database& db, std::int64_t client_id, std::int64_t hashtag_id, std::string_view brand_json);

void record_config_change(Database& db, std::int64_t client_id, std::string_view source, std::string_view change);
struct ConfigChange {
  std::string at, source, change;
};
std::vector<ConfigChange> list_config_changes(Database& db, std::int64_t client_id);

}  // namespace rumi::store
