// The simdjson hot path (fast_extract.h) against the nlohmann path (read_merged_analysis +
// extract_features): the vectors must be bit-identical (NaN == NaN) on the real samples, on
// synthetic videos, and on fuzzed documents (keys removed, types swapped, duplicated keys,
// bare NaN tokens), and both paths must reject the same documents.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/file_io.h"
#include "core/rng.h"
#include "features/analysis_reader.h"
#include "features/bucket_dataset.h"
#include "features/fast_extract.h"
#include "features/fast_json.h"
#include "features/feature_catalog.h"
#include "support/test_support.h"
#include "synth/generator.h"

namespace fs = std::filesystem;
using namespace rumi;
using namespace rumi::features;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct PathResult {
  bool threw = false;
  std::vector<double> values;
};

PathResult old_path(const std::string& text, double duration) {
  PathResult r;
  try {
    LoadedAnalysis a = merged_analysis_from_json(parse_json_fast(text, "doc.json"), "doc.json");
    r.values = extract_features(a, duration);
  } catch (const std::exception&) {  // nlohmann's type_error included: any refusal counts
    r.threw = true;
  }
  return r;
}

PathResult fast_path(MergedAnalysisExtractor& ex, const std::string& text, double duration) {
  PathResult r;
  r.values.assign(feature_catalog().size(), kNaN);
  try {
    ex.extract_text(text, "doc.json", duration, r.values);
  } catch (const InputError&) {
    r.threw = true;
    r.values.clear();
  }
  return r;
}

// Bit-identical, NaN-aware; names the first differing feature.
::testing::AssertionResult same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return ::testing::AssertionFailure() << "sizes " << a.size() << " vs " << b.size();
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) && std::isnan(b[i])) continue;
    if (std::memcmp(&a[i], &b[i], sizeof(double)) != 0)
      return ::testing::AssertionFailure() << feature_catalog().features[i].name << ": " << a[i] << " vs " << b[i];
  }
  return ::testing::AssertionSuccess();
}

// Both paths on one document; returns whether it was accepted.
bool expect_same(MergedAnalysisExtractor& ex, const std::string& text, double duration, const std::string& what) {
  const PathResult o = old_path(text, duration), f = fast_path(ex, text, duration);
  EXPECT_EQ(o.threw, f.threw) << what;
  if (!o.threw && !f.threw) {
    EXPECT_TRUE(same_bits(o.values, f.values)) << what;
  }
  return !o.threw;
}

// One random edit somewhere in the tree: remove a key, or swap a value for another type.
void mutate(Json& root, Rng& rng) {
  std::vector<Json*> nodes;
  std::vector<std::pair<Json*, std::string>> members;
  auto walk = [&](auto&& self, Json& j) -> void {
    nodes.push_back(&j);
    if (j.is_object())
      for (auto it = j.begin(); it != j.end(); ++it) {
        members.emplace_back(&j, it.key());
        self(self, it.value());
      }
    else if (j.is_array())
      for (auto& x : j) self(self, x);
  };
  walk(walk, root["flows"]);
  if (nodes.empty()) return;
  Json& n = *nodes[uniform_index(rng, nodes.size())];
  switch (uniform_index(rng, 10)) {
    case 0:
      if (!members.empty()) {
        auto& [obj, key] = members[uniform_index(rng, members.size())];
        obj->erase(key);
      }
      break;
    case 1: n = n.is_number() ? Json(n.dump()) : Json("abc"); break;  // numeric string / junk string
    case 2: n = n.is_string() ? Json(7) : Json(-2.5); break;
    case 3: n = Json::array(); break;
    case 4: n = Json::object(); break;
    case 5: n = nullptr; break;
    case 6: n = uniform01(rng) < 0.5; break;
    case 7: n = Json::array({1, "x", nullptr}); break;
    case 8: n = Json(std::to_string(uniform01(rng) * 60) + "s"); break;
    default: n = Json(18446744073709551615ull); break;
  }
}

