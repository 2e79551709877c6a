#pragma once
// Test videos with known truth, made with the ffmpeg and espeak-ng command-line tools (the
// independent oracles: rumi's decoder never shells out, so a file made by the CLI tests it).
//
// * A video is a list of shots, each a moving two-colour gradient (lavfi `gradients`, plus a slow
//   zoompan) so a shot is never a frozen frame; a cut is where one shot's colours end and the
//   next's begin, at the sum of the shot lengths before it (cut_times()).
// * Audio is none, a sine tone, silence, or an espeak-ng sentence placed at a known time (over
//   silence, or over a quiet tone).
// * Files are cached in one temp dir per user, named by a hash of the exact command that makes
//   them, written under a temporary name and renamed, so parallel test binaries share them and a
//   half-written file is never read.
// * Everything is header-only (inline) so any test binary can include it; it uses only
//   run_program() from tests/support.
//
// A test that needs ffmpeg (or espeak-ng) starts with RUMI_REQUIRE_FFMPEG() (or
// RUMI_REQUIRE_ESPEAK()), which skips it with a message naming the tool when it is absent.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "native/speech.h"
#include "support/test_support.h"

namespace rumi::test::media {

namespace fs = std::filesystem;

inline bool have_program(const std::string& path) { return fs::exists(path); }
inline const std::string& ffmpeg_path() {
  static const std::string p = "/usr/bin/ffmpeg";
  return p;
}
inline const std::string& ffprobe_path() {
  static const std::string p = "/usr/bin/ffprobe";
  return p;
}
inline const std::string& espeak_path() {
  static const std::string p = "/usr/bin/espeak-ng";
  return p;
}
inline bool have_ffmpeg() { return have_program(ffmpeg_path()) && have_program(ffprobe_path()); }
inline bool have_espeak() { return have_program(espeak_path()); }

struct Shot {
  double seconds = 1.0;
  std::string colour = "red";      // any ffmpeg colour name or 0xRRGGBB
  std::string colour2 = "yellow";  // the gradient's second colour
};

enum class Audio { none, tone, silence, speech, speech_over_tone };

struct VideoSpec {
  std::vector<Shot> shots{{2.0, "red", "yellow"}};
  int width = 180;
  int height = 320;
  int fps = 30;
  Audio audio = Audio::none;
  double tone_hz = 440;
  std::string speech_text = "the quick brown fox jumps over the lazy dog";
  double speech_at_s = 1.0;  // where the sentence starts
  // Variable frame rate: between vfr_from_s and vfr_to_s only every other frame is kept (the
  // kept frames keep their original timestamps), so the file is 30 fps, then 15, then 30.
  bool vfr = false;
  double vfr_from_s = 1.0;
  double vfr_to_s = 2.0;
  std::string extension = "mp4";
  bool faststart = false;  // mp4: the index (moov box) before the data, as streaming uploads have it
};

inline double total_seconds(const VideoSpec& spec) {
  double s = 0;
  for (const auto& shot : spec.shots) s += shot.seconds;
  return s;
}

// The true cut times: the start of every shot after the first.
inline std::vector<double> cut_times(const VideoSpec& spec) {
  std::vector<double> cuts;
  double t = 0;
  for (std::size_t i = 0; i + 1 < spec.shots.size(); ++i) {
    t += spec.shots[i].seconds;
    cuts.push_back(t);
  }
  return cuts;
}

inline std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

inline fs::path cache_dir() {
  fs::path dir = fs::temp_directory_path() / ("rumi-test-media-" + std::to_string(::getuid()));
  fs::create_directories(dir);
  return dir;
}

// Runs argv (argv[0] a program path) unless `out` exists; the last argument of argv must be
// the output path placeholder "{out}", replaced by a temporary name renamed to `out` on success.
inline fs::path make_cached(std::vector<std::string> argv, const std::string& extension) {
  std::string key;
  for (const auto& a : argv) key.append(a).push_back('\x1f');
  char name[32];
  std::snprintf(name, sizeof name, "%016llx", static_cast<unsigned long long>(fnv1a(key)));
  const fs::path out = cache_dir() / (std::string(name) + "." + extension);
  if (fs::exists(out) && fs::file_size(out) > 0) return out;
  const fs::path tmp = cache_dir() / (std::string(name) + ".tmp" + std::to_string(::getpid()) + "." + extension);
  for (auto& a : argv)
    if (a == "{out}") a = tmp.string();
  const CommandResult r = run_program(argv);
  if (r.exit_code != 0 || !fs::exists(tmp)) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw std::runtime_error("making test media failed: " + argv[0] + " exit " + std::to_string(r.exit_code) + ": " +
                             r.err.substr(r.err.size() > 2000 ? r.err.size() - 2000 : 0));
  }
  fs::rename(tmp, out);
  return out;
}

