// The in-process decoder against ffprobe (the oracle) on files made by the ffmpeg CLI: what it
// reports about a file, the frames and samples it delivers, and how it refuses bad files.
#include "native/decoder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numeric>

#include "native/shots.h"
#include "native/test_media.h"

namespace rumi::native {
namespace {

namespace fs = std::filesystem;
namespace tm = rumi::test::media;

// Records what the decoder delivers.
struct Recorder : MediaSink {
  int infos = 0;
  MediaInfo info;
  std::vector<double> frame_times;
  std::vector<std::pair<int, int>> sizes;
  std::vector<double> mean_r, mean_g, mean_b;
  std::vector<float> samples;
  bool audio_contiguous = true;
  void on_info(const MediaInfo& i) override {
    ++infos;
    info = i;
  }
  void on_frame(const FrameView& f) override {
    frame_times.push_back(f.t);
    sizes.emplace_back(f.width, f.height);
    double r = 0, g = 0, b = 0;
    for (int y = 0; y < f.height; ++y)
      for (int x = 0; x < f.width; ++x) {
        const std::uint8_t* p = f.rgb + static_cast<std::ptrdiff_t>(y) * f.stride + 3 * x;
        r += p[0];
        g += p[1];
        b += p[2];
      }
    const double n = static_cast<double>(f.width) * f.height;
    mean_r.push_back(r / n);
    mean_g.push_back(g / n);
    mean_b.push_back(b / n);
  }
  void on_audio(const AudioView& a) override {
    if (std::abs(a.t - static_cast<double>(samples.size()) / kAnalysisSampleRate) > 1e-9) audio_contiguous = false;
    EXPECT_EQ(a.rate, kAnalysisSampleRate);
    samples.insert(samples.end(), a.samples, a.samples + a.count);
  }
};

tm::VideoSpec two_shots_with_tone() {
  tm::VideoSpec spec;
  spec.shots = {{1.0, "red", "yellow"}, {1.5, "blue", "cyan"}};
  spec.audio = tm::Audio::tone;
  return spec;
}

TEST(Decoder, ReportsWhatFfprobeReports) {
  RUMI_REQUIRE_FFMPEG();
  const auto file = tm::make_video(two_shots_with_tone());
  const tm::Probe p = tm::ffprobe(file, true);
  const MediaInfo info = probe_media(file);
  EXPECT_NEAR(info.duration_s, p.duration_s, 1e-3);
  EXPECT_EQ(info.width, p.width);
  EXPECT_EQ(info.height, p.height);
  EXPECT_NEAR(info.fps, p.fps, 1e-3);
  EXPECT_TRUE(info.has_video);
  EXPECT_EQ(info.has_audio, p.has_audio);
  EXPECT_EQ(info.video_codec, "h264");
  EXPECT_EQ(info.audio_codec, "aac");

  Recorder rec;
  DecodeOptions o;
  o.width = 90;
  const DecodeStats st = decode_file(file, o, {&rec});
  EXPECT_EQ(rec.infos, 1);
  EXPECT_NEAR(st.duration_s, p.duration_s, 1e-3);
  ASSERT_EQ(rec.frame_times.size(), p.frame_times.size());
  EXPECT_EQ(st.frames_decoded, static_cast<std::int64_t>(p.frame_times.size()));
  for (std::size_t i = 0; i < p.frame_times.size(); ++i) ASSERT_NEAR(rec.frame_times[i], p.frame_times[i], 1e-4) << i;
  // Scaled to the analysis width, height by aspect (320 * 90 / 180).
  EXPECT_EQ(rec.sizes.front(), std::make_pair(90, 160));
}

TEST(Decoder, FramesCarryTheColoursOfTheirShot) {
  RUMI_REQUIRE_FFMPEG();
  Recorder rec;
  decode_file(tm::make_video(two_shots_with_tone()), DecodeOptions{}, {&rec});
  ASSERT_FALSE(rec.frame_times.empty());
  for (std::size_t i = 0; i < rec.frame_times.size(); ++i) {
    const double t = rec.frame_times[i];
    if (t < 0.9) {  // red-yellow: red everywhere, no blue
      EXPECT_GT(rec.mean_r[i], 200) << t;
      EXPECT_LT(rec.mean_b[i], 60) << t;
    } else if (t > 1.1) {  // blue-cyan: blue everywhere, no red
      EXPECT_GT(rec.mean_b[i], 200) << t;
      EXPECT_LT(rec.mean_r[i], 60) << t;
    }
  }
}

TEST(Decoder, VariableFrameRateTimesAreThePts) {
  RUMI_REQUIRE_FFMPEG();
  tm::VideoSpec spec;
  spec.shots = {{3.0, "green", "white"}};
  spec.vfr = true;
  const auto file = tm::make_video(spec);
  const tm::Probe p = tm::ffprobe(file, true);
  Recorder rec;
  decode_file(file, DecodeOptions{}, {&rec});
  ASSERT_EQ(rec.frame_times.size(), p.frame_times.size());
  for (std::size_t i = 0; i < p.frame_times.size(); ++i) ASSERT_NEAR(rec.frame_times[i], p.frame_times[i], 1e-4) << i;
  // Inside [1, 2] the frames are 1/15 s apart; a frame counter at 30 fps would say 1/30.
  int wide_gaps = 0;
  for (std::size_t i = 1; i < rec.frame_times.size(); ++i)
    if (rec.frame_times[i] - rec.frame_times[i - 1] > 0.05) ++wide_gaps;
  EXPECT_NEAR(wide_gaps, 15, 1);
  EXPECT_NEAR(rec.frame_times.back(), 3.0 - 1.0 / 30, 1e-3);
}

TEST(Decoder, SamplesFramesEvenlyInTime) {
  RUMI_REQUIRE_FFMPEG();
  tm::VideoSpec spec;
  spec.shots = {{3.0, "green", "white"}};
  spec.vfr = true;  // 30, then 15, then 30 fps: sampling at 10 fps must not care
  Recorder rec;
  DecodeOptions o;
  o.sample_fps = 10;
  const DecodeStats st = decode_file(tm::make_video(spec), o, {&rec});
  EXPECT_EQ(st.frames_delivered, static_cast<std::int64_t>(rec.frame_times.size()));
  EXPECT_GT(st.frames_decoded, st.frames_delivered);
  EXPECT_NEAR(static_cast<double>(rec.frame_times.size()), 30.0, 1.0);
  // One frame per 0.1-s slot: the first frame ffprobe lists in that slot.
  const tm::Probe p = tm::ffprobe(tm::make_video(spec), true);
  std::vector<double> first_in_slot;
  long last = -1;
  for (double t : p.frame_times) {
    const long slot = static_cast<long>(std::floor(t * 10 + 1e-6));
    if (slot > last) first_in_slot.push_back(t);
    last = std::max(last, slot);
  }
  ASSERT_EQ(rec.frame_times.size(), first_in_slot.size());
  for (std::size_t i = 0; i < first_in_slot.size(); ++i) EXPECT_NEAR(rec.frame_times[i], first_in_slot[i], 1e-4);
}

TEST(Decoder, NeverUpscales) {
  RUMI_REQUIRE_FFMPEG();
  Recorder rec;
  DecodeOptions o;
  o.width = 640;
  tm::VideoSpec spec;
  spec.shots = {{0.5, "red", "yellow"}};
  decode_file(tm::make_video(spec), o, {&rec});
  ASSERT_FALSE(rec.sizes.empty());
  EXPECT_EQ(rec.sizes.front(), std::make_pair(180, 320));
  EXPECT_EQ(analysis_size(1080, 1920, 160, 0), std::make_pair(160, 284));
  EXPECT_EQ(analysis_size(7680, 4320, 160, 0), std::make_pair(160, 90));
}

TEST(Decoder, An8KSourceIsScaledAtDecode) {
  RUMI_REQUIRE_FFMPEG();
  const auto file = tm::make_testsrc(7680, 4320, 2.0 / 30);
  Recorder rec;
  const DecodeStats st = decode_file(file, DecodeOptions{}, {&rec});
  EXPECT_EQ(st.info.width, 7680);
  EXPECT_EQ(st.info.height, 4320);
  EXPECT_EQ(st.frames_delivered, 2);
  ASSERT_EQ(rec.sizes.size(), 2u);
  EXPECT_EQ(rec.sizes.front(), std::make_pair(160, 90));  // what the detectors get, not 8K
}

TEST(Decoder, AudioIsMono16kHzContiguousAndTheTone) {
  RUMI_REQUIRE_FFMPEG();
  const auto spec = two_shots_with_tone();
  Recorder rec;
  DecodeOptions o;
  o.video = false;
  decode_file(tm::make_video(spec), o, {&rec});
  EXPECT_TRUE(rec.audio_contiguous);
  EXPECT_TRUE(rec.frame_times.empty());
  EXPECT_NEAR(static_cast<double>(rec.samples.size()) / kAnalysisSampleRate, 2.5, 0.05);
  // lavfi sine: amplitude 1/8, so RMS 0.125 / sqrt 2; 440 Hz: 880 zero crossings a second.
  const std::size_t a = kAnalysisSampleRate / 2, b = 2 * kAnalysisSampleRate;  // away from the edges
  double sq = 0;
  int crossings = 0;
  for (std::size_t i = a; i < b; ++i) {
    sq += rec.samples[i] * rec.samples[i];
    if ((rec.samples[i - 1] < 0) != (rec.samples[i] < 0)) ++crossings;
  }
  EXPECT_NEAR(std::sqrt(sq / static_cast<double>(b - a)), 0.125 / std::sqrt(2.0), 0.01);
  EXPECT_NEAR(crossings / 1.5, 880, 10);
}

TEST(Decoder, LateAudioStartsWithSilenceSoTimesHold) {
  RUMI_REQUIRE_FFMPEG();
  // The sound track starts 0.5 s after the picture (ffprobe: audio start_time about 0.476).
  const auto file = tm::make_cached({tm::ffmpeg_path(),
                                     "-hide_banner",
                                     "-loglevel",
                                     "error",
                                     "-y",
                                     "-f",
                                     "lavfi",
                                     "-i",
                                     "testsrc2=s=180x320:r=30:d=2",
                                     "-itsoffset",
                                     "0.5",
                                     "-f",
                                     "lavfi",
                                     "-i",
                                     "sine=frequency=440:sample_rate=44100:duration=1.5",
                                     "-map",
                                     "0:v",
                                     "-map",
                                     "1:a",
                                     "-c:v",
                                     "libx264",
                                     "-preset",
                                     "ultrafast",
                                     "-c:a",
                                     "aac",
                                     "-map_metadata",
                                     "-1",
                                     "-fflags",
                                     "+bitexact",
                                     "{out}"},
                                    "mp4");
  Recorder rec;
  DecodeOptions o;
  o.video = false;
  decode_file(file, o, {&rec});
  EXPECT_TRUE(rec.audio_contiguous);
  EXPECT_NEAR(static_cast<double>(rec.samples.size()) / kAnalysisSampleRate, 2.0, 0.06);
  auto rms = [&](double from, double to) {
    double sq = 0;
    const auto a = static_cast<std::size_t>(from * kAnalysisSampleRate),
               b = static_cast<std::size_t>(to * kAnalysisSampleRate);
    for (std::size_t i = a; i < b; ++i) sq += rec.samples[i] * rec.samples[i];
    return std::sqrt(sq / static_cast<double>(b - a));
  };
  EXPECT_LT(rms(0.0, 0.4), 1e-4);
  EXPECT_NEAR(rms(0.6, 1.8), 0.125 / std::sqrt(2.0), 0.01);
}

TEST(Decoder, NoAudioStreamIsNormal) {
  RUMI_REQUIRE_FFMPEG();
  tm::VideoSpec spec;
  spec.shots = {{1.0, "red", "yellow"}};
  Recorder rec;
  const DecodeStats st = decode_file(tm::make_video(spec), DecodeOptions{}, {&rec});
  EXPECT_FALSE(st.info.has_audio);
  EXPECT_FALSE(rec.info.has_audio);
  EXPECT_TRUE(rec.samples.empty());
  EXPECT_EQ(st.audio_samples, 0);
  EXPECT_GT(rec.frame_times.size(), 20u);
}

// Records what the taps deliver, per tap.
struct TapRecorder : MediaSink {
  std::vector<std::vector<double>> times;
  std::vector<std::vector<std::pair<int, int>>> sizes;
  std::vector<std::vector<double>> mean_r, mean_b;
  std::vector<double> main_times;
  std::vector<std::uint8_t> first_rgb;  // tap 0's first frame, packed rows
  std::vector<std::string> order;       // "m" or "t<i>", per delivery
  explicit TapRecorder(std::size_t n) : times(n), sizes(n), mean_r(n), mean_b(n) {}
  void on_frame(const FrameView& f) override {
    main_times.push_back(f.t);
    order.push_back("m");
  }
  void on_tap_frame(int tap, const FrameView& f) override {
    const auto i = static_cast<std::size_t>(tap);
    ASSERT_LT(i, times.size());
    order.push_back("t" + std::to_string(tap));
    times[i].push_back(f.t);
    sizes[i].emplace_back(f.width, f.height);
    double r = 0, b = 0;
    for (int y = 0; y < f.height; ++y)
      for (int x = 0; x < f.width; ++x) {
        const std::uint8_t* p = f.rgb + static_cast<std::ptrdiff_t>(y) * f.stride + 3 * x;
        r += p[0];
        b += p[2];
      }
    const double n = static_cast<double>(f.width) * f.height;
    mean_r[i].push_back(r / n);
    mean_b[i].push_back(b / n);
    if (tap == 0 && first_rgb.empty())
      for (int y = 0; y < f.height; ++y)
        first_rgb.insert(first_rgb.end(), f.rgb + static_cast<std::ptrdiff_t>(y) * f.stride,
                         f.rgb + static_cast<std::ptrdiff_t>(y) * f.stride + 3 * f.width);
  }
};

// ffprobe's frame times, the first of each 1/fps slot (all of them for fps 0).
std::vector<double> first_in_slots(const std::vector<double>& times, double fps) {
  if (fps <= 0) return times;
  std::vector<double> out;
  long last = -1;
  for (double t : times) {
    const long slot = static_cast<long>(std::floor(t * fps + 1e-6));
    if (slot > last) out.push_back(t);
    last = std::max(last, slot);
  }
  return out;
}

TEST(DecoderTaps, EachTapHasItsSizeAndItsSlotsAndTheMainStreamIsUnchanged) {
  RUMI_REQUIRE_FFMPEG();
  const auto file = tm::make_video(two_shots_with_tone());  // 180x320, 30 fps, 2.5 s
  const tm::Probe p = tm::ffprobe(file, true);
  DecodeOptions plain;
  Recorder alone;
  const DecodeStats st0 = decode_file(file, plain, {&alone});

  DecodeOptions o;
  o.taps = {{720, 2}, {90, 0}, {0, 5}, {120, 7}};
  TapRecorder rec(o.taps.size());
  const DecodeStats st = decode_file(file, o, {&rec});
  // The main stream is what it is without taps.
  EXPECT_EQ(rec.main_times, alone.frame_times);
  EXPECT_EQ(st.frames_delivered, st0.frames_delivered);
  ASSERT_EQ(st.tap_frames_delivered.size(), o.taps.size());

  // 720 asked of a 180-wide source: 180x320, never upscaled; 90 -> 90x160; 0 -> the source.
  const std::vector<std::pair<int, int>> want_size{{180, 320}, {90, 160}, {180, 320}, {120, 213}};
  for (std::size_t i = 0; i < o.taps.size(); ++i) {
    const auto want = first_in_slots(p.frame_times, o.taps[i].sample_fps);
    ASSERT_EQ(rec.times[i].size(), want.size()) << "tap " << i;
    EXPECT_EQ(st.tap_frames_delivered[i], static_cast<std::int64_t>(want.size())) << i;
    for (std::size_t k = 0; k < want.size(); ++k) ASSERT_NEAR(rec.times[i][k], want[k], 1e-4) << i << " " << k;
    for (const auto& sz : rec.sizes[i]) ASSERT_EQ(sz, want_size[i]) << "tap " << i;
  }
  EXPECT_EQ(rec.times[0].size(), 5u);  // 2.5 s at 2 per second
  // Each tap frame is its shot's picture (red-yellow, then blue-cyan from 1.0 s).
  for (std::size_t i = 0; i < o.taps.size(); ++i)
    for (std::size_t k = 0; k < rec.times[i].size(); ++k) {
      const double t = rec.times[i][k];
      if (t < 0.9) {
        EXPECT_GT(rec.mean_r[i][k], 200) << i << " " << t;
      } else if (t > 1.1) {
        EXPECT_GT(rec.mean_b[i][k], 200) << i << " " << t;
      }
    }
  // For each frame the main stream comes first, then the taps in order.
  ASSERT_FALSE(rec.order.empty());
  EXPECT_EQ(rec.order[0], "m");
  EXPECT_EQ(rec.order[1], "t0");
  EXPECT_EQ(rec.order[2], "t1");
}

TEST(DecoderTaps, ATapIsFfmpegsAreaScaledPicture) {
  RUMI_REQUIRE_FFMPEG();
  const auto file = tm::make_testsrc(640, 360, 0.5);
  DecodeOptions o;
  o.fast = false;  // the spec-exact picture, as the ffmpeg CLI decodes it
  o.taps = {{320, 1}};
  TapRecorder rec(1);
  decode_file(file, o, {&rec});
  ASSERT_EQ(rec.sizes[0].size(), 1u);
  ASSERT_EQ(rec.sizes[0][0], std::make_pair(320, 180));
  const auto r = test::run_program({tm::ffmpeg_path(), "-v", "error", "-i", file.string(), "-frames:v", "1", "-vf",
                                    "scale=320:180:flags=area,format=rgb24", "-f", "rawvideo", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(r.out.size(), rec.first_rgb.size());
  double diff = 0;
  for (std::size_t i = 0; i < r.out.size(); ++i)
    diff += std::abs(static_cast<int>(static_cast<std::uint8_t>(r.out[i])) - static_cast<int>(rec.first_rgb[i]));
  EXPECT_LT(diff / static_cast<double>(r.out.size()), 2.0);
}

TEST(DecoderTaps, TapsAloneDecodeVideoWithoutTheMainStream) {
  RUMI_REQUIRE_FFMPEG();
  const auto file = tm::make_video(two_shots_with_tone());
  DecodeOptions o;
  o.video = false;
  o.audio = false;
  o.taps = {{0, 2}};
  TapRecorder rec(1);
  const DecodeStats st = decode_file(file, o, {&rec});
  EXPECT_TRUE(rec.main_times.empty());
  EXPECT_EQ(st.frames_delivered, 0);
  EXPECT_EQ(rec.times[0].size(), 5u);
  DecodeOptions bad;
  bad.taps = {{-1, 0}};
  EXPECT_THROW(decode_file(file, bad, {&rec}), std::invalid_argument);
}

// --- rotation: files with a display matrix, made by `ffmpeg -c copy -metadata:s:v:0 rotate=N`
// (ffmpeg 5.1 turns the tag into the matrix only when stream-copying); the truth is what the
// ffmpeg CLI's autorotate delivers and the matrix ffprobe reports.

// 180x320, black, a red bar down the left edge and a green square in the top-left corner (so a
// turn and a mirror are told apart), moving slightly so frames differ.
fs::path make_bar_video() {
  return tm::make_cached({tm::ffmpeg_path(),
                          "-hide_banner",
                          "-loglevel",
                          "error",
                          "-y",
                          "-f",
                          "lavfi",
                          "-i",
                          "color=c=black:s=180x320:r=30:d=0.5,drawbox=x=0:y=0:w=30:h=320:color=red:t=fill,"
                          "drawbox=x=40:y=10:w=40:h=40:color=lime:t=fill",
                          "-c:v",
                          "libx264",
                          "-preset",
                          "ultrafast",
                          "-pix_fmt",
                          "yuv420p",
                          "-threads",
                          "1",
                          "-map_metadata",
                          "-1",
                          "-fflags",
                          "+bitexact",
                          "{out}"},
                         "mp4");
}

fs::path with_rotate_tag(const fs::path& base, int tag) {
  return tm::make_cached(
      {tm::ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", "-i", base.string(), "-map", "0", "-c", "copy",
       "-metadata:s:v:0", "rotate=" + std::to_string(tag), "-fflags", "+bitexact", "{out}"},
      "mp4");
}

// ffprobe's display-matrix rotation (counter-clockwise degrees), 0 when there is none.
int ffprobe_rotation(const fs::path& file) {
  const auto r = test::run_program({tm::ffprobe_path(), "-v", "error", "-select_streams", "v:0", "-print_format",
                                    "json", "-show_streams", file.string()});
  if (r.exit_code != 0) throw std::runtime_error("ffprobe failed: " + r.err);
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& sd : j["streams"][0].value("side_data_list", nlohmann::json::array()))
    if (sd.value("side_data_type", "") == "Display Matrix") return sd.value("rotation", 0);
  return 0;
}

// The first frame as the ffmpeg CLI shows it (autorotate on), RGB24 rows.
std::string ffmpeg_first_frame(const fs::path& file) {
  const auto r = test::run_program({tm::ffmpeg_path(), "-v", "error", "-i", file.string(), "-frames:v", "1", "-f",
                                    "rawvideo", "-pix_fmt", "rgb24", "-"});
  if (r.exit_code != 0) throw std::runtime_error("ffmpeg failed: " + r.err);
  return r.out;
}

// Bounding box of the pixels where channel c is bright and the others dark.
struct Box {
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
};
Box find_colour(const std::vector<std::uint8_t>& rgb, int w, int h, int c) {
  Box b;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const std::uint8_t* p = &rgb[(static_cast<std::size_t>(y) * w + x) * 3];
      if (p[c] > 160 && p[(c + 1) % 3] < 90 && p[(c + 2) % 3] < 90) {
        b.x0 = std::min(b.x0, x);
        b.y0 = std::min(b.y0, y);
        b.x1 = std::max(b.x1, x);
        b.y1 = std::max(b.y1, y);
      }
    }
  return b;
}

TEST(DecoderRotation, FramesAreTurnedUprightAsFfmpegShowsThem) {
  RUMI_REQUIRE_FFMPEG();
  const auto base = make_bar_video();
  EXPECT_EQ(probe_media(base).rotation, 0);
  for (int tag : {90, 180, 270}) {
    SCOPED_TRACE("rotate tag " + std::to_string(tag));
    const auto file = with_rotate_tag(base, tag);
    const int ccw = ffprobe_rotation(file);
    ASSERT_NE(ccw, 0) << "ffmpeg wrote no display matrix";
    const int cw = ((-ccw) % 360 + 360) % 360;
    const MediaInfo info = probe_media(file);
    EXPECT_EQ(info.rotation, cw);
    EXPECT_EQ(info.width, 180);  // coded, as ffprobe reports it
    EXPECT_EQ(info.height, 320);
    const bool quarter = cw == 90 || cw == 270;
    EXPECT_EQ(info.display_width, quarter ? 320 : 180);
    EXPECT_EQ(info.display_height, quarter ? 180 : 320);

    DecodeOptions o;
    o.fast = false;  // the spec-exact picture, as the ffmpeg CLI decodes it
    o.width = 90;    // the displayed width
    o.taps = {{0, 1}};
    Recorder main;
    TapRecorder rec(1);
    decode_file(file, o, {&main, &rec});
    ASSERT_FALSE(main.sizes.empty());
    EXPECT_EQ(main.sizes.front(), quarter ? std::make_pair(90, 51) : std::make_pair(90, 160));
    ASSERT_EQ(rec.sizes[0].size(), 1u);
    const int w = info.display_width, h = info.display_height;
    ASSERT_EQ(rec.sizes[0][0], std::make_pair(w, h));

    // Pixel for pixel what ffmpeg's autorotate shows.
    const std::string truth = ffmpeg_first_frame(file);
    ASSERT_EQ(truth.size(), rec.first_rgb.size());
    double diff = 0;
    for (std::size_t i = 0; i < truth.size(); ++i)
      diff += std::abs(static_cast<int>(static_cast<std::uint8_t>(truth[i])) - static_cast<int>(rec.first_rgb[i]));
    EXPECT_LT(diff / static_cast<double>(truth.size()), 2.0);

    // And where the bar and the square went, by the geometry of a clockwise turn.
    const Box bar = find_colour(rec.first_rgb, w, h, 0), square = find_colour(rec.first_rgb, w, h, 1);
    ASSERT_GE(bar.x1, 0);
    ASSERT_GE(square.x1, 0);
    if (cw == 90) {  // left edge -> top edge; top-left corner -> top-right
      EXPECT_LE(bar.y1, 31);
      EXPECT_GE(bar.x1 - bar.x0, w - 4);
      EXPECT_GT(square.x0, w / 2);
      EXPECT_GE(square.y0, 38);  // below the bar (the square was 10 px right of it)
    } else if (cw == 270) {      // left edge -> bottom edge; top-left corner -> bottom-left
      EXPECT_GE(bar.y0, h - 31);
      EXPECT_GE(bar.x1 - bar.x0, w - 4);
      EXPECT_LT(square.x1, w / 2);
      EXPECT_LE(square.y1, h - 38);
    } else {  // 180: left edge -> right edge; top-left corner -> bottom-right
      EXPECT_GE(bar.x0, w - 31);
      EXPECT_GE(bar.y1 - bar.y0, h - 4);
      EXPECT_GT(square.y0, h / 2);
      EXPECT_LE(square.x1, w - 38);
    }
  }
}

TEST(DecoderRotation, CutsAndAudioAreTheSameOnARotatedFile) {
  RUMI_REQUIRE_FFMPEG();
  tm::VideoSpec spec;
  spec.shots = {{1.0, "red", "yellow"}, {1.2, "blue", "cyan"}, {0.9, "green", "white"}};
  spec.audio = tm::Audio::tone;
  const auto plain = tm::make_video(spec);
  const auto turned = with_rotate_tag(plain, 90);
  ASSERT_NE(probe_media(turned).rotation, 0);
  struct Cuts : MediaSink {
    ShotDetector d;
    std::vector<float> samples;
    void on_frame(const FrameView& f) override { d.add_frame(f); }
    void on_audio(const AudioView& a) override { samples.insert(samples.end(), a.samples, a.samples + a.count); }
  };
  Cuts a, b;
  const DecodeStats sa = decode_file(plain, DecodeOptions{}, {&a});
  const DecodeStats sb = decode_file(turned, DecodeOptions{}, {&b});
  const ShotResult ra = a.d.finish(sa.duration_s), rb = b.d.finish(sb.duration_s);
  ASSERT_EQ(ra.cuts.size(), tm::cut_times(spec).size());
  ASSERT_EQ(rb.cuts.size(), ra.cuts.size());
  for (std::size_t i = 0; i < ra.cuts.size(); ++i) EXPECT_NEAR(rb.cuts[i], ra.cuts[i], 1.01 / 30) << i;
  EXPECT_EQ(a.samples, b.samples);  // the sound track is not touched
  EXPECT_EQ(sa.frames_decoded, sb.frames_decoded);
}

// The reason for a bad file, with its kind; never a crash.
DecodeError refusal(const fs::path& file, const DecodeOptions& o = {}) {
  Recorder rec;
  try {
    decode_file(file, o, {&rec});
  } catch (const DecodeError& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << "the message names the file";
    return e;
  }
  ADD_FAILURE() << file << " was decoded, not refused";
  return DecodeError(file, DecodeError::Kind::missing, "(not refused)");
}

TEST(DecoderBadInput, EachFailsWithItsReason) {
  RUMI_REQUIRE_FFMPEG();
  test::TempDir dir;
  {
    const auto e = refusal(dir / "absent.mp4");
    EXPECT_EQ(e.kind(), DecodeError::Kind::missing);
  }
  {
    const auto e = refusal(tm::make_zero_bytes(dir.path()));
    EXPECT_EQ(e.kind(), DecodeError::Kind::empty);
    EXPECT_NE(e.reason().find("zero bytes"), std::string::npos) << e.reason();
  }
  {
    const auto e = refusal(tm::make_html_page(dir.path()));
    EXPECT_EQ(e.kind(), DecodeError::Kind::not_a_video);
    EXPECT_NE(e.reason().find("not a video: looks like an HTML page"), std::string::npos) << e.reason();
  }
  {
    const auto e = refusal(tm::make_audio_only());
    EXPECT_EQ(e.kind(), DecodeError::Kind::no_video_stream);
    EXPECT_NE(e.reason().find("no video stream"), std::string::npos) << e.reason();
  }
  {
    const auto e = refusal(tm::make_random_bytes(dir.path()));
    EXPECT_TRUE(e.kind() == DecodeError::Kind::undecodable || e.kind() == DecodeError::Kind::no_video_stream)
        << decode_error_kind_name(e.kind()) << ": " << e.reason();
  }
  {
    const auto e = refusal(tm::write_file(dir / "api.mp4", "{\"error\": \"rate limited\"}"));
    EXPECT_EQ(e.kind(), DecodeError::Kind::not_a_video);
  }
}

TEST(DecoderBadInput, TruncatedFilesAreSaidToBeTruncated) {
  RUMI_REQUIRE_FFMPEG();
  test::TempDir dir;
  tm::VideoSpec spec = two_shots_with_tone();
  // Index at the end (ffmpeg's default) and up front (faststart): both cut in half.
  for (bool faststart : {false, true}) {
    spec.faststart = faststart;
    const auto whole = tm::make_video(spec);
    const auto e = refusal(tm::make_truncated(whole, dir.path()));
    EXPECT_EQ(e.kind(), DecodeError::Kind::truncated) << faststart << ": " << e.reason();
    EXPECT_NE(e.reason().find("truncated"), std::string::npos) << e.reason();
  }
  // A container without boxes (Matroska): caught by the frames ending early.
  tm::VideoSpec mkv;
  mkv.shots = {{4.0, "red", "yellow"}};
  mkv.extension = "mkv";
  const auto e = refusal(tm::make_truncated(tm::make_video(mkv), dir.path()));
  EXPECT_EQ(e.kind(), DecodeError::Kind::truncated) << e.reason();
}

TEST(DecoderBadInput, EveryPrefixOfAFileFailsCleanlyOrDecodes) {
  RUMI_REQUIRE_FFMPEG();
  test::TempDir dir;
  tm::VideoSpec spec = two_shots_with_tone();
  spec.faststart = true;
  const auto whole = tm::make_video(spec);
  for (double f : {0.01, 0.1, 0.3, 0.7, 0.9, 0.99}) {
    const auto cut = tm::make_truncated(whole, dir.path(), f);
    Recorder rec;
    try {
      decode_file(cut, DecodeOptions{}, {&rec});
      ADD_FAILURE() << "a file cut at " << f << " decoded";
    } catch (const DecodeError& e) {
      EXPECT_EQ(e.kind(), DecodeError::Kind::truncated) << f << ": " << e.reason();
    }
  }
}

TEST(DecoderLimits, TooLongIsRefusedBeforeDecoding) {
  RUMI_REQUIRE_FFMPEG();
  DecodeOptions o;
  o.max_duration_s = 1.0;
  Recorder rec;
  try {
    decode_file(tm::make_video(two_shots_with_tone()), o, {&rec});
    FAIL() << "not refused";
  } catch (const DecodeError& e) {
    EXPECT_EQ(e.kind(), DecodeError::Kind::too_long);
    EXPECT_NE(e.reason().find("2.50 s"), std::string::npos) << e.reason();
  }
  EXPECT_EQ(rec.infos, 0);
  EXPECT_TRUE(rec.frame_times.empty());
}

TEST(DecoderLimits, DeadlineStopsThePass) {
  RUMI_REQUIRE_FFMPEG();
  DecodeOptions o;
  o.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  const auto e = refusal(tm::make_video(two_shots_with_tone()), o);
  EXPECT_EQ(e.kind(), DecodeError::Kind::timeout) << e.reason();
  std::atomic<bool> stop{true};
  DecodeOptions s;
  s.stop = &stop;
  EXPECT_EQ(refusal(tm::make_video(two_shots_with_tone()), s).kind(), DecodeError::Kind::stopped);
}

TEST(DecoderLimits, ASinkCanStopThePass) {
  RUMI_REQUIRE_FFMPEG();
  struct Thrower : MediaSink {
    int n = 0;
    void on_frame(const FrameView&) override {
      if (++n == 5) throw std::runtime_error("sink says stop");
    }
  } t;
  EXPECT_THROW(decode_file(tm::make_video(two_shots_with_tone()), DecodeOptions{}, {&t}), std::runtime_error);
  EXPECT_EQ(t.n, 5);
}

}  // namespace
}  // namespace rumi::native
