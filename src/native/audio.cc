#include "native/audio.h"

#include <aubio/aubio.h>
#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace rumi::native {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kRate = kAnalysisSampleRate;
// librosa.feature.rms(frame_length=2048, hop_length=512), as RumiAI calls it.
constexpr std::size_t kRmsFrame = 2048;
constexpr std::size_t kRmsHop = 512;
// RumiAI: frames_per_window = window_seconds * sr // hop.
constexpr std::size_t kFramesPerWindow = 5 * kRate / kRmsHop;
constexpr std::size_t kSilenceBlock = kRate / 20;  // 50 ms
// 32 ms window, 16 ms hop: at 16 kHz aubio's 1024/512 default locks onto half the tempo of a
// plain click track (measured at 90-140 BPM); 512/256 finds it within 3 %.
constexpr uint_t kTempoWindow = 512;
constexpr uint_t kTempoHop = 256;

double finite_or_nan(double v) { return std::isfinite(v) ? v : kNaN; }
// Below EBU R128's absolute gate (-70 LUFS) is silence; the K-weighting filter's decaying tail
// after a sound stops would otherwise give numbers like -200 LUFS.
double lufs_or_nan(double v) { return std::isfinite(v) && v >= -70.0 ? v : kNaN; }
double to_dbfs(double rms) { return rms > 0 ? 20.0 * std::log10(rms) : kNaN; }

// numpy.percentile(v, q) with its default linear interpolation.
double percentile(std::vector<double> v, double q) {
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const double pos = q / 100.0 * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

double mean_of(const std::vector<double>& v, std::size_t from, std::size_t to) {
  if (to <= from) return 0;
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(to),
                         0.0) /
         static_cast<double>(to - from);
}

}  // namespace

struct AudioAnalyzer::State {
  AudioOptions opt;
  ebur128_state* ebu = nullptr;
  aubio_tempo_t* tempo = nullptr;
  fvec_t* tempo_in = nullptr;
  fvec_t* tempo_out = nullptr;
  uint_t tempo_fill = 0;

  std::size_t n = 0;  // samples seen

  // Per whole second.
  double second_sq = 0;
  std::size_t second_count = 0;
  AudioResult r;

  // librosa RMS frames: `buf` holds samples from global index `buf_origin` on.
  std::vector<float> buf;
  std::size_t buf_origin = 0;
  std::size_t next_frame = 0;
  std::vector<double> rms_frames;

  // Silence blocks.
  double block_sq = 0;
  std::size_t block_count = 0;
  std::size_t block_index = 0;
  bool in_silence = false;
  double silence_start = 0;

  ~State() {
    if (ebu) ebur128_destroy(&ebu);
    if (tempo) del_aubio_tempo(tempo);
    if (tempo_in) del_fvec(tempo_in);
    if (tempo_out) del_fvec(tempo_out);
  }

  double frame_rms(std::size_t i) const {
    // Frame i covers samples [512 i - 1024, 512 i + 1024), zeros outside the track.
    const auto centre = static_cast<std::ptrdiff_t>(i * kRmsHop);
    const std::ptrdiff_t from = std::max<std::ptrdiff_t>(centre - static_cast<std::ptrdiff_t>(kRmsFrame / 2),
                                                         static_cast<std::ptrdiff_t>(buf_origin));
    const std::ptrdiff_t to = std::min<std::ptrdiff_t>(centre + static_cast<std::ptrdiff_t>(kRmsFrame / 2),
                                                       static_cast<std::ptrdiff_t>(buf_origin + buf.size()));
    double sq = 0;
    for (std::ptrdiff_t k = from; k < to; ++k) {
      const double x = buf[static_cast<std::size_t>(k) - buf_origin];
      sq += x * x;
    }
    return std::sqrt(sq / static_cast<double>(kRmsFrame));
  }

  // Computes every frame whose samples have all arrived (or, at the end, every frame there is).
  void drain_frames(bool at_end) {
    const std::size_t total_frames = 1 + n / kRmsHop;
    while (next_frame < total_frames && (at_end || next_frame * kRmsHop + kRmsFrame / 2 <= n)) {
      rms_frames.push_back(frame_rms(next_frame));
      ++next_frame;
    }
    // Keep only what the next frame still needs.
    const std::size_t need_from = next_frame * kRmsHop >= kRmsFrame / 2 ? next_frame * kRmsHop - kRmsFrame / 2 : 0;
    if (need_from > buf_origin + 8 * kRmsFrame) {
      const std::size_t drop = std::min(need_from - buf_origin, buf.size());
      buf.erase(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(drop));
      buf_origin += drop;
    }
  }

