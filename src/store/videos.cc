#include "store/videos.h"

#include "core/error.h"

namespace rumi::store {

Json video_to_json(const Video& v) {
  return Json{{"id", v.id},
              {"created_utc", v.created_utc},
              {"duration_s", v.duration_s},
              {"is_slideshow", v.is_slideshow},
              {"views", v.views},
              {"likes", v.likes},
              {"comments", v.comments},
              {"shares", v.shares},
              {"saves", v.saves},
              {"author", v.author},
              {"author_followers", v.author_followers ? Json(*v.author_followers) : Json(nullptr)},
              {"author_verified", v.author_verified},
              {"is_ad", v.is_ad ? Json(*v.is_ad) : Json(nullptr)},
              {"is_sponsored", v.is_sponsored ? Json(*v.is_sponsored) : Json(nullptr)},
              {"hashtags", v.hashtags},
              {"caption", v.caption},
              {"url", v.url},
              {"music", v.music},
              {"music_original", v.music_original ? Json(*v.music_original) : Json(nullptr)},
              {"effect_count", v.effect_count ? Json(*v.effect_count) : Json(nullptr)},
              {"text_language", v.text_language},
              {"media_urls", v.media_urls},
              {"fetched_utc", v.fetched_utc},
              {"source", v.source}};
}

Video video_from_json(const Json& j, std::string_view where) {
  try {
    Video v;
    v.id = j.at("id").get<std::string>();
    v.created_utc = j.at("created_utc").get<std::int64_t>();
    v.duration_s = j.at("duration_s").get<double>();
    v.is_slideshow = j.at("is_slideshow").get<bool>();
    v.views = j.at("views").get<std::int64_t>();
    v.likes = j.at("likes").get<std::int64_t>();
    v.comments = j.at("comments").get<std::int64_t>();
    v.shares = j.at("shares").get<std::int64_t>();
    v.saves = j.value("saves", std::int64_t{0});
    v.author = j.value("author", "");
    if (j.contains("author_followers") && !j["author_followers"].is_null())
      v.author_followers = j["author_followers"].get<std::int64_t>();
    v.author_verified = j.value("author_verified", false);
    if (j.contains("is_ad") && !j["is_ad"].is_null()) v.is_ad = j["is_ad"].get<bool>();
    if (j.contains("is_sponsored") && !j["is_sponsored"].is_null()) v.is_sponsored = j["is_sponsored"].get<bool>();
    v.hashtags = j.value("hashtags", std::vector<std::string>{});
    v.caption = j.value("caption", "");
    v.url = j.value("url", "");
    v.music = j.value("music", "");
    if (j.contains("music_original") && !j["music_original"].is_null())
      v.music_original = j["music_original"].get<bool>();
    if (j.contains("effect_count") && !j["effect_count"].is_null()) v.effect_count = j["effect_count"].get<int>();
    v.text_language = j.value("text_language", "");
    v.media_urls = j.value("media_urls", std::vector<std::string>{});
    v.fetched_utc = j.value("fetched_utc", std::int64_t{0});
    v.source = j.value("source", "");
    return v;
  } catch (const Json::exception& e) {
    throw InputError(where, j.value("id", "?"), "(video)", e.what());
  }
}

namespace {
// A stored video's view count, read from its JSON: the two engines spell JSON access differently.
std::string views_of(const Database& db, std::string_view table) {
  const std::string t(table);
  return db.dialect() == Dialect::postgres ? "(" + t + ".data_json::jsonb->>'views')::double precision"
                                           : "json_extract(" + t + ".data_json, '$.views')";
}
}  // namespace

void upsert_videos(Database& db, std::span<const Video> videos, std::string_view now_iso) {
  auto st = db.prepare(
      "INSERT INTO videos(video_id, data_json, fetched_at, updated_at) VALUES(?,?,?,?) "
      "ON CONFLICT(video_id) DO UPDATE SET data_json=excluded.data_json, fetched_at=excluded.fetched_at, "
      "updated_at=excluded.updated_at WHERE excluded.fetched_at > videos.fetched_at OR "
      "(excluded.fetched_at = videos.fetched_at AND " +
      views_of(db, "excluded") + " >= " + views_of(db, "videos") + ")");
  for (const Video& v : videos) {
    st.reset();
    st.bind(1, v.id).bind(2, video_to_json(v).dump()).bind(3, v.fetched_utc).bind(4, now_iso).run();
  }
}

std::optional<Video> find_video(Database& db, std::string_view video_id) {
  auto q = db.prepare("SELECT data_json FROM videos WHERE video_id = ?");
  q.bind(1, video_id);
  if (!q.step()) return std::nullopt;
  return video_from_json(parse_json(q.text(0), "rumi.db: videos.data_json of " + std::string(video_id)));
}

void insert_acquisition(Database& db, const AcquisitionRow& a) {
  db.prepare("DELETE FROM acquisitions WHERE id = ?").bind(1, a.id).run();
  db.prepare(
        "INSERT INTO acquisitions(id, hashtag_slug, source, fetched_at, item_count, raw_path, sha256) "
        "VALUES(?,?,?,?,?,?,?)")
      .bind(1, a.id)
      .bind(2, a.hashtag_slug)
      .bind(3, a.source)
      .bind(4, a.fetched_at)
      .bind(5, a.item_count)
      .bind(6, a.raw_path)
      .bind(7, a.sha256)
      .run();
}

std::vector<AcquisitionRow> list_acquisitions(Database& db, std::string_view hashtag_slug) {
  auto q = db.prepare(
      "SELECT id, hashtag_slug, source, fetched_at, item_count, raw_path, sha256 FROM acquisitions "
      "WHERE hashtag_slug = ? ORDER BY fetched_at, id");
  q.bind(1, hashtag_slug);
  std::vector<AcquisitionRow> out;
  while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.int64(3), q.int64(4), q.text(5), q.text(6)});
  return out;
}

void link_hashtag_videos(Database& db, std::string_view hashtag_slug, std::string_view acquisition_id,
                         std::span<const Video> videos) {
  auto st = db.prepare(
      "INSERT INTO hashtag_videos(hashtag_slug, video_id, acquisition_id) VALUES(?,?,?) "
      "ON CONFLICT(hashtag_slug, video_id) DO UPDATE SET acquisition_id = excluded.acquisition_id");
  for (const Video& v : videos) {
    st.reset();
    st.bind(1, hashtag_slug).bind(2, v.id).bind(3, acquisition_id).run();
  }
}

std::vector<std::string> hashtag_video_ids(Database& db, std::string_view hashtag_slug) {
  auto q = db.prepare("SELECT video_id FROM hashtag_videos WHERE hashtag_slug = ? ORDER BY video_id");
  q.bind(1, hashtag_slug);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

}  // namespace rumi::store
