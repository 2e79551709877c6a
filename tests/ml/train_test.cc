#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"
#include "core/sha256.h"
#include "ml/model_file.h"
#include "ml/predict.h"
#include "ml/train.h"
#include "ml_test_util.h"
#include "support/test_support.h"

namespace rumi::ml {
namespace {

using test::planted_dataset;

std::vector<std::string> ranking_names(const Json& model) {
  std::vector<std::string> out;
  for (const auto& r : model["importance"]["ranking"]) out.push_back(r["feature"].get<std::string>());
  return out;
}

const Json* consensus_entry(const Json& model, const std::string& feature) {
  for (const auto& c : model["consensus"])
    if (c["feature"] == feature) return &c;
  return nullptr;
}

TEST(Train, PlantedEffectsFoundIn250x430) {
  const Dataset d = planted_dataset(250, 428, 7);
  const auto t0 = std::chrono::steady_clock::now();
  const TrainedModel trained = train_bucket(d, "16-30s", TrainOptions{});
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Json model = model_to_json(trained);
  const BucketTrainResult summary = train_summary(trained);
  std::printf("train 250 x 430: %.2f s, forest R2 %.3f, baseline %.3f\n", secs, summary.forest_r2, summary.baseline_r2);
  const auto rank = ranking_names(model);
  ASSERT_GE(rank.size(), 2u);
  EXPECT_TRUE((rank[0] == "planted_up" && rank[1] == "planted_down") ||
              (rank[1] == "planted_up" && rank[0] == "planted_down"));
  EXPECT_EQ(model["cv"]["scheme"], "5-fold");
  EXPECT_GT(summary.forest_r2, 0.4);
  EXPECT_LT(summary.baseline_r2, 0.05);
  const Json* up = consensus_entry(model, "planted_up");
  const Json* down = consensus_entry(model, "planted_down");
  ASSERT_NE(up, nullptr);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ((*up)["sign"], 1);
  EXPECT_EQ((*down)["sign"], -1);
  EXPECT_GE((*up)["models"].size(), 3u);
  // Pure noise is not model-backed by the models that see all of it.
  for (const auto& c : model["consensus"]) {
    if (c["feature"].get<std::string>().starts_with("noise_")) {
      EXPECT_LT(c["models"].size(), 4u) << c.dump();
    }
  }
  // The linear model must say OLS would be singular only when p >= n.
  EXPECT_TRUE(model["models"]["linear"]["ols_singular"].get<bool>());
  // Decision-tree rules are readable paths in original units.
  const auto& rules = model["models"]["decision_tree"]["rules"];
  ASSERT_FALSE(rules.empty());
  EXPECT_NE(rules[0]["text"].get<std::string>().find("IF "), std::string::npos);
}

TEST(Train, PlantedEffectFoundAt20And60Videos) {
  for (std::size_t n : {20u, 60u}) {
    const Dataset d = planted_dataset(n, 300, 11 + n, 3.0, 0.0, 0.3);
    const TrainedModel trained = train_bucket(d, "0-15s", TrainOptions{});
    const Json model = model_to_json(trained);
    const auto rank = ranking_names(model);
    ASSERT_FALSE(rank.empty());
    EXPECT_EQ(rank[0], "planted_up") << "n=" << n;
    EXPECT_EQ(model["exploratory"].get<bool>(), n < 30);
    EXPECT_EQ(model["cv"]["scheme"], n < 30 ? "bootstrap-oob" : "5-fold");
    EXPECT_NE(consensus_entry(model, "planted_up"), nullptr) << "n=" << n;
  }
}

TEST(Train, PureNoiseGivesNoSkill) {
  const Dataset d = planted_dataset(80, 100, 5, 0.0, 0.0, 1.0);
  const TrainedModel trained = train_bucket(d, "0-15s", TrainOptions{});
  const Json model = model_to_json(trained);
  const BucketTrainResult summary = train_summary(trained);
  EXPECT_LT(summary.forest_r2, 0.1);
  for (const auto& c : model["consensus"]) EXPECT_LT(c["models"].size(), 4u);
}

TEST(Train, ByteIdenticalModelFilesForSameInputAndSeed) {
  rumi::test::TempDir a, b;
  const Dataset d = planted_dataset(60, 40, 3);
  for (auto* dir : {&a, &b}) {
    std::filesystem::create_directories(dir->path() / "bucket_0-15s");
    write_dataset_csv(dir->path() / "bucket_0-15s" / "features.csv", d);
  }
  TrainOptions o;
  o.gradient_boosting = true;
  train_hashtag(a.path(), o);
  train_hashtag(b.path(), o);
  const auto fa = read_file(a.path() / "bucket_0-15s" / "model_0-15s.json");
  EXPECT_EQ(fa, read_file(b.path() / "bucket_0-15s" / "model_0-15s.json"));
  EXPECT_EQ(read_file(a.path() / "bucket_0-15s" / "performance_metrics.json"),
            read_file(b.path() / "bucket_0-15s" / "performance_metrics.json"));
  o.seed = 43;
  train_hashtag(b.path(), o);
  EXPECT_NE(fa, read_file(b.path() / "bucket_0-15s" / "model_0-15s.json"));
}

TEST(Train, BucketsTrainSideBySideWithFilesIndependentOfThreads) {
  // Buckets train in parallel (ml/train.cc): each bucket's files and the summary order must be
  // those of a one-thread run, whatever finishes first.
  rumi::test::TempDir one, two;
  const std::vector<std::pair<std::string, Dataset>> buckets{{"0-15s", planted_dataset(55, 30, 1)},
                                                             {"16-30s", planted_dataset(35, 30, 2)},
                                                             {"31-60s", planted_dataset(24, 30, 3)}};
  for (auto* dir : {&one, &two})
    for (const auto& [name, d] : buckets) {
      std::filesystem::create_directories(dir->path() / ("bucket_" + name));
      write_dataset_csv(dir->path() / ("bucket_" + name) / "features.csv", d);
    }
  TrainOptions o;
  o.nthread = 1;
  const TrainSummary s1 = train_hashtag(one.path(), o);
  o.nthread = 2;
  const TrainSummary s2 = train_hashtag(two.path(), o);
  ASSERT_EQ(s1.buckets.size(), 3u);
  ASSERT_EQ(s2.buckets.size(), 3u);
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const std::string& name = buckets[i].first;
    EXPECT_EQ(s1.buckets[i].bucket, name);
    EXPECT_EQ(s2.buckets[i].bucket, name);
    for (const std::string& file : {"model_" + name + ".json", std::string("performance_metrics.json")})
      EXPECT_EQ(read_file(one.path() / ("bucket_" + name) / file), read_file(two.path() / ("bucket_" + name) / file))
          << name << " " << file;
  }
}

TEST(Train, HashtagSkipsSmallBucketsAndWritesPerformance) {
  rumi::test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "bucket_0-15s");
  std::filesystem::create_directories(dir.path() / "bucket_31-60s");
  write_dataset_csv(dir.path() / "bucket_0-15s" / "features.csv", planted_dataset(15, 10, 1));
  write_dataset_csv(dir.path() / "bucket_31-60s" / "features.csv", planted_dataset(25, 10, 2));
  const TrainSummary s = train_hashtag(dir.path(), TrainOptions{});
  ASSERT_EQ(s.buckets.size(), 2u);
  EXPECT_TRUE(s.buckets[0].insufficient);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "bucket_0-15s" / "model_0-15s.json"));
  const Json small = read_json_file(dir.path() / "bucket_0-15s" / "performance_metrics.json");
  EXPECT_TRUE(small["insufficient_data"].get<bool>());
  EXPECT_TRUE(small["cv_r2"].is_null());
  const Json mid = read_json_file(dir.path() / "bucket_31-60s" / "performance_metrics.json");
  EXPECT_TRUE(mid["exploratory"].get<bool>());
  EXPECT_EQ(mid["sample_size"], 25);
  EXPECT_TRUE(mid["cv_r2"].is_number());
  // Two consistencies, each named by its unit (format 2): consistency_cv = 1 / (1 + CV), the
  // bucket report's (core/bucket_population.h), and consistency_std = 1 / (1 + std), the seed's.
  EXPECT_EQ(mid["format"], "rumi-performance-metrics");
  EXPECT_EQ(mid["format_version"], 2);
  EXPECT_FALSE(mid.contains("consistency"));
  EXPECT_NEAR(mid["consistency_cv"].get<double>(),
              1.0 / (1.0 + mid["std_engagement"].get<double>() / mid["avg_engagement"].get<double>()), 1e-12);
  EXPECT_NEAR(mid["consistency_std"].get<double>(), 1.0 / (1.0 + mid["std_engagement"].get<double>()), 1e-12);
  EXPECT_THROW(train_bucket(planted_dataset(19, 5, 1), "0-15s", TrainOptions{}), NotEnoughDataError);
}

