#include "store/packages.h"

#include <cstdint>
#include <set>

#include "core/error.h"
#include "core/file_io.h"
#include "core/sha256.h"
#include "core/workspace.h"

namespace rumi::store {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kHeaderBytes = 8 + 4 + 8;
constexpr std::size_t kTrailerBytes = 32;
constexpr std::size_t kMaxEntryPathLength = 1024;

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get_le(std::string_view bytes, std::size_t offset, int width) {
  std::uint64_t v = 0;
  for (int i = 0; i < width; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[offset + static_cast<std::size_t>(i)])) << (8 * i);
  return v;
}

std::string raw_sha256(std::string_view data) {
  const std::string hex = sha256_hex(data);
  std::string raw;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return raw;
}

bool is_regular_no_link(const fs::path& p) {
  std::error_code ec;
  return fs::symlink_status(p, ec).type() == fs::file_type::regular;
}
bool is_dir_no_link(const fs::path& p) {
  std::error_code ec;
  return fs::symlink_status(p, ec).type() == fs::file_type::directory;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view package_scope_name(PackageScope scope) {
  return scope == PackageScope::internal ? "internal" : "client";
}

bool is_internal_report_file(std::string_view file_name) { return file_name == "analyst_appendix.md"; }

std::vector<std::string> collect_export_files(const fs::path& hashtag_dir, PackageScope scope) {
  std::set<std::string> out;
  if (!is_dir_no_link(hashtag_dir)) return {};
  const fs::path reports = hashtag_dir / "reports";
  if (is_dir_no_link(reports)) {
    // recursive_directory_iterator does not descend into directory symlinks by default.
    for (auto it = fs::recursive_directory_iterator(reports); it != fs::recursive_directory_iterator(); ++it) {
      if (!is_regular_no_link(it->path())) continue;
      if (scope == PackageScope::client && is_internal_report_file(it->path().filename().string())) continue;
      out.insert(it->path().lexically_relative(hashtag_dir).generic_string());
    }
  }
  // Models, raw patterns, metrics and the selection are the agency's (seed section 7.3).
  if (scope == PackageScope::client) return {out.begin(), out.end()};
  for (const auto& bucket : fs::directory_iterator(hashtag_dir)) {
    const std::string name = bucket.path().filename().string();
    if (!is_bucket_dir_name(name) || !is_dir_no_link(bucket.path())) continue;
    for (const auto& f : fs::directory_iterator(bucket.path())) {
      const std::string fname = f.path().filename().string();
      const bool wanted = fname == kPerformanceFileName ||
                          ((starts_with(fname, kPatternsFilePrefix) || starts_with(fname, kModelFilePrefix)) &&
                           ends_with(fname, ".json"));
      if (wanted && is_regular_no_link(f.path())) out.insert(name + "/" + fname);
    }
  }
  if (is_regular_no_link(hashtag_dir / "acquisition" / "selection.json")) out.insert("acquisition/selection.json");
  return {out.begin(), out.end()};
}

void validate_entry_path(std::string_view path, std::string_view file) {
  auto refuse = [&](const std::string& why) {
    std::string shown(path.substr(0, 120));
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';  // never echo control bytes
    throw InputError(file, "package entry '" + shown + "'", "path", why);
  };
  if (path.empty()) refuse("empty path");
  if (path.size() > kMaxEntryPathLength) refuse("path too long");
  if (path.front() == '/') refuse("absolute path refused");
  for (char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) refuse("control character in path");
    if (c == '\\' || c == ':') refuse("path syntax refused ('\\' or ':')");
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (part.empty()) refuse("empty path component");
    if (part == "." || part == "..") refuse("path traversal refused");
    start = end + 1;
  }
}

std::string build_package(const Json& meta, const std::vector<PackageEntry>& entries) {
  Json manifest = meta.is_object() ? meta : Json::object();
  manifest["format"] = "rumi-package";
  manifest["format_version"] = kPackageFormatVersion;
  manifest["files"] = Json::array();
  std::set<std::string> seen;
  std::size_t payload = 0;
  for (const auto& e : entries) {
    validate_entry_path(e.path, "package being built");
    if (!seen.insert(e.path).second) throw Error("duplicate package entry " + e.path);
    manifest["files"].push_back({{"path", e.path}, {"size", e.data.size()}, {"sha256", sha256_hex(e.data)}});
    payload += e.data.size();
  }
  const std::string manifest_text = manifest.dump();
  std::string out;
  out.reserve(kHeaderBytes + manifest_text.size() + payload + kTrailerBytes);
  out.append(kPackageMagic);
  put_u32(out, kPackageFormatVersion);
  put_u64(out, manifest_text.size());
  out.append(manifest_text);
  for (const auto& e : entries) out.append(e.data);
  out.append(raw_sha256(out));
  return out;
}

