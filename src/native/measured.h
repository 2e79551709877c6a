#pragma once
// What rumi's native analyzer measures, per feature source (a FeatureInfo::source path such as
// "scene_pacing.CoreMetrics.totalScenes"): the feature catalog's "measured natively" mark.
//
// The answer is derived from the flow builders themselves, never kept as a hand-written list
// that could drift: the metadata flow is built for a representative Apify item, and the
// content flows (scene_pacing, speech_analysis, creative_density, visual_overlay_analysis,
// person_framing, emotional_journey) for representative detector results (a few cuts, an
// utterance with words, a few seconds of audio analysed by the real AudioAnalyzer, two captions
// and a scene text, faces that smile). Every object key path they write is "measured"; a source
// is measured when its path (or, for a flow-present flag, its flow) is among them. Keys the
// native analyzer leaves out because it cannot measure them (creative_density's object, gesture
// and sticker counts and the element pairs that need them, the stickers and the speech/gesture
// interactions of visual_overlay_analysis, emotions other than a smile) are "not measured". The
// representative results give creative_density every pair of the three measured kinds (text,
// faces, cuts), so each pair's key is marked measured.
#include <set>
#include <string>
#include <string_view>

namespace rumi::native {

enum class NativeCoverage {
  not_measured,  // the native analyzer leaves it out: it needs RumiAI (or a later native part)
  from_item,     // measured from the Apify item alone (captions, hashtags, posting data, duration)
  from_video,    // measured from the video file (cuts, audio, speech, on-screen text, faces)
};

NativeCoverage native_coverage(std::string_view source);
std::string_view native_coverage_name(NativeCoverage c);  // "not measured" | "from the item" | "from the video"

// The key paths ("flow.Block.key[.sub]") the native flows write, for tests and docs.
const std::set<std::string>& native_item_paths();
const std::set<std::string>& native_video_paths();

}  // namespace rumi::native
