#include "native/speech.h"

#include <err.h>  // sphinxbase's err_set_logfp
#include <pocketsphinx.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <ctime>
#include <deque>
#include <filesystem>
#include <limits>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace rumi::native {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kRate = kAnalysisSampleRate;
constexpr std::size_t kFrame = kRate / 100;  // 10 ms, pocketsphinx's frame rate
constexpr int kOpenAfterFrames = 3;
constexpr std::size_t kSplitPadFrames = 30;  // silence around a cut in running sound
// Voice activity of at least this long with (almost) no recognised words reads as music or a
// language the model does not know rather than as "no speech".
constexpr double kMinActivityForVerdict_s = 2.0;
constexpr double kMinSpeechShareOfActivity = 0.1;
// The language verdict (speech.h states the rule and its calibration). Shares are of the frames
// given to the recogniser.
constexpr double kMinWordShareForSpeech = 0.25;   // below: music or a tone (measured 0-0.21)
constexpr double kMinWordShareForEnglish = 0.45;  // English 0.52-0.79 (0.53 over a quiet tone), others 0.32-0.77
constexpr double kMaxTheShareForEnglish = 0.3;    // English 0-0.25, others 0-0.67
constexpr double kMinWordsForTheShare = 5;
// A "word" longer than this is the recogniser explaining a stretch of noise or music with one
// word (measured: 5 s of pink noise came out as one word, "thigh"); spoken words are far shorter.
constexpr double kMaxWordSeconds = 1.5;

// The decoder's speed/accuracy settings (part of the config fingerprint), chosen on eight
// espeak-ng sentences (9-32 words), each in silence and over a quiet tone (16 cases): the
// forward-flat pass and an unbounded HMM count cost about 2x time without improving the word
// count. The default language weight (6.5) lets the language model swallow words into silence
// (71-100 % of the words found in silence); -lw 4 found 67-117 % (mean 96 %, one case outside
// +-25 %), -lw 4.5 56-133 % (two outside), -lw 3.5 56-117 % at more cost. Lower weights cost time,
// which -maxwpf 10 (at most 10 word exits per frame) wins back with the same counts: about 0.2x
// real time in thread CPU on the voice-active part. Filtering words by posterior or dropping
// single letters made the counts worse. -dither keeps log energies finite on digital silence;
// it is seeded, so results reproduce.
constexpr std::array<const char*, 16> kDecoderArgs{"-fwdflat", "no", "-maxhmmpf",       "3000", "-pl_window", "5",
                                                   "-lw",      "4",  "-maxwpf",         "10",   "-dither",    "yes",
                                                   "-seed",    "1",  "-remove_silence", "no"};

// The phone loop: context-independent phones (cheaper; the comparison only needs the best
// acoustic explanation), the same dither seed as the word decoder.
constexpr std::array<const char*, 10> kPhoneLoopArgs{
    "-allphone_ci", "yes", "-lw", "2.0", "-dither", "yes", "-seed", "1", "-remove_silence", "no"};

// CPU time of the calling thread: the recogniser's cost on one core, whatever else the machine runs.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double round_to(double v, int digits) {
  const double p = std::pow(10.0, digits);
  return std::round(v * p) / p;
}

bool is_filler(const std::string& w) {
  static const std::set<std::string> fillers{"uh", "um", "ah", "er", "hmm", "mm", "mhm", "uhm"};
  return w.empty() || w[0] == '<' || w[0] == '[' || w[0] == '+' || fillers.count(w) > 0;
}

// "that(2)" -> "that"; lower case.
std::string clean_word(const char* raw) {
  std::string w(raw ? raw : "");
  if (const auto paren = w.find('('); paren != std::string::npos && paren > 0) w.resize(paren);
  for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return w;
}

}  // namespace

struct SpeechRecognizer::State {
  SpeechOptions opt;
  cmd_ln_t* config = nullptr;
  ps_decoder_t* ps = nullptr;
  // The same acoustic model in a free phone loop (no dictionary, no word language model): the
  // best the model can explain the sound with any phones, against which the word decode is judged.
  cmd_ln_t* phone_config = nullptr;
  ps_decoder_t* phone_ps = nullptr;

  std::size_t n = 0;                // samples seen
  std::vector<std::int16_t> frame;  // the 10-ms frame being filled
  double frame_sq = 0;
  std::size_t frames_done = 0;

