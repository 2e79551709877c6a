#include "native/content_analysis.h"

#include <time.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "core/sha256.h"
#include "native/density.h"
#include "native/metadata_analysis.h"

namespace rumi::native {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// CPU time of the calling thread: the pass runs on one thread (one decoder thread, detectors
// called inline), so this splits the work between decoding and the detectors whatever else the
// machine is doing, which wall time on a shared machine does not.
double thread_cpu_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Each detector behind a sink that clocks the time spent inside it, so the pass can say what
// decoding alone costs (the total minus the detectors).
struct ShotSink : MediaSink {
  ShotDetector* d;
  double seconds = 0;
  explicit ShotSink(ShotDetector* det) : d(det) {}
  void on_frame(const FrameView& f) override {
    const double t0 = thread_cpu_s();
    d->add_frame(f);
    seconds += thread_cpu_s() - t0;
  }
};

// The speech model takes about a second to load, so it is loaded only once the file is known to
// have a sound track (on_info comes before the first frame): a silent or broken file costs
// nothing.
struct AudioSink : MediaSink {
  AudioAnalyzer audio;
  const SpeechOptions& speech_options;
  std::optional<SpeechRecognizer> speech;
  double audio_s = 0, speech_s = 0;
  AudioSink(const AudioOptions& a, const SpeechOptions& s) : audio(a), speech_options(s) {}
  void on_info(const MediaInfo& info) override {
    if (!info.has_audio) return;
    const double t0 = thread_cpu_s();
    speech.emplace(speech_options);
    speech_s += thread_cpu_s() - t0;
  }
  void on_audio(const AudioView& v) override {
    const double t0 = thread_cpu_s();
    audio.add(v);
    const double t1 = thread_cpu_s();
    if (speech) speech->add(v);
    audio_s += t1 - t0;
    speech_s += thread_cpu_s() - t1;
  }
};

constexpr int kTextTap = 0;  // DecodeOptions::taps indices
constexpr int kFaceTap = 1;

// One detector on its own frame tap, set up when the file is known to have video (on_info), its
// CPU time counted apart from the decoder's.
void feed(TextDetector& d, const FrameView& f) { d.add_frame(f); }
void feed(FaceDetector& d, const FrameView& f) { d.add_frame(f.t, f); }

template <class Detector, class Options, int Tap>
struct TapSink : MediaSink {
  const Options& options;
  std::optional<Detector> detector;
  double seconds = 0;
  explicit TapSink(const Options& o) : options(o) {}
  void on_info(const MediaInfo& info) override {
    if (!info.has_video) return;
    const double t0 = thread_cpu_s();
    detector.emplace(options);
    seconds += thread_cpu_s() - t0;
  }
  void on_tap_frame(int tap, const FrameView& f) override {
    if (tap != Tap || !detector) return;
    const double t0 = thread_cpu_s();
    feed(*detector, f);
    seconds += thread_cpu_s() - t0;
  }
};
// Tesseract takes about a second to set up, the face cascades about 40 ms: once per analysis.
using TextSink = TapSink<TextDetector, OcrOptions, kTextTap>;
using FaceSink = TapSink<FaceDetector, FaceOptions, kFaceTap>;

DecodeOptions decode_options(const ContentOptions& o) {
  DecodeOptions d;
  d.width = o.shots.analysis_width > 0 ? o.shots.analysis_width : 160;
  d.sample_fps = o.shots.sample_fps;
  d.max_duration_s = o.max_duration_s;
  d.stop = o.stop;
  d.threads = 1;
  d.taps = {FrameTap{o.text.analysis_width, o.text.sample_fps},     // kTextTap
            FrameTap{o.faces.analysis_width, o.faces.sample_fps}};  // kFaceTap
  return d;
}

std::string format_s(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

}  // namespace

std::string content_config_hash(const ContentOptions& o) {
  const DecodeOptions d = decode_options(o);
  char decode[160];
  std::snprintf(decode, sizeof decode, "decode/v2 rgb24 area upright width=%d height=%d fps=%.6g fast=%d audio=mono/%d",
                d.width, d.height, d.sample_fps, d.fast ? 1 : 0, kAnalysisSampleRate);
  std::string text = "content/v" + std::to_string(kNativeContentVersion);
  text += '\n';
  text += decode;
  text += '\n';
  text += shot_config_fingerprint(o.shots);
  text += '\n';
  text += audio_config_fingerprint(o.audio);
  text += '\n';
  text += speech_config_fingerprint(o.speech);
  text += '\n';
  text += ocr_config_fingerprint(o.text);
  text += '\n';
  text += face_config_fingerprint(o.faces);
  text += "\ndensity/v";
  text += std::to_string(kDensityRulesVersion);
  return sha256_hex(text);
}

std::string content_analyzer_version(const ContentOptions& o) {
  std::string v(kNativeAnalyzerName);
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
  v += '-';
  v += std::to_string(kNativeContentVersion);
  v += "-content-";
  v.append(content_config_hash(o), 0, 12);
  return v;
}

ContentAnalysis analyse_video_file(const fs::path& file, const Video* item, const ContentOptions& o) {
  const auto t0 = Clock::now();
  // Refused from the item before the file is read: a 40-minute live replay is not decoded to
  // find out it is too long.
  if (item && o.max_duration_s > 0 && item->duration_s > o.max_duration_s)
    throw DecodeError(
        file, DecodeError::Kind::too_long,
        "too long: the item says " + format_s(item->duration_s) + " (the limit is " + format_s(o.max_duration_s) + ")");
  DecodeOptions d = decode_options(o);
  if (o.timeout_s > 0)
    d.deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.timeout_s));

  ShotDetector shots(o.shots);
  ShotSink shot_sink(&shots);
  AudioSink audio_sink(o.audio, o.speech);
  TextSink text_sink(o.text);
  FaceSink face_sink(o.faces);
  const double td0 = thread_cpu_s();
  const DecodeStats st = decode_file(file, d, {&shot_sink, &audio_sink, &text_sink, &face_sink});
  const double pass_s = thread_cpu_s() - td0;

  ContentAnalysis a;
  a.info = st.info;
  a.duration_s = st.duration_s;
  a.frames_analysed = st.frames_delivered;

  double tf = thread_cpu_s();
  const ShotResult shot_result = shots.finish(a.duration_s);
  const double shots_s = shot_sink.seconds + thread_cpu_s() - tf;
  tf = thread_cpu_s();
  std::optional<AudioResult> audio_result;
  if (st.info.has_audio) audio_result = audio_sink.audio.finish(a.duration_s);
  const double audio_s = audio_sink.audio_s + thread_cpu_s() - tf;
  tf = thread_cpu_s();
  // No sound track: nothing was said (speech_analysis_flow writes that as a measurement).
  const SpeechResult speech_result = audio_sink.speech ? audio_sink.speech->finish(a.duration_s) : SpeechResult{};
  const double speech_s = audio_sink.speech_s + thread_cpu_s() - tf;
  tf = thread_cpu_s();
  if (text_sink.detector) a.text = text_sink.detector->finish(a.duration_s);
  const double text_s = text_sink.seconds + thread_cpu_s() - tf;
  tf = thread_cpu_s();
  if (face_sink.detector) a.faces = face_sink.detector->finish(a.duration_s);
  const double faces_s = face_sink.seconds + thread_cpu_s() - tf;

  a.cuts = shot_result.cuts;
  a.words_measured = !st.info.has_audio || speech_result.words_measured;
  if (!a.words_measured) a.words_not_measured_reason = speech_result.not_measured_reason;
  a.words = st.info.has_audio && speech_result.words_measured ? speech_result.total_words : 0;
  a.voice_activity_s = speech_result.voice_activity_s;
  a.transcript = speech_result.transcript;
  if (st.info.has_audio && speech_result.words_measured && std::isfinite(speech_result.time_to_first_word) &&
      speech_result.total_words > 0)
    a.speech_onset_s = speech_result.time_to_first_word;

  a.flows["scene_pacing"] = scene_pacing_flow(shot_result, a.duration_s);
  a.flows["creative_density"] = creative_density_flow(shot_result, a.text, a.faces, a.duration_s);
  a.flows["visual_overlay_analysis"] = visual_overlay_flow(a.text, a.duration_s);
  a.flows["person_framing"] = person_framing_flow(a.faces);
  if (Json ej = emotional_journey_from_faces(a.faces); !ej.is_null()) a.flows["emotional_journey"] = std::move(ej);
  a.flows["speech_analysis"] =
      speech_analysis_flow(speech_result, audio_result ? &*audio_result : nullptr, a.duration_s);
  if (item) a.flows["metadata_analysis"] = metadata_analysis(*item);

  const double rt = a.duration_s > 0 ? a.duration_s : 1;
  const double decode_s = std::max(0.0, pass_s - shot_sink.seconds - audio_sink.audio_s - audio_sink.speech_s -
                                            text_sink.seconds - face_sink.seconds);
  a.timings = {{"decode", decode_s, decode_s / rt}, {"shots", shots_s, shots_s / rt}, {"audio", audio_s, audio_s / rt},
               {"speech", speech_s, speech_s / rt}, {"text", text_s, text_s / rt},    {"faces", faces_s, faces_s / rt}};
  a.wall_seconds = since(t0);
  return a;
}

