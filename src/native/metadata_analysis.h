#pragma once
// rumi's own metadata_analysis flow: the six era-B blocks RumiAI's compute_metadata_analysis_metrics
// writes (spec/rumiai-output-schema.md section 4.7, final form), computed from the Apify item
// alone, so a hashtag can be analysed with no video file and no external analyzer. The output is
// byte-compatible with RumiAI's `_ml` files: the reader, the cache, replay and the features
// stage treat it like any other analysis.
//
// Rules (RumiAI's, except where marked "rumi:"):
// * captionLength: Unicode code points; wordCount: whitespace-separated words (Python split()).
// * hashtagCount: the item's hashtag list; generic tags are fyp, foryou, foryoupage, viral,
//   trending, explore (case-insensitive); hashtagStrategy none (0) / minimal (< 3) / moderate
//   (<= 7) / heavy (<= 15) / spam.
// * emojiCount: runs of consecutive emoji code points. rumi: the emoji blocks only (U+1F000-1FAFF,
//   U+2600-27BF, U+2B00-2BFF, U+FE0F, U+200D inside a run, regional indicators); RumiAI's
//   U+24C2-U+1F251 range also swallows every CJK, Hangul and Thai letter, which would count a
//   Japanese caption as one long emoji.
// * mentionCount: "@" followed by word characters (ASCII letters, digits, '_', '.'; TikTok
//   handles are ASCII); keyMentions and primaryEmojis: the first three.
// * callToAction / ctaFeatures: RumiAI's phrase lists (follow, like, comment, share, urgency), on
//   the lower-cased caption; ctaCount is the number of kinds present; hasHook: RumiAI's hook
//   phrases ("wait for it", "how to", ...).
// * hasQuestion / hasExclamation: a '?' / '!' anywhere; linkPresent: "http://" or "https://".
// * publishHour (UTC) and publishDayOfWeek (0 = Monday) from createTime. rumi: left out when the
//   item has no creation time (RumiAI writes 0, which reads as "Monday, midnight").
// * engagementRate (percent, 2 decimals) and viewCount are written for compatibility; they are
//   the target and never become features (features/feature_schema.cc).
// * rumi: Patterns.originalSound (the creator's own sound, musicMeta.musicOriginal) and
//   Patterns.effectCount (TikTok effects used, effectStickers), written only when the item
//   carries them. RumiAI drops both; they are creative choices a brand can act on.
#include <string>

#include "core/json.h"
#include "core/video.h"

namespace rumi::native {

// Name and version of the native analyzer; part of the analysis cache key (analyze stage).
inline constexpr std::string_view kNativeAnalyzerName = "rumi-native";
inline constexpr int kNativeMetadataVersion = 1;

// The six blocks {CoreMetrics, Dynamics, Interactions, KeyEvents, Patterns, Quality}.
Json metadata_analysis(const Video& v);

// Emoji runs in a UTF-8 string (the rule above); exposed for tests.
std::vector<std::string> emoji_runs(std::string_view text);

}  // namespace rumi::native
