#pragma once
// Every artifact is written atomically (temp file in the same directory + fsync + rename + fsync
// of the directory), so a crash or a full disk leaves either the old file or the new one, never
// half of either.
#include <filesystem>
#include <string>
#include <string_view>

namespace rumi {

void write_file_atomic(const std::filesystem::path& path, std::string_view content);
// Reads a whole file; throws InputError naming the file when it cannot be read.
std::string read_file(const std::filesystem::path& path);
// Creates the directory and its parents; throws Error with the path on failure.
void ensure_directory(const std::filesystem::path& dir);

}  // namespace rumi