// A WAV of espeak-ng saying `text` (22050 Hz mono, espeak's own rate).
inline fs::path make_speech_wav(const std::string& text) {
  return make_cached({espeak_path(), "-v", "en-us", "-s", "150", "-w", "{out}", text}, "wav");
}

// The video described by spec (H.264 yuv420p in mp4 unless the extension says otherwise; AAC
// audio when it has any).
inline fs::path make_video(const VideoSpec& spec) {
  std::vector<std::string> argv{ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y"};
  const std::string size = std::to_string(spec.width) + "x" + std::to_string(spec.height);
  const std::string rate = std::to_string(spec.fps);
  char buf[512];
  for (const auto& shot : spec.shots) {
    std::snprintf(buf, sizeof buf, "gradients=s=%s:r=%s:c0=%s:c1=%s:n=2:speed=0.03:d=%.6f:seed=1", size.c_str(),
                  rate.c_str(), shot.colour.c_str(), shot.colour2.c_str(), shot.seconds);
    argv.insert(argv.end(), {"-f", "lavfi", "-i", buf});
  }
  const double total = total_seconds(spec);
  const std::size_t n = spec.shots.size();
  std::size_t audio_input = n;
  bool has_speech = spec.audio == Audio::speech || spec.audio == Audio::speech_over_tone;
  if (spec.audio == Audio::tone || spec.audio == Audio::speech_over_tone) {
    std::snprintf(buf, sizeof buf, "sine=frequency=%.3f:sample_rate=44100:duration=%.6f", spec.tone_hz, total);
    argv.insert(argv.end(), {"-f", "lavfi", "-i", buf});
  } else if (spec.audio == Audio::silence || spec.audio == Audio::speech) {
    std::snprintf(buf, sizeof buf, "anullsrc=r=44100:cl=mono:d=%.6f", total);
    argv.insert(argv.end(), {"-f", "lavfi", "-i", buf});
  }
  if (has_speech) argv.insert(argv.end(), {"-i", make_speech_wav(spec.speech_text).string()});

  std::string graph;
  for (std::size_t i = 0; i < n; ++i) {
    // A slow zoom so consecutive frames of one shot differ a little, as a real shot does.
    std::snprintf(buf, sizeof buf, "[%zu:v]zoompan=z='1+0.002*on':d=1:s=%s:fps=%s,setsar=1[v%zu];", i, size.c_str(),
                  rate.c_str(), i);
    graph += buf;
  }
  for (std::size_t i = 0; i < n; ++i) graph += "[v" + std::to_string(i) + "]";
  graph += "concat=n=" + std::to_string(n) + ":v=1:a=0,format=yuv420p";
  if (spec.vfr) {
    std::snprintf(buf, sizeof buf, ",select='not(between(t\\,%.6f\\,%.6f)*mod(n\\,2))'", spec.vfr_from_s,
                  spec.vfr_to_s);
    graph += buf;
  }
  graph += "[v]";
  if (spec.audio != Audio::none) {
    if (has_speech) {
      const int delay_ms = static_cast<int>(spec.speech_at_s * 1000 + 0.5);
      std::snprintf(buf, sizeof buf, ";[%zu:a]aresample=44100,adelay=%d:all=1,apad[sp]", audio_input + 1, delay_ms);
      graph += buf;
      std::snprintf(buf, sizeof buf, ";[%zu:a]volume=%s[bg];[bg][sp]amix=inputs=2:duration=first:normalize=0[a]",
                    audio_input, spec.audio == Audio::speech_over_tone ? "0.1" : "1");
      graph += buf;
    } else {
      std::snprintf(buf, sizeof buf, ";[%zu:a]anull[a]", audio_input);
      graph += buf;
    }
  }
  argv.insert(argv.end(), {"-filter_complex", graph, "-map", "[v]"});
  if (spec.audio != Audio::none) argv.insert(argv.end(), {"-map", "[a]", "-c:a", "aac", "-b:a", "64k", "-ac", "1"});
  argv.insert(argv.end(), {"-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-threads", "1"});
  if (spec.vfr) argv.insert(argv.end(), {"-fps_mode", "vfr"});
  if (spec.faststart) argv.insert(argv.end(), {"-movflags", "+faststart"});
  std::snprintf(buf, sizeof buf, "%.6f", total);
  argv.insert(argv.end(), {"-t", buf, "-map_metadata", "-1", "-fflags", "+bitexact", "{out}"});
  return make_cached(argv, spec.extension);
}

// lavfi testsrc2 (moving pattern, no audio) at any size: for sizes where the gradient + zoompan
// shots would be slow to make (8K).
inline fs::path make_testsrc(int width, int height, double seconds, int fps = 30) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "testsrc2=s=%dx%d:r=%d:d=%.6f", width, height, fps, seconds);
  return make_cached(
      {ffmpeg_path(), "-hide_banner",  "-loglevel", "error",   "-y",        "-f",       "lavfi",   "-i",
       buf,           "-c:v",          "libx264",   "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-threads",
       "1",           "-map_metadata", "-1",        "-fflags", "+bitexact", "{out}"},
      "mp4");
}

