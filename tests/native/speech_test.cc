// Speech analysis against known truth: espeak-ng says a known sentence, the ffmpeg CLI places it
// at a known time in silence (or over a quiet tone), and the CLI reads the result back as raw
// 16 kHz mono floats (not rumi's decoder). Truth: the onset and length of the sentence measured
// on espeak's own samples, and the sentence's word count.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "native/audio.h"
#include "native/speech.h"
#include "native/test_media.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace rumi;
using namespace rumi::native;
namespace media = rumi::test::media;
using media::read_f32;
using media::word_count;

namespace {

constexpr int kRate = kAnalysisSampleRate;

// The first and last sample louder than -40 dBFS: where espeak's voice starts and ends.
std::pair<double, double> sounding_span(const std::vector<float>& x) {
  const float th = 0.01f;
  std::size_t a = 0, b = x.size();
  while (a < x.size() && std::abs(x[a]) < th) ++a;
  while (b > a && std::abs(x[b - 1]) < th) --b;
  return {static_cast<double>(a) / kRate, static_cast<double>(b) / kRate};
}

struct Analysis {
  SpeechResult speech;
  AudioResult audio;
  double seconds = 0;  // wall time in the recognizer's add/finish
};

Analysis analyse(const std::vector<float>& x, std::size_t block = 1600, SpeechOptions options = {}) {
  SpeechRecognizer rec(options);
  AudioAnalyzer au;
  const auto t0 = std::chrono::steady_clock::now();
  ::rumi::test::media::feed_blocks(x, block, [&](const AudioView& v) {
    rec.add(v);
    au.add(v);
  });
  const double duration = static_cast<double>(x.size()) / kRate;
  Analysis r;
  r.speech = rec.finish(duration);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.audio = au.finish(duration);
  return r;
}

// espeak's sentence at `at_s` in silence (or over a 440 Hz tone at `tone_volume`), `tail_s` after it.
fs::path place_sentence(const fs::path& speech_wav, double at_s, double tail_s, double tone_volume = 0) {
  char graph[512];
  const int delay_ms = static_cast<int>(at_s * 1000 + 0.5);
  if (tone_volume > 0)
    std::snprintf(
        graph, sizeof graph,
        "[0:a]aresample=16000,adelay=%d:all=1,apad=pad_dur=%.3f[sp];"
        "sine=frequency=440:sample_rate=16000,volume=%.3f[bg];[sp][bg]amix=inputs=2:duration=first:normalize=0",
        delay_ms, tail_s, tone_volume);
  else
    std::snprintf(graph, sizeof graph, "[0:a]aresample=16000,adelay=%d:all=1,apad=pad_dur=%.3f", delay_ms, tail_s);
  return media::make_cached(
      {media::ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", "-i", speech_wav.string(), "-filter_complex",
       graph, "-ac", "1", "-ar", "16000", "-c:a", "pcm_f32le", "{out}"},
      "wav");
}

const std::string kSentence = "today I will show you how to make a simple pasta dinner in ten minutes";

void expect_sentence_measured(const Analysis& run, double onset_truth, double speech_len_truth, int words_truth) {
  const SpeechResult& s = run.speech;
  ASSERT_TRUE(s.words_measured) << s.not_measured_reason;
  EXPECT_NEAR(s.time_to_first_word, onset_truth, 0.3) << s.transcript;
  EXPECT_NEAR(s.total_words, words_truth, 0.25 * words_truth) << s.transcript;
  const double wpm_truth = words_truth / speech_len_truth * 60.0;
  EXPECT_NEAR(s.words_per_minute, wpm_truth, 0.25 * wpm_truth) << s.transcript;
  EXPECT_EQ(word_count(s.transcript), s.total_words);
  ASSERT_FALSE(s.segments.empty());
  EXPECT_NEAR(s.segments.front().start, onset_truth, 0.3);
  EXPECT_NEAR(s.segments.back().end, onset_truth + speech_len_truth, 0.5);
}

}  // namespace

