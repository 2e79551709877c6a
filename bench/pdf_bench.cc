// PDF rendering (Cairo + Pango through the report toolkit): a two-page text-heavy document
// like a creator brief, rendered to memory and saved.
#include <unistd.h>
#include <filesystem>
#include <string>

#include "bench_util.h"
#include "report/pdf_document.h"

namespace {

void BM_RenderTwoPagePdf(benchmark::State& state) {
  namespace fs = std::filesystem;
  const fs::path out = fs::temp_directory_path() / ("rumi-pdf-bench-" + std::to_string(::getpid()) + ".pdf");
  const std::string paragraph =
      "Open with a text overlay in the first second: in this bucket the top 10 % of videos show "
      "their first overlay 1.4 s earlier than the rest (lift -38 %, q = 0.004, 3 models agree).";
  for (auto _ : state) {
    rumi::report::PdfDocument doc;
    rumi::report::FlowLayout flow(doc, {"Creator brief", "#nutrition 0-15s", "Confidential"}, 2);
    for (int section = 0; section < 6; ++section) {
      flow.heading("Pattern " + std::to_string(section + 1));
      for (int p = 0; p < 4; ++p) flow.text(paragraph);
    }
    flow.finish();
    doc.save(out.string());
  }
  std::error_code ec;
  fs::remove(out, ec);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RenderTwoPagePdf)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