// Serialises like Json::dump but sometimes repeats an object member (with another value, before
// or after the original) and sometimes writes a number as a bare NaN, as Python's json does.
void dump_quirky(const Json& j, Rng& rng, std::string& out) {
  if (j.is_object()) {
    out += '{';
    bool first = true;
    auto member = [&](const std::string& k, const Json& v) {
      if (!first) out += ',';
      first = false;
      out += Json(k).dump() + ':';
      dump_quirky(v, rng, out);
    };
    for (auto it = j.begin(); it != j.end(); ++it) {
      const double u = uniform01(rng);
      if (u < 0.03) member(it.key(), Json("9"));
      member(it.key(), it.value());
      if (u > 0.97) member(it.key(), Json::array());
    }
    out += '}';
  } else if (j.is_array()) {
    out += '[';
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (i) out += ',';
      dump_quirky(j[i], rng, out);
    }
    out += ']';
  } else if (j.is_number_float() && uniform01(rng) < 0.02) {
    out += "NaN";
  } else {
    out += j.dump();
  }
}

std::vector<std::string> merged_documents(const fs::path& dir) {
  const AnalysisIndex index = index_analysis_dir(dir);
  std::vector<std::string> out;
  for (const auto& [id, files] : index.by_video) {
    try {
      out.push_back(merged_analysis_json(load_analysis(index, id), "test").dump());
    } catch (const InputError&) {
      // A sample that is not a flow file of this video; the reader tests cover those.
    }
  }
  return out;
}

}  // namespace

static void expect_bit_identical_on(const fs::path& samples, std::size_t min_docs) {
  const auto docs = merged_documents(samples);
  ASSERT_GE(docs.size(), min_docs);
  MergedAnalysisExtractor ex;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const std::string what = "sample " + std::to_string(i);
    EXPECT_TRUE(expect_same(ex, docs[i], kNaN, what));
    EXPECT_TRUE(expect_same(ex, docs[i], 42.5, what + " with duration"));
  }
}

TEST(FastExtract, BitIdenticalOnTheRealSamples) {
  RUMI_REQUIRE_SHARED(test::shared_dir() / "rumiai_samples");
  expect_bit_identical_on(test::shared_dir() / "rumiai_samples", 2);
}

// The repository's own era-B analysis in every layout (tests/fixtures/rumiai_era_b).
TEST(FastExtract, BitIdenticalOnTheFixtureLayouts) {
  expect_bit_identical_on(test::fixtures_dir() / "rumiai_era_b", 4);
}

TEST(FastExtract, BitIdenticalOnSynthAndFuzzedVideos) {
  test::TempDir tmp;
  synth::SynthOptions o;  // what `rumi synth --videos 50 --seed 11 --missing-rate 0.2` writes
  o.videos = 50;
  o.seed = 11;
  o.missing_flow_rate = 0.2;
  synth::generate(o, tmp / "s");
  const auto docs = merged_documents(tmp / "s" / "analyses");
  ASSERT_GE(docs.size(), 45u);
  MergedAnalysisExtractor ex;
  Rng rng = make_rng(3, "fast-extract-fuzz");
  std::size_t accepted = 0, fuzzed = 0;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const double duration = i % 3 == 0 ? kNaN : 5.0 + static_cast<double>(i);
    expect_same(ex, docs[i], duration, "synth " + std::to_string(i));
    for (int k = 0; k < 8; ++k) {
      Json doc = Json::parse(docs[i]);
      const int edits = 1 + static_cast<int>(uniform_index(rng, 12));
      for (int e = 0; e < edits; ++e) mutate(doc, rng);
      std::string text;
      dump_quirky(doc, rng, text);
      const std::string what = "synth " + std::to_string(i) + " fuzz " + std::to_string(k);
      accepted += expect_same(ex, text, duration, what) ? 1 : 0;
      ++fuzzed;
    }
  }
  EXPECT_GT(accepted, fuzzed / 2);  // the edits mostly hit features, not the envelope
}

