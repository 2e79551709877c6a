#pragma once
// Content hashes identify inputs (manifests, skip-if-unchanged) and shared analyses.
#include <filesystem>
#include <string>
#include <string_view>

namespace rumi {

std::string sha256_hex(std::string_view data);
std::string sha256_file(const std::filesystem::path& path);

}  // namespace rumi
