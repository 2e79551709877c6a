// acquire() end to end on a real workspace: what is stored, where, and that a bad input leaves
// nothing behind (`rumi acquire` through the real binary: tests/e2e/acquire_cli_test.cc).
#include <gtest/gtest.h>

#include "acquire/acquire.h"
#include "core/error.h"
#include "core/file_io.h"
#include "store/clients.h"
#include "store/selections.h"
#include "store/videos.h"
#include "store/workspace_store.h"
#include "support/test_support.h"

namespace rumi::acquire {
namespace {

std::filesystem::path clockworks() {
  return test::shared_dir() / "tiktok_datasets" / "apify_clockworks_hashtag_export_2025.csv";
}

class AcquireLib : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.emplace(store::init_workspace(ws_));
    client_ = store::upsert_client(*db_, "acme", "Acme Secret Co", "x").first;
    hashtag_ =
        store::upsert_hashtag(*db_, client_.id, "nutrition", "#nutrition", "", config::to_json(cfg_).dump()).first;
  }
  AcquireRequest request(std::vector<std::filesystem::path> files) {
    return AcquireRequest{ws_, *db_, client_, hashtag_, cfg_, std::move(files), {}, false, {}, 1759500000};
  }
  std::int64_t count(const char* table) {
    auto q = db_->prepare(std::string("SELECT count(*) FROM ") + table);
    q.step();
    return q.int64(0);
  }
  test::TempDir dir_;
  Workspace ws_{dir_.path() / "ws"};
  std::optional<store::Database> db_;
  store::ClientRow client_;
  store::HashtagRow hashtag_;
  config::AnalysisConfig cfg_;
};

TEST_F(AcquireLib, StoresVideosRawSelectionAtomically) {
  if (!std::filesystem::exists(clockworks())) GTEST_SKIP() << "real dataset " << clockworks() << " is absent";
  auto res = acquire(request({clockworks()}));
  EXPECT_EQ(res.records_read, 981u);
  EXPECT_EQ(res.videos.size(), 952u);
  EXPECT_EQ(count("videos"), 952);
  EXPECT_EQ(count("hashtag_videos"), 952);
  EXPECT_EQ(count("acquisitions"), 1);
  // Raw JSONL: one line per record as read, private and public copies identical.
  std::string raw = read_file(res.raw_path);
  EXPECT_EQ(std::count(raw.begin(), raw.end(), '\n'), 981);
  EXPECT_EQ(read_file(res.public_raw_path), raw);
  EXPECT_EQ(res.public_raw_path.string().find("acme"), std::string::npos);
  auto acq = store::list_acquisitions(*db_, "nutrition");
  ASSERT_EQ(acq.size(), 1u);
  EXPECT_EQ(acq[0].raw_path.find("acme"), std::string::npos);
  // selection.json follows docs/contracts.md.
  Json j = read_json_file(ws_.acquisition_dir("acme", "nutrition") / "selection.json");
  EXPECT_EQ(j["format"], "rumi-selection");
  EXPECT_EQ(j["hashtag"], "#nutrition");
  for (const char* b : {"0-15s", "16-30s", "31-60s", "61-90s", "91-120s"}) {
    ASSERT_TRUE(j["buckets"].contains(b)) << b;
    EXPECT_FALSE(j["buckets"][b]["selected"].empty()) << b;
  }
  // 16 found, 14 eligible (outliers are flagged and kept since selection format 2): 30 - 14.
  EXPECT_EQ(j["format_version"], 2);
  EXPECT_EQ(j["buckets"]["91-120s"]["shortfall"]["missing"], 16);
  EXPECT_TRUE(j["buckets"]["0-15s"]["shortfall"].is_null());
  const Json& first = j["buckets"]["0-15s"]["selected"][0];
  for (const char* k : {"rank", "role", "video_id", "url", "er", "score", "weight", "ipw", "celebrity", "outlier",
                        "views", "likes", "comments", "shares", "duration_s", "created_at", "author", "followers"})
    EXPECT_TRUE(first.contains(k)) << k;
  std::size_t selected = 0;
  for (auto& [name, b] : j["buckets"].items()) selected += b["selected"].size();
  EXPECT_EQ(selected + j["excluded"].size(), 952u);
  auto stored = store::latest_selection(*db_, client_.id, hashtag_.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->videos.size(), selected);
  auto v = store::find_video(*db_, "7481699258819693870");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->views, 340500000);
}

TEST_F(AcquireLib, BadFileLeavesNothingBehind) {
  write_file_atomic(
      dir_ / "good.json",
      R"([{"id":"1","playCount":5000,"diggCount":500,"commentCount":1,"shareCount":1,"videoMeta":{"duration":9}}])");
  write_file_atomic(dir_ / "bad.json", R"([{"id":"2","playCount":-1,"diggCount":0,"commentCount":0,"shareCount":0}])");
  EXPECT_THROW(acquire(request({dir_ / "good.json", dir_ / "bad.json"})), InputError);
  EXPECT_EQ(count("videos"), 0);
  EXPECT_EQ(count("acquisitions"), 0);
  EXPECT_EQ(count("selections"), 0);
  EXPECT_FALSE(std::filesystem::exists(ws_.acquisition_dir("acme", "nutrition") / "selection.json"));
  EXPECT_FALSE(std::filesystem::exists(ws_.acquisition_dir("acme", "nutrition") / "raw") &&
               !std::filesystem::is_empty(ws_.acquisition_dir("acme", "nutrition") / "raw"));
  // Re-importing older stats never rolls the stored counts back.
  acquire(request({dir_ / "good.json"}));
  write_file_atomic(
      dir_ / "older.json",
      R"([{"id":"1","playCount":4000,"diggCount":500,"commentCount":1,"shareCount":1,"videoMeta":{"duration":9}}])");
  auto req = request({dir_ / "older.json"});
  req.now = 1759400000;
  acquire(req);
  EXPECT_EQ(store::find_video(*db_, "1")->views, 5000);
}

}  // namespace
}  // namespace rumi::acquire
