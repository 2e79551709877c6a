#include "native/metadata_analysis.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string_view>

#include "core/text.h"

namespace rumi::native {

namespace {

// Decodes one UTF-8 code point at s[i]; advances i. Invalid bytes decode as U+FFFD, one byte each,
// so a broken caption never stops the analysis.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

bool is_emoji(char32_t c) {
  return (c >= 0x1F000 && c <= 0x1FAFF) ||  // mahjong .. symbols extended-A (faces, food, animals)
         (c >= 0x2600 && c <= 0x27BF) ||    // miscellaneous symbols, dingbats
         (c >= 0x2B00 && c <= 0x2BFF) ||    // arrows, stars (U+2B50)
         (c >= 0x1F1E6 && c <= 0x1F1FF);    // regional indicators (flags)
}
// Joiners and modifiers continue a run but never start one.
bool continues_emoji(char32_t c) { return c == 0x200D || c == 0xFE0F || (c >= 0x1F3FB && c <= 0x1F3FF); }

std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const std::size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

std::vector<std::string> mentions_of(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '@') continue;
    std::size_t j = i + 1;
    while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' || s[j] == '.')) ++j;
    // A trailing '.' ends a sentence, not a handle.
    std::size_t end = j;
    while (end > i + 1 && s[end - 1] == '.') --end;
    if (end > i + 1) out.emplace_back(s.substr(i, end - i));
    i = j - 1;
  }
  return out;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <std::size_t N>
bool any_of_phrases(std::string_view text, const std::array<std::string_view, N>& phrases) {
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](std::string_view p) { return text.find(p) != std::string_view::npos; });
}

// RumiAI's phrase lists (compute_metadata_analysis_metrics, final form).
constexpr std::array<std::string_view, 4> kFollow{"follow me", "follow for", "hit follow", "follow us"};
constexpr std::array<std::string_view, 4> kLike{"drop a like", "hit like", "double tap", "like if"};
constexpr std::array<std::string_view, 4> kComment{"comment below", "let me know", "drop a comment", "tell me"};
constexpr std::array<std::string_view, 4> kShare{"share this", "tag someone", "send this to", "share with"};
constexpr std::array<std::string_view, 5> kUrgency{"limited time", "act now", "last chance", "today only", "ends soon"};
constexpr std::array<std::string_view, 8> kHook{"wait for it", "watch till end",   "you won't believe",
                                                "this is how", "the secret to",    "why you should",
                                                "how to",      "what happens when"};
constexpr std::array<std::string_view, 6> kGeneric{"fyp", "foryou", "foryoupage", "viral", "trending", "explore"};

double round2(double x) { return std::round(x * 100.0) / 100.0; }

std::string hashtag_strategy(std::size_t n) {
  return n == 0 ? "none" : n < 3 ? "minimal" : n <= 7 ? "moderate" : n <= 15 ? "heavy" : "spam";
}

}  // namespace

std::vector<std::string> emoji_runs(std::string_view text) {
  std::vector<std::string> runs;
  std::size_t i = 0, run_start = 0;
  bool in_run = false;
  while (i < text.size()) {
    const std::size_t at = i;
    const char32_t c = next_code_point(text, i);
    if (is_emoji(c) || (in_run && continues_emoji(c))) {
      if (!in_run) run_start = at;
      in_run = true;
    } else if (in_run) {
      runs.emplace_back(text.substr(run_start, at - run_start));
      in_run = false;
    }
  }
  if (in_run) runs.emplace_back(text.substr(run_start));
  return runs;
}

