// rumi train / rumi predict: per-bucket ensemble training and scoring one new video.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cmath>
#include <filesystem>
#include <memory>

#include "cli/cli.h"
#include "cli/target.h"
#include "core/bucket.h"
#include "core/error.h"
#include "core/workspace.h"
#include "features/analysis_reader.h"
#include "features/feature_catalog.h"
#include "ml/model_file.h"
#include "ml/predict.h"
#include "ml/train.h"
#include "pipeline/success_gate.h"
#include "store/workspace_lock.h"

namespace rumi::cli {

namespace {

struct TrainArgs {
  std::string client, hashtag;
  std::uint64_t seed = kDefaultSeed;
  double min_success = -1;  // < 0: the hashtag's success_gate
};

struct PredictArgs {
  std::string client, hashtag, analysis, video_id;
  double duration = 0;
};

std::string fmt_r2(double v) { return std::isfinite(v) ? fmt::format("{:+.3f}", v) : "n/a"; }

int run_train(const Context& ctx, const TrainArgs& a) {
  Target t = open_target(ctx, a.client, a.hashtag);
  const auto lock = store::WorkspaceLock::acquire(t.workspace, "train #" + t.hashtag.slug,
                                                  store::LockOptions{.timeout = store::lock_timeout_from_env()});
  // Nothing trains on a bucket most of whose selected videos were never analysed (the same gate
  // as `rumi analyze` and `rumi run`), unless the caller lowers it explicitly.
  const pipeline::GateCheck gate =
      pipeline::check_success_gate(t.dir(), a.min_success >= 0 ? a.min_success : t.analysis.success_gate,
                                   a.min_success >= 0 ? "--min-success" : "config success_gate");
  if (!gate.passed) throw NotEnoughDataError(gate.failure_message(t.hashtag.name, "rumi train"));
  const auto& catalog = features::feature_catalog();
  ml::TrainOptions o;
  o.seed = a.seed;
  o.schema_version = catalog.version;
  o.schema_sha256 = catalog.sha256;
  o.clustering_k = t.analysis.clustering_k;
  o.gradient_boosting = t.analysis.has_model("gradient_boosting");
  const ml::TrainSummary s = ml::train_hashtag(t.dir(), o);
  if (s.buckets.empty())
    throw NotEnoughDataError("no bucket_*/features.csv under " + t.dir().string() + "; run `rumi features` first");
  Json j = Json::array();
  std::string text = fmt::format("{:<9} {:>6}  {:<14} {:>9} {:>9}  {}\n", "bucket", "videos", "validation", "R2 forest",
                                 "R2 mean", "top features (model-backed*)");
  for (const auto& b : s.buckets) {
    j.push_back(Json{{"bucket", b.bucket},
                     {"videos", b.videos},
                     {"insufficient_data", b.insufficient},
                     {"exploratory", b.exploratory},
                     {"scheme", b.scheme},
                     {"forest_r2", json_number(b.forest_r2)},
                     {"baseline_r2", json_number(b.baseline_r2)},
                     {"top_features", b.top_features},
                     {"consensus", b.consensus_features},
                     {"model", b.model_path.string()}});
    if (b.insufficient) {
      text += fmt::format("{:<9} {:>6}  INSUFFICIENT DATA (need {} videos)\n", b.bucket, b.videos, kMinVideosForModel);
      continue;
    }
    std::string top;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, b.top_features.size()); ++i) {
      const auto& f = b.top_features[i];
      const bool backed =
          std::find(b.consensus_features.begin(), b.consensus_features.end(), f) != b.consensus_features.end();
      top += (i ? ", " : "") + f + (backed ? "*" : "");
    }
    text += fmt::format("{:<9} {:>6}  {:<14} {:>9} {:>9}  {}{}\n", b.bucket, b.videos, b.scheme, fmt_r2(b.forest_r2),
                        fmt_r2(b.baseline_r2), top, b.exploratory ? "  (exploratory)" : "");
  }
  if (a.min_success >= 0 && a.min_success < t.analysis.success_gate)
    text += fmt::format("Success gate lowered to {:.0f} % by --min-success (the hashtag's is {:.0f} %).\n",
                        a.min_success * 100, t.analysis.success_gate * 100);
  ctx.emit(Json{{"buckets", j}, {"seed", a.seed}, {"success_gate", gate.to_json()}}, text);
  return 0;
}