// An audio-only file (a sine tone in AAC), named .mp4 as a download of the wrong media would be.
// Photographs shown one after another, each for its seconds: every image is scaled to cover the
// width x height frame and centre-cropped (a 9:16 crop of a portrait keeps the face, as a phone
// framing would), with a slow zoom so consecutive frames differ a little. No audio.
struct Slide {
  fs::path image;
  double seconds = 1.0;
};
inline double total_seconds(const std::vector<Slide>& slides) {
  double s = 0;
  for (const auto& sl : slides) s += sl.seconds;
  return s;
}
inline fs::path make_slideshow(const std::vector<Slide>& slides, int width = 360, int height = 640, int fps = 30) {
  std::vector<std::string> argv{ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y"};
  char buf[512];
  std::string graph;
  for (std::size_t i = 0; i < slides.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.6f", slides[i].seconds);
    argv.insert(argv.end(),
                {"-loop", "1", "-framerate", std::to_string(fps), "-t", buf, "-i", slides[i].image.string()});
    std::snprintf(buf, sizeof buf,
                  "[%zu:v]scale=%d:%d:force_original_aspect_ratio=increase,crop=%d:%d,"
                  "zoompan=z='1+0.001*on':d=1:s=%dx%d:fps=%d,setsar=1,format=yuv420p[v%zu];",
                  i, width, height, width, height, width, height, fps, i);
    graph += buf;
  }
  for (std::size_t i = 0; i < slides.size(); ++i) graph += "[v" + std::to_string(i) + "]";
  graph += "concat=n=" + std::to_string(slides.size()) + ":v=1:a=0[v]";
  std::snprintf(buf, sizeof buf, "%.6f", total_seconds(slides));
  argv.insert(argv.end(), {"-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-g",
                           "60", "-threads", "1", "-t", buf, "-map_metadata", "-1", "-fflags", "+bitexact", "{out}"});
  return make_cached(argv, "mp4");
}

inline fs::path make_audio_only(double seconds = 2.0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "sine=frequency=440:sample_rate=44100:duration=%.6f", seconds);
  return make_cached({ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", buf, "-c:a",
                      "aac", "-f", "mp4", "{out}"},
                     "mp4");
}