TEST(SpeechRecognition, EspeakSentenceOnsetWordsAndPace) {
  RUMI_REQUIRE_SPEECH_TOOLS();
  const fs::path raw = media::make_speech_wav(kSentence);
  const auto [voice_from, voice_to] = sounding_span(read_f32(raw));
  const double at = 1.5;
  const auto x = read_f32(place_sentence(raw, at, 1.0));
  const Analysis run = analyse(x);
  const double duration = static_cast<double>(x.size()) / kRate;
  expect_sentence_measured(run, at + voice_from, voice_to - voice_from, word_count(kSentence));
  EXPECT_GT(run.speech.speech_coverage, 0.5 * (voice_to - voice_from) / duration);
  EXPECT_LE(run.speech.speech_coverage, 1.0);
  EXPECT_NEAR(run.speech.silence_ratio, 1.0 - run.speech.speech_coverage, 1e-12);

  // Speed on the voice-active part (the goal is <= 0.25x real time on one core).
  const double rtf = run.speech.recognition_s / std::max(1e-9, run.speech.voice_activity_s);
  std::printf("[ speech ] %.1f s voice-active of %.1f s, recognised in %.2f s: %.3fx real time; %d words: \"%s\"\n",
              run.speech.voice_activity_s, duration, run.speech.recognition_s, rtf, run.speech.total_words,
              run.speech.transcript.c_str());
  EXPECT_LT(rtf, 1.0);

  // The flow carries the measured fields the features stage reads.
  const Json flow = speech_analysis_flow(run.speech, &run.audio, duration);
  const Json& core = flow["CoreMetrics"];
  EXPECT_EQ(core["totalWords"], run.speech.total_words);
  EXPECT_NEAR(core["wordsPerMinute"].get<double>(), run.speech.words_per_minute, 0.05);
  EXPECT_NEAR(core["timeToFirstWord"].get<double>(), at + voice_from, 0.3);
  EXPECT_EQ(flow["Dynamics"]["hasAudioEnergy"], true);
  EXPECT_EQ(flow["Dynamics"]["wpmProgression"].size(), std::min<std::size_t>(10, static_cast<std::size_t>(duration)));
  EXPECT_FALSE(flow["Patterns"]["transcript"].get<std::string>().empty());
  const double climax = flow["KeyEvents"]["climaxMoment"]["timestamp"].get<double>();
  EXPECT_GE(climax, at);
  EXPECT_LE(climax, at + voice_to);
}

TEST(SpeechRecognition, SentenceOverAQuietTone) {
  RUMI_REQUIRE_SPEECH_TOOLS();
  const std::string sentence = "stop scrolling right now because this simple trick will save you money";
  const fs::path raw = media::make_speech_wav(sentence);
  const auto [voice_from, voice_to] = sounding_span(read_f32(raw));
  const double at = 1.0;
  const auto x = read_f32(place_sentence(raw, at, 0.5, 0.05));
  const Analysis run = analyse(x);
  expect_sentence_measured(run, at + voice_from, voice_to - voice_from, word_count(sentence));
}

// Sound that never pauses is cut into utterances at quiet moments, and the words survive the cuts.
TEST(SpeechRecognition, LongSoundIsCutIntoUtterances) {
  RUMI_REQUIRE_SPEECH_TOOLS();
  const std::string sentence = "stop scrolling right now because this simple trick will save you money";
  const fs::path raw = media::make_speech_wav(sentence);
  const auto [voice_from, voice_to] = sounding_span(read_f32(raw));
  const auto x = read_f32(place_sentence(raw, 1.0, 0.5, 0.05));
  SpeechOptions o;
  o.max_utterance_s = 3.0;
  const Analysis run = analyse(x, 1600, o);
  EXPECT_GE(run.speech.voice_activity.size(), 2u);
  for (std::size_t i = 1; i < run.speech.voice_activity.size(); ++i)
    EXPECT_GE(run.speech.voice_activity[i].start, run.speech.voice_activity[i - 1].end - 1e-9);
  expect_sentence_measured(run, 1.0 + voice_from, voice_to - voice_from, word_count(sentence));
}

// As the end-to-end tests make them: test_media's video with espeak's sentence in AAC.
TEST(SpeechRecognition, SentenceInAnAacVideo) {
  RUMI_REQUIRE_SPEECH_TOOLS();
  media::VideoSpec spec;
  spec.shots = {{4.5, "red", "yellow"}};
  spec.audio = media::Audio::speech;
  spec.speech_at_s = 1.0;
  const fs::path video = media::make_video(spec);
  const auto [voice_from, voice_to] = sounding_span(read_f32(media::make_speech_wav(spec.speech_text)));
  const Analysis run = analyse(read_f32(video));
  expect_sentence_measured(run, spec.speech_at_s + voice_from, voice_to - voice_from, word_count(spec.speech_text));
}

