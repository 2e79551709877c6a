// Apify JSON items (array, JSONL, single item, wrapped) and the legacy scraper JSON.
#include "acquire/importers.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rumi::fuzz::run_one([&] {
    rumi::acquire::ImportOptions opts;
    opts.format = rumi::acquire::ImportFormat::apify_json;
    opts.fetched_utc = 1700000000;
    const auto text = rumi::fuzz::as_text(data, size);
    auto batch = rumi::acquire::import_text(text, "fuzz.json", opts);
    (void)rumi::acquire::dedupe_videos(std::move(batch.videos));
    // Auto-detection also routes '{"collector": ...}' to the legacy reader.
    opts.format = rumi::acquire::ImportFormat::automatic;
    try {
      (void)rumi::acquire::import_text(text, "fuzz.json", opts);
    } catch (const rumi::Error&) {
    }
  });
}
