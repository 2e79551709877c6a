#pragma once
// What a creator needs to know about the brand before filming (issue 18 point 3, seed section
// 5.6 "Billo Creator Brief"): set per client in the config file and overridable per hashtag
// (a launch hashtag may push another product). Nothing here is ever invented: a field the config
// does not give stays empty, the briefs say it is missing and `rumi report` warns.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace rumi::config {

struct BrandInputs {
  std::string brand;                // the brand name as creators should say it
  std::string about;                // one line: category, mission (optional)
  std::string product;              // the product the videos show
  std::string product_description;  // what it is (optional)
  std::vector<std::string> usps;    // unique selling points
  std::string target_audience;
  std::vector<std::string> key_messages;
  std::string tone;
  std::string call_to_action;
  std::vector<std::string> words_to_avoid;
  std::string agency;          // who prepared the brief, e.g. "Tumi Labs" (optional)
  std::string agency_contact;  // who creators ask, e.g. "Jane Doe, jane@agency.com"
  std::string logo;            // absolute, checked path of a PNG (optional)

  bool empty() const;
  bool operator==(const BrandInputs&) const = default;
};

// The fields a creator cannot film without, by config key, in brief order. `logo`,
// `words_to_avoid`, `about`, `product_description` and `agency` are optional.
inline constexpr std::string_view kRequiredBrandFields[] = {
    "brand", "product", "usps", "target_audience", "key_messages", "tone", "call_to_action", "agency_contact"};
// Every key a `brand:` mapping may hold (anything else is a config error).
inline constexpr std::string_view kBrandKeys[] = {
    "brand",           "about",          "product", "product_description", "usps",
    "target_audience", "key_messages",   "tone",    "call_to_action",      "words_to_avoid",
    "agency",          "agency_contact", "logo"};

// The config keys of required fields that are empty, in kRequiredBrandFields order.
std::vector<std::string> missing_brand_fields(const BrandInputs& b);
// "USPs", "target audience", ...: the words a reader sees for a config key.
std::string brand_field_label(std::string_view key);

// `override_` wins for every field it sets (non-empty); the rest comes from `base`.
BrandInputs merge_brand(const BrandInputs& base, const BrandInputs& override_);

// Stored form (clients.brand_json / hashtags.brand_json): only the fields that are set.
Json to_json(const BrandInputs& b);
// Throws InputError naming `where` and the field on a wrong type or an unknown key.
BrandInputs brand_from_json(const Json& j, std::string_view where);

// Limits shared by the file reader and the stored-form reader.
inline constexpr std::size_t kMaxBrandText = 600;  // characters per field or list item
inline constexpr std::size_t kMaxBrandListItems = 12;
inline constexpr std::uintmax_t kMaxLogoBytes = 2 * 1024 * 1024;

// Resolves a logo path given in a config file: relative paths are relative to `config_dir`; the
// result (symlinks resolved) must stay inside `config_dir`, be a regular PNG file and at most
// kMaxLogoBytes. Returns the canonical path, or throws UsageError with the reason.
std::filesystem::path resolve_logo(const std::filesystem::path& config_dir, const std::string& given);
// True when `path` is a readable PNG of acceptable size (checked again at report time: the file
// may have changed since `config apply`).
bool is_usable_logo(const std::filesystem::path& path);

}  // namespace rumi::config