TEST(Train, PerformanceMetricsMatchNumpy) {
  const Dataset d = planted_dataset(37, 2, 9);
  const BucketPerformance p = bucket_performance(d, "0-15s", 0.5);
  std::string ys;
  for (double v : d.target) ys += fmt::format("{:.17g}\n", v);
  const auto r = rumi::test::run_python(
      "import sys, numpy as np\ny=np.array([float(l) for l in sys.stdin if l.strip()])\n"
      "print(repr(y.mean()), repr(np.median(y)), repr(y.std(ddof=1)), repr(np.percentile(y, 90)))",
      ys);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  double m, med, sd, p90;
  ASSERT_EQ(std::sscanf(r.out.c_str(), "%lf %lf %lf %lf", &m, &med, &sd, &p90), 4);
  EXPECT_NEAR(p.avg_er, m, 1e-9);
  EXPECT_NEAR(p.median_er, med, 1e-9);
  EXPECT_NEAR(p.std_er, sd, 1e-9);
  EXPECT_NEAR(p.p90_er, p90, 1e-9);
}

TEST(Train, DegenerateDataGivesValidOutput) {
  Dataset d = planted_dataset(20, 5, 4);
  for (auto& y : d.target) y = 3.0;                                         // constant target
  for (std::size_t i = 0; i < d.rows(); ++i) d.at(i, 2) = 1.0;              // constant column
  for (std::size_t i = 0; i < d.rows(); i += 3) d.at(i, 3) = std::nan("");  // missing values
  const TrainedModel trained = train_bucket(d, "0-15s", TrainOptions{});
  const Json model = model_to_json(trained);
  const std::string text = dump_json(model);
  EXPECT_EQ(text.find("nan"), std::string::npos);
  EXPECT_TRUE(model["consensus"].empty());
  const ModelFile m = model_from_json(model, "", "mem");
  const Prediction p = predict(m, d.row(0));
  EXPECT_NEAR(p.er, 3.0, 1e-4);
  Dataset nan_target = planted_dataset(20, 3, 4);
  nan_target.target[5] = std::nan("");
  EXPECT_THROW(train_bucket(nan_target, "0-15s", TrainOptions{}), InputError);
}