Json metadata_analysis(const Video& v) {
  const std::string& caption = v.caption;
  const auto words = words_of(caption);
  const int word_count = static_cast<int>(words.size());
  const auto emojis = emoji_runs(caption);
  const auto mentions = mentions_of(caption);
  const std::string lower = lower_ascii(caption);
  const std::size_t tags = v.hashtags.size();
  int generic = 0;
  for (const auto& t : v.hashtags) {
    const std::string lt = lower_ascii(t);
    generic += std::find(kGeneric.begin(), kGeneric.end(), std::string_view(lt)) != kGeneric.end() ? 1 : 0;
  }
  const std::string strategy = hashtag_strategy(tags);
  const auto per_word = [&](std::size_t n) {
    return word_count > 0 ? round2(static_cast<double>(n) / word_count) : 0.0;
  };

  const auto er = engagement_rate(v);
  Json core = {{"captionLength", utf8_length(caption)},
               {"wordCount", word_count},
               {"hashtagCount", tags},
               {"emojiCount", emojis.size()},
               {"mentionCount", mentions.size()},
               {"engagementRate", round2(er.value_or(0.0))},
               {"viewCount", v.views},
               {"videoDuration", v.duration_s}};

  Json dyn = {{"hashtagStrategy", strategy},
              {"emojiDensity", per_word(emojis.size())},
              {"mentionDensity", per_word(mentions.size())}};
  if (v.created_utc > 0) {
    const std::int64_t days = v.created_utc / 86400;
    dyn["publishHour"] = (v.created_utc % 86400) / 3600;
    dyn["publishDayOfWeek"] = (days + 3) % 7;  // 1970-01-01 was a Thursday; 0 = Monday
  }

  Json inter = {{"likeCount", v.likes}, {"commentCount", v.comments}, {"shareCount", v.shares}};

  const int follow = any_of_phrases(lower, kFollow), like = any_of_phrases(lower, kLike),
            comment = any_of_phrases(lower, kComment), share = any_of_phrases(lower, kShare),
            urgency = any_of_phrases(lower, kUrgency);
  const int cta_count = follow + like + comment + share + urgency;
  const int has_cta = cta_count > 0 ? 1 : 0;
  Json key_mentions = Json::array(), primary_emojis = Json::array();
  for (std::size_t k = 0; k < std::min<std::size_t>(3, mentions.size()); ++k) key_mentions.push_back(mentions[k]);
  for (std::size_t k = 0; k < std::min<std::size_t>(3, emojis.size()); ++k) primary_emojis.push_back(emojis[k]);
  Json key = {{"hashtags", v.hashtags},
              {"keyMentions", key_mentions},
              {"primaryEmojis", primary_emojis},
              {"hasHook", any_of_phrases(lower, kHook) ? 1 : 0},
              {"callToAction", has_cta}};

  Json patterns = {{"hashtagBreakdown",
                    {{"total", tags},
                     {"generic", generic},
                     {"niche", static_cast<int>(tags) - generic},
                     {"genericRatio", tags ? round2(static_cast<double>(generic) / static_cast<double>(tags)) : 0.0},
                     {"strategy", strategy}}},
                   {"ctaFeatures",
                    {{"hasCTA", has_cta},
                     {"ctaFollow", follow},
                     {"ctaLike", like},
                     {"ctaComment", comment},
                     {"ctaShare", share},
                     {"ctaUrgency", urgency},
                     {"ctaCount", cta_count}}},
                   {"hasQuestion", caption.find('?') != std::string::npos ? 1 : 0},
                   {"hasExclamation", caption.find('!') != std::string::npos ? 1 : 0}};
  if (v.music_original) patterns["originalSound"] = *v.music_original ? 1 : 0;
  if (v.effect_count) patterns["effectCount"] = *v.effect_count;

  const bool link = lower.find("http://") != std::string::npos || lower.find("https://") != std::string::npos;
  Json quality = {{"wordCount", word_count}, {"hasCaption", caption.empty() ? 0 : 1}, {"linkPresent", link ? 1 : 0}};

  return {{"CoreMetrics", core}, {"Dynamics", dyn},      {"Interactions", inter},
          {"KeyEvents", key},    {"Patterns", patterns}, {"Quality", quality}};
}

}  // namespace rumi::native