// Files that are not videos, for the bad-input tests. Written into `dir`.
inline fs::path write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}
inline fs::path make_zero_bytes(const fs::path& dir) { return write_file(dir / "empty.mp4", ""); }
inline fs::path make_html_page(const fs::path& dir) {
  return write_file(
      dir / "page.mp4",
      "<!DOCTYPE html>\n<html><head><title>Access Denied</title></head>\n"
      "<body><h1>403 Forbidden</h1><p>You don't have permission to access this video.</p></body></html>\n");
}
inline fs::path make_random_bytes(const fs::path& dir, std::size_t n = 64 * 1024) {
  std::string bytes(n, '\0');
  std::uint64_t x = 0x9e3779b97f4a7c15ull;  // fixed seed: the same bytes every run
  for (auto& c : bytes) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x & 0xff);
  }
  return write_file(dir / "random.mp4", bytes);
}
// The first `fraction` of `source`'s bytes, as a download cut off half way.
inline fs::path make_truncated(const fs::path& source, const fs::path& dir, double fraction = 0.5) {
  std::ifstream in(source, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bytes.resize(static_cast<std::size_t>(static_cast<double>(bytes.size()) * fraction));
  return write_file(dir / ("truncated_" + source.filename().string()), bytes);
}

// When sound starts in a 16-bit PCM WAV (espeak-ng's output): the first sample whose magnitude
// reaches `fraction` of the file's peak, in seconds. espeak-ng starts its files with a little
// silence, so the speech onset in a video is speech_at_s + this.
struct SoundSpan {
  double start = -1;  // seconds; -1 when the file is silent
  double end = -1;
};
inline SoundSpan wav_sound_span(const fs::path& wav, double fraction = 0.1) {
  std::ifstream in(wav, std::ios::binary);
  std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto u32 = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[i])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[i + 3])) << 24;
  };
  if (b.size() < 12 || b.compare(0, 4, "RIFF") != 0 || b.compare(8, 4, "WAVE") != 0)
    throw std::runtime_error(wav.string() + ": not a WAV file");
  std::uint32_t rate = 0;
  int channels = 1;
  for (std::size_t pos = 12; pos + 8 <= b.size();) {
    const std::string id = b.substr(pos, 4);
    std::uint32_t len = u32(pos + 4);
    if (id == "fmt ") {
      channels = static_cast<unsigned char>(b[pos + 10]);
      rate = u32(pos + 12);
    } else if (id == "data") {
      if (len > b.size() - pos - 8) len = static_cast<std::uint32_t>(b.size() - pos - 8);  // espeak's streamed length
      const std::size_t n = len / 2;
      auto sample = [&](std::size_t i) {
        return static_cast<std::int16_t>(static_cast<unsigned char>(b[pos + 8 + 2 * i]) |
                                         static_cast<unsigned char>(b[pos + 9 + 2 * i]) << 8);
      };
      int peak = 0;
      for (std::size_t i = 0; i < n; ++i) peak = std::max(peak, std::abs(static_cast<int>(sample(i))));
      SoundSpan span;
      if (peak == 0) return span;
      for (std::size_t i = 0; i < n; ++i)
        if (std::abs(static_cast<int>(sample(i))) >= fraction * peak) {
          if (span.start < 0) span.start = static_cast<double>(i / static_cast<std::size_t>(channels)) / rate;
          span.end = static_cast<double>(i / static_cast<std::size_t>(channels) + 1) / rate;
        }
      return span;
    }
    pos += 8 + len + (len & 1);
  }
  throw std::runtime_error(wav.string() + ": no data chunk");
}
inline double wav_first_sound_s(const fs::path& wav, double fraction = 0.1) {
  return wav_sound_span(wav, fraction).start;
}

