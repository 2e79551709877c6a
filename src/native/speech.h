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
// * Language verdict (language_status), from the best paths' evidence (SpeechEvidence), never
//   guessed further. pocketsphinx has no language identification; an English model forced onto
//   another language still emits English-looking words, so the verdict reads how badly they fit:
//   - "no_audio": no samples; "silent": nothing above the VAD floor (both: 0 words, measured).
//   - "no_speech" (words not measured): sound with no recognised word for at least 2 s, recognised
//     words covering under 10 % of 2 s or more of sound, a mean word posterior under
//     `min_mean_posterior`, or words on under 25 % of the voiced frames (music or a tone; a short
//     sound without words is "no_speech" with 0 words measured).
//   - "not_english_or_unclear" (words not measured): words on under 45 % of the voiced frames
//     (the rest went to silence, noise and filler models), or, with 5 words or more, "the" being
//     at least 30 % of them (the language model's commonest word fills sound the acoustics do
//     not explain). Speech activity is still measured: speech_analysis_flow writes speechCoverage
//     and silenceRatio from the VAD's utterances and timeToFirstVoice, and leaves every word field
//     out.
//   - "english": otherwise; words measured as above.
//   Calibration (espeak-ng, short sentences of the kind said in a short video, 0.5 s of silence
//   each side, 16 kHz): English en-us at 150 and 190 wpm and en at 130 and 175 wpm, 8 sentences
//   each: 32/32 "english" (word share 0.52-0.79; 0.53 for a sentence over a quiet tone). Other
//   languages at 175 wpm, 6 sentences each, judged "not_english_or_unclear": German 4/6, Italian
//   4/6, Finnish 1/6, French 1/6, Spanish 0/6, Polish 0/6 (10/36). Tone, chords, melody with noise
//   drums: "no_speech" 3/3. The thresholds were chosen on these same clips (no held-out set) to
//   keep false "not English" on English at zero, so most clear speech in another language still
//   comes out as English words: the verdict catches the obvious cases and says so; it is not a
//   language identifier. Measured and rejected: the word decode's acoustic score per frame
//   against a free phone loop's (English 4.3-6.3, others 4.1-6.2: no separation), the acoustic
//   score per frame, the posterior, the share of one- and two-letter words, words per voiced
//   second, and the noise-token share (English 0-0.02, others 0-0.09, but 0.13 for English over a
//   quiet tone: a music bed would read as "not English").
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
  // A free phone loop decoded beside the words, for SpeechEvidence::phone_gap_per_frame only: it
  // did not separate English from other languages on espeak-ng speech, so it is off ("") by
  // default; en-us-phone.lm.bin next to the model turns it on (twice the recognition time).
  std::string phone_lm;
  double vad_floor_dbfs = -50.0;
  double vad_preroll_s = 0.2;
  double vad_hangover_s = 0.5;
  double max_utterance_s = 20.0;    // at least 1 s
  double min_word_posterior = 0.0;  // 0: keep every best-path word
  double min_mean_posterior = 0.1;  // below: words_measured = false
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

// What pocketsphinx's best paths say about whether the sound is English speech it can follow
// (the inputs of the language verdict; see the rules above).
struct SpeechEvidence {
  double voiced_s = 0;             // frames given to the recogniser, padding excluded, seconds
  double word_share = 0;           // frames inside kept words / voiced frames
  double noise_share = 0;          // frames inside [NOISE], ++...++, fillers and dropped words / voiced frames
  double words_per_voiced_s = 0;   // kept words / voiced_s
  double mean_ascr_per_frame = 0;  // acoustic score (natural log) of kept words per word frame
  double mean_lscr_per_word = 0;   // language-model score (natural log) per kept word
  double logprob_per_s = 0;        // ps_get_prob (utterance posterior, natural log) per voiced second
  double short_word_share = 0;     // kept words of at most two letters / kept words
  double mean_posterior = 0;
  // (phone-loop best-path acoustic score - word best-path acoustic score) per voiced frame, natural
  // log: how much worse the English words explain the sound than free phones do.
  double phone_gap_per_frame = 0;
  double the_share = 0;  // kept words that are "the" / kept words
};

struct SpeechResult {
  bool has_audio = false;           // any samples were given
  bool words_measured = false;      // false: music-only, non-English or no voice: activity measured, words not
  std::string not_measured_reason;  // why words_measured is false ("" when it is true)
  // "english" (words measured), "not_english_or_unclear" (speech-like sound whose words the
  // English model cannot follow: activity measured, words not), "no_speech" (sound, but music or
  // a tone: no words), "silent" (no sound above the VAD floor), "no_audio" (no samples).
  std::string language_status;
  SpeechEvidence evidence;
  std::vector<TimeSpan> voice_activity;  // the VAD's utterances
  double voice_activity_s = 0;
  std::vector<SpeechWord> words;
  std::vector<SpeechSegment> segments;
  int total_words = 0;
  int unique_words = 0;
  double speech_time_s = 0;       // sum of segment durations
  double speech_coverage = 0;     // speech_time_s / duration
  double words_per_minute = 0;    // over speech time
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
// * Words not measured: none of the above. When the verdict is "not_english_or_unclear",
//   CoreMetrics speechCoverage and silenceRatio from the voice activity (VAD utterances /
//   duration, 2 decimals) and rumi's timeToFirstVoice (the first utterance's start).
// * rumi: languageStatus (SpeechResult::language_status) and languageNote (the not-measured
//   reason, for a person) when there is an audio stream and the words are not measured; absent
//   when they are (the word fields then say so).
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
