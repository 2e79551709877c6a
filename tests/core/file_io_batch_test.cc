// AtomicWriteBatch (core/file_io.h): files appear only on commit(), complete; an abandoned or
// failed batch leaves the old files and no temp files behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/error.h"
#include "core/file_io.h"
#include "support/test_support.h"

namespace rumi {
namespace {

namespace fs = std::filesystem;

std::size_t entries(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicWriteBatch, ReplacesFilesOnlyOnCommit) {
  test::TempDir tmp;
  write_file_atomic(tmp / "a.md", "old a");
  AtomicWriteBatch batch;
  batch.add(tmp / "a.md", "new a");
  batch.add(tmp / "sub" / "b.json", std::string(100000, 'b'));
  batch.add(tmp / "c.md", "");
  EXPECT_EQ(batch.pending(), 3u);
  EXPECT_EQ(read_file(tmp / "a.md"), "old a");  // nothing replaced before commit
  EXPECT_FALSE(fs::exists(tmp / "c.md"));
  batch.commit();
  EXPECT_EQ(batch.pending(), 0u);
  EXPECT_EQ(read_file(tmp / "a.md"), "new a");
  EXPECT_EQ(read_file(tmp / "sub" / "b.json"), std::string(100000, 'b'));
  EXPECT_EQ(read_file(tmp / "c.md"), "");
  EXPECT_EQ(entries(tmp.path()), 3u);  // a.md, c.md, sub: no temp files left
  EXPECT_EQ(entries(tmp / "sub"), 1u);
  batch.commit();  // an empty commit is fine
}

TEST(AtomicWriteBatch, AbandonedBatchLeavesOldFilesAndNoTemps) {
  test::TempDir tmp;
  write_file_atomic(tmp / "a.md", "old a");
  {
    AtomicWriteBatch batch;
    batch.add(tmp / "a.md", "new a");
    batch.add(tmp / "b.md", "new b");
  }
  EXPECT_EQ(read_file(tmp / "a.md"), "old a");
  EXPECT_FALSE(fs::exists(tmp / "b.md"));
  EXPECT_EQ(entries(tmp.path()), 1u);
}

TEST(AtomicWriteBatch, FailedRenameNamesTheFileAndRemovesTemps) {
  test::TempDir tmp;
  fs::create_directories(tmp / "taken" / "inside");  // rename over a non-empty directory fails
  AtomicWriteBatch batch;
  batch.add(tmp / "first.md", "first");
  batch.add(tmp / "taken", "second");
  batch.add(tmp / "third.md", "third");
  try {
    batch.commit();
    FAIL() << "commit over a directory must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("taken"), std::string::npos) << e.what();
  }
  EXPECT_EQ(read_file(tmp / "first.md"), "first");  // renamed before the failure: complete
  EXPECT_FALSE(fs::exists(tmp / "third.md"));
  EXPECT_TRUE(fs::is_directory(tmp / "taken" / "inside"));
  EXPECT_EQ(entries(tmp.path()), 2u);  // first.md, taken
}

}  // namespace
}  // namespace rumi
