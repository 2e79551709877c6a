// Audio analysis against independent oracles: sounds with known loudness, silences and beats
// made by the ffmpeg CLI and read back as raw 16 kHz mono floats by the CLI (not by rumi's
// decoder); `ffmpeg -af ebur128` for integrated loudness; RumiAI's librosa energy rules
// re-implemented in numpy (/usr/bin/python3) for the 5-s windows.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <regex>

#include "native/audio.h"
#include "native/test_media.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace rumi;
using namespace rumi::native;
namespace media = rumi::test::media;
using media::read_f32;

namespace {

// A 16 kHz mono WAV (float samples) of an ffmpeg lavfi audio source.
fs::path make_wav(const std::string& lavfi) {
  return media::make_cached({media::ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                             lavfi, "-ac", "1", "-ar", "16000", "-c:a", "pcm_f32le", "{out}"},
                            "wav");
}

AudioResult analyse(const std::vector<float>& x, std::size_t block = 1024, AudioOptions o = {}) {
  AudioAnalyzer a(o);
  for (std::size_t i = 0; i < x.size(); i += block) {
    AudioView v;
    v.t = static_cast<double>(i) / kAnalysisSampleRate;
    v.samples = x.data() + i;
    v.count = std::min(block, x.size() - i);
    a.add(v);
  }
  return a.finish(static_cast<double>(x.size()) / kAnalysisSampleRate);
}

// Integrated loudness from `ffmpeg -af ebur128`'s summary ("I:  -23.0 LUFS").
double ffmpeg_integrated_lufs(const fs::path& file) {
  const auto r = test::run_program(
      {media::ffmpeg_path(), "-hide_banner", "-nostats", "-i", file.string(), "-af", "ebur128", "-f", "null", "-"});
  if (r.exit_code != 0) throw std::runtime_error("ffmpeg ebur128 failed: " + r.err);
  std::smatch m;
  const std::regex re(R"(I:\s+(-?[0-9.]+|-inf) LUFS)");
  std::string last;
  for (auto it = std::sregex_iterator(r.err.begin(), r.err.end(), re); it != std::sregex_iterator(); ++it)
    last = (*it)[1];
  if (last.empty()) throw std::runtime_error("no integrated loudness in ffmpeg's output: " + r.err.substr(0, 500));
  return std::stod(last);
}

}  // namespace

TEST(AudioBurstPattern, RumiAIThirdsRule) {
  EXPECT_EQ(burst_pattern_of({}), "steady");
  EXPECT_EQ(burst_pattern_of({0.5}), "steady");
  EXPECT_EQ(burst_pattern_of({1, 1, 1}), "steady");
  EXPECT_EQ(burst_pattern_of({3, 1, 1}), "front_loaded");
  EXPECT_EQ(burst_pattern_of({1, 1, 3}), "back_loaded");
  EXPECT_EQ(burst_pattern_of({1, 3, 1}), "middle_peak");
  // Front and back within 20 % of the top third: steady even with a middle dip.
  EXPECT_EQ(burst_pattern_of({1, 0.2, 0.9}), "steady");
  // Two windows: thirds of one window each, the back third empty (mean 0).
  EXPECT_EQ(burst_pattern_of({1, 1}), "front_loaded");
  // Seven windows: thirds of 2, 2 and 3.
  EXPECT_EQ(burst_pattern_of({1, 1, 1, 1, 2, 2, 2}), "back_loaded");
}

TEST(AudioEnergy, PerSecondRmsOfAKnownSine) {
  // Generated in memory: a 0.5-amplitude sine has RMS 0.5 / sqrt(2) (-9.03 dBFS), then 1 s of zeros.
  std::vector<float> x(3 * kAnalysisSampleRate, 0.0f);
  for (int i = 0; i < 2 * kAnalysisSampleRate; ++i)
    x[i] = static_cast<float>(0.5 * std::sin(2 * M_PI * 1000.0 * i / kAnalysisSampleRate));
  const AudioResult r = analyse(x);
  ASSERT_EQ(r.rms.size(), 3u);
  EXPECT_NEAR(r.rms[0], 0.5 / std::sqrt(2.0), 1e-3);
  EXPECT_NEAR(r.rms_dbfs[1], -9.03, 0.02);
  EXPECT_TRUE(std::isnan(r.rms_dbfs[2]));  // digital silence
  ASSERT_EQ(r.momentary_lufs.size(), 3u);
  EXPECT_TRUE(std::isnan(r.momentary_lufs[2]));
  EXPECT_NEAR(r.sample_peak_dbfs, 20 * std::log10(0.5), 0.01);
  ASSERT_EQ(r.silences.size(), 1u);
  EXPECT_NEAR(r.silences[0].start, 2.0, 0.06);
  EXPECT_NEAR(r.silences[0].end, 3.0, 1e-9);
  // The same samples in other block sizes give the same result (streaming is exact).
  const AudioResult r2 = analyse(x, 333);
  EXPECT_EQ(r2.rms, r.rms);
  EXPECT_EQ(r2.energy_windows.size(), r.energy_windows.size());
  EXPECT_DOUBLE_EQ(r2.energy_variance, r.energy_variance);
  EXPECT_DOUBLE_EQ(r2.integrated_lufs, r.integrated_lufs);
}