  void end_block() {
    if (block_count == 0) return;
    const double db = to_dbfs(std::sqrt(block_sq / static_cast<double>(block_count)));
    const bool silent = !(db >= opt.silence_threshold_dbfs);  // NaN (digital silence) is silent
    const double start = static_cast<double>(block_index * kSilenceBlock) / kRate;
    if (silent && !in_silence) {
      in_silence = true;
      silence_start = start;
    } else if (!silent && in_silence) {
      in_silence = false;
      if (start - silence_start >= opt.silence_min_s) r.silences.push_back({silence_start, start});
    }
    ++block_index;
    block_sq = 0;
    block_count = 0;
  }

  void end_second() {
    if (second_count == 0) return;
    const double rms = std::sqrt(second_sq / static_cast<double>(second_count));
    r.rms.push_back(rms);
    r.rms_dbfs.push_back(to_dbfs(rms));
    second_sq = 0;
    second_count = 0;
  }

  void loudness_at_second() {
    double m = 0, s = 0;
    r.momentary_lufs.push_back(ebur128_loudness_momentary(ebu, &m) == EBUR128_SUCCESS ? lufs_or_nan(m) : kNaN);
    r.short_term_lufs.push_back(ebur128_loudness_shortterm(ebu, &s) == EBUR128_SUCCESS ? lufs_or_nan(s) : kNaN);
  }
};

AudioAnalyzer::AudioAnalyzer(AudioOptions options) : s_(std::make_unique<State>()) {
  s_->opt = options;
  s_->ebu = ebur128_init(
      1, kRate, EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_SAMPLE_PEAK);
  s_->tempo = new_aubio_tempo("default", kTempoWindow, kTempoHop, kRate);
  s_->tempo_in = new_fvec(kTempoHop);
  s_->tempo_out = new_fvec(1);
  if (!s_->ebu || !s_->tempo || !s_->tempo_in || !s_->tempo_out)
    throw std::runtime_error("audio analysis: cannot initialise libebur128 or aubio");
}

AudioAnalyzer::~AudioAnalyzer() = default;
AudioAnalyzer::AudioAnalyzer(AudioAnalyzer&&) noexcept = default;
AudioAnalyzer& AudioAnalyzer::operator=(AudioAnalyzer&&) noexcept = default;

void AudioAnalyzer::add(const AudioView& block) {
  State& s = *s_;
  if (block.rate != kRate)
    throw std::invalid_argument(fmt::format("audio analysis: block at {} Hz, expected {} Hz", block.rate, kRate));
  if (block.count == 0 || block.samples == nullptr) return;
  // Non-finite samples (a broken decode) count as silence, so one bad packet cannot turn every
  // loudness and energy number into NaN.
  std::vector<float> clean;
  const float* samples = block.samples;
  if (!std::all_of(block.samples, block.samples + block.count, [](float v) { return std::isfinite(v); })) {
    clean.assign(block.samples, block.samples + block.count);
    for (auto& v : clean)
      if (!std::isfinite(v)) v = 0.0f;
    samples = clean.data();
  }
  s.buf.insert(s.buf.end(), samples, samples + block.count);

  std::size_t i = 0;
  while (i < block.count) {
    // Feed libebur128 up to the next whole second, so per-second loudness is taken exactly there.
    const std::size_t to_second = kRate - (s.n % kRate);
    const std::size_t chunk = std::min(to_second, block.count - i);
    ebur128_add_frames_float(s.ebu, samples + i, chunk);
    for (std::size_t k = i; k < i + chunk; ++k) {
      const double x = samples[k];
      const double sq = x * x;
      s.second_sq += sq;
      ++s.second_count;
      s.block_sq += sq;
      if (++s.block_count == kSilenceBlock) s.end_block();
      s.tempo_in->data[s.tempo_fill++] = static_cast<smpl_t>(x);
      if (s.tempo_fill == kTempoHop) {
        aubio_tempo_do(s.tempo, s.tempo_in, s.tempo_out);
        if (s.tempo_out->data[0] != 0) s.r.beat_times.push_back(aubio_tempo_get_last_s(s.tempo));
        s.tempo_fill = 0;
      }
    }
    s.n += chunk;
    i += chunk;
    if (s.n % kRate == 0) {
      s.end_second();
      s.loudness_at_second();
    }
  }
  s.drain_frames(false);
}