TEST(ModelFile, RoundTripPredictsAndRefusesMismatch) {
  const Dataset d = planted_dataset(40, 20, 8);
  TrainOptions o;
  o.schema_version = "7";
  std::string joined;
  for (std::size_t i = 0; i < d.cols(); ++i) joined += (i ? "\n" : "") + d.feature_names[i];
  o.schema_sha256 = sha256_hex(joined);
  TrainOptions wrong_schema = o;
  wrong_schema.schema_sha256 = "abc123";
  EXPECT_THROW(train_bucket(d, "31-60s", wrong_schema), InputError);
  o.clustering_k = 3;
  const TrainedModel trained = train_bucket(d, "31-60s", o);
  const Json model = model_to_json(trained);
  rumi::test::TempDir dir;
  write_json_atomic(dir / "model.json", model);
  const ModelFile m = load_model_file(dir / "model.json", o.schema_sha256);
  EXPECT_EQ(m.clustering.result.k, 3);
  const Prediction p = predict(m, d.row(0));
  EXPECT_LE(p.low, p.er);
  EXPECT_GE(p.high, p.er);
  ASSERT_EQ(p.top_contributions.size(), 5u);
  double sum = p.baseline;
  for (const auto& c : predict(m, d.row(0), 1000).top_contributions) sum += c.second;
  EXPECT_NEAR(sum, p.er, 1e-3);  // SHAP additivity through the saved model
  EXPECT_THROW(load_model_file(dir / "model.json", "other-hash"), InputError);
  Json wrong = model;
  wrong["format_version"] = 2;
  EXPECT_THROW(model_from_json(wrong, "", "x"), InputError);
  Json truncated = model;
  truncated["scaler"]["center"].erase(0);
  EXPECT_THROW(model_from_json(truncated, "", "x"), InputError);
  EXPECT_THROW(predict(m, std::vector<double>(3, 0.0)), InputError);
}

}  // namespace
}  // namespace rumi::ml
