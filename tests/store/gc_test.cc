// Garbage collection of the public layer: unreferenced analyses and hashtags go, everything a
// client still uses stays, and private client data is never touched.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/file_io.h"
#include "store/clients.h"
#include "store/gc.h"
#include "store/workspace_store.h"
#include "support/test_support.h"

namespace rumi::store {
namespace {
namespace fs = std::filesystem;

void add_analysis(Database& db, const Workspace& ws, const std::string& video, const std::string& rel_path,
                  const std::string& content) {
  ensure_directory((ws.root() / rel_path).parent_path());
  write_file_atomic(ws.root() / rel_path, content);
  db.prepare("INSERT INTO analyses(video_id, analyzer_version, sha256, path, flows, created_at) VALUES(?,?,?,?,?,?)")
      .bind(1, video)
      .bind(2, "v1")
      .bind(3, "x")
      .bind(4, rel_path)
      .bind(5, "[]")
      .bind(6, "t")
      .run();
}

TEST(Gc, PlansAndRemovesOnlyUnreferencedPublicData) {
  test::TempDir dir;
  Workspace ws(dir / "ws");
  Database db = init_workspace(ws);
  auto [acme, _1] = upsert_client(db, "acme", "Acme", "");
  auto [tag, _2] = upsert_hashtag(db, acme.id, "nutrition", "#nutrition", "", "{}");
  add_analysis(db, ws, "111", "public/analyses/aa/111.json", "used");
  add_analysis(db, ws, "222", "public/analyses/bb/222.json", "unused-0123456789");
  add_analysis(db, ws, "333", "../outside.json", "never touched");  // hostile path: row goes, file stays
  write_file_atomic(dir / "outside.json", "keep me");
  db.prepare("INSERT INTO analysis_refs(client_id, hashtag_id, video_id, analyzer_version) VALUES(?,?,?,?)")
      .bind(1, acme.id)
      .bind(2, tag.id)
      .bind(3, "111")
      .bind(4, "v1")
      .run();
  for (const char* h : {"nutrition", "dropped"}) {
    ensure_directory(ws.public_hashtag_dir(h) / "raw");
    write_file_atomic(ws.public_hashtag_dir(h) / "raw/r1.jsonl", std::string(100, 'x'));
    db.prepare(
          "INSERT INTO acquisitions(id, hashtag_slug, source, fetched_at, item_count, raw_path, sha256)"
          " VALUES(?,?,?,?,?,?,?)")
        .bind(1, std::string("acq-") + h)
        .bind(2, h)
        .bind(3, "import")
        .bind(4, 0)
        .bind(5, 1)
        .bind(6, "r")
        .bind(7, "s")
        .run();
  }
  db.exec("INSERT INTO videos(video_id, data_json, fetched_at, updated_at) VALUES('900', '{}', 0, 't')");
  db.exec("INSERT INTO hashtag_videos(hashtag_slug, video_id, acquisition_id) VALUES('dropped', '900', 'acq-dropped')");
  db.exec("INSERT INTO videos(video_id, data_json, fetched_at, updated_at) VALUES('901', '{}', 0, 't')");
  db.exec(
      "INSERT INTO hashtag_videos(hashtag_slug, video_id, acquisition_id) VALUES('nutrition', '901', 'acq-nutrition')");
  // Private data of the client: must survive.
  ensure_directory(ws.bucket_dir("acme", "nutrition", Bucket::s0_15));
  write_file_atomic(ws.bucket_dir("acme", "nutrition", Bucket::s0_15) / "patterns_0-15s.json", "[]");

  GcPlan plan = plan_gc(db, ws);
  ASSERT_EQ(plan.items.size(), 3u) << plan.to_json(ws).dump();
  EXPECT_EQ(plan.items[0].key, "222@v1");
  EXPECT_EQ(plan.items[0].bytes, 17u);
  EXPECT_EQ(plan.items[1].key, "333@v1");
  EXPECT_TRUE(plan.items[1].path.empty());
  EXPECT_EQ(plan.items[2].kind, "hashtag");
  EXPECT_EQ(plan.items[2].key, "dropped");
  EXPECT_EQ(plan.items[2].bytes, 100u);
  EXPECT_EQ(plan.total_bytes(), 117u);
  // A dry run changes nothing.
  EXPECT_TRUE(fs::exists(ws.root() / "public/analyses/bb/222.json"));

  apply_gc(db, ws, plan);
  EXPECT_FALSE(fs::exists(ws.root() / "public/analyses/bb/222.json"));
  EXPECT_FALSE(fs::exists(ws.public_hashtag_dir("dropped")));
  EXPECT_TRUE(fs::exists(ws.root() / "public/analyses/aa/111.json"));
  EXPECT_TRUE(fs::exists(ws.public_hashtag_dir("nutrition") / "raw/r1.jsonl"));
  EXPECT_TRUE(fs::exists(dir / "outside.json"));
  EXPECT_TRUE(fs::exists(ws.bucket_dir("acme", "nutrition", Bucket::s0_15) / "patterns_0-15s.json"));
  auto count = [&](const std::string& sql) {
    auto s = db.prepare(sql);
    s.step();
    return s.int64(0);
  };
  EXPECT_EQ(count("SELECT count(*) FROM analyses"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM acquisitions"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM videos"), 1);  // 900 went with its hashtag, 901 stays
  EXPECT_TRUE(plan_gc(db, ws).items.empty());
}

TEST(Gc, SharedContentHashedFileSurvivesWhileAnyReferenceUsesIt) {
  test::TempDir dir;
  Workspace ws(dir / "ws");
  Database db = init_workspace(ws);
  auto [acme, _1] = upsert_client(db, "acme", "Acme", "");
  auto [tag, _2] = upsert_hashtag(db, acme.id, "n", "#n", "", "{}");
  add_analysis(db, ws, "1", "public/analyses/same.json", "x");
  db.prepare(
        "INSERT INTO analyses(video_id, analyzer_version, sha256, path, flows, created_at) VALUES('2','v1','x',"
        "'public/analyses/same.json','[]','t')")
      .run();
  db.prepare("INSERT INTO analysis_refs VALUES(?,?,'1','v1')").bind(1, acme.id).bind(2, tag.id).run();
  GcPlan plan = plan_gc(db, ws);
  ASSERT_EQ(plan.items.size(), 1u);
  EXPECT_TRUE(plan.items[0].path.empty());
  apply_gc(db, ws, plan);
  EXPECT_TRUE(fs::exists(ws.root() / "public/analyses/same.json"));
}

TEST(Gc, AgesParseWithAUnitAndBadOnesSayWhatIsAccepted) {
  EXPECT_EQ(parse_age("7d"), std::chrono::hours(7 * 24));
  EXPECT_EQ(parse_age("12h"), std::chrono::hours(12));
  EXPECT_EQ(parse_age("30m"), std::chrono::minutes(30));
  EXPECT_EQ(parse_age("45s"), std::chrono::seconds(45));
  EXPECT_EQ(parse_age("2w"), std::chrono::hours(14 * 24));
  for (const char* bad : {"", "7", "d", "0d", "-1d", "7 d", "1.5h", "7y", "7days", "999999999999d"}) {
    try {
      parse_age(bad);
      ADD_FAILURE() << "'" << bad << "' must be refused";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("e.g. 7d, 12h, 30m"), std::string::npos) << e.what();
    }
  }
}

TEST(Gc, VideoFilesOlderThanTheAgeGoOnlyWithApply) {
  test::TempDir dir;
  Workspace ws(dir / "ws");
  Database db = init_workspace(ws);
  const fs::path videos = public_videos_dir(ws);
  EXPECT_EQ(videos, ws.public_dir() / "videos");
  EXPECT_TRUE(plan_video_gc(ws, std::chrono::hours(24)).items.empty());  // no folder yet: nothing to do
  ensure_directory(videos / "sub");
  const auto now = fs::file_time_type::clock::now();
  auto put = [&](const fs::path& p, std::size_t bytes, std::chrono::hours age) {
    write_file_atomic(p, std::string(bytes, 'v'));
    fs::last_write_time(p, now - age);
  };
  put(videos / "111.mp4", 100, std::chrono::hours(24 * 10));
  put(videos / "222.mp4", 200, std::chrono::hours(24 * 2));
  put(videos / "333.mp4.0123456789ab.part", 50, std::chrono::hours(24 * 8));
  put(videos / "sub/444.mp4", 10, std::chrono::hours(24 * 30));       // folders are not ours to walk
  put(ws.public_dir() / "old.mp4", 10, std::chrono::hours(24 * 30));  // outside public/videos
  fs::create_symlink(ws.public_dir() / "old.mp4", videos / "link.mp4");
  fs::last_write_time(videos / "sub", now - std::chrono::hours(24 * 30));

  GcPlan plan = plan_video_gc(ws, parse_age("7d"), now);
  ASSERT_EQ(plan.items.size(), 2u);
  EXPECT_EQ(plan.items[0].kind, "video");
  EXPECT_EQ(plan.items[0].key, "111.mp4");
  EXPECT_EQ(plan.items[1].key, "333.mp4.0123456789ab.part");
  EXPECT_EQ(plan.total_bytes(), 150u);
  Json j = plan.to_json(ws);
  EXPECT_EQ(j["items"][0]["path"], "public/videos/111.mp4");
  // Planning is read-only.
  EXPECT_TRUE(fs::exists(videos / "111.mp4"));
  EXPECT_TRUE(fs::exists(videos / "333.mp4.0123456789ab.part"));

  apply_video_gc(ws, plan);
  EXPECT_FALSE(fs::exists(videos / "111.mp4"));
  EXPECT_FALSE(fs::exists(videos / "333.mp4.0123456789ab.part"));
  for (const char* kept : {"222.mp4", "sub/444.mp4", "link.mp4"}) EXPECT_TRUE(fs::exists(videos / kept)) << kept;
  EXPECT_TRUE(fs::exists(ws.public_dir() / "old.mp4"));
  apply_video_gc(ws, plan);                                             // files already gone: fine
  EXPECT_EQ(plan_video_gc(ws, parse_age("1d"), now).items.size(), 1u);  // 222.mp4 (2 days)
  EXPECT_TRUE(plan_video_gc(ws, parse_age("3d"), now).items.empty());

  GcPlan hostile;
  hostile.items.push_back(GcItem{"video", "old.mp4", ws.public_dir() / "old.mp4", 10});
  EXPECT_THROW(apply_video_gc(ws, hostile), Error);
  EXPECT_TRUE(fs::exists(ws.public_dir() / "old.mp4"));
}

}  // namespace
}  // namespace rumi::store
