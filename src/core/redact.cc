#include "core/redact.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace rumi {

namespace {

bool secret_param(std::string_view name) {
  static constexpr std::array<std::string_view, 18> kSecret = {"token",
                                                               "access_token",
                                                               "api_key",
                                                               "apikey",
                                                               "key",
                                                               "sig",
                                                               "signature",
                                                               "x-signature",
                                                               "x-amz-signature",
                                                               "x-amz-credential",
                                                               "x-amz-security-token",
                                                               "x-goog-signature",
                                                               "x-goog-credential",
                                                               "policy",
                                                               "key-pair-id",
                                                               "auth",
                                                               "authorization",
                                                               "password"};
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::find(kSecret.begin(), kSecret.end(), lower) != kSecret.end();
}

// Redacts one query string (without the '?'), parameter by parameter.
std::string redact_query(std::string_view q) {
  std::string out;
  while (true) {
    std::size_t amp = q.find('&');
    std::string_view param = q.substr(0, amp);
    std::size_t eq = param.find('=');
    if (eq != std::string_view::npos && secret_param(param.substr(0, eq))) {
      out.append(param.substr(0, eq + 1));
      out += "***";
    } else {
      out.append(param);
    }
    if (amp == std::string_view::npos) break;
    out += '&';
    q.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace

std::string redact_url(std::string_view url) {
  std::string out;
  std::size_t scheme_end = url.find("://");
  std::size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority_start);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  std::string_view authority = url.substr(authority_start, authority_end - authority_start);
  out.append(url.substr(0, authority_start));
  if (scheme_end != std::string_view::npos) {
    if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
      out += "***@";
      authority.remove_prefix(at + 1);
    }
  }
  out.append(authority);
  std::string_view rest = url.substr(authority_end);
  std::size_t qmark = rest.find('?');
  if (qmark == std::string_view::npos) {
    out.append(rest);
    return out;
  }
  std::size_t hash = rest.find('#', qmark);
  out.append(rest.substr(0, qmark + 1));
  out +=
      redact_query(rest.substr(qmark + 1, hash == std::string_view::npos ? std::string_view::npos : hash - qmark - 1));
  if (hash != std::string_view::npos) out.append(rest.substr(hash));
  return out;
}

std::string redact_urls(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t http = text.find("http", pos);
    if (http == std::string_view::npos) break;
    std::string_view at = text.substr(http);
    if (!at.starts_with("http://") && !at.starts_with("https://")) {
      out.append(text.substr(pos, http + 4 - pos));
      pos = http + 4;
      continue;
    }
    std::size_t end = text.find_first_of(" \t\r\n\"'<>`", http);
    if (end == std::string_view::npos) end = text.size();
    out.append(text.substr(pos, http - pos));
    out += redact_url(text.substr(http, end - http));
    pos = end;
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

}  // namespace rumi