Json ContentAnalysis::measurements() const {
  Json t = Json::object();
  for (const auto& d : timings)
    t[d.name] = {{"cpu_seconds", json_number(d.seconds)}, {"real_time_factor", json_number(d.real_time_factor)}};
  Json j = {{"duration_s", json_number(duration_s)},
            {"width", info.width},
            {"height", info.height},
            {"fps", json_number(info.fps)},
            {"has_audio", info.has_audio},
            {"video_codec", info.video_codec},
            {"frames_analysed", frames_analysed},
            {"cuts", cuts},
            {"words_measured", words_measured},
            {"words", words},
            {"words_not_measured_reason", words_not_measured_reason},
            {"voice_activity_s", json_number(voice_activity_s)},
            {"transcript", transcript},
            {"timings", t},
            {"wall_seconds", json_number(wall_seconds)}};
  Json overlays = Json::array();
  for (const auto& ov : text.overlays)
    overlays.push_back({{"start_s", json_number(ov.start_s)},
                        {"end_s", json_number(ov.end_s)},
                        {"text", ov.text},
                        {"raw", ov.raw},
                        {"kind", ov.caption ? "caption" : "scene"},
                        {"sightings", ov.sightings},
                        {"height", json_number(ov.rel_height)},
                        {"centre", {json_number(ov.centre_x), json_number(ov.centre_y)}},
                        {"contrast", json_number(ov.contrast)},
                        {"confidence", json_number(ov.confidence)}});
  j["text"] = {{"overlays", overlays},
               {"time_to_first_text_s", json_number(text.time_to_first_text())},
               {"seconds_with_text", text.seconds_with_text()},
               {"frames_sampled", text.frames_sampled},
               {"frames_read", text.frames_read}};
  std::int64_t face_frames = 0;
  for (const auto& f : faces.frames) face_frames += f.faces.empty() ? 0 : 1;
  j["faces"] = {{"frames_analysed", static_cast<std::int64_t>(faces.frames.size())},
                {"frames_with_a_face", face_frames}};
  j["speech_onset_s"] = speech_onset_s >= 0 ? json_number(speech_onset_s) : Json(nullptr);
  if (info.has_audio) j["audio_codec"] = info.audio_codec;
  return j;
}

}  // namespace rumi::native