TEST(SpeechRecognition, PureToneIsNotSpeech) {
  RUMI_REQUIRE_FFMPEG();
  if (!::rumi::test::media::have_speech_model())
    GTEST_SKIP() << "needs the pocketsphinx-en-us model (" << SpeechOptions{}.hmm << ")";
  const fs::path wav =
      media::make_cached({media::ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                          "sine=frequency=440:sample_rate=16000:duration=3", "-c:a", "pcm_f32le", "{out}"},
                         "wav");
  const Analysis run = analyse(read_f32(wav));
  EXPECT_EQ(run.speech.total_words, 0) << run.speech.transcript;
  EXPECT_LT(run.speech.speech_coverage, 0.1);
  EXPECT_FALSE(run.speech.words_measured);
  EXPECT_FALSE(run.speech.not_measured_reason.empty());
  EXPECT_GT(run.speech.voice_activity_s, 2.5);  // there is sound, it is not speech
  const Json flow = speech_analysis_flow(run.speech, &run.audio, 3.0);
  EXPECT_FALSE(flow["CoreMetrics"].contains("totalWords"));
  EXPECT_FALSE(flow["CoreMetrics"].contains("wordsPerMinute"));
  EXPECT_FALSE(flow["Dynamics"].contains("wpmProgression"));
  EXPECT_EQ(flow["Dynamics"]["hasAudioEnergy"], true);
}

TEST(SpeechRecognition, SilenceIsSilence) {
  if (!::rumi::test::media::have_speech_model())
    GTEST_SKIP() << "needs the pocketsphinx-en-us model (" << SpeechOptions{}.hmm << ")";
  const std::vector<float> x(3 * kRate, 0.0f);
  const Analysis run = analyse(x);
  EXPECT_TRUE(run.speech.words_measured);
  EXPECT_EQ(run.speech.total_words, 0);
  EXPECT_TRUE(run.speech.voice_activity.empty());
  EXPECT_EQ(run.speech.speech_coverage, 0);
  EXPECT_TRUE(std::isnan(run.speech.time_to_first_word));
  const Json flow = speech_analysis_flow(run.speech, &run.audio, 3.0);
  EXPECT_EQ(flow["CoreMetrics"]["totalWords"], 0);
  EXPECT_EQ(flow["CoreMetrics"]["speechCoverage"], 0.0);
  EXPECT_EQ(flow["CoreMetrics"]["silenceRatio"], 1.0);
  EXPECT_FALSE(flow["CoreMetrics"].contains("timeToFirstWord"));
  EXPECT_EQ(flow["Dynamics"]["hasAudioEnergy"], false);
  EXPECT_EQ(flow["Dynamics"]["burstPattern"], "none");
  EXPECT_FALSE(flow["KeyEvents"].contains("climaxMoment"));
}

TEST(SpeechRecognition, NonFiniteSamplesAreSilence) {
  if (!::rumi::test::media::have_speech_model())
    GTEST_SKIP() << "needs the pocketsphinx-en-us model (" << SpeechOptions{}.hmm << ")";
  std::vector<float> x(kRate, NAN);
  for (std::size_t i = 0; i < x.size(); i += 3) x[i] = INFINITY;
  const Analysis run = analyse(x);
  EXPECT_TRUE(run.speech.voice_activity.empty());
  EXPECT_EQ(run.speech.total_words, 0);
  EXPECT_TRUE(run.speech.words_measured);
}

TEST(SpeechFlow, NoAudioStreamIsMeasuredAsNoSpeech) {
  const Json flow = speech_analysis_flow(SpeechResult{}, nullptr, 12.0);
  const Json& core = flow["CoreMetrics"];
  EXPECT_EQ(core["totalWords"], 0);
  EXPECT_EQ(core["speechCoverage"], 0.0);
  EXPECT_EQ(core["silenceRatio"], 1.0);
  EXPECT_EQ(core["speechDensity"], 0.0);
  EXPECT_EQ(flow["Dynamics"]["hasAudioEnergy"], false);
  EXPECT_EQ(flow["Dynamics"]["speechBursts"], Json::array());
  // RumiAI's constants are not measurements and are left out.
  EXPECT_FALSE(core.contains("confidence"));
  EXPECT_FALSE(flow.contains("Quality"));
  EXPECT_FALSE(flow.contains("Interactions"));
  EXPECT_FALSE(flow["Dynamics"].contains("temporalAlignment"));
  EXPECT_FALSE(flow["Dynamics"].contains("pacingVariation"));
  EXPECT_FALSE(flow["KeyEvents"].contains("climaxMoment"));
}

