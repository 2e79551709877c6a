#include "store/clients.h"

#include "core/time_util.h"

namespace rumi::store {

namespace {

std::string now_text() { return format_iso8601_utc(now_unix()); }

ClientRow read_client(Statement& s) {
  return ClientRow{s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)};
}

HashtagRow read_hashtag(Statement& s) {
  return HashtagRow{s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4),
                    s.text(5),  s.text(6),  s.text(7), s.text(8)};
}

constexpr std::string_view kClientCols =
    "SELECT id, slug, name, industry, created_at, updated_at, brand_json FROM clients";
constexpr std::string_view kHashtagCols =
    "SELECT id, client_id, slug, name, url, config_json, created_at, updated_at, brand_json FROM hashtags";

}  // namespace

std::optional<ClientRow> find_client(Database& db, std::string_view slug) {
  auto s = db.prepare(std::string(kClientCols) + " WHERE slug = ?");
  s.bind(1, slug);
  if (!s.step()) return std::nullopt;
  return read_client(s);
}

std::vector<ClientRow> list_clients(Database& db) {
  auto s = db.prepare(std::string(kClientCols) + " ORDER BY slug");
  std::vector<ClientRow> out;
  while (s.step()) out.push_back(read_client(s));
  return out;
}

std::pair<ClientRow, bool> upsert_client(Database& db, std::string_view slug, std::string_view name,
                                         std::string_view industry) {
  if (auto existing = find_client(db, slug)) {
    if (existing->name == name && existing->industry == industry) return {*existing, false};
    db.prepare("UPDATE clients SET name = ?, industry = ?, updated_at = ? WHERE id = ?")
        .bind(1, name)
        .bind(2, industry)
        .bind(3, now_text())
        .bind(4, existing->id)
        .run();
    return {*find_client(db, slug), true};
  }
  const std::string now = now_text();
  db.prepare("INSERT INTO clients(slug, name, industry, created_at, updated_at) VALUES(?,?,?,?,?)")
      .bind(1, slug)
      .bind(2, name)
      .bind(3, industry)
      .bind(4, now)
      .bind(5, now)
      .run();
  return {*find_client(db, slug), true};
}

std::optional<HashtagRow> find_hashtag(Database& db, std::int64_t client_id, std::string_view slug) {
  auto s = db.prepare(std::string(kHashtagCols) + " WHERE client_id = ? AND slug = ?");
  s.bind(1, client_id).bind(2, slug);
  if (!s.step()) return std::nullopt;
  return read_hashtag(s);
}

std::vector<HashtagRow> list_hashtags(Database& db, std::int64_t client_id) {
  auto s = db.prepare(std::string(kHashtagCols) + " WHERE client_id = ? ORDER BY slug");
  s.bind(1, client_id);
  std::vector<HashtagRow> out;
  while (s.step()) out.push_back(read_hashtag(s));
  return out;
}

std::pair<HashtagRow, bool> upsert_hashtag(Database& db, std::int64_t client_id, std::string_view slug,
                                           std::string_view name, std::string_view url, std::string_view config_json) {
  if (auto existing = find_hashtag(db, client_id, slug)) {
    if (existing->name == name && existing->url == url && existing->config_json == config_json)
      return {*existing, false};
    db.prepare("UPDATE hashtags SET name = ?, url = ?, config_json = ?, updated_at = ? WHERE id = ? AND client_id = ?")
        .bind(1, name)
        .bind(2, url)
        .bind(3, config_json)
        .bind(4, now_text())
        .bind(5, existing->id)
        .bind(6, client_id)
        .run();
    return {*find_hashtag(db, client_id, slug), true};
  }
  const std::string now = now_text();
  db.prepare(
        "INSERT INTO hashtags(client_id, slug, name, url, config_json, created_at, updated_at) VALUES(?,?,?,?,?,?,?)")
      .bind(1, client_id)
      .bind(2, slug)
      .bind(3, name)
      .bind(4, url)
      .bind(5, config_json)
      .bind(6, now)
      .bind(7, now)
      .run();
  return {*find_hashtag(db, client_id, slug), true};
}

bool set_client_brand(Database& db, std::int64_t client_id, std::string_view brand_json) {
  auto q = db.prepare("SELECT brand_json FROM clients WHERE id = ?");
  q.bind(1, client_id);
  if (!q.step() || q.text(0) == brand_json) return false;
  db.prepare("UPDATE clients SET brand_json = ?, updated_at = ? WHERE id = ?")
      .bind(1, brand_json)
      .bind(2, now_text())
      .bind(3, client_id)
      .run();
  return true;
}

bool set_hashtag_brand(Database& db, std::int64_t client_id, std::int64_t hashtag_id, std::string_view brand_json) {
  auto q = db.prepare("SELECT brand_json FROM hashtags WHERE id = ? AND client_id = ?");
  q.bind(1, hashtag_id).bind(2, client_id);
  if (!q.step() || q.text(0) == brand_json) return false;
  db.prepare("UPDATE hashtags SET brand_json = ?, updated_at = ? WHERE id = ? AND client_id = ?")
      .bind(1, brand_json)
      .bind(2, now_text())
      .bind(3, hashtag_id)
      .bind(4, client_id)
      .run();
  return true;
}

void record_config_change(Database& db, std::int64_t client_id, std::string_view source, std::string_view change) {
  db.prepare("INSERT INTO config_changes(client_id, at, source, change) VALUES(?,?,?,?)")
      .bind(1, client_id)
      .bind(2, now_text())
      .bind(3, source)
      .bind(4, change)
      .run();
}

std::vector<ConfigChange> list_config_changes(Database& db, std::int64_t client_id) {
  auto s = db.prepare("SELECT at, source, change FROM config_changes WHERE client_id = ? ORDER BY id");
  s.bind(1, client_id);
  std::vector<ConfigChange> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2)});
  return out;
}

}  // namespace rumi::store