TEST(FastExtract, EnvelopeQuirksMatchTheOldReader) {
  MergedAnalysisExtractor ex;
  const std::string flows =
      R"("flows": {"creative_density": {"Interactions": {"elementCooccurrence": {"text_object": 3, "object_text": 2,
         "object_text": 5, "gesture_text": "4", "zzz": 1}}, "CoreMetrics": {"avgDensity": 1}, "CoreMetrics": {"avgDensity": 2.5}},
         "metadata_analysis": {"CoreMetrics": {"videoDuration": 30}}, "not_a_flow": 3})";
  auto doc = [&](const std::string& head) { return "{" + head + ", " + flows + "}"; };
  const std::string ok = R"("format": "rumi-analysis", "format_version": 1, "video_id": "1")";
  EXPECT_TRUE(expect_same(ex, doc(ok), kNaN, "duplicates"));
  std::vector<double> v(feature_catalog().size());
  EXPECT_EQ(ex.extract_text(doc(ok), "d.json", kNaN, v), "1");
  EXPECT_EQ(v[*feature_catalog().index_of("density.avgDensity")], 2.5);
  EXPECT_EQ(v[*feature_catalog().index_of("density.elementCooccurrence.object_text")], 5);
  EXPECT_FALSE(expect_same(ex, doc(R"("format": "rumi-analysis", "format_version": 2, "video_id": "1")"), kNaN, "v2"));
  EXPECT_FALSE(
      expect_same(ex, doc(R"("format": "rumi-analysis", "format_version": 1.0, "video_id": "1")"), kNaN, "v1.0"));
  EXPECT_FALSE(expect_same(ex, doc(R"("format": "other", "format_version": 1, "video_id": "1")"), kNaN, "format"));
  EXPECT_FALSE(expect_same(ex, doc(R"("format": 5, "format_version": 1, "video_id": "1")"), kNaN, "format type"));
  EXPECT_FALSE(expect_same(ex, doc(R"("format": "rumi-analysis", "format_version": 1, "video_id": 1)"), kNaN, "id"));
  EXPECT_FALSE(expect_same(ex, R"({"format": "rumi-analysis", "format_version": 1, "video_id": "1", "flows": []})",
                           kNaN, "flows array"));
  EXPECT_FALSE(expect_same(ex, R"({"format": "rumi-analysis", "format_version": 1, "video_id": "1",
                                  "flows": {"scene_pacing": 3}})",
                           kNaN, "flow not object"));
  EXPECT_FALSE(expect_same(ex, "{\"format\": ", kNaN, "truncated"));
  EXPECT_TRUE(expect_same(ex, R"({"format": "rumi-analysis", "format_version": 1, "video_id": "1"})", 12, "no flows"));
}

static void expect_bucket_dataset_rows_equal(const fs::path& samples) {
  test::TempDir tmp;
  const auto docs = merged_documents(samples);
  ASSERT_FALSE(docs.empty());
  const fs::path videos = tmp / "bucket_0-15s" / "videos";
  fs::create_directories(videos);
  Json selected = Json::array();
  std::vector<std::vector<double>> expected;
  for (int copy = 0; copy < 12; ++copy)
    for (const auto& text : docs) {
      Json j = Json::parse(text);
      if (j.value("era", "B") != "B") continue;  // a bucket holds one era (era C: era_c_test.cc)
      const std::string id = j["video_id"].get<std::string>() + std::to_string(copy);
      j["video_id"] = id;
      write_json_atomic(videos / (id + "_analysis.json"), j);
      selected.push_back({{"video_id", id}, {"er", 1.5 + copy}, {"duration_s", 10.0 + copy}});
      expected.push_back(extract_features(read_merged_analysis(videos / (id + "_analysis.json")), 10.0 + copy));
    }
  const Json selection = {{"buckets", {{"0-15s", {{"selected", selected}}}}}};
  const Dataset d = build_bucket_dataset(tmp.path(), *parse_bucket("0-15s"), selection);
  ASSERT_EQ(d.rows(), expected.size());
  const std::size_t cols = feature_catalog().size();
  for (std::size_t r = 0; r < expected.size(); ++r)
    EXPECT_TRUE(same_bits(expected[r], std::vector<double>(d.x.begin() + r * cols, d.x.begin() + (r + 1) * cols)))
        << "row " << r;
}

TEST(FastExtract, BucketDatasetEqualsTheOldPathRowByRow) {
  RUMI_REQUIRE_SHARED(test::shared_dir() / "rumiai_samples");
  expect_bucket_dataset_rows_equal(test::shared_dir() / "rumiai_samples");
}

TEST(FastExtract, BucketDatasetEqualsTheOldPathRowByRowOnFixtures) {
  expect_bucket_dataset_rows_equal(test::fixtures_dir() / "rumiai_era_b");
}