TEST(AudioLoudness, IntegratedMatchesFfmpegEbur128) {
  RUMI_REQUIRE_FFMPEG();
  // A 1 kHz tone whose level swings, then pink noise: not a single-number signal.
  const fs::path wav = make_wav(
      "aevalsrc='0.3*sin(2*PI*1000*t)*(0.6+0.4*sin(2*PI*0.5*t))*lt(t,3)+0.05*(random(0)-0.5)*gte(t,3)':s=16000:d=5");
  const std::vector<float> x = read_f32(wav);
  ASSERT_EQ(x.size(), 5u * 16000u);
  const AudioResult r = analyse(x);
  const double want = ffmpeg_integrated_lufs(wav);
  EXPECT_NEAR(r.integrated_lufs, want, 0.5) << "ffmpeg ebur128 says " << want << " LUFS";
  EXPECT_EQ(r.momentary_lufs.size(), 5u);
  EXPECT_EQ(r.short_term_lufs.size(), 5u);
  EXPECT_TRUE(r.has_audio_energy);
  EXPECT_TRUE(r.silences.empty());
}

TEST(AudioSilence, SilenceBetweenTonesAndAllSilence) {
  RUMI_REQUIRE_FFMPEG();
  // Tone 1 s, silence 1.5 s, tone 1 s.
  const auto x = read_f32(make_wav("aevalsrc='0.3*sin(2*PI*440*t)*(lt(t,1)+gte(t,2.5))':s=16000:d=3.5"));
  const AudioResult r = analyse(x);
  ASSERT_EQ(r.silences.size(), 1u);
  EXPECT_NEAR(r.silences[0].start, 1.0, 0.06);
  EXPECT_NEAR(r.silences[0].end, 2.5, 0.06);
  EXPECT_FALSE(r.tempo_bpm.has_value());  // a steady tone has no beat

  // Silence is silence: no energy, no beat, no loudness, one silence the whole length.
  const auto z = read_f32(make_wav("anullsrc=r=16000:cl=mono:d=3"));
  const AudioResult s = analyse(z);
  EXPECT_FALSE(s.has_audio_energy);
  EXPECT_EQ(s.burst_pattern, "none");
  EXPECT_FALSE(s.tempo_bpm.has_value());
  EXPECT_TRUE(std::isnan(s.integrated_lufs));
  ASSERT_EQ(s.silences.size(), 1u);
  EXPECT_NEAR(s.silences[0].start, 0.0, 1e-9);
  EXPECT_NEAR(s.silences[0].end, 3.0, 1e-9);
}

TEST(AudioTempo, ClickTrackAt120Bpm) {
  RUMI_REQUIRE_FFMPEG();
  // A 10 ms 1 kHz click every 0.5 s for 12 s (the tracker needs about 6 s to lock).
  const auto x = read_f32(make_wav("aevalsrc='0.8*sin(2*PI*1000*t)*lt(mod(t,0.5),0.01)':s=16000:d=12"));
  const auto t0 = std::chrono::steady_clock::now();
  const AudioResult r = analyse(x);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(r.tempo_bpm.has_value()) << "confidence " << r.tempo_confidence << ", " << r.beat_times.size()
                                       << " beats";
  EXPECT_NEAR(*r.tempo_bpm, 120.0, 120.0 * 0.03);
  std::printf("[ audio ] 12 s analysed in %.3f s (%.4fx real time), tempo %.1f BPM, confidence %.2f\n", secs,
              secs / 12.0, *r.tempo_bpm, r.tempo_confidence);
}

