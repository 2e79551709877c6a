#include "store/selections.h"

namespace rumi::store {

std::int64_t insert_selection(Database& db, std::int64_t client_id, std::int64_t hashtag_id,
                              std::string_view created_at, std::string_view sha256, std::string_view summary_json,
                              std::span<const SelectedVideoRow> videos) {
  db.prepare("INSERT INTO selections(client_id, hashtag_id, created_at, sha256, summary_json) VALUES(?,?,?,?,?)")
      .bind(1, client_id)
      .bind(2, hashtag_id)
      .bind(3, created_at)
      .bind(4, sha256)
      .bind(5, summary_json)
      .run();
  std::int64_t id = db.last_insert_id();
  auto st = db.prepare(
      "INSERT INTO selected_videos(selection_id, client_id, bucket, rank, video_id, er, score, weight) "
      "VALUES(?,?,?,?,?,?,?,?)");
  for (const auto& v : videos) {
    st.reset();
    st.bind(1, id)
        .bind(2, client_id)
        .bind(3, v.bucket)
        .bind(4, v.rank)
        .bind(5, v.video_id)
        .bind(6, v.er)
        .bind(7, v.score)
        .bind(8, v.weight)
        .run();
  }
  return id;
}

std::optional<SelectionRow> latest_selection(Database& db, std::int64_t client_id, std::int64_t hashtag_id) {
  auto q = db.prepare(
      "SELECT id, created_at, sha256, summary_json FROM selections WHERE client_id = ? AND "
      "hashtag_id = ? ORDER BY id DESC LIMIT 1");
  q.bind(1, client_id).bind(2, hashtag_id);
  if (!q.step()) return std::nullopt;
  SelectionRow row;
  row.id = q.int64(0);
  row.client_id = client_id;
  row.hashtag_id = hashtag_id;
  row.created_at = q.text(1);
  row.sha256 = q.text(2);
  row.summary_json = q.text(3);
  auto v = db.prepare(
      "SELECT bucket, rank, video_id, er, score, weight FROM selected_videos WHERE selection_id = ? "
      "AND client_id = ? ORDER BY bucket, rank");
  v.bind(1, row.id).bind(2, client_id);
  while (v.step())
    row.videos.push_back({v.text(0), static_cast<int>(v.int64(1)), v.text(2), v.real(3), v.real(4), v.real(5)});
  return row;
}

}  // namespace rumi::store