// Words in a sentence (whitespace-separated), the truth for a word count.
inline int word_count(const std::string& text) {
  int n = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

// A file's samples as the ffmpeg CLI decodes them (after the audio filter `filter`, when given):
// f32le, mono, 16 kHz, the analysis rate. The CLI, not rumi's decoder, so it is an oracle.
inline std::vector<float> read_f32(const fs::path& file, const std::string& filter = "") {
  std::vector<std::string> argv{ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-i", file.string()};
  if (!filter.empty()) argv.insert(argv.end(), {"-af", filter});
  argv.insert(argv.end(), {"-f", "f32le", "-ac", "1", "-ar", "16000", "-"});
  const CommandResult r = run_program(argv);
  if (r.exit_code != 0) throw std::runtime_error("ffmpeg could not read " + file.string() + ": " + r.err);
  std::vector<float> x(r.out.size() / sizeof(float));
  std::memcpy(x.data(), r.out.data(), x.size() * sizeof(float));
  return x;
}

// What ffprobe says about a file (the oracle for the decoder's MediaInfo).
struct Probe {
  double duration_s = 0;  // format duration
  double fps = 0;         // video avg_frame_rate
  int width = 0;
  int height = 0;
  bool has_video = false;
  bool has_audio = false;
  std::vector<double> frame_times;  // every video frame's best-effort PTS, seconds (with_frames)
};

inline double parse_rate(const std::string& r) {
  const auto slash = r.find('/');
  if (slash == std::string::npos) return r.empty() ? 0 : std::stod(r);
  const double num = std::stod(r.substr(0, slash)), den = std::stod(r.substr(slash + 1));
  return den == 0 ? 0 : num / den;
}

inline Probe ffprobe(const fs::path& file, bool with_frames = false) {
  const CommandResult r = run_program(
      {ffprobe_path(), "-v", "error", "-print_format", "json", "-show_format", "-show_streams", file.string()});
  if (r.exit_code != 0) throw std::runtime_error("ffprobe failed on " + file.string() + ": " + r.err);
  const auto j = nlohmann::json::parse(r.out);
  Probe p;
  if (j.contains("format") && j["format"].contains("duration"))
    p.duration_s = std::stod(j["format"]["duration"].get<std::string>());
  for (const auto& s : j.value("streams", nlohmann::json::array())) {
    const std::string type = s.value("codec_type", "");
    if (type == "video" && !p.has_video) {
      p.has_video = true;
      p.width = s.value("width", 0);
      p.height = s.value("height", 0);
      p.fps = parse_rate(s.value("avg_frame_rate", "0/1"));
    } else if (type == "audio") {
      p.has_audio = true;
    }
  }
  if (with_frames) {
    const CommandResult f = run_program({ffprobe_path(), "-v", "error", "-select_streams", "v:0", "-show_entries",
                                         "frame=best_effort_timestamp_time", "-of", "csv=p=0", file.string()});
    if (f.exit_code != 0) throw std::runtime_error("ffprobe -show_entries failed on " + file.string() + ": " + f.err);
    std::size_t pos = 0;
    while (pos < f.out.size()) {
      const auto nl = f.out.find('\n', pos);
      std::string line = f.out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      while (!line.empty() && (line.back() == ',' || line.back() == '\r')) line.pop_back();
      if (!line.empty()) p.frame_times.push_back(std::stod(line));
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
  }
  return p;
}

// Feeds `x` (mono samples at kAnalysisSampleRate) to `sink(const AudioView&)` in blocks of
// `block` samples, with their times, as the decoder delivers audio.
template <class Sink>
void feed_blocks(const std::vector<float>& x, std::size_t block, Sink&& sink) {
  for (std::size_t i = 0; i < x.size(); i += block) {
    ::rumi::native::AudioView v;
    v.t = static_cast<double>(i) / ::rumi::native::kAnalysisSampleRate;
    v.samples = x.data() + i;
    v.count = std::min(block, x.size() - i);
    sink(v);
  }
}

// The pocketsphinx model the speech tests need (Debian's pocketsphinx-en-us).
inline bool have_speech_model() {
  const ::rumi::native::SpeechOptions o;
  return fs::exists(o.hmm) && fs::exists(o.lm);
}

}  // namespace rumi::test::media

#define RUMI_REQUIRE_FFMPEG()                                                            \
  do {                                                                                   \
    if (!::rumi::test::media::have_ffmpeg())                                             \
      GTEST_SKIP() << "needs ffmpeg and ffprobe (" << ::rumi::test::media::ffmpeg_path() \
                   << ") to make test videos; absent here";                              \
  } while (0)

#define RUMI_REQUIRE_ESPEAK()                                                   \
  do {                                                                          \
    if (!::rumi::test::media::have_espeak())                                    \
      GTEST_SKIP() << "needs espeak-ng (" << ::rumi::test::media::espeak_path() \
                   << ") to make test speech; absent here";                     \
  } while (0)

#define RUMI_REQUIRE_SPEECH_TOOLS()                                                                         \
  do {                                                                                                      \
    RUMI_REQUIRE_FFMPEG();                                                                                  \
    RUMI_REQUIRE_ESPEAK();                                                                                  \
    if (!::rumi::test::media::have_speech_model())                                                          \
      GTEST_SKIP() << "needs the pocketsphinx-en-us model (" << ::rumi::native::SpeechOptions{}.hmm << ")"; \
  } while (0)