  // VAD state.
  std::deque<std::vector<std::int16_t>> preroll;  // closed: the last frames, for the utterance start
  int active_run = 0;
  bool open = false;
  double utt_start = 0;  // time of the first sample given to pocketsphinx
  double utt_first_active = 0;
  double utt_last_active = 0;
  std::size_t utt_frames = 0;
  int silent_run = 0;

  SpeechResult r;
  double posterior_sum = 0;
  // Evidence for the language verdict, over every utterance's best path.
  std::size_t utt_frames_decoded = 0;  // frames given to pocketsphinx (padding excluded)
  std::size_t word_frames = 0;         // frames inside kept words
  std::size_t noise_frames = 0;        // frames inside [NOISE], ++...++ and filler words
  std::size_t sil_frames = 0;          // frames inside <sil>, <s>, </s>
  double ascr_sum = 0;                 // acoustic score of kept words (log base of logmath)
  double lscr_sum = 0;                 // language score of kept words
  double utt_logprob_sum = 0;          // ps_get_prob per utterance, summed
  std::size_t short_words = 0;         // kept words of at most 2 letters
  double word_path_ascr = 0;           // acoustic score (ln) of the whole word best path, every segment
  double phone_path_ascr = 0;          // acoustic score (ln) of the phone loop's best path
  double busy = 0;                     // thread CPU seconds in pocketsphinx

  ~State() {
    if (ps) ps_free(ps);
    if (config) cmd_ln_free_r(config);
    if (phone_ps) ps_free(phone_ps);
    if (phone_config) cmd_ln_free_r(phone_config);
  }

  std::size_t preroll_frames() const { return static_cast<std::size_t>(std::lround(opt.vad_preroll_s * 100)); }

  // The open utterance's samples: decoded whole at its end, so pocketsphinx normalises the
  // cepstra over the utterance (batch CMN). Streaming them frame by frame uses the model's initial
  // estimate at the start and lost the first words of espeak sentences.
  std::vector<std::int16_t> utt;
  std::vector<double> utt_energy;  // mean square of each 10-ms frame of `utt`
  std::size_t utt_pad_frames = 0;  // silence a cut put before the content
  // Words are kept inside [content start, content end): not in a cut's padding.
  double utt_content_start = 0;
  double utt_content_end = std::numeric_limits<double>::infinity();

  void feed(const std::vector<std::int16_t>& f) {
    utt.insert(utt.end(), f.begin(), f.end());
    double sq = 0;
    for (const std::int16_t v : f) sq += static_cast<double>(v) * v;
    utt_energy.push_back(f.empty() ? 0 : sq / static_cast<double>(f.size()));
    ++utt_frames;
  }

  // An utterance at max_utterance_s (sound that never pauses: speech over music) is cut at the
  // quietest frame of its last second, so the cut falls between words where it can, and what
  // follows the cut opens the next utterance.
  void split_utterance() {
    const std::size_t first = utt_pad_frames;  // the content starts after a previous cut's padding
    const std::size_t n_frames = utt_energy.size();
    const std::size_t look = std::min<std::size_t>(100, (n_frames - first) / 2);
    std::size_t cut = n_frames - look;
    for (std::size_t i = cut; i < n_frames; ++i)
      if (utt_energy[i] < utt_energy[cut]) cut = i;
    cut = std::max(cut, first + 1);
    std::vector<std::int16_t> carry(utt.begin() + static_cast<std::ptrdiff_t>(std::min(cut * kFrame, utt.size())),
                                    utt.end());
    std::vector<double> carry_energy(utt_energy.begin() + static_cast<std::ptrdiff_t>(cut), utt_energy.end());
    utt.resize(std::min(cut * kFrame, utt.size()));
    utt_energy.resize(cut);
    // pocketsphinx's search must end in silence to reach </s>; a cut in running sound would
    // otherwise leave only a poor partial path (measured: most words of the utterance lost).
    utt.insert(utt.end(), kSplitPadFrames * kFrame, 0);
    const double cut_t = utt_start + static_cast<double>(cut) / 100.0;
    const double last_active = utt_last_active;
    utt_last_active = std::min(utt_last_active, cut_t);
    utt_content_end = cut_t;
    close_utterance();
    open = true;
    // The same silence before what follows the cut; its words' times are offset by it.
    utt.assign(kSplitPadFrames * kFrame, 0);
    utt.insert(utt.end(), carry.begin(), carry.end());
    utt_energy.assign(kSplitPadFrames, 0.0);
    utt_energy.insert(utt_energy.end(), carry_energy.begin(), carry_energy.end());
    utt_pad_frames = kSplitPadFrames;
    utt_frames = carry_energy.size();
    utt_start = cut_t - static_cast<double>(kSplitPadFrames) / 100.0;
    utt_content_start = cut_t;
    utt_first_active = cut_t;
    utt_last_active = std::max(last_active, cut_t);
    silent_run = 0;
  }

