#pragma once
// rumi's native content analysis of one video file: one decoding pass (native/decoder.h) feeds
// the shot detector (native/shots.h), the audio analyzer (native/audio.h), the speech
// recognizer (native/speech.h), the on-screen text reader (native/ocr.h, on its own frame tap
// of about 720 columns twice a second) and the face detector (native/faces.h, on a tap of 360
// columns three times a second) together, and the results become RumiAI era-B flows with
// generic block names, which the analysis cache, replay and the features stage read unchanged.
//
// Rules, and why:
// * Only what is measured is written. scene_pacing, speech_analysis, visual_overlay_analysis and
//   person_framing come from their detectors; creative_density is the density per second of
//   the measured elements, captions + faces + cuts (native/density.h states the definition);
//   the counts of objects, gestures and stickers are left out (not measured), never written as
//   0. emotional_journey carries the smile-based reading, and only when a face was seen
//   (nothing to read an expression from otherwise: the flow is missing). metadata_analysis is
//   added when the Apify item is given.
// * A file without an audio stream is analysed: speech is measured as none (0 words, coverage
//   0, no audio energy), which is a measurement, not a gap.
// * Limits: the item's duration, when given, is checked against max_duration_s before the file
//   is opened; the container's duration again after; timeout_s bounds the decoding pass.
// * The flows are reproducible: the same file and options give the same bytes. Timings (the
//   real-time factors) are measurements of this machine and are reported beside the flows,
//   never inside them.
// * content_config_hash covers the content version, the decoding settings and every detector's
//   fingerprint; with the analyzer name and the input file's sha256 it is the analysis cache
//   key (analyze/analyze_hashtag.cc).
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/video.h"
#include "native/audio.h"
#include "native/decoder.h"
#include "native/faces.h"
#include "native/media_types.h"
#include "native/ocr.h"
#include "native/shots.h"
#include "native/speech.h"

namespace rumi::native {

// Version of the content mode's rules (this file and how it combines the detectors). A new
// detector changes content_config_hash through its fingerprint, so adding one (on-screen text)
// needs no new version; nor does a new flow builder with its own version in the hash
// (kDensityRulesVersion, native/density.h).
inline constexpr int kNativeContentVersion = 1;

struct ContentOptions {
  ShotOptions shots;
  AudioOptions audio;
  SpeechOptions speech;
  OcrOptions text;            // its analysis_width and sample_fps are the decoder tap it reads
  FaceOptions faces;          // likewise
  double timeout_s = 900;     // per video; <= 0: no limit
  double max_duration_s = 0;  // 0: no limit; else longer videos are refused
  const std::atomic<bool>* stop = nullptr;
};

// CPU time spent in one part of the pass (the thread's CPU clock: the pass runs on one thread,
// so the split holds on a busy machine), and its real-time factor (CPU seconds per second of
// video). Wall time of the whole analysis is ContentAnalysis::wall_seconds.
struct DetectorTiming {
  std::string name;    // decode | shots | audio | speech | text | faces
  double seconds = 0;  // CPU seconds
  double real_time_factor = 0;
};

struct ContentAnalysis {
  MediaInfo info;
  double duration_s = 0;
  std::int64_t frames_analysed = 0;
  std::vector<double> cuts;    // seconds
  double speech_onset_s = -1;  // first word; -1 when nothing is said (or words are not measured)
  int words = 0;
  bool words_measured = false;
  std::string words_not_measured_reason;  // the recognizer's, when words_measured is false
  double voice_activity_s = 0;
  std::string transcript;
  OcrResult text;  // on-screen text: every overlay, captions and scene text
  FaceResult faces;
  // flow name -> {CoreMetrics, ...}; only the flows produced (see the rules above)
  Json flows = Json::object();
  std::vector<DetectorTiming> timings;
  double wall_seconds = 0;

  // Everything above except the flows, for the CLI and logs (timings included).
  Json measurements() const;
};

// Throws DecodeError (an InputError) for a file that cannot be analysed, with the reason.
ContentAnalysis analyse_video_file(const std::filesystem::path& file, const Video* item, const ContentOptions& options);

// sha256 (hex) of the content version, the decoding settings and every detector's fingerprint.
std::string content_config_hash(const ContentOptions& options);

// The analyzer version of the content mode: "rumi-native-<version>-content-<first 12 of the hash>".
std::string content_analyzer_version(const ContentOptions& options);

}  // namespace rumi::native
