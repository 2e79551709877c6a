#pragma once
// Speech in a video's sound track: where someone talks (voice activity) and what they say
// (pocketsphinx with Debian's pocketsphinx-en-us model), from the decoder's mono 16 kHz blocks
// (native/media_types.h), and the era-B speech_analysis flow built from it and from the audio
// energy (native/audio.h).
//
// Rules:
// * Voice activity: 10 ms frames; a frame is active when its energy is above `vad_floor_dbfs`
//   (-50 dBFS; room tone and digital silence are below, quiet speech and any music above). An
//   utterance opens after 3 active frames in a row (starting `vad_preroll_s` earlier) and closes
//   after `vad_hangover_s` without an active frame; sound that never pauses (speech over music) is
//   cut at `max_utterance_s`, at the quietest 10 ms of the last second, and goes on in the next
//   utterance (each side padded with 0.3 s of silence, which pocketsphinx needs to end its search).
//   Only utterances go to the recognizer, so recognition costs time on the sounding part only, and
//   word times are exact (utterance start + pocketsphinx frame * 10 ms). The VAD says "there is sound", not "there is a
//   voice": whether it is speech is the recognizer's verdict below.
// * Words: pocketsphinx's best path (decoder settings in speech.cc); <s>, </s>, <sil>, [NOISE],
//   [SPEECH] and the filler words uh, um, ah, er, hmm, mm, mhm, uhm are dropped; alternate
//   pronunciations "word(2)" count as "word"; lower case. A word is kept when its lattice
//   posterior is at least `min_word_posterior` and it lasts at most 1.5 s (a longer one is the
//   recognizer explaining noise with one word). Each utterance is decoded whole when it closes
//   (pocketsphinx normalises over the utterance), so memory is one utterance of samples.
// * Segments (what RumiAI's Whisper segments were, which coverage and WPM are measured on): runs
//   of kept words whose gaps are below `segment_gap_s`, from the first word's start to the last
//   word's end. speech_coverage = segment time / duration; words_per_minute = words / segment
//   time * 60; time_to_first_word = the first kept word's start; silence_ratio = 1 - coverage.
// * Not measured (words_measured = false, with not_measured_reason): at least 2 s of sound of
//   which recognised words cover under 10 % (music, a tone, or speech the model cannot follow),
//   or the mean posterior of the recognised words is below `min_mean_posterior`. Then segments,
//   words, coverage and transcript stay empty and speech_analysis_flow leaves every word field
//   out, rather than guess a word count. The voice activity is still in the result. Limitation:
//   pocketsphinx has no language identification, and its posteriors on synthetic English
//   (0.2-0.6, lower over a background tone) are as low as on German or French (0.24-0.42), so the
//   posterior floor is only a safeguard (0.1) and clear speech in another language can still come
//   out as English words. Music came out at 0.17-0.19 and is caught by the coverage rule.
// * A pure tone is not speech: no words, coverage 0, words not measured.
// * No samples at all (or no audio stream, audio == nullptr in the flow): words 0, coverage 0,
//   as measurements.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/json.h"
#include "native/audio.h"
#include "native/media_types.h"

namespace rumi::native {

struct SpeechOptions {
  std::string hmm = "/usr/share/pocketsphinx/model/en-us/en-us";
  std::string lm = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
  std::string dict = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";
  double vad_floor_dbfs = -50.0;
  double vad_preroll_s = 0.2;
  double vad_hangover_s = 0.5;
  double max_utterance_s = 20.0;    // at least 1 s
  double min_word_posterior = 0.0;   // 0: keep every best-path word
  double min_mean_posterior = 0.1;   // below: words_measured = false
  double segment_gap_s = 0.7;
};

struct SpeechWord {
  double start = 0;
  double end = 0;
  std::string text;  // lower case, pronunciation variant removed
  double posterior = 0;
};

struct SpeechSegment {
  double start = 0;
  double end = 0;
  std::string text;
  int words = 0;
};

struct SpeechResult {
  bool has_audio = false;       // any samples were given
  bool words_measured = false;  // false: music-only, non-English or no voice: activity measured, words not
  std::string not_measured_reason;  // why words_measured is false ("" when it is true)
  std::vector<TimeSpan> voice_activity;  // the VAD's utterances
  double voice_activity_s = 0;
  std::vector<SpeechWord> words;
  std::vector<SpeechSegment> segments;
  int total_words = 0;
  int unique_words = 0;
  double speech_time_s = 0;     // sum of segment durations
  double speech_coverage = 0;   // speech_time_s / duration
  double words_per_minute = 0;  // over speech time
  double time_to_first_word = 0;  // NaN when there is no word
  double silence_ratio = 1;
  double mean_posterior = 0;
  double recognition_s = 0;  // CPU seconds (this thread) spent in pocketsphinx, for the benchmark; never in outputs
  std::string transcript;
};

class SpeechRecognizer {
 public:
  // Loads the model; throws std::runtime_error naming the path when it cannot.
  explicit SpeechRecognizer(SpeechOptions options = {});
  ~SpeechRecognizer();
  SpeechRecognizer(SpeechRecognizer&&) noexcept;
  SpeechRecognizer& operator=(SpeechRecognizer&&) noexcept;
  SpeechRecognizer(const SpeechRecognizer&) = delete;
  SpeechRecognizer& operator=(const SpeechRecognizer&) = delete;

  void add(const AudioView& block);
  SpeechResult finish(double duration_s);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// The era-B speech_analysis blocks (spec section 4.6) with only what is measured; RumiAI's
// constants (confidence 0.85, Interactions, Patterns and Quality defaults, pacingVariation,
// temporalAlignment, climaxMoment.intensity) are left out, and so are blocks left empty.
// * Words measured (or no audio stream): CoreMetrics totalWords, uniqueWords, speechDensity
//   (words / duration, 2 decimals), wordsPerMinute (1), vocabularyDiversity (unique / total, 2),
//   speechCoverage (2), silenceRatio (1 - coverage, 2), avgSegmentDuration (2); Dynamics
//   wpmProgression (RumiAI's rule: 1-s windows, each overlapping segment's words prorated by the
//   overlap and truncated, over the overlap time; the first 10 windows); KeyEvents
//   longestSegment {duration, timestamp "a-bs", words}. rumi additions: CoreMetrics
//   timeToFirstWord (when a word was said) and Patterns.transcript (when not empty).
// * Words not measured: none of the above.
// * From the audio: Dynamics speechBursts (5-s windows with normalised energy > 0.9: start, end,
//   duration, energy (3 decimals), type "high_energy"), burstPattern, energyVariance,
//   hasAudioEnergy, silencePeriods (the audio's silences: start, end, duration); KeyEvents
//   climaxMoment {timestamp} (the RMS peak) when there is audio energy. A silent track: no bursts,
//   "none", no climax.
// * audio == nullptr (no audio stream): written as measured nothing: totalWords 0, speechCoverage
//   0, silenceRatio 1, wordsPerMinute 0, speechBursts [], burstPattern "none", energyVariance 0,
//   hasAudioEnergy false (RumiAI's own values for a video without speech).
Json speech_analysis_flow(const SpeechResult& speech, const AudioResult* audio, double duration_s);

// Stable texts of every option that changes the result (part of the analysis cache key).
std::string speech_config_fingerprint(const SpeechOptions& options);

}  // namespace rumi::native