  void open_utterance(double first_active) {
    open = true;
    utt.clear();
    utt_energy.clear();
    utt_pad_frames = 0;
    utt_frames = 0;
    silent_run = 0;
    utt_start = static_cast<double>(frames_done - preroll.size()) / 100.0;
    utt_content_start = utt_start;
    utt_content_end = std::numeric_limits<double>::infinity();
    utt_first_active = first_active;
    for (const auto& f : preroll) feed(f);
    preroll.clear();
  }

  void close_utterance() {
    if (!open) return;
    open = false;
    const double t0 = thread_cpu_seconds();
    if (ps_start_utt(ps) < 0) throw std::runtime_error("speech recognition: pocketsphinx cannot start an utterance");
    ps_process_raw(ps, utt.data(), utt.size(), FALSE, TRUE);
    ps_end_utt(ps);
    utt_logprob_sum += ps_get_prob(ps);  // also computes the lattice posteriors ps_seg_prob reports
    utt_frames_decoded +=
        utt_energy.size() - std::min(utt_pad_frames, utt_energy.size());  // a cut's padding is not sound
    logmath_t* lmath = ps_get_logmath(ps);
    for (ps_seg_t* seg = ps_seg_iter(ps); seg != nullptr; seg = ps_seg_next(seg)) {
      const std::string w = clean_word(ps_seg_word(seg));
      int sf = 0, ef = 0;
      ps_seg_frames(seg, &sf, &ef);
      const std::size_t len = static_cast<std::size_t>(std::max(0, ef + 1 - sf));
      {
        int32 a = 0, l = 0, b = 0;
        ps_seg_prob(seg, &a, &l, &b);
        word_path_ascr += logmath_log_to_ln(lmath, a);
      }
      if (is_filler(w)) {
        (w.empty() || w[0] == '<' ? sil_frames : noise_frames) += len;
        continue;
      }
      int32 ascr = 0, lscr = 0, lback = 0;
      const double post = std::min(1.0, logmath_exp(lmath, ps_seg_prob(seg, &ascr, &lscr, &lback)));
      if (post < opt.min_word_posterior || (ef + 1 - sf) / 100.0 > kMaxWordSeconds) {
        noise_frames += len;
        continue;
      }
      const double start = std::max(utt_start + sf / 100.0, utt_content_start);
      const double end = std::min(utt_start + (ef + 1) / 100.0, utt_content_end);
      if (end <= start) continue;  // inside a cut's padding
      r.words.push_back({start, end, w, post});
      posterior_sum += post;
      word_frames += len;
      ascr_sum += logmath_log_to_ln(lmath, ascr);
      lscr_sum += logmath_log_to_ln(lmath, lscr);
      if (w.size() <= 2) ++short_words;
    }
    if (phone_ps) {
      if (ps_start_utt(phone_ps) < 0)
        throw std::runtime_error("speech recognition: pocketsphinx cannot start a phone-loop utterance");
      ps_process_raw(phone_ps, utt.data(), utt.size(), FALSE, TRUE);
      ps_end_utt(phone_ps);
      logmath_t* pl = ps_get_logmath(phone_ps);
      for (ps_seg_t* seg = ps_seg_iter(phone_ps); seg != nullptr; seg = ps_seg_next(seg)) {
        int32 a = 0, l = 0, b = 0;
        ps_seg_prob(seg, &a, &l, &b);
        phone_path_ascr += logmath_log_to_ln(pl, a);
      }
    }
    busy += thread_cpu_seconds() - t0;
    r.voice_activity.push_back({utt_first_active, utt_last_active});
  }

