// The CSV reader and both CSV importers (Apify console export, display-format scrapers).
#include "acquire/csv_reader.h"
#include "acquire/importers.h"
#include "fuzz_common.h"

namespace {
void try_format(std::string_view text, rumi::acquire::ImportFormat f) {
  try {
    rumi::acquire::ImportOptions opts;
    opts.format = f;
    opts.fetched_utc = 1700000000;
    (void)rumi::acquire::import_text(text, "fuzz.csv", opts);
  } catch (const rumi::Error&) {
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = rumi::fuzz::as_text(data, size);
  return rumi::fuzz::run_one([&] {
    try {
      auto table = rumi::acquire::parse_csv(text, "fuzz.csv");
      for (const auto& h : table.header) (void)table.column(h);
    } catch (const rumi::Error&) {
    }
    try_format(text, rumi::acquire::ImportFormat::apify_csv);
    try_format(text, rumi::acquire::ImportFormat::display_csv);
    (void)rumi::acquire::detect_format(text);
  });
}
