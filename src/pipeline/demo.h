#pragma once
// `rumi demo`: a synthetic client with two hashtags (~250 videos each, every bucket, one bucket
// deliberately too small for a model), generated with a fixed seed and pushed through the whole
// pipeline, so a new user sees real reports in under two minutes with no data of their own.
#include <atomic>
#include <filesystem>

#include "pipeline/run_pipeline.h"

namespace rumi::pipeline {

struct DemoOptions {
  std::filesystem::path out = "rumi-demo";
  std::optional<std::filesystem::path> workspace;  // default: <out>/workspace
  std::uint64_t seed = kDefaultSeed;
  int videos_per_hashtag = 250;
  // > 0: the native demo instead (pipeline/native_demo.h): this many real mp4 files made with
  // ffmpeg, analysed by rumi's native analyzer.
  int native_videos = 0;
  bool quiet = false;
  const std::atomic<bool>* stop = nullptr;
};

struct DemoResult {
  std::filesystem::path config_file, workspace;
  RunResult run;
  std::filesystem::path videos_dir;  // native demo: the mp4 folder
  std::string planted_summary;       // native demo: what was planted, for the printed summary
};

// Writes <out>/data/<hashtag>/ (synthetic Apify items + RumiAI analyses + planted.json) and
// <out>/demo.yaml, then runs the pipeline on them. With native_videos > 0: run_native_demo.
DemoResult run_demo(const DemoOptions& options);

}  // namespace rumi::pipeline