TEST(SpeechFlow, RumiAIFieldRulesOnAKnownResult) {
  SpeechResult s;
  s.has_audio = true;
  s.words_measured = true;
  // Segment 1: 0.5-2.5 s, 6 words; segment 2: 4.0-5.0 s, 3 words.
  s.segments = {{0.5, 2.5, "a b c d e f", 6}, {4.0, 5.0, "a g h", 3}};
  s.total_words = 9;
  s.unique_words = 8;
  s.speech_time_s = 3.0;
  s.speech_coverage = 0.3;
  s.silence_ratio = 0.7;
  s.words_per_minute = 180;
  s.time_to_first_word = 0.5;
  s.transcript = "a b c d e f a g h";
  AudioResult a;
  a.has_audio_energy = true;
  a.energy_windows = {{0, 4.992, 0.2, 1.0}, {4.992, 9.984, 0.1, 0.5}, {9.984, 10, 0.19, 0.95}};
  a.energy_variance = 0.002;
  a.climax_s = 1.234;
  a.burst_pattern = "front_loaded";
  const Json flow = speech_analysis_flow(s, &a, 10.0);
  const Json& core = flow["CoreMetrics"];
  EXPECT_EQ(core["totalWords"], 9);
  EXPECT_EQ(core["uniqueWords"], 8);
  EXPECT_DOUBLE_EQ(core["speechDensity"].get<double>(), 0.9);
  EXPECT_DOUBLE_EQ(core["vocabularyDiversity"].get<double>(), 0.89);
  EXPECT_DOUBLE_EQ(core["avgSegmentDuration"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(core["silenceRatio"].get<double>(), 0.7);
  EXPECT_DOUBLE_EQ(flow["KeyEvents"]["longestSegment"]["duration"].get<double>(), 2.0);
  EXPECT_EQ(flow["KeyEvents"]["longestSegment"]["timestamp"], "0-2s");
  EXPECT_DOUBLE_EQ(flow["KeyEvents"]["climaxMoment"]["timestamp"].get<double>(), 1.23);
  // 1-s windows, words prorated and truncated: [0,1): int(6*0.5/2)=1 over 0.5 s -> 120;
  // [1,2): 3 over 1 s -> 180; [2,3): int(1.5)=1 over 0.5 s -> 120; [3,4): 0; [4,5): 3 -> 180.
  const Json want = Json::array({120.0, 180.0, 120.0, 0.0, 180.0, 0.0, 0.0, 0.0, 0.0, 0.0});
  EXPECT_EQ(flow["Dynamics"]["wpmProgression"], want);
  const Json& bursts = flow["Dynamics"]["speechBursts"];
  ASSERT_EQ(bursts.size(), 2u);  // normalised > 0.9: the first and the last window
  EXPECT_EQ(bursts[0]["type"], "high_energy");
  EXPECT_DOUBLE_EQ(bursts[1]["energy"].get<double>(), 0.95);
  EXPECT_DOUBLE_EQ(bursts[0]["duration"].get<double>(), 4.99);
  EXPECT_EQ(flow["Dynamics"]["burstPattern"], "front_loaded");
}

TEST(SpeechFingerprint, ChangesWithTheModelAndSettings) {
  const SpeechOptions base;
  SpeechOptions o = base;
  o.lm = "/other.lm.bin";
  EXPECT_NE(speech_config_fingerprint(o), speech_config_fingerprint(base));
  o = base;
  o.vad_floor_dbfs = -40;
  EXPECT_NE(speech_config_fingerprint(o), speech_config_fingerprint(base));
  EXPECT_EQ(speech_config_fingerprint(base), speech_config_fingerprint(SpeechOptions{}));
}

TEST(SpeechRecognizer, MissingModelIsAClearError) {
  SpeechOptions o;
  o.hmm = "/nonexistent/model";
  try {
    SpeechRecognizer r(o);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/model"), std::string::npos) << e.what();
  }
}
