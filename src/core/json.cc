#include "core/json.h"

#include <cmath>

#include "core/error.h"
#include "core/file_io.h"

namespace rumi {

namespace {
void scrub_non_finite(Json& j) {
  if (j.is_number_float()) {
    if (!std::isfinite(j.get<double>())) j = nullptr;
  } else if (j.is_array() || j.is_object()) {
    for (auto& v : j) scrub_non_finite(v);
  }
}
}  // namespace

std::string dump_json(const Json& j) {
  Json copy = j;
  scrub_non_finite(copy);
  std::string out = copy.dump(2, ' ', false, Json::error_handler_t::replace);
  out.push_back('\n');
  return out;
}

void write_json_atomic(const std::filesystem::path& path, const Json& j) { write_file_atomic(path, dump_json(j)); }

Json parse_json(std::string_view text, std::string_view file) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    throw InputError(file, "byte " + std::to_string(e.byte), "", "invalid JSON");
  } catch (const Json::exception& e) {  // e.g. out_of_range.406: a number too large for a double
    throw InputError(file, "document", "", std::string("invalid JSON: ") + e.what());
  }
}

Json read_json_file(const std::filesystem::path& path) { return parse_json(read_file(path), path.string()); }

Json json_number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

}  // namespace rumi
