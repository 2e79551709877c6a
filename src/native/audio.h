#pragma once
// Loudness, energy, silences and tempo of a video's sound track, measured in one streaming pass
// over the decoder's mono 16 kHz blocks (native/media_types.h). It feeds the audio-energy fields
// of speech_analysis (native/speech.h, speech_analysis_flow) the way RumiAI's librosa-based
// AudioEnergyService fed them.
//
// Rules:
// * Loudness: libebur128 (EBU R128 / ITU-R BS.1770) on the mono track, channel weight 1 (as
//   `ffmpeg -af ebur128` weights mono). Per whole second s (s = 1, 2, ...) the momentary (last
//   400 ms) and short-term (last 3 s) loudness after the first s seconds; integrated loudness and
//   loudness range over the file. Silence (below the -70 LUFS absolute gate) is NaN (JSON null).
// * Energy curve: RMS per whole second (mean square over that second's samples), also in dBFS
//   (20 log10 RMS; a full-scale square wave is 0 dBFS, a full-scale sine -3 dBFS).
// * Silences: runs of 50 ms blocks whose RMS is below `silence_threshold_dbfs` (-50 dBFS), at
//   least `silence_min_s` (0.5 s) long. Digital silence and room tone are silent; quiet speech
//   (about -40 dBFS and up) is not.
// * Tempo: aubio's beat tracker ("default" onset method, 512-sample window, 256 hop), which needs
//   about 6 s of sound to lock. tempo_bpm is its tempo estimate; nullopt (no beat) when it reported
//   fewer than `tempo_min_beats` beats or its confidence is below `tempo_min_confidence` (measured:
//   click tracks 1.2-2.4; espeak speech, noise, a steady tone and silence 0-0.04).
// * RumiAI's energy derivatives, exactly as its AudioEnergyService computes them with librosa:
//   RMS frames of 2048 samples every 512 (librosa.feature.rms, centred, zero padded: frame i is
//   centred on sample 512 i, 1 + n/512 frames); windows of 5 * 16000 / 512 = 156 frames (4.992 s;
//   the last is shorter), each with the mean RMS of its frames; `normalized` = min(1, mean / the
//   95th percentile of the window means, linear interpolation) when that percentile is > 0, else
//   the raw mean. energy_variance = population variance of the raw window means. climax_s = the
//   time of the loudest RMS frame (frame index * 512 / 16000; the first on ties).
//   burst_pattern over the raw window means, in thirds (third = max(1, n / 3) windows): "steady"
//   when fewer than 2 windows or when the front and back thirds' means are both within 20 % of
//   the largest third's mean; else the third holding the largest mean: "front_loaded",
//   "back_loaded" or "middle_peak".
// * rumi: has_audio_energy is true when the track has samples and some RMS frame is above the
//   silence threshold. RumiAI set it whenever an energy file existed, so a silent track read as
//   "has voice energy"; a silent track here has no audio energy and burst_pattern "none".
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "native/media_types.h"

namespace rumi::native {

struct AudioOptions {
  double silence_threshold_dbfs = -50.0;
  double silence_min_s = 0.5;
  double tempo_min_confidence = 0.2;  // aubio_tempo_get_confidence; below it no beat is reported
  int tempo_min_beats = 4;
};

struct TimeSpan {
  double start = 0;  // seconds
  double end = 0;
};

// One of RumiAI's 5-s energy windows.
struct EnergyWindow {
  double start = 0;       // seconds (first frame index * 512 / 16000)
  double end = 0;         // min(start of the next window, samples / 16000)
  double energy = 0;      // mean RMS (linear, full scale 1)
  double normalized = 0;  // as above: <= 1, the value RumiAI compares with 0.9
};

struct AudioResult {
  double duration_s = 0;                // as given to finish()
  std::size_t samples = 0;              // samples analysed
  std::vector<double> momentary_lufs;   // per whole second; NaN when silent
  std::vector<double> short_term_lufs;  // per whole second; NaN when silent
  std::vector<double> rms;              // per whole second (the last, partial second included)
  std::vector<double> rms_dbfs;         // 20 log10 rms; NaN for digital silence
  double integrated_lufs = 0;           // NaN when the whole track is below the gate
  double loudness_range_lu = 0;
  double sample_peak_dbfs = 0;  // NaN for digital silence
  std::vector<TimeSpan> silences;
  std::optional<double> tempo_bpm;
  double tempo_confidence = 0;
  std::vector<double> beat_times;  // seconds, as aubio reports them
  std::vector<EnergyWindow> energy_windows;
  double energy_variance = 0;
  double climax_s = 0;
  std::string burst_pattern = "none";
  bool has_audio_energy = false;
};

class AudioAnalyzer {
 public:
  explicit AudioAnalyzer(AudioOptions options = {});
  ~AudioAnalyzer();
  AudioAnalyzer(AudioAnalyzer&&) noexcept;
  AudioAnalyzer& operator=(AudioAnalyzer&&) noexcept;
  AudioAnalyzer(const AudioAnalyzer&) = delete;
  AudioAnalyzer& operator=(const AudioAnalyzer&) = delete;

  // Blocks in time order at kAnalysisSampleRate; a block at another rate is an std::invalid_argument.
  // Non-finite samples count as silence.
  void add(const AudioView& block);
  // duration_s: the file's duration, kept in the result (<= 0: the samples' length). Energy
  // windows end at the samples' length, as RumiAI's (len(y) / sr).
  AudioResult finish(double duration_s);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// RumiAI's burst pattern of raw window energies (the rule above); exposed for tests.
std::string burst_pattern_of(const std::vector<double>& window_energies);

// A stable text of every option that changes the result (part of the analysis cache key).
std::string audio_config_fingerprint(const AudioOptions& options);

}  // namespace rumi::native