std::string burst_pattern_of(const std::vector<double>& e) {
  if (e.size() < 2) return "steady";
  const std::size_t third = std::max<std::size_t>(1, e.size() / 3);
  const double front = mean_of(e, 0, third);
  const double middle = e.size() > third ? mean_of(e, third, std::min(2 * third, e.size())) : 0;
  const double back = e.size() > 2 * third ? mean_of(e, 2 * third, e.size()) : 0;
  const double top = std::max({front, middle, back});
  const double threshold = top * 0.2;
  if (std::abs(top - front) < threshold && std::abs(top - back) < threshold) return "steady";
  if (front == top) return "front_loaded";
  if (back == top) return "back_loaded";
  if (middle == top) return "middle_peak";
  return "steady";
}

AudioResult AudioAnalyzer::finish(double duration_s) {
  State& s = *s_;
  AudioResult& r = s.r;
  r.samples = s.n;
  const double audio_s = static_cast<double>(s.n) / kRate;
  r.duration_s = duration_s > 0 ? duration_s : audio_s;

  if (s.second_count > 0) {
    s.end_second();
    s.loudness_at_second();
  }
  s.end_block();
  if (s.in_silence && audio_s - s.silence_start >= s.opt.silence_min_s)
    r.silences.push_back({s.silence_start, audio_s});
  s.in_silence = false;

  double v = 0;
  r.integrated_lufs = ebur128_loudness_global(s.ebu, &v) == EBUR128_SUCCESS ? lufs_or_nan(v) : kNaN;
  r.loudness_range_lu = ebur128_loudness_range(s.ebu, &v) == EBUR128_SUCCESS ? finite_or_nan(v) : kNaN;
  r.sample_peak_dbfs = ebur128_sample_peak(s.ebu, 0, &v) == EBUR128_SUCCESS ? to_dbfs(v) : kNaN;

  // Tempo: a beat only when aubio is confident and found enough beats.
  r.tempo_confidence = aubio_tempo_get_confidence(s.tempo);
  if (static_cast<int>(r.beat_times.size()) >= s.opt.tempo_min_beats &&
      r.tempo_confidence >= s.opt.tempo_min_confidence) {
    const double bpm = aubio_tempo_get_bpm(s.tempo);
    if (std::isfinite(bpm) && bpm > 0) r.tempo_bpm = bpm;
  }

  if (s.n == 0) {
    r.burst_pattern = "none";
    return std::move(r);
  }
  s.drain_frames(true);
  const std::vector<double>& frames = s.rms_frames;

  // RumiAI's 5-s windows.
  std::vector<double> raw;
  for (std::size_t i = 0; i < frames.size(); i += kFramesPerWindow) {
    const std::size_t to = std::min(i + kFramesPerWindow, frames.size());
    EnergyWindow w;
    w.start = static_cast<double>(i * kRmsHop) / kRate;
    w.end = std::min(static_cast<double>((i + kFramesPerWindow) * kRmsHop) / kRate, audio_s);
    w.energy = mean_of(frames, i, to);
    raw.push_back(w.energy);
    r.energy_windows.push_back(w);
  }
  const double p95 = percentile(raw, 95);
  for (auto& w : r.energy_windows) w.normalized = p95 > 0 ? std::min(1.0, w.energy / p95) : w.energy;
  const double m = mean_of(raw, 0, raw.size());
  double var = 0;
  for (double e : raw) var += (e - m) * (e - m);
  r.energy_variance = raw.empty() ? 0 : var / static_cast<double>(raw.size());
  const auto peak = std::max_element(frames.begin(), frames.end());
  r.climax_s = static_cast<double>(static_cast<std::size_t>(peak - frames.begin()) * kRmsHop) / kRate;

  const double threshold_rms = std::pow(10.0, s.opt.silence_threshold_dbfs / 20.0);
  r.has_audio_energy = *peak > threshold_rms;
  r.burst_pattern = r.has_audio_energy ? burst_pattern_of(raw) : "none";
  return std::move(r);
}

std::string audio_config_fingerprint(const AudioOptions& o) {
  return fmt::format(
      "audio/v1 rate={} rms=2048/512 window=5s silence={:.3f}dBFS/{:.3f}s tempo=aubio-default/{}/{} conf={:.3f} "
      "beats={}",
      kRate, o.silence_threshold_dbfs, o.silence_min_s, kTempoWindow, kTempoHop, o.tempo_min_confidence,
      o.tempo_min_beats);
}

}  // namespace rumi::native