TEST(AudioEnergy, RumiAIWindowsMatchNumpy) {
  RUMI_REQUIRE_FFMPEG();
  if (!test::python_has("numpy"))
    GTEST_SKIP() << "needs numpy in /usr/bin/python3 (the oracle for RumiAI's energy rules)";
  // Loud for 6 s, quiet for 6 s, loud-ish again: three 5-s windows with different energy.
  const fs::path wav =
      make_wav("aevalsrc='(0.5*lt(t,6)+0.05*gte(t,6)*lt(t,11)+0.2*gte(t,11))*sin(2*PI*300*t)':s=16000:d=13");
  const auto x = read_f32(wav);
  const AudioResult r = analyse(x);
  // librosa.feature.rms(frame_length=2048, hop_length=512, centre, zero padding), then RumiAI's
  // AudioEnergyService: 156-frame windows, p95 normalisation, np.var, argmax, thirds.
  const std::string script = R"(
import sys, json, numpy as np
y = np.frombuffer(sys.stdin.buffer.read(), dtype=np.float32).astype(np.float64)
p = np.pad(y, 1024)
n = 1 + len(y) // 512
rms = np.array([np.sqrt(np.mean(p[i*512:i*512+2048]**2)) for i in range(n)])
fpw = 5 * 16000 // 512
dur = len(y) / 16000
wins = []
for i in range(0, len(rms), fpw):
    wins.append((i*512/16000, min((i+fpw)*512/16000, dur), float(np.mean(rms[i:i+fpw]))))
e = [w[2] for w in wins]
p95 = np.percentile(e, 95)
print(json.dumps({"wins": [[a, b, c, min(1.0, c/p95)] for a, b, c in wins], "var": float(np.var(e)),
                  "climax": float(np.argmax(rms)*512/16000)}))
)";
  std::string bytes(reinterpret_cast<const char*>(x.data()), x.size() * sizeof(float));
  const auto py = test::run_python(script, bytes);
  ASSERT_EQ(py.exit_code, 0) << py.err;
  const auto want = nlohmann::json::parse(py.out);
  ASSERT_EQ(r.energy_windows.size(), want["wins"].size());
  for (std::size_t i = 0; i < r.energy_windows.size(); ++i) {
    const auto& w = want["wins"][i];
    EXPECT_NEAR(r.energy_windows[i].start, w[0].get<double>(), 1e-9);
    EXPECT_NEAR(r.energy_windows[i].end, w[1].get<double>(), 1e-9);
    EXPECT_NEAR(r.energy_windows[i].energy, w[2].get<double>(), 1e-6);
    EXPECT_NEAR(r.energy_windows[i].normalized, w[3].get<double>(), 1e-6);
  }
  EXPECT_NEAR(r.energy_variance, want["var"].get<double>(), 1e-9);
  EXPECT_NEAR(r.climax_s, want["climax"].get<double>(), 0.5);  // equal-amplitude frames: any in the loud part
  EXPECT_LT(r.climax_s, 6.0);
  EXPECT_EQ(r.burst_pattern, "front_loaded");
  EXPECT_TRUE(r.has_audio_energy);
}

TEST(AudioFingerprint, ChangesWithEveryOption) {
  const AudioOptions base;
  AudioOptions o = base;
  o.silence_threshold_dbfs = -40;
  EXPECT_NE(audio_config_fingerprint(o), audio_config_fingerprint(base));
  o = base;
  o.tempo_min_confidence = 0.5;
  EXPECT_NE(audio_config_fingerprint(o), audio_config_fingerprint(base));
  EXPECT_EQ(audio_config_fingerprint(base), audio_config_fingerprint(AudioOptions{}));
}

TEST(AudioAnalyzer, RejectsAnotherSampleRate) {
  AudioAnalyzer a;
  const float s[4] = {0, 0, 0, 0};
  AudioView v;
  v.samples = s;
  v.count = 4;
  v.rate = 44100;
  EXPECT_THROW(a.add(v), std::invalid_argument);
  const AudioResult r = a.finish(0);
  EXPECT_FALSE(r.has_audio_energy);
  EXPECT_EQ(r.samples, 0u);
}

TEST(AudioAnalyzer, NonFiniteSamplesCountAsSilence) {
  std::vector<float> x(2 * kAnalysisSampleRate);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(0.3 * std::sin(2 * M_PI * 440.0 * i / kAnalysisSampleRate));
  std::vector<float> bad = x;
  for (std::size_t i = 100; i < 200; ++i) bad[i] = i % 2 ? NAN : INFINITY;
  const AudioResult r = analyse(bad);
  EXPECT_TRUE(std::isfinite(r.integrated_lufs));
  EXPECT_NEAR(r.integrated_lufs, analyse(x).integrated_lufs, 0.1);
  for (double v : r.rms) EXPECT_TRUE(std::isfinite(v));
  EXPECT_TRUE(std::isfinite(r.energy_variance));
}
