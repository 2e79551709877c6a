// The feature catalog's "measured natively" mark (native/measured.h) against what the native
// analyzer really writes for a generated video: every key path of the real flows is marked
// measured, and the representative flows the mark is derived from write no key the real
// analysis of a video with cuts and speech lacks.
#include <gtest/gtest.h>

#include <set>

#include "core/json.h"
#include "native/content_analysis.h"
#include "native/measured.h"
#include "native/test_media.h"

namespace rumi::native {
namespace {

namespace tm = rumi::test::media;

void collect(const Json& j, const std::string& prefix, std::set<std::string>& out) {
  if (!j.is_object()) return;
  for (const auto& [k, v] : j.items()) {
    const std::string p = prefix + "." + k;
    out.insert(p);
    collect(v, p, out);
  }
}

TEST(NativeMeasured, CatalogSourcesByWhatTheFlowsCarry) {
  EXPECT_EQ(native_coverage("scene_pacing.CoreMetrics.totalScenes"), NativeCoverage::from_video);
  EXPECT_EQ(native_coverage("speech_analysis.CoreMetrics.wordsPerMinute"), NativeCoverage::from_video);
  EXPECT_EQ(native_coverage("creative_density.CoreMetrics.sceneChangeCount"), NativeCoverage::from_video);
  EXPECT_EQ(native_coverage("metadata_analysis.CoreMetrics.captionLength"), NativeCoverage::from_item);
  EXPECT_EQ(native_coverage("apify.videoMeta.duration"), NativeCoverage::from_item);
  // On-screen text: the overlay flow and creative_density's text count.
  EXPECT_EQ(native_coverage("visual_overlay_analysis"), NativeCoverage::from_video);
  EXPECT_EQ(native_coverage("visual_overlay_analysis.CoreMetrics.timeToFirstOverlay"), NativeCoverage::from_video);
  EXPECT_EQ(native_coverage("visual_overlay_analysis.CoreMetrics.totalTextOverlays"), NativeCoverage::from_video);
  EXPECT_EQ(native_coverage("visual_overlay_analysis.KeyEvents.ctaMoments"), NativeCoverage::from_video);
  EXPECT_EQ(native_coverage("creative_density.CoreMetrics.elementCounts.text"), NativeCoverage::from_video);
  // Stickers and the speech/gesture interactions of the overlays are not detected.
  EXPECT_EQ(native_coverage("visual_overlay_analysis.CoreMetrics.totalStickers"), NativeCoverage::not_measured);
  EXPECT_EQ(native_coverage("visual_overlay_analysis.Interactions.overlaySpeechAlignment"),
            NativeCoverage::not_measured);
  EXPECT_EQ(native_coverage("creative_density.CoreMetrics.elementCounts.object"), NativeCoverage::not_measured);
  // People: the framing flow, smiles in creative_density and emotional_journey.
  EXPECT_EQ(native_coverage("person_framing"), NativeCoverage::from_video);
  EXPECT_EQ(native_coverage("person_framing.CoreMetrics.faceVisibilityRate"), NativeCoverage::from_video);
  EXPECT_EQ(native_coverage("creative_density.CoreMetrics.elementCounts.expression"), NativeCoverage::from_video);
  EXPECT_EQ(native_coverage("emotional_journey.CoreMetrics.dominantEmotion"), NativeCoverage::from_video);
  EXPECT_EQ(native_coverage("emotional_journey.CoreMetrics.emotionalIntensity"), NativeCoverage::not_measured);
  // creative_density per second from captions, faces and cuts (native/density.h); objects,
  // gestures and stickers stay unmeasured, and so do RumiAI's constants.
  for (const char* k :
       {"CoreMetrics.avgDensity", "CoreMetrics.stdDeviation", "CoreMetrics.timelineCoverage", "Dynamics.densityCurve",
        "Dynamics.emptySeconds", "Dynamics.accelerationPattern", "KeyEvents.peakMoments", "KeyEvents.deadZones",
        "KeyEvents.densityShifts", "Interactions.elementCooccurrence.text_transition", "Interactions.multiModalPeaks",
        "Patterns.structuralFlags.strongOpeningHook", "Patterns.densityClassification"})
    EXPECT_EQ(native_coverage(std::string("creative_density.") + k), NativeCoverage::from_video) << k;
  for (const char* k :
       {"CoreMetrics.elementCounts.gesture", "CoreMetrics.elementCounts.sticker",
        "Interactions.elementCooccurrence.object_text", "Interactions.elementCooccurrence.expression_gesture",
        "Dynamics.densityProgression", "Dynamics.confidence", "Patterns.mlTags", "Quality.detectionReliability"})
    EXPECT_EQ(native_coverage(std::string("creative_density.") + k), NativeCoverage::not_measured) << k;
  // RumiAI's constant defaults are left out of the native flows, so they are not "measured".
  EXPECT_EQ(native_coverage("scene_pacing.Quality.flowScore"), NativeCoverage::not_measured);
  EXPECT_EQ(native_coverage("speech_analysis.CoreMetrics.confidence"), NativeCoverage::not_measured);
}

TEST(NativeMeasured, MarkMatchesARealAnalysisOfAVideoWithCutsAndSpeech) {
  RUMI_REQUIRE_FFMPEG();
  RUMI_REQUIRE_ESPEAK();
  tm::VideoSpec spec;
  spec.shots = {{1.5, "red", "yellow"}, {1.5, "blue", "cyan"}, {2.0, "green", "white"}};
  spec.audio = tm::Audio::speech;
  spec.speech_at_s = 0.8;
  const ContentAnalysis a = analyse_video_file(tm::make_video(spec), nullptr, ContentOptions{});
  ASSERT_TRUE(a.words_measured) << a.words_not_measured_reason;
  std::set<std::string> real;
  for (const auto& [flow, blocks] : a.flows.items()) {
    real.insert(flow);
    collect(blocks, flow, real);
  }
  for (const auto& p : real) EXPECT_EQ(native_coverage(p), NativeCoverage::from_video) << p;
  // The representative results may carry optional keys (a transcript, silences) a given video
  // lacks, but every flow and block they name exists in the real one, except emotional_journey,
  // which is produced only when a face is seen (this video has none).
  EXPECT_FALSE(a.flows.contains("emotional_journey"));
  for (const auto& p : native_video_paths()) {
    const auto dots = std::count(p.begin(), p.end(), '.');
    // languageStatus / languageNote are written only when the words are not believed (not English).
    const bool only_unclear = p == "speech_analysis.languageStatus" || p == "speech_analysis.languageNote";
    if (dots <= 1 && !p.starts_with("emotional_journey") && !only_unclear) {
      EXPECT_TRUE(real.count(p)) << p;
    }
  }
}

}  // namespace
}  // namespace rumi::native
