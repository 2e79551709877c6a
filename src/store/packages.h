#pragma once
// Report packages: one file that carries one hashtag's outputs. A client package holds the
// reports of every date and nothing else (seed section 7.3: clients receive reports, never the
// models or the raw pattern data, which stay the agency's); an internal package (`rumi export
// --internal`, for the agency's own archive) adds patterns, performance metrics, models and the
// selection. Plain packages are checksummed; encrypted ones (package_crypto.h) wrap the plain
// bytes.
//
// Container format, version 1 (all integers little-endian):
//   offset 0   8 bytes   magic "RUMIPKG\0"
//   offset 8   u32       format_version = 1
//   offset 12  u64       manifest_length M
//   offset 20  M bytes   manifest: UTF-8 JSON object
//                          {"format": "rumi-package", "format_version": 1, "created_at",
//                           "client", "hashtag", "package": "client"|"internal", "notice",
//                           "files": [{"path", "size", "sha256"}, ...]}
//                        ("package" and "notice" since issue 21; older manifests have neither)
//   ...        payload   the files' bytes concatenated in manifest order (sum of sizes)
//   end - 32   32 bytes  SHA-256 of every byte before it (detects truncation / corruption)
// Entry paths are relative, '/'-separated, without "." / ".." components, backslashes or
// control characters; readers refuse anything else (a package never writes outside its
// destination).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace rumi::store {

inline constexpr std::string_view kPackageMagic{"RUMIPKG\0", 8};
inline constexpr int kPackageFormatVersion = 1;

struct PackageEntry {
  std::string path;  // relative, '/'-separated
  std::string data;
};

struct Package {
  Json manifest;  // as stored (files list included)
  std::vector<PackageEntry> entries;
};

enum class PackageScope {
  client,    // reports only
  internal,  // everything an analyst needs to audit or rebuild the reports
};
std::string_view package_scope_name(PackageScope scope);  // "client" | "internal"

// Report files an analyst, not a client, reads: the analyst appendix spells out decision-tree
// rules taken from the trained model, so it stays out of client packages.
bool is_internal_report_file(std::string_view file_name);

// The files under one client's hashtag dir (MLAnalysis/<client>/<hashtag>), as sorted relative
// paths. client: reports/** (all dates) except internal report files. internal: all of reports/**,
// bucket_*/{patterns_*,model_*}.json, bucket_*/performance_metrics.json,
// acquisition/selection.json. Symlinks are never followed or included, so a planted link cannot
// smuggle another client's files into a package.
std::vector<std::string> collect_export_files(const std::filesystem::path& hashtag_dir, PackageScope scope);

// Builds the container; `meta` keys (client, hashtag, created_at, ...) go into the manifest.
std::string build_package(const Json& meta, const std::vector<PackageEntry>& entries);
// Parses and verifies (checksum, sizes, per-file sha256, entry paths). InputError naming
// `file_for_errors` on anything wrong.
Package parse_package(std::string_view bytes, std::string_view file_for_errors);
bool is_plain_package(std::string_view bytes);

// Throws InputError unless `path` is a safe relative entry path (see format above).
void validate_entry_path(std::string_view path, std::string_view file_for_errors);
// Writes every entry under out_dir (created if needed) atomically; refuses to write through a
// symlink inside out_dir. Returns the paths written.
std::vector<std::filesystem::path> extract_package(const Package& pkg, const std::filesystem::path& out_dir);

}  // namespace rumi::store