  void end_frame() {
    if (frame.empty()) return;
    const double e = frame_sq / static_cast<double>(frame.size());
    const bool active = e > 0 && 10.0 * std::log10(e) > opt.vad_floor_dbfs;
    const double t = static_cast<double>(frames_done) / 100.0;
    const double t_end = t + static_cast<double>(frame.size()) / kRate;
    if (!open) {
      preroll.push_back(frame);
      if (preroll.size() > preroll_frames() + kOpenAfterFrames) preroll.pop_front();
      active_run = active ? active_run + 1 : 0;
      ++frames_done;
      if (active_run >= kOpenAfterFrames) {
        open_utterance(t - (kOpenAfterFrames - 1) / 100.0);
        utt_last_active = t_end;
      }
    } else {
      feed(frame);
      ++frames_done;
      if (active) {
        silent_run = 0;
        utt_last_active = t_end;
      } else {
        ++silent_run;
      }
      if (silent_run >= static_cast<int>(std::lround(opt.vad_hangover_s * 100))) {
        close_utterance();
        active_run = 0;
      } else if (static_cast<double>(utt_frames) / 100.0 >= std::max(1.0, opt.max_utterance_s)) {
        split_utterance();
      }
    }
    frame.clear();
    frame_sq = 0;
  }
};

SpeechRecognizer::SpeechRecognizer(SpeechOptions options) : s_(std::make_unique<State>()) {
  s_->opt = std::move(options);
  for (const auto* path : {&s_->opt.hmm, &s_->opt.lm, &s_->opt.dict})
    if (!std::filesystem::exists(*path))
      throw std::runtime_error("speech recognition: pocketsphinx model file " + *path +
                               " is missing (Debian package pocketsphinx-en-us)");
  err_set_logfp(nullptr);  // pocketsphinx logs every setting to stderr otherwise
  std::vector<const char*> argv{
      "rumi",   "-hmm",     s_->opt.hmm.c_str(), "-lm", s_->opt.lm.c_str(), "-dict", s_->opt.dict.c_str(),
      "-logfn", "/dev/null"};
  argv.insert(argv.end(), kDecoderArgs.begin(), kDecoderArgs.end());
  s_->config =
      cmd_ln_parse_r(nullptr, ps_args(), static_cast<int32>(argv.size()), const_cast<char**>(argv.data()), TRUE);
  if (s_->config) s_->ps = ps_init(s_->config);
  if (!s_->ps) throw std::runtime_error("speech recognition: pocketsphinx cannot load the model " + s_->opt.hmm);
  if (!s_->opt.phone_lm.empty()) {
    if (!std::filesystem::exists(s_->opt.phone_lm))
      throw std::runtime_error("speech recognition: pocketsphinx phone model " + s_->opt.phone_lm +
                               " is missing (Debian package pocketsphinx-en-us)");
    std::vector<const char*> pargv{"rumi",   "-hmm",     s_->opt.hmm.c_str(), "-allphone", s_->opt.phone_lm.c_str(),
                                   "-logfn", "/dev/null"};
    pargv.insert(pargv.end(), kPhoneLoopArgs.begin(), kPhoneLoopArgs.end());
    s_->phone_config =
        cmd_ln_parse_r(nullptr, ps_args(), static_cast<int32>(pargv.size()), const_cast<char**>(pargv.data()), TRUE);
    if (s_->phone_config) s_->phone_ps = ps_init(s_->phone_config);
    if (!s_->phone_ps)
      throw std::runtime_error("speech recognition: pocketsphinx cannot load the phone loop " + s_->opt.phone_lm);
  }
  s_->frame.reserve(kFrame);
}

SpeechRecognizer::~SpeechRecognizer() = default;
SpeechRecognizer::SpeechRecognizer(SpeechRecognizer&&) noexcept = default;
SpeechRecognizer& SpeechRecognizer::operator=(SpeechRecognizer&&) noexcept = default;