int run_predict(const Context& ctx, const PredictArgs& a) {
  Target t = open_target(ctx, a.client, a.hashtag);
  Bucket bucket{};
  if (classify_duration(a.duration, &bucket) != DurationVerdict::ok)
    throw UsageError(fmt::format("--duration {}: outside the 0-120 s buckets", a.duration));
  const std::string name(bucket_name(bucket));
  const auto model_path = bucket_files(t.dir(), bucket).model;
  if (!std::filesystem::exists(model_path))
    throw NotEnoughDataError("no model for bucket " + name + " (" + model_path.string() +
                             "); run `rumi train` (buckets under 20 videos have none)");
  const auto& catalog = features::feature_catalog();
  const ml::ModelFile model = ml::load_model_file(model_path, catalog.sha256);
  const std::filesystem::path dir(a.analysis);
  const std::string video_id = a.video_id.empty() ? dir.filename().string() : a.video_id;
  const auto analysis = features::load_analysis_from_dir(dir, video_id);
  const auto values = features::extract_features(analysis, a.duration);
  const ml::Prediction p = ml::predict(model, values);
  std::string text = fmt::format("Bucket {}{}: predicted engagement rate {:.2f}% (90% interval {:.2f}% to {:.2f}%)\n",
                                 name, model.exploratory ? " (exploratory)" : "", p.er, p.low, p.high);
  text += fmt::format("Closest group of videos: cluster {} (their average ER {:.2f}%)\n", p.cluster, p.cluster_mean_er);
  text += fmt::format("Why (vs. the bucket average of {:.2f}%):\n", p.baseline);
  for (const auto& [feature, v] : p.top_contributions) {
    std::string label = feature;
    if (auto idx = catalog.index_of(feature); idx && !catalog.features[*idx].phrase.empty())
      label = catalog.features[*idx].phrase;
    text += fmt::format("  {} {:.2f} points: {}\n", v >= 0 ? "raises ER by" : "lowers ER by", std::abs(v), label);
  }
  Json j = ml::to_json(p);
  j["bucket"] = name;
  j["model"] = model_path.string();
  ctx.emit(j, text);
  return 0;
}

}  // namespace

void register_train_commands(Registry& r) {
  auto train = std::make_shared<TrainArgs>();
  auto* tc = r.app.add_subcommand("train", "Train the per-bucket ensemble (forest, tree, ridge, k-means) with CV");
  tc->add_option("CLIENT", train->client, "client name or slug")->required();
  tc->add_option("HASHTAG", train->hashtag, "hashtag")->required();
  tc->add_option("--seed", train->seed, "random seed (default 42)");
  tc->add_option("--min-success", train->min_success,
                 "share of each bucket's selected videos that must be analysed (default: the hashtag's "
                 "success_gate, 0.8)")
      ->check(CLI::Range(0.0, 1.0));
  tc->callback([&r, train] { r.action = [train](const Context& ctx) { return run_train(ctx, *train); }; });

  auto pred = std::make_shared<PredictArgs>();
  auto* pc = r.app.add_subcommand("predict", "Predict a new video's engagement rate from its RumiAI analysis");
  pc->add_option("CLIENT", pred->client, "client name or slug")->required();
  pc->add_option("HASHTAG", pred->hashtag, "hashtag")->required();
  pc->add_option("--analysis", pred->analysis, "folder with the video's RumiAI analysis files")->required();
  pc->add_option("--duration", pred->duration, "video duration in seconds")->required();
  pc->add_option("--video-id", pred->video_id, "video id inside the folder (default: the folder name)");
  pc->callback([&r, pred] { r.action = [pred](const Context& ctx) { return run_predict(ctx, *pred); }; });
}

}  // namespace rumi::cli
