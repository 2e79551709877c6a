#include "features/fast_json.h"
#include "features/simd_parse.h"

#include <simdjson.h>

#include <string>

#include "core/error.h"
#include "core/file_io.h"

namespace rumi::features {

namespace {

Json to_json(simdjson::dom::element e) {
  using T = simdjson::dom::element_type;
  switch (e.type()) {
    case T::ARRAY: {
      Json out = Json::array();
      simdjson::dom::array arr;
      if (e.get_array().get(arr) != simdjson::SUCCESS) return out;
      for (auto child : arr) out.push_back(to_json(child));
      return out;
    }
    case T::OBJECT: {
      Json out = Json::object();
      simdjson::dom::object obj;
      if (e.get_object().get(obj) != simdjson::SUCCESS) return out;
      for (auto field : obj) out[std::string(field.key)] = to_json(field.value);
      return out;
    }
    case T::INT64: return Json(e.get_int64().value_unsafe());
    case T::UINT64: return Json(e.get_uint64().value_unsafe());
    case T::DOUBLE: return Json(e.get_double().value_unsafe());
    case T::STRING: return Json(std::string(e.get_string().value_unsafe()));
    case T::BOOL: return Json(e.get_bool().value_unsafe());
    case T::NULL_VALUE: return Json(nullptr);
  }
  return Json(nullptr);
}

// Replaces bare NaN / Infinity / -Infinity tokens (outside strings) by null.
std::string nan_to_null(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size())
        out += text[++i];
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    auto starts = [&](std::string_view tok) { return text.substr(i, tok.size()) == tok; };
    if (starts("NaN")) {
      out += "null";
      i += 2;
      continue;
    }
    if (starts("-Infinity")) {
      out += "null";
      i += 8;
      continue;
    }
    if (starts("Infinity")) {
      out += "null";
      i += 7;
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

simdjson::dom::element parse_json_lenient(simdjson::dom::parser& parser, const simdjson::padded_string& text,
                                          std::string_view file_for_errors) {
  auto result = parser.parse(text);
  if (!result.error()) return result.value_unsafe();
  const std::string_view view(text);
  if (view.find("NaN") != std::string_view::npos || view.find("Infinity") != std::string_view::npos) {
    // The DOM keeps its own copy of every string, so `fixed` may go away after the parse.
    const simdjson::padded_string fixed(nan_to_null(view));
    auto retry = parser.parse(fixed);
    if (!retry.error()) return retry.value_unsafe();
  }
  throw InputError(file_for_errors, "document", "-",
                   std::string("not valid JSON: ") + simdjson::error_message(result.error()));
}

Json parse_json_fast(std::string_view text, std::string_view file_for_errors) {
  thread_local simdjson::dom::parser parser;
  return to_json(parse_json_lenient(parser, simdjson::padded_string(text), file_for_errors));
}

Json read_json_fast(const std::filesystem::path& file) { return parse_json_fast(read_file(file), file.string()); }

}  // namespace rumi::features
