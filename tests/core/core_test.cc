#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>

#include "core/bucket.h"
#include "core/dataset.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/rng.h"
#include "core/sha256.h"
#include "core/slug.h"
#include "core/time_util.h"
#include "core/video.h"
#include "core/workspace.h"
#include "support/test_support.h"

namespace rumi {
namespace {

TEST(Bucket, BoundariesFollowTheDesign) {
  Bucket b;
  EXPECT_EQ(classify_duration(0, &b), DurationVerdict::slideshow_or_no_duration);
  EXPECT_EQ(classify_duration(-1, &b), DurationVerdict::slideshow_or_no_duration);
  EXPECT_EQ(classify_duration(NAN, &b), DurationVerdict::slideshow_or_no_duration);
  ASSERT_EQ(classify_duration(15, &b), DurationVerdict::ok);
  EXPECT_EQ(b, Bucket::s0_15);
  ASSERT_EQ(classify_duration(15.2, &b), DurationVerdict::ok);
  EXPECT_EQ(b, Bucket::s16_30);
  classify_duration(30, &b);
  EXPECT_EQ(b, Bucket::s16_30);
  classify_duration(60, &b);
  EXPECT_EQ(b, Bucket::s31_60);
  classify_duration(61, &b);
  EXPECT_EQ(b, Bucket::s61_90);
  classify_duration(120, &b);
  EXPECT_EQ(b, Bucket::s91_120);
  EXPECT_EQ(classify_duration(120.5, &b), DurationVerdict::too_long);
  EXPECT_EQ(parse_bucket("31-60s"), Bucket::s31_60);
  EXPECT_EQ(parse_bucket("31-60"), Bucket::s31_60);
  EXPECT_FALSE(parse_bucket("30-60s"));
}

TEST(Slug, LowerCaseAsciiDigitsAndDashes) {
  EXPECT_EQ(slugify("Stateside Grower"), "stateside-grower");
  EXPECT_EQ(slugify("#Nutrition"), "nutrition");
  EXPECT_EQ(slugify("  Café  Drinks!! 2025 "), "caf-drinks-2025");
  EXPECT_TRUE(is_valid_slug("a-b-1"));
  EXPECT_FALSE(is_valid_slug("A"));
  EXPECT_FALSE(is_valid_slug("-a"));
  EXPECT_FALSE(is_valid_slug(""));
}

TEST(Slug, RefusesEmptyTraversalAndLongNames) {
  EXPECT_THROW(slugify("###"), UsageError);
  EXPECT_THROW(slugify("../etc"), UsageError);
  EXPECT_THROW(slugify("a/b"), UsageError);
  EXPECT_THROW(slugify(std::string(101, 'a')), UsageError);
  try {
    slugify("!!!", "client name");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::bad_input);
    EXPECT_NE(std::string(e.what()).find("client name"), std::string::npos);
  }
}

TEST(Time, ParsesAndFormatsIso8601) {
  EXPECT_EQ(parse_iso8601_utc("1970-01-01"), 0);
  EXPECT_EQ(parse_iso8601_utc("2025-07-01T12:34:56.000Z"), 1751373296);
  EXPECT_EQ(parse_iso8601_utc("2025-07-01T14:34:56+02:00"), 1751373296);
  EXPECT_EQ(format_iso8601_utc(1751373296), "2025-07-01T12:34:56Z");
  EXPECT_FALSE(parse_iso8601_utc("2025-02-30"));
  EXPECT_FALSE(parse_iso8601_utc("2025-13-01"));
  EXPECT_FALSE(parse_iso8601_utc("yesterday"));
  EXPECT_EQ(format_date_utc(86400 * 365), "1971-01-01");
}

TEST(Video, EngagementRateIsPercentAndUndefinedWithoutViews) {
  Video v;
  v.views = 132100;
  v.likes = 8112;
  v.comments = 122;
  v.shares = 1406;
  v.saves = 999999;  // not part of ER
  EXPECT_NEAR(*engagement_rate(v), 7.2975, 1e-4);
  v.views = 0;
  EXPECT_FALSE(engagement_rate(v));
}

TEST(FileIo, AtomicWriteReplacesAndLeavesNoTemp) {
  test::TempDir dir;
  auto p = dir / "a" / "b.json";
  write_file_atomic(p, "one");
  write_file_atomic(p, "two");
  EXPECT_EQ(read_file(p), "two");
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(p.parent_path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
  EXPECT_THROW(read_file(dir / "missing"), InputError);
}

// Disk full: a write that fails midway (here: the file-size limit, EFBIG, as a full disk gives
// ENOSPC) must raise a clear error, keep the previous artifact intact and leave no temp file.
TEST(FileIo, FailedWriteKeepsThePreviousArtifact) {
  test::TempDir dir;
  const auto p = dir / "model.json";
  write_file_atomic(p, "previous");
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    try {
      write_file_atomic(p, std::string(1 << 20, 'x'));
    } catch (const Error& e) {
      ::_exit(std::string(e.what()).find("cannot write " + p.string()) == 0 ? 42 : 43);
    }
    ::_exit(44);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 42) << "expected a clear 'cannot write <path>' error";
  EXPECT_EQ(read_file(p), "previous");
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1) << "the temp file must be removed";
}

