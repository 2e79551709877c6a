#pragma once
// Redacting credentials that travel inside URLs, before a URL reaches a log line, an error
// message or a manifest. Signed CDN links and Apify storage links carry their credential in the
// query string (token=, X-Amz-Signature=, x-signature=, ...), and some setups put user:password
// in the authority; a URL with those removed still tells a person which file failed.
//
// Rules:
// * A query parameter is secret when its name, compared case-insensitively, is one of: token,
//   access_token, api_key, apikey, key, sig, signature, x-signature, x-amz-signature,
//   x-amz-credential, x-amz-security-token, x-goog-signature, x-goog-credential, policy,
//   key-pair-id, auth, authorization, password; its value becomes "***" (the name stays, so a
//   reader sees that a token was sent).
// * "user:password@" in the authority becomes "***@".
// * Everything else (scheme, host, path, other parameters, the fragment) is kept byte for byte.
// * redact_urls() finds every http:// or https:// URL in free text (up to the next whitespace,
//   quote or angle bracket) and redacts each one; the rest of the text is unchanged.
#include <string>
#include <string_view>

namespace rumi {

std::string redact_url(std::string_view url);
std::string redact_urls(std::string_view text);

}  // namespace rumi