void SpeechRecognizer::add(const AudioView& block) {
  State& s = *s_;
  if (block.rate != kRate)
    throw std::invalid_argument(fmt::format("speech recognition: block at {} Hz, expected {} Hz", block.rate, kRate));
  if (block.samples == nullptr) return;
  for (std::size_t i = 0; i < block.count; ++i) {
    // A non-finite sample (a broken decode) is silence, never undefined behaviour in lround.
    const float raw = block.samples[i];
    const float x = std::isfinite(raw) ? std::clamp(raw, -1.0f, 1.0f) : 0.0f;
    s.frame.push_back(static_cast<std::int16_t>(std::lround(x * 32767.0f)));
    s.frame_sq += static_cast<double>(x) * x;
    if (s.frame.size() == kFrame) s.end_frame();
  }
  s.n += block.count;
}

namespace {

std::vector<SpeechSegment> segments_of(const std::vector<SpeechWord>& words, double max_gap) {
  std::vector<SpeechSegment> out;
  for (const auto& w : words) {
    if (out.empty() || w.start - out.back().end >= max_gap) {
      out.push_back({w.start, w.end, w.text, 1});
    } else {
      out.back().end = std::max(out.back().end, w.end);
      out.back().text += ' ';
      out.back().text += w.text;
      ++out.back().words;
    }
  }
  return out;
}

// Whether the words are English speech we can count (the rule in speech.h), from the evidence:
// sets words_measured, language_status and, when words are not measured, the reason.
void judge_language(SpeechResult& r, const SpeechEvidence& ev, double speech_time, const SpeechOptions& opt) {
  const double nw = static_cast<double>(r.words.size());
  r.words_measured = true;
  if (!r.has_audio) {
    r.language_status = "no_audio";
  } else if (r.voice_activity.empty()) {
    r.language_status = "silent";
  } else if (r.words.empty() && r.voice_activity_s < kMinActivityForVerdict_s) {
    r.language_status = "no_speech";  // a short sound without words: 0 words is a measurement
  } else if (r.words.empty() || r.mean_posterior < opt.min_mean_posterior ||
             (r.voice_activity_s >= kMinActivityForVerdict_s &&
              speech_time < kMinSpeechShareOfActivity * r.voice_activity_s) ||
             ev.word_share < kMinWordShareForSpeech) {
    r.words_measured = false;
    r.language_status = "no_speech";
    r.not_measured_reason = fmt::format(
        "{:.1f} s of sound but almost no recognisable words (words cover {:.0f} % of it): music, a tone, or no speech",
        r.voice_activity_s, 100 * ev.word_share);
  } else if (ev.word_share < kMinWordShareForEnglish ||
             (nw >= kMinWordsForTheShare && ev.the_share >= kMaxTheShareForEnglish)) {
    r.words_measured = false;
    r.language_status = "not_english_or_unclear";
    r.not_measured_reason = fmt::format(
        "speech-like sound ({:.1f} s) that the English model does not follow (words cover {:.0f} % of it, "
        "'the' is {:.0f} % of the words): probably not English; speech activity is measured, words are not",
        r.voice_activity_s, 100 * ev.word_share, 100 * ev.the_share);
  } else {
    r.language_status = "english";
  }
}

// The word-derived measures, once the words are believed.
void fill_word_measures(SpeechResult& r, std::vector<SpeechSegment> segments, double speech_time, double duration) {
  r.segments = std::move(segments);
  r.speech_time_s = speech_time;
  r.total_words = static_cast<int>(r.words.size());
  std::set<std::string> unique;
  for (const auto& w : r.words) {
    unique.insert(w.text);
    if (!r.transcript.empty()) r.transcript += ' ';
    r.transcript += w.text;
  }
  r.unique_words = static_cast<int>(unique.size());
  r.speech_coverage = duration > 0 ? std::min(1.0, speech_time / duration) : 0;
  r.silence_ratio = 1.0 - r.speech_coverage;
  r.words_per_minute = speech_time > 0 ? r.total_words / speech_time * 60.0 : 0;
  if (!r.words.empty()) r.time_to_first_word = r.words.front().start;
}

}  // namespace