TEST(Sha256, KnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Rng, DerivedStreamsAreStableAndIndependent) {
  EXPECT_EQ(derive_seed(42, "forest"), derive_seed(42, "forest"));
  EXPECT_NE(derive_seed(42, "forest"), derive_seed(42, "kmeans"));
  EXPECT_NE(derive_seed(42, "forest"), derive_seed(43, "forest"));
  Rng a = make_rng(7, "x"), b = make_rng(7, "x");
  for (int i = 0; i < 100; ++i) EXPECT_EQ(uniform_index(a, 10), uniform_index(b, 10));
}

TEST(Dataset, CsvRoundTripKeepsEveryBitAndNaN) {
  Dataset d;
  d.feature_names = {"f1", "f2"};
  d.add_row("7280654844715666731", 1.0, 7.3, std::vector<double>{0.1, NAN});
  d.add_row("7522345762324237623", 0.5, 1.0 / 3.0, std::vector<double>{1e-300, -2.5});
  test::TempDir dir;
  write_dataset_csv(dir / "f.csv", d);
  Dataset r = read_dataset_csv(dir / "f.csv");
  ASSERT_EQ(r.rows(), 2u);
  EXPECT_EQ(r.video_ids[0], "7280654844715666731");
  EXPECT_EQ(r.target[1], 1.0 / 3.0);
  EXPECT_EQ(r.at(1, 0), 1e-300);
  EXPECT_TRUE(std::isnan(r.at(0, 1)));
  EXPECT_EQ(dataset_to_csv(r), dataset_to_csv(d));
}

TEST(Dataset, BadCsvNamesRowAndColumn) {
  test::TempDir dir;
  write_file_atomic(dir / "f.csv", "video_id,weight,er,f1\n1,1,2,abc\n");
  try {
    read_dataset_csv(dir / "f.csv");
    FAIL();
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("row 2"), std::string::npos) << m;
    EXPECT_NE(m.find("f1"), std::string::npos) << m;
  }
}

TEST(Workspace, PathsStayInside) {
  Workspace ws("/tmp/ws");
  EXPECT_EQ(ws.bucket_dir("acme", "nutrition", Bucket::s0_15), "/tmp/ws/MLAnalysis/acme/nutrition/bucket_0-15s");
  EXPECT_THROW(ws.client_dir(".."), UsageError);
  EXPECT_THROW(ws.contain("/tmp/other"), UsageError);
  EXPECT_THROW(ws.contain("/tmp/ws/../x"), UsageError);
  EXPECT_NO_THROW(ws.contain("/tmp/ws/a/b"));
}

}  // namespace
}  // namespace rumi

namespace rumi {
namespace {

// The bucket folder's file names are the design's ("Workspace and output tree"), spelled in one
// place; a Workspace and a bare hashtag folder agree on them.
TEST(BucketFiles, NamesFollowTheDesignAndMatchTheWorkspace) {
  const std::filesystem::path h = "/ws/MLAnalysis/acme/nutrition";
  const BucketFiles f = bucket_files(h, Bucket::s16_30);
  EXPECT_EQ(f.dir, h / "bucket_16-30s");
  EXPECT_EQ(f.videos, h / "bucket_16-30s" / "videos");
  EXPECT_EQ(f.features, h / "bucket_16-30s" / "features.csv");
  EXPECT_EQ(f.model, h / "bucket_16-30s" / "model_16-30s.json");
  EXPECT_EQ(f.patterns, h / "bucket_16-30s" / "patterns_16-30s.json");
  EXPECT_EQ(f.performance, h / "bucket_16-30s" / "performance_metrics.json");
  EXPECT_EQ(f.analysis("7123"), h / "bucket_16-30s" / "videos" / "7123_analysis.json");
  const Workspace ws("/ws");
  EXPECT_EQ(ws.bucket_dir("acme", "nutrition", Bucket::s16_30), ws.hashtag_dir("acme", "nutrition") / "bucket_16-30s");
  EXPECT_TRUE(is_bucket_dir_name("bucket_0-15s"));
  EXPECT_FALSE(is_bucket_dir_name("reports"));
}

}  // namespace
}  // namespace rumi
