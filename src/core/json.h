#pragma once
// nlohmann::json for writing artifacts and reading small documents. Keys are sorted (std::map)
// and doubles print round-trip, so the same values always give the same bytes.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace rumi {

using Json = nlohmann::json;

// Pretty (indent 2) with a trailing newline. NaN/inf become null rather than invalid JSON.
std::string dump_json(const Json& j);
void write_json_atomic(const std::filesystem::path& path, const Json& j);
// Parses a document; throws InputError with the file and the parser's byte position.
Json parse_json(std::string_view text, std::string_view file_for_errors);
Json read_json_file(const std::filesystem::path& path);

// A double that is NaN/inf becomes null in JSON.
Json json_number(double v);

}  // namespace rumi
