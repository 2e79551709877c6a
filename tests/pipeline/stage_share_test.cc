// Shared stage results (pipeline/stage_cache.h SharedStageResults) on their own: an entry restores
// what the stage stored, and a damaged one is never used. Two clients sharing them through the
// real binary: tests/e2e/stage_share_cli_test.cc.
#include <gtest/gtest.h>

#include "core/file_io.h"
#include "core/json.h"
#include "pipeline/stage_cache.h"
#include "support/test_support.h"

namespace rumi {
namespace {
namespace fs = std::filesystem;

TEST(StageShare, EntriesRoundTripAndRefuseDamage) {
  test::TempDir dir;
  const fs::path tag = dir / "tag";
  write_file_atomic(tag / "b" / "kept.json", "{\"a\":1}\n");
  const pipeline::SharedStageResults shared(dir / "results");
  const std::string key = pipeline::SharedStageResults::key("train", "abc");
  EXPECT_NE(key, pipeline::SharedStageResults::key("train", "abd"));
  EXPECT_NE(key, pipeline::SharedStageResults::key("patterns", "abc"));
  EXPECT_FALSE(shared.restore("train", key, tag)) << "no entry yet";
  shared.store("train", key, tag, {"b/kept.json", "b/gone.json"}, Json{{"models", 3}});

  const fs::path other = dir / "other";
  write_file_atomic(other / "b" / "gone.json", "stale");
  const auto counts = shared.restore("train", key, other);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->value("models", 0), 3);
  EXPECT_EQ(read_file(other / "b" / "kept.json"), "{\"a\":1}\n");
  EXPECT_FALSE(fs::exists(other / "b" / "gone.json")) << "a file the stage did not write is removed";
  EXPECT_FALSE(shared.restore("patterns", key, other)) << "another stage's key";

  // A truncated entry (what a non-atomic write would leave) and one that would write outside the
  // folder are both refused, and nothing is written.
  const fs::path entry = shared.entry_path("train", key);
  const std::string full = read_file(entry);
  write_file_atomic(entry, full.substr(0, full.size() / 2));
  fs::remove(other / "b" / "kept.json");
  EXPECT_FALSE(shared.restore("train", key, other));
  EXPECT_FALSE(fs::exists(other / "b" / "kept.json"));
  Json escaping = Json::parse(full);
  escaping["files"][0]["path"] = "../escaped.json";
  write_file_atomic(entry, escaping.dump());
  EXPECT_FALSE(shared.restore("train", key, other));
  EXPECT_FALSE(fs::exists(dir / "escaped.json"));
}

}  // namespace
}  // namespace rumi