bool is_plain_package(std::string_view bytes) { return bytes.substr(0, kPackageMagic.size()) == kPackageMagic; }

Package parse_package(std::string_view bytes, std::string_view file) {
  const std::string where(file);
  if (!is_plain_package(bytes)) throw InputError(where + ": not a rumi package (bad magic bytes)");
  if (bytes.size() < kHeaderBytes + kTrailerBytes)
    throw InputError(where + ": package is truncated or was tampered with (too short)");
  const std::string_view body = bytes.substr(0, bytes.size() - kTrailerBytes);
  if (raw_sha256(body) != bytes.substr(body.size()))
    throw InputError(where + ": package is corrupted or was tampered with (checksum mismatch)");
  const auto version = get_le(bytes, 8, 4);
  if (version != static_cast<std::uint64_t>(kPackageFormatVersion))
    throw InputError(where + ": package format version " + std::to_string(version) + " is not supported (expected " +
                     std::to_string(kPackageFormatVersion) + ")");
  const std::uint64_t manifest_len = get_le(bytes, 12, 8);
  if (manifest_len > body.size() - kHeaderBytes) throw InputError(where + ": manifest length exceeds the package size");
  Package pkg;
  pkg.manifest = parse_json(body.substr(kHeaderBytes, manifest_len), where + " (manifest)");
  if (!pkg.manifest.is_object() || pkg.manifest.value("format", "") != "rumi-package" ||
      !pkg.manifest.contains("files") || !pkg.manifest["files"].is_array())
    throw InputError(where, "manifest", "format/files", "not a rumi-package manifest");
  std::size_t offset = kHeaderBytes + manifest_len;
  std::set<std::string> seen;
  std::size_t index = 0;
  for (const Json& f : pkg.manifest["files"]) {
    const std::string record = "manifest file " + std::to_string(index++);
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !f.contains("size") ||
        !f["size"].is_number_unsigned() || !f.contains("sha256") || !f["sha256"].is_string())
      throw InputError(where, record, "path/size/sha256", "missing or of the wrong type");
    PackageEntry e;
    e.path = f["path"].get<std::string>();
    validate_entry_path(e.path, where);
    if (!seen.insert(e.path).second) throw InputError(where, record, "path", "duplicate entry " + e.path);
    const std::uint64_t size = f["size"].get<std::uint64_t>();
    if (size > body.size() - offset) throw InputError(where, record, "size", "entry runs past the end of the package");
    e.data.assign(body.substr(offset, size));
    offset += size;
    if (sha256_hex(e.data) != f["sha256"].get<std::string>())
      throw InputError(where, record, "sha256", "content of " + e.path + " does not match its checksum (tampered)");
    pkg.entries.push_back(std::move(e));
  }
  if (offset != body.size()) throw InputError(where + ": package has trailing bytes not described by its manifest");
  return pkg;
}

std::vector<fs::path> extract_package(const Package& pkg, const fs::path& out_dir) {
  const fs::path root = fs::absolute(out_dir).lexically_normal();
  ensure_directory(root);
  std::vector<fs::path> written;
  for (const auto& e : pkg.entries) {
    validate_entry_path(e.path, "package");
    const fs::path target = (root / e.path).lexically_normal();
    // Refuse to follow a symlink anywhere between the destination root and the file.
    fs::path walk = root;
    for (const auto& part : fs::path(e.path)) {
      walk /= part;
      std::error_code ec;
      if (fs::symlink_status(walk, ec).type() == fs::file_type::symlink)
        throw UsageError("refusing to extract " + e.path + ": " + walk.string() + " is a symlink");
    }
    ensure_directory(target.parent_path());
    write_file_atomic(target, e.data);
    written.push_back(target);
  }
  return written;
}

}  // namespace rumi::store
