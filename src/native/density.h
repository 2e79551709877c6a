#pragma once
// creative_density from what rumi's native analyzer measures (spec/rumiai-output-schema.md
// section 4.1): the on-screen activity of each second, its curve, peaks, empty seconds and dead
// zones, and the patterns RumiAI derives from them.
//
// The native definition, and why:
// * Density of second s = its text elements + its expressions + its cuts, where
//   - text: the captions covering more than half of [s, s+1) (OcrResult::captions_per_second;
//     scene text is not counted, as in every native flow),
//   - expression: 1 when a face is in at least half of the second's analysed frames
//     (seconds_with_a_face, native/faces.h). RumiAI's expression entries come from FEAT, which
//     reads an expression from every face it finds (neutral included); rumi reads smile or
//     neutral from every face (emotional_journey), so a second with a face is a second with an
//     expression read,
//   - transition: the cuts inside [s, s+1) (native/shots.h).
//   Objects, gestures and stickers are not detected: they are not part of the native density,
//   and their counts (elementCounts.object / gesture / sticker) are left out, never written as 0.
//   A native density is therefore lower than RumiAI's (which counts every YOLO object and 4 per
//   second with any OCR text): compare native analyses with native analyses.
// * Seconds: int(duration) of them, from 0, as RumiAI (a last part-second is not a second of the
//   curve); avgDensity = totalElements / duration. The element counts cover the whole video
//   (every caption second, every cut, every face second), as RumiAI's sums over its timelines.
// * Everything else follows RumiAI's formulas on that per-second series (density.cc states each
//   one beside its builder): population std, volatility, the acceleration pattern from the
//   first and last thirds, peaks above mean + std with their surprise score, dead zones of 2 or
//   more empty seconds, density shifts between levels, co-occurrence of the measured elements,
//   multi-modal seconds (all three measured kinds at once), the structural flags and the three
//   classifications.
// * Not written: RumiAI's constants (every confidence, densityProgression "stable", mlTags and
//   the whole Quality block), which carry no information.
#include <vector>

#include "core/json.h"
#include "native/faces.h"
#include "native/ocr.h"
#include "native/shots.h"

namespace rumi::native {

// Version of these rules, part of content_config_hash (the analysis cache key). 1: the densities
// per second, and elementCounts.expression counting face seconds (before, when creative_density
// had only counts, it counted smile seconds).
inline constexpr int kDensityRulesVersion = 1;

// The measured elements of one second.
struct SecondElements {
  int text = 0;
  int expression = 0;
  int transition = 0;
  int total() const { return text + expression + transition; }
};

// One entry per whole second, int(duration_s) of them (the rules above).
std::vector<SecondElements> density_seconds(const ShotResult& shots, const OcrResult& text, const FaceResult& faces,
                                            double duration_s);

// The six creative_density blocks, measured fields only.
Json creative_density_flow(const ShotResult& shots, const OcrResult& text, const FaceResult& faces, double duration_s);

}  // namespace rumi::native