SpeechResult SpeechRecognizer::finish(double duration_s) {
  State& s = *s_;
  s.end_frame();
  s.close_utterance();
  SpeechResult& r = s.r;
  r.has_audio = s.n > 0;
  r.recognition_s = s.busy;
  const double audio_s = static_cast<double>(s.n) / kRate;
  const double duration = duration_s > 0 ? duration_s : audio_s;
  for (const auto& v : r.voice_activity) r.voice_activity_s += v.end - v.start;

  r.mean_posterior = r.words.empty() ? 0 : s.posterior_sum / static_cast<double>(r.words.size());
  std::vector<SpeechSegment> segments = segments_of(r.words, s.opt.segment_gap_s);
  double speech_time = 0;
  for (const auto& seg : segments) speech_time += seg.end - seg.start;

  SpeechEvidence& ev = r.evidence;
  const double voiced_frames = static_cast<double>(s.utt_frames_decoded);
  ev.voiced_s = voiced_frames / 100.0;
  const double nw = static_cast<double>(r.words.size());
  if (voiced_frames > 0) {
    ev.word_share = static_cast<double>(s.word_frames) / voiced_frames;
    ev.noise_share = static_cast<double>(s.noise_frames) / voiced_frames;
    ev.words_per_voiced_s = nw / ev.voiced_s;
    ev.logprob_per_s = s.utt_logprob_sum / ev.voiced_s;
  }
  if (s.word_frames > 0) ev.mean_ascr_per_frame = s.ascr_sum / static_cast<double>(s.word_frames);
  if (nw > 0) {
    ev.mean_lscr_per_word = s.lscr_sum / nw;
    ev.short_word_share = static_cast<double>(s.short_words) / nw;
  }
  ev.mean_posterior = r.mean_posterior;
  if (voiced_frames > 0) ev.phone_gap_per_frame = (s.phone_path_ascr - s.word_path_ascr) / voiced_frames;

  std::size_t the = 0;
  for (const auto& w : r.words) the += w.text == "the" ? 1 : 0;
  ev.the_share = nw > 0 ? static_cast<double>(the) / nw : 0;

  judge_language(r, ev, speech_time, s.opt);
  r.time_to_first_word = kNaN;
  if (!r.words_measured) return std::move(r);
  fill_word_measures(r, std::move(segments), speech_time, duration);
  return std::move(r);
}

namespace {

// RumiAI's wpm_by_segment over 1-s windows: words of each overlapping segment prorated by the
// overlap and truncated (int()), over the overlap time; the first 10 windows.
Json wpm_progression(const std::vector<SpeechSegment>& segments, double duration) {
  Json out = Json::array();
  const int whole = static_cast<int>(duration);
  for (int i = 0; i < whole && i < 10; ++i) {
    const double ws = i, we = std::min(i + 1, whole);
    int words = 0;
    double time = 0;
    for (const auto& seg : segments) {
      if (seg.start < we && seg.end > ws) {
        const double overlap = std::min(seg.end, we) - std::max(seg.start, ws);
        const double len = seg.end - seg.start;
        if (len > 0) {
          words += static_cast<int>(seg.words * (overlap / len));
          time += overlap;
        }
      }
    }
    out.push_back(time > 0 ? round_to(words / time * 60.0, 1) : 0.0);
  }
  return out;
}

std::string range_label(double start, double end) {
  return fmt::format("{}-{}s", static_cast<long long>(start), static_cast<long long>(end));
}

}  // namespace

