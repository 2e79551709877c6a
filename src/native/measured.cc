#include "native/measured.h"

#include <cmath>
#include <vector>

#include "core/json.h"
#include "core/video.h"
#include "native/audio.h"
#include "native/content_analysis.h"
#include "native/density.h"
#include "native/faces.h"
#include "native/metadata_analysis.h"
#include "native/ocr.h"
#include "native/shots.h"
#include "native/speech.h"

namespace rumi::native {
namespace {

// Adds "prefix.key" for every key of every nested object (arrays and scalars end a path).
void collect_paths(const Json& j, const std::string& prefix, std::set<std::string>& out) {
  if (!j.is_object()) return;
  for (const auto& [key, value] : j.items()) {
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    out.insert(path);
    collect_paths(value, path, out);
  }
}

void collect_flow(std::string_view flow, const Json& blocks, std::set<std::string>& out) {
  const std::string name(flow);
  out.insert(name);
  collect_paths(blocks, name, out);
}

Video representative_item() {
  Video v;
  v.id = "7300000000000000000";
  v.caption = "Morning routine #nutrition #fyp @coach follow for more! Would you try it?";
  v.hashtags = {"nutrition", "fyp"};
  v.duration_s = 12;
  v.created_utc = 1735732800;  // 2025-01-01T12:00:00Z
  v.views = 1000;
  v.likes = 100;
  v.comments = 10;
  v.shares = 5;
  v.music_original = true;
  v.effect_count = 1;
  return v;
}

// Three seconds of a tone that swells, then three of silence: enough for every audio measure.
AudioResult representative_audio() {
  AudioAnalyzer analyzer;
  std::vector<float> samples(static_cast<std::size_t>(6 * kAnalysisSampleRate), 0.0f);
  for (std::size_t i = 0; i < samples.size() / 2; ++i) {
    const double t = static_cast<double>(i) / kAnalysisSampleRate;
    samples[i] = static_cast<float>(0.1 * (1 + t) * std::sin(2 * M_PI * 440 * t));
  }
  analyzer.add(AudioView{0, samples.data(), samples.size(), kAnalysisSampleRate});
  return analyzer.finish(6);
}

SpeechResult representative_speech() {
  SpeechResult s;
  s.has_audio = true;
  s.words_measured = true;
  s.voice_activity = {{0.5, 2.5}};
  s.voice_activity_s = 2;
  s.words = {{0.5, 1.0, "hello", 0.9}, {1.2, 1.8, "world", 0.9}};
  s.segments = {{0.5, 2.5, "hello world", 2}};
  s.total_words = 2;
  s.unique_words = 2;
  s.speech_time_s = 2;
  s.speech_coverage = 2.0 / 6;
  s.words_per_minute = 60;
  s.time_to_first_word = 0.5;
  s.silence_ratio = 1 - 2.0 / 6;
  s.transcript = "hello world";
  return s;
}

ShotResult representative_shots() {
  ShotResult r;
  r.cuts = {1.5, 3.0, 4.0};
  r.shot_starts = {0, 1.5, 3.0, 4.0};
  r.shot_lengths = {1.5, 1.5, 1.0, 2.0};
  r.duration_s = 6;
  return r;
}

// Two captions (one a call to action) and a scene text over six seconds.
OcrResult representative_text() {
  OcrResult r;
  r.duration_s = 6;
  TextOverlay link;
  link.start_s = 1;
  link.end_s = 3;
  link.text = "link in bio";
  link.caption = true;
  TextOverlay greens = link;
  greens.start_s = 4;
  greens.end_s = 5;
  greens.text = "daily greens";
  TextOverlay sign;
  sign.start_s = 0;
  sign.end_s = 6;
  sign.text = "exit 12";
  r.overlays = {sign, link, greens};
  r.captions_per_second = {0, 1, 1, 0, 1, 0};
  r.text_per_second = {"", "link in bio", "link in bio", "", "daily greens", ""};
  return r;
}

// Six seconds at 3 frames a second: a centred close face with eye contact from 1 s, smiling from
// 2 s, a second, wide face at 3 s, nobody after 4 s.
FaceResult representative_faces() {
  FaceResult r;
  r.duration_s = 6;
  r.sample_fps = 3;
  for (int i = 0; i < 18; ++i) {
    FaceFrame f;
    f.t = i / 3.0;
    if (f.t >= 1 && f.t < 4) {
      DetectedFace close;
      close.x = 0.25;
      close.y = 0.2;
      close.w = 0.55;
      close.h = 0.55;
      close.area_share = close.w * close.h;
      close.centred = true;
      close.eye_contact = true;
      close.smile = f.t >= 2;
      f.faces.push_back(close);
      if (f.t >= 3) {
        DetectedFace wide;
        wide.x = 0.05;
        wide.y = 0.6;
        wide.w = 0.12;
        wide.h = 0.12;
        wide.area_share = wide.w * wide.h;
        f.faces.push_back(wide);
      }
    }
    r.frames.push_back(f);
  }
  return r;
}

}  // namespace

const std::set<std::string>& native_item_paths() {
  static const std::set<std::string> paths = [] {
    std::set<std::string> out;
    collect_flow("metadata_analysis", metadata_analysis(representative_item()), out);
    return out;
  }();
  return paths;
}

const std::set<std::string>& native_video_paths() {
  static const std::set<std::string> paths = [] {
    std::set<std::string> out;
    const ShotResult shots = representative_shots();
    const AudioResult audio = representative_audio();
    collect_flow("scene_pacing", scene_pacing_flow(shots, 6), out);
    collect_flow("speech_analysis", speech_analysis_flow(representative_speech(), &audio, 6), out);
    // Speech the English model does not follow: activity fields and the reason are written too.
    SpeechResult unclear = representative_speech();
    unclear.words_measured = false;
    unclear.language_status = "not_english_or_unclear";
    unclear.not_measured_reason = "speech-like sound the English model does not follow";
    collect_flow("speech_analysis", speech_analysis_flow(unclear, &audio, 6), out);
    const OcrResult text = representative_text();
    const FaceResult faces = representative_faces();
    // Per second (captions, face, cuts): 1 (1, 1, 1), 2 (1, 1, 0), 3 (0, 1, 1), 4 (1, 0, 1): every
    // pair of the measured kinds, and a second with all three.
    collect_flow("creative_density", creative_density_flow(shots, text, faces, 6), out);
    collect_flow("visual_overlay_analysis", visual_overlay_flow(text, 6), out);
    collect_flow("person_framing", person_framing_flow(faces), out);
    collect_flow("emotional_journey", emotional_journey_from_faces(faces), out);
    return out;
  }();
  return paths;
}

NativeCoverage native_coverage(std::string_view source) {
  const std::string s(source);
  // The Apify item's own fields (duration, counts) come with every native analysis.
  if (s.starts_with("apify.")) return NativeCoverage::from_item;
  if (native_item_paths().count(s)) return NativeCoverage::from_item;
  if (native_video_paths().count(s)) return NativeCoverage::from_video;
  return NativeCoverage::not_measured;
}

std::string_view native_coverage_name(NativeCoverage c) {
  switch (c) {
    case NativeCoverage::from_item: return "from the item";
    case NativeCoverage::from_video: return "from the video";
    case NativeCoverage::not_measured: break;
  }
  return "not measured";
}

}  // namespace rumi::native
