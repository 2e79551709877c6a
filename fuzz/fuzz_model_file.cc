// model_<bucket>.json files: they may come from other workspaces, so every size is untrusted.
#include "core/json.h"
#include "fuzz_common.h"
#include "ml/model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rumi::fuzz::run_one([&] {
    const rumi::Json doc = rumi::parse_json(rumi::fuzz::as_text(data, size), "model.json");
    (void)rumi::ml::model_from_json(doc, "", "model.json");
  });
}
