#pragma once
// Parsing RumiAI files fast and leniently: simdjson does the parse (the hot path when a
// hashtag has hundreds of analyses), the result is handed on as rumi::Json. Python's json may
// write bare NaN / Infinity, which strict parsers reject; those tokens are read as null.
#include <filesystem>
#include <string_view>

#include "core/json.h"

namespace rumi::features {

// Throws InputError naming `file_for_errors` when the text is not JSON even after the
// NaN/Infinity leniency.
Json parse_json_fast(std::string_view text, std::string_view file_for_errors);
Json read_json_fast(const std::filesystem::path& file);

}  // namespace rumi::features
