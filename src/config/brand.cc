#include "config/brand.h"

#include <algorithm>
#include <fstream>
#include <system_error>

#include "core/error.h"

namespace rumi::config {

namespace fs = std::filesystem;

namespace {

// Field access by config key, so merging, storing and the missing-list treat every field alike.
struct TextField {
  std::string_view key;
  std::string BrandInputs::*member;
};
struct ListField {
  std::string_view key;
  std::vector<std::string> BrandInputs::*member;
};
constexpr TextField kTextFields[] = {
    {"brand", &BrandInputs::brand},
    {"about", &BrandInputs::about},
    {"product", &BrandInputs::product},
    {"product_description", &BrandInputs::product_description},
    {"target_audience", &BrandInputs::target_audience},
    {"tone", &BrandInputs::tone},
    {"call_to_action", &BrandInputs::call_to_action},
    {"agency", &BrandInputs::agency},
    {"agency_contact", &BrandInputs::agency_contact},
    {"logo", &BrandInputs::logo},
};
constexpr ListField kListFields[] = {
    {"usps", &BrandInputs::usps},
    {"key_messages", &BrandInputs::key_messages},
    {"words_to_avoid", &BrandInputs::words_to_avoid},
};

bool is_set(const BrandInputs& b, std::string_view key) {
  for (const auto& f : kTextFields)
    if (f.key == key) return !(b.*f.member).empty();
  for (const auto& f : kListFields)
    if (f.key == key) return !(b.*f.member).empty();
  return false;
}

}  // namespace

bool BrandInputs::empty() const { return *this == BrandInputs{}; }

std::vector<std::string> missing_brand_fields(const BrandInputs& b) {
  std::vector<std::string> out;
  for (auto key : kRequiredBrandFields)
    if (!is_set(b, key)) out.emplace_back(key);
  return out;
}

std::string brand_field_label(std::string_view key) {
  if (key == "usps") return "USPs";
  if (key == "brand") return "brand name";
  if (key == "call_to_action") return "call to action";
  std::string s(key);
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

BrandInputs merge_brand(const BrandInputs& base, const BrandInputs& over) {
  BrandInputs out = base;
  for (const auto& f : kTextFields)
    if (!(over.*f.member).empty()) out.*f.member = over.*f.member;
  for (const auto& f : kListFields)
    if (!(over.*f.member).empty()) out.*f.member = over.*f.member;
  return out;
}

Json to_json(const BrandInputs& b) {
  // Keys in kBrandKeys order (nlohmann sorts object keys anyway), only the ones set: the stored
  // text is stable, so re-applying the same config changes nothing.
  Json j = Json::object();
  for (const auto& f : kTextFields)
    if (!(b.*f.member).empty()) j[std::string(f.key)] = b.*f.member;
  for (const auto& f : kListFields)
    if (!(b.*f.member).empty()) j[std::string(f.key)] = b.*f.member;
  return j;
}

BrandInputs brand_from_json(const Json& j, std::string_view where) {
  BrandInputs b;
  if (j.is_null()) return b;
  if (!j.is_object()) throw InputError(std::string(where), "", "brand", "is not an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    bool done = false;
    for (const auto& f : kTextFields)
      if (f.key == key) {
        if (!it->is_string()) throw InputError(std::string(where), "", "brand." + key, "must be a string");
        b.*f.member = it->get<std::string>();
        done = true;
      }
    for (const auto& f : kListFields)
      if (f.key == key) {
        if (!it->is_array()) throw InputError(std::string(where), "", "brand." + key, "must be a list of strings");
        for (const auto& item : *it) {
          if (!item.is_string()) throw InputError(std::string(where), "", "brand." + key, "must be a list of strings");
          (b.*f.member).push_back(item.get<std::string>());
        }
        done = true;
      }
    if (!done) throw InputError(std::string(where), "", "brand." + key, "unknown brand field");
  }
  return b;
}

namespace {

bool inside(const fs::path& dir, const fs::path& p) {
  // Both canonical: compare component by component (a string prefix would accept /cfg-other).
  auto d = dir.begin(), x = p.begin();
  for (; d != dir.end(); ++d, ++x)
    if (x == p.end() || *d != *x) return false;
  return true;
}

bool has_png_signature(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  char sig[8] = {};
  if (!in.read(sig, 8)) return false;
  static constexpr unsigned char kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  for (int i = 0; i < 8; ++i)
    if (static_cast<unsigned char>(sig[i]) != kPng[i]) return false;
  return true;
}

}  // namespace

fs::path resolve_logo(const fs::path& config_dir, const std::string& given) {
  if (given.empty()) throw UsageError("is empty");
  if (given.size() > 1000) throw UsageError("is too long");
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(fs::absolute(config_dir.empty() ? fs::path(".") : config_dir, ec), ec);
  if (ec) throw UsageError("the config file's folder cannot be resolved: " + ec.message());
  const fs::path raw = fs::path(given).is_absolute() ? fs::path(given) : base / given;
  if (!fs::exists(raw, ec))
    throw UsageError("file '" + given + "' does not exist (relative paths start at the config file's folder)");
  fs::path real = fs::canonical(raw, ec);  // resolves symlinks: a link out of the folder is caught
  if (ec) throw UsageError("file '" + given + "' cannot be resolved: " + ec.message());
  if (!inside(base, real))
    throw UsageError("'" + given + "' is outside the config file's folder " + base.string() +
                     " (logos must live next to the config)");
  if (!fs::is_regular_file(real, ec)) throw UsageError("'" + given + "' is not a regular file");
  if (fs::file_size(real, ec) > kMaxLogoBytes) throw UsageError("'" + given + "' is larger than 2 MiB");
  if (!has_png_signature(real)) throw UsageError("'" + given + "' is not a PNG image");
  return real;
}

bool is_usable_logo(const fs::path& path) {
  std::error_code ec;
  if (path.empty() || !fs::is_regular_file(path, ec)) return false;
  if (fs::file_size(path, ec) > kMaxLogoBytes || ec) return false;
  return has_png_signature(path);
}

}  // namespace rumi::config
