#pragma once
// simdjson DOM parsing with the leniency of parse_json_fast (bare NaN / Infinity read as null),
// for code that reads values straight from the DOM instead of converting to rumi::Json.
#include <simdjson.h>

#include <string_view>

namespace rumi::features {

// The root of `text`, valid until `parser` parses again. Throws InputError naming
// `file_for_errors` when the text is not JSON even after the NaN/Infinity leniency.
simdjson::dom::element parse_json_lenient(simdjson::dom::parser& parser, const simdjson::padded_string& text,
                                          std::string_view file_for_errors);

}  // namespace rumi::features
