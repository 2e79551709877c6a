#include "core/slug.h"

#include "core/error.h"

namespace rumi {

std::string slugify(std::string_view name, std::string_view what) {
  auto refuse = [&](std::string_view why) {
    throw UsageError(std::string(what) + " '" + std::string(name.substr(0, 120)) + "' " + std::string(why));
  };
  if (name.size() > kMaxNameLength) refuse("is too long (max " + std::to_string(kMaxNameLength) + " characters)");
  if (name.find("..") != std::string_view::npos || name.find('/') != std::string_view::npos ||
      name.find('\\') != std::string_view::npos || name.find('\0') != std::string_view::npos)
    refuse("contains path syntax ('..', '/', '\\'); names may not leave the workspace");
  std::string out;
  bool pending_dash = false;
  for (unsigned char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (pending_dash && !out.empty()) out.push_back('-');
      pending_dash = false;
      out.push_back(static_cast<char>(c));
    } else if (c == '#') {
      continue;
    } else {
      pending_dash = true;  // spaces, '_', '-', punctuation and non-ASCII collapse to one '-'
    }
  }
  if (out.empty()) refuse("has no letters or digits, so it cannot name a folder");
  if (out.size() > kMaxSlugLength) out.resize(kMaxSlugLength);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

bool is_valid_slug(std::string_view slug) {
  if (slug.empty() || slug.size() > kMaxSlugLength || slug.front() == '-' || slug.back() == '-') return false;
  for (char c : slug)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

std::string normalize_hashtag(std::string_view name) {
  while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  while (!name.empty() && name.front() == '#') name.remove_prefix(1);
  std::string out = "#";
  for (char c : name) out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  return out;
}

}  // namespace rumi