// Dense literal code kept as written: clang-format would put one field per line.
// clang-format off
Json speech_analysis_flow(const SpeechResult& sp, const AudioResult* audio, double duration_s) {
  Json core = Json::object(), dyn = Json::object(), keys = Json::object(), patterns = Json::object();
  const double duration = duration_s > 0 ? duration_s : 0;
  // No audio stream: nothing is said, and that is a measurement.
  const bool words = audio == nullptr || sp.words_measured;
  if (words) {
    const int total = audio == nullptr ? 0 : sp.total_words;
    const std::vector<SpeechSegment> none;
    const auto& segments = audio == nullptr ? none : sp.segments;
    const double coverage = audio == nullptr ? 0 : sp.speech_coverage;
    core["totalWords"] = total;
    core["uniqueWords"] = audio == nullptr ? 0 : sp.unique_words;
    core["speechDensity"] = duration > 0 ? round_to(total / duration, 2) : 0.0;
    core["wordsPerMinute"] = audio == nullptr ? 0.0 : round_to(sp.words_per_minute, 1);
    core["vocabularyDiversity"] = total > 0 ? round_to(static_cast<double>(sp.unique_words) / total, 2) : 0.0;
    core["speechCoverage"] = round_to(coverage, 2);
    core["silenceRatio"] = round_to(1.0 - coverage, 2);
    double longest = 0, sum = 0;
    const SpeechSegment* longest_seg = nullptr;
    for (const auto& seg : segments) {
      sum += seg.end - seg.start;
      if (seg.end - seg.start > longest) {
        longest = seg.end - seg.start;
        longest_seg = &seg;
      }
    }
    core["avgSegmentDuration"] = segments.empty() ? 0.0 : round_to(sum / static_cast<double>(segments.size()), 2);
    // rumi: when the first word is spoken (seconds); absent when nothing is said.
    if (audio != nullptr && std::isfinite(sp.time_to_first_word)) core["timeToFirstWord"] = round_to(sp.time_to_first_word, 2);
    dyn["wpmProgression"] = wpm_progression(segments, duration);
    Json seg = {{"duration", round_to(longest, 2)}};
    if (longest_seg) {
      seg["timestamp"] = range_label(longest_seg->start, longest_seg->end);
      seg["words"] = longest_seg->words;
    }
    keys["longestSegment"] = seg;
    // rumi: the transcript, kept with the analysis.
    if (audio != nullptr && !sp.transcript.empty()) patterns["transcript"] = sp.transcript;
  }

  // Speech-like sound the English model cannot follow: its activity is a measurement (the VAD's
  // utterances stand in for the word segments), the words are not.
  if (!words && audio != nullptr && sp.language_status == "not_english_or_unclear" && !sp.voice_activity.empty()) {
    const double coverage = duration > 0 ? std::min(1.0, sp.voice_activity_s / duration) : 0.0;
    core["speechCoverage"] = round_to(coverage, 2);
    core["silenceRatio"] = round_to(1.0 - coverage, 2);
    core["timeToFirstVoice"] = round_to(sp.voice_activity.front().start, 2);  // rumi
  }

  Json bursts = Json::array();
  if (audio != nullptr) {
    for (const auto& w : audio->energy_windows)
      if (w.normalized > 0.9)
        bursts.push_back({{"start", round_to(w.start, 2)},
                          {"end", round_to(w.end, 2)},
                          {"duration", round_to(w.end - w.start, 2)},
                          {"energy", round_to(w.normalized, 3)},
                          {"type", "high_energy"}});
    Json silences = Json::array();
    for (const auto& s : audio->silences)
      silences.push_back({{"start", round_to(s.start, 2)}, {"end", round_to(s.end, 2)}, {"duration", round_to(s.end - s.start, 2)}});
    dyn["silencePeriods"] = silences;
  }
  const bool energy = audio != nullptr && audio->has_audio_energy;
  dyn["speechBursts"] = energy ? bursts : Json::array();
  dyn["burstPattern"] = energy ? audio->burst_pattern : "none";
  dyn["energyVariance"] = audio != nullptr ? audio->energy_variance : 0.0;
  dyn["hasAudioEnergy"] = energy;
  if (energy) keys["climaxMoment"] = {{"timestamp", round_to(audio->climax_s, 2)}};

  Json flow = {{"CoreMetrics", core}, {"Dynamics", dyn}, {"KeyEvents", keys}};
  if (!patterns.empty()) flow["Patterns"] = patterns;
  // rumi: why the words are not measured (music or a tone, or not English), for the features
  // stage and for a person; absent when the words are measured.
  if (audio != nullptr && !sp.words_measured) {
    if (!sp.language_status.empty()) flow["languageStatus"] = sp.language_status;
    if (!sp.not_measured_reason.empty()) flow["languageNote"] = sp.not_measured_reason;
  }
  return flow;
}
// clang-format on

std::string speech_config_fingerprint(const SpeechOptions& o) {
  std::string args;
  for (const char* a : kDecoderArgs) {
    args += a;
    args += ' ';
  }
  return fmt::format(
      "speech/v2 pocketsphinx-5prealpha hmm={} lm={} dict={} phone={} {}vad={:.2f}dBFS/{:.2f}s/{:.2f}s/{:.1f}s "
      "post={:.3f}/{:.3f} "
      "gap={:.2f}",
      o.hmm, o.lm, o.dict, o.phone_lm.empty() ? "none" : o.phone_lm, args, o.vad_floor_dbfs, o.vad_preroll_s,
      o.vad_hangover_s, o.max_utterance_s, o.min_word_posterior, o.min_mean_posterior, o.segment_gap_s);
}

}  // namespace rumi::native
