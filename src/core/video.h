#pragma once
// The normalized video record every importer produces, whatever the source format.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rumi {

struct Video {
  std::string id;                // 19-digit TikTok id, always a string
  std::int64_t created_utc = 0;  // unix seconds; 0 when unknown
  double duration_s = 0;         // videoMeta.duration (fractional allowed)
  bool is_slideshow = false;
  std::int64_t views = 0;                        // playCount
  std::int64_t likes = 0;                        // diggCount
  std::int64_t comments = 0;                     // commentCount
  std::int64_t shares = 0;                       // shareCount
  std::int64_t saves = 0;                        // collectCount (not part of ER)
  std::string author;                            // authorMeta.name
  std::optional<std::int64_t> author_followers;  // authorMeta.fans; absent in some exports
  bool author_verified = false;
  // Paid promotion (Apify isAd / isSponsored); absent in some exports. A confounder of ER that
  // the evidence engine adjusts for (stats/confounders.h).
  std::optional<bool> is_ad, is_sponsored;
  std::vector<std::string> hashtags;  // names without '#'
  std::string caption;
  std::string url;    // webVideoUrl
  std::string music;  // "musicName - musicAuthor"
  // musicMeta.musicOriginal: the creator's own sound rather than licensed music; absent in some
  // exports. A creative choice the native metadata analysis reports (native/metadata_analysis.h).
  std::optional<bool> music_original;
  std::optional<int> effect_count;  // effectStickers entries (TikTok effects used); absent = unknown
  std::string text_language;        // textLanguage ("en"); empty when unknown
  // Download links of the video file (videoUrl, downloadAddr, mediaUrls, downloadUrl, ...) in the
  // order acquire/video_download.h tries them; empty when the item has none. Never shown as is:
  // signed links carry credentials (core/redact.h).
  std::vector<std::string> media_urls;
  std::int64_t fetched_utc = 0;  // when these stats were observed (newest wins on dedupe)
  std::string source;            // importer that produced it ("apify-json", "apify-csv", ...)
};

// ER in percent: (likes + comments + shares) / views * 100. nullopt when views == 0.
std::optional<double> engagement_rate(const Video& v);

}  // namespace rumi
