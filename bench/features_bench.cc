// The features stage's parse + extraction throughput in MB/s on synthetic RumiAI output
// (rumi synth, the real era-B layouts): (1) the merged <id>_analysis.json hot path that
// `rumi features` runs per video, from memory; (2) reading the raw flow files of a video from a
// replay directory in any layout (what `rumi analyze --replay` does first).
#include <unistd.h>
#include <filesystem>
#include <string>

#include "bench_util.h"
#include "features/analysis_reader.h"
#include "features/fast_extract.h"
#include "features/feature_catalog.h"
#include "synth/generator.h"

namespace {

namespace fs = std::filesystem;

constexpr int kVideos = 40;

// A scratch directory with kVideos synthetic videos, removed when the benchmark ends.
struct SynthDir {
  fs::path root;
  std::vector<std::string> ids;
  SynthDir() {
    root = fs::temp_directory_path() / ("rumi-features-bench-" + std::to_string(::getpid()));
    rumi::synth::SynthOptions o;
    o.videos = kVideos;
    o.seed = 42;
    const auto summary = rumi::synth::generate(o, root);
    const auto index = rumi::features::index_analysis_dir(summary.analyses_dir);
    for (const auto& [id, files] : index.by_video) ids.push_back(id);
  }
  ~SynthDir() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  SynthDir(const SynthDir&) = delete;
  SynthDir& operator=(const SynthDir&) = delete;
};

void BM_ExtractMergedAnalysis(benchmark::State& state) {
  const SynthDir dir;
  const auto index = rumi::features::index_analysis_dir(dir.root / "analyses");
  std::vector<std::string> texts;
  std::size_t bytes = 0;
  for (const auto& id : dir.ids) {
    texts.push_back(rumi::features::merged_analysis_json(rumi::features::load_analysis(index, id), "replay").dump());
    bytes += texts.back().size();
  }
  rumi::features::MergedAnalysisExtractor extractor;
  std::vector<double> row(rumi::features::feature_catalog().size());
  for (auto _ : state) {
    for (const auto& t : texts) {
      auto id = extractor.extract_text(t, "bench", 30.0, row);
      benchmark::DoNotOptimize(id);
      benchmark::DoNotOptimize(row.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(texts.size()));
}
BENCHMARK(BM_ExtractMergedAnalysis)->Unit(benchmark::kMillisecond);

void BM_LoadRawFlowFiles(benchmark::State& state) {
  const SynthDir dir;
  const auto index = rumi::features::index_analysis_dir(dir.root / "analyses");
  std::size_t bytes = 0;
  for (const auto& [id, files] : index.by_video)
    for (const auto& f : files) bytes += fs::file_size(f.path);
  for (auto _ : state) {
    for (const auto& id : dir.ids) {
      auto a = rumi::features::load_analysis(index, id);
      benchmark::DoNotOptimize(a);
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(dir.ids.size()));
}
BENCHMARK(BM_LoadRawFlowFiles)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
