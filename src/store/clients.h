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
};

struct HashtagRow {
  std::int64_t id = 0;
  std::int64_t client_id = 0;
  std::string slug, name, url;
  std::string config_json;  // config::AnalysisConfig as JSON
  std::string created_at, updated_at;
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

void record_config_change(Database& db, std::int64_t client_id, std::string_view source, std::string_view change);
struct ConfigChange {
  std::string at, source, change;
};
std::vector<ConfigChange> list_config_changes(Database& db, std::int64_t client_id);

}  // namespace rumi::store
