// Whether the recognised words are English speech rumi can count: espeak-ng says comparable
// sentences in English and in six other languages, ffmpeg makes music and a tone, and the
// recogniser's verdict (SpeechResult::language_status) must say English for English and "not
// English or unclear" / "no speech" otherwise, with word fields left out of the flow then.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>

#include "native/audio.h"
#include "native/speech.h"
#include "native/test_media.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using namespace rumi;
using namespace rumi::native;
namespace media = rumi::test::media;

namespace {

constexpr int kRate = kAnalysisSampleRate;

struct Clip {
  SpeechResult speech;
  AudioResult audio;
  double duration = 0;
};

Clip analyse(const std::vector<float>& x) {
  SpeechRecognizer rec;
  AudioAnalyzer au;
  ::rumi::test::media::feed_blocks(x, 1600, [&](const AudioView& v) {
    rec.add(v);
    au.add(v);
  });
  Clip r;
  r.duration = static_cast<double>(x.size()) / kRate;
  r.speech = rec.finish(r.duration);
  r.audio = au.finish(r.duration);
  return r;
}

// espeak-ng saying `text` with `voice` at `wpm`, placed 0.5 s into silence with 0.5 s after it,
// as 16 kHz mono floats read back by the ffmpeg CLI.
std::vector<float> spoken(const std::string& voice, int wpm, const std::string& text) {
  const fs::path wav =
      media::make_cached({media::espeak_path(), "-v", voice, "-s", std::to_string(wpm), "-w", "{out}", text}, "wav");
  return media::read_f32(wav, "adelay=500:all=1,apad=pad_dur=0.5");
}

std::vector<float> lavfi(const std::string& graph) {
  const fs::path wav =
      media::make_cached({media::ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", graph,
                          "-ac", "1", "-ar", "16000", "-c:a", "pcm_f32le", "{out}"},
                         "wav");
  return media::read_f32(wav);
}

// Comparable short sentences (about 3-4 s at espeak's default pace), the kind of thing said in a
// short video.
const std::map<std::string, std::vector<std::string>> kSentences{
    {"en",
     {"today I will show you how to make a simple pasta dinner",
      "stop scrolling right now because this trick will save you money",
      "my favourite coffee shop opens early every morning", "here are three things I wish I knew before moving abroad",
      "follow for more easy recipes and travel tips", "this is the best way to clean your kitchen in five minutes",
      "we tried every burger in the city so you do not have to",
      "let me tell you a secret about saving money on groceries"}},
    {"de",
     {"heute zeige ich euch wie man ein einfaches Nudelgericht kocht",
      "hör sofort auf zu scrollen denn dieser Trick spart dir Geld", "mein liebstes Café öffnet jeden Morgen sehr früh",
      "hier sind drei Dinge die ich vor dem Umzug gern gewusst hätte",
      "folge mir für mehr einfache Rezepte und Reisetipps", "so putzt du deine Küche in nur fünf Minuten"}},
    {"es",
     {"hoy os enseño cómo preparar una cena de pasta muy sencilla",
      "deja de deslizar ahora mismo porque este truco te ahorra dinero",
      "mi cafetería favorita abre muy temprano todas las mañanas",
      "aquí tienes tres cosas que ojalá hubiera sabido antes de mudarme",
      "sígueme para más recetas fáciles y consejos de viaje", "así se limpia la cocina en solo cinco minutos"}},
    {"fr",
     {"aujourd'hui je vous montre comment faire un dîner de pâtes très simple",
      "arrête de défiler tout de suite car cette astuce te fait économiser",
      "mon café préféré ouvre très tôt chaque matin", "voici trois choses que j'aurais aimé savoir avant de déménager",
      "abonne toi pour plus de recettes faciles et de conseils de voyage",
      "voici comment nettoyer ta cuisine en cinq minutes"}},
    {"it",
     {"oggi vi mostro come preparare una cena di pasta semplicissima",
      "smetti subito di scorrere perché questo trucco ti fa risparmiare",
      "il mio bar preferito apre molto presto ogni mattina",
      "ecco tre cose che avrei voluto sapere prima di trasferirmi",
      "seguimi per altre ricette facili e consigli di viaggio", "ecco come pulire la cucina in cinque minuti"}},
    {"pl",
     {"dzisiaj pokażę wam jak zrobić prosty obiad z makaronem",
      "przestań przewijać bo ten trik pozwoli ci zaoszczędzić pieniądze",
      "moja ulubiona kawiarnia otwiera się codziennie bardzo wcześnie",
      "oto trzy rzeczy które chciałbym wiedzieć przed przeprowadzką",
      "obserwuj mnie po więcej prostych przepisów i porad", "tak posprzątasz kuchnię w pięć minut"}},
    {"fi",
     {"tänään näytän miten tehdään helppo pastaillallinen", "lopeta selaaminen heti koska tämä niksi säästää rahaa",
      "lempikahvilani aukeaa joka aamu todella aikaisin",
      "tässä kolme asiaa jotka olisin halunnut tietää ennen muuttoa",
      "seuraa minua saadaksesi lisää helppoja reseptejä", "näin siivoat keittiön viidessä minuutissa"}},
};

void print_evidence(const std::string& label, const SpeechResult& s) {
  const SpeechEvidence& e = s.evidence;
  std::printf(
      "CAL %-14s status=%-24s words=%2d voiced=%.2f wshare=%.2f noise=%.2f wps=%.2f ascr=%.2f lscr=%.2f lp=%.2f "
      "short=%.2f post=%.2f gap=%.3f | %s\n",
      label.c_str(), s.language_status.c_str(), static_cast<int>(s.words.size()), e.voiced_s, e.word_share,
      e.noise_share, e.words_per_voiced_s, e.mean_ascr_per_frame, e.mean_lscr_per_word, e.logprob_per_s,
      e.short_word_share, e.mean_posterior, e.phone_gap_per_frame, s.transcript.c_str());
}

}  // namespace

// The calibration table behind the rule in speech.h (RUMI_SPEECH_CALIBRATE=1; slow, about a
// minute): every sentence of every language and speed, music and a tone, with the evidence.
TEST(SpeechLanguage, CalibrationTable) {
  if (std::getenv("RUMI_SPEECH_CALIBRATE") == nullptr) GTEST_SKIP() << "set RUMI_SPEECH_CALIBRATE=1 to print the table";
  RUMI_REQUIRE_SPEECH_TOOLS();
  for (const auto& [lang, sentences] : kSentences) {
    std::vector<std::pair<std::string, int>> voices{{lang, 175}};
    if (lang == "en") voices = {{"en-us", 150}, {"en-us", 190}, {"en", 130}, {"en", 175}};
    for (const auto& [voice, wpm] : voices)
      for (std::size_t i = 0; i < sentences.size(); ++i)
        print_evidence(voice + "/" + std::to_string(wpm) + "/" + std::to_string(i),
                       analyse(spoken(voice, wpm, sentences[i])).speech);
  }
  print_evidence("tone", analyse(lavfi("sine=frequency=440:sample_rate=16000:duration=4")).speech);
  print_evidence("chords", analyse(lavfi("aevalsrc='0.2*sin(2*PI*261.6*t)+0.2*sin(2*PI*329.6*t)+0.2*sin(2*PI*392*t)*(1+"
                                         "0.5*sin(2*PI*2*t))':s=16000:d=4"))
                               .speech);
  print_evidence("melody+drums", analyse(lavfi("aevalsrc='0.3*sin(2*PI*(330+110*floor(mod(2*t\\,4)))*t)+0.5*random(0)*"
                                               "exp(-30*mod(t\\,0.5))':s=16000:d=4"))
                                     .speech);
}

namespace {

const std::string& sentence(const std::string& lang, std::size_t i) { return kSentences.at(lang).at(i); }

std::string language_of(const Clip& r) { return r.speech.language_status; }

// Word fields are left out, the activity is written, and the flow says why.
void expect_words_left_out(const Clip& r) {
  const Json flow = speech_analysis_flow(r.speech, &r.audio, r.duration);
  const Json& core = flow["CoreMetrics"];
  for (const char* f : {"totalWords", "uniqueWords", "wordsPerMinute", "speechDensity", "timeToFirstWord"})
    EXPECT_FALSE(core.contains(f)) << f;
  EXPECT_FALSE(flow["Dynamics"].contains("wpmProgression"));
  EXPECT_FALSE(flow.contains("Patterns"));
  EXPECT_EQ(flow["languageStatus"], r.speech.language_status);
  EXPECT_FALSE(flow["languageNote"].get<std::string>().empty());
  EXPECT_TRUE(r.speech.transcript.empty());
  EXPECT_EQ(r.speech.total_words, 0);
}

}  // namespace

namespace {

void expect_english(const std::string& voice, int wpm, std::size_t i) {
  const Clip r = analyse(spoken(voice, wpm, sentence("en", i)));
  SCOPED_TRACE(voice + " " + std::to_string(wpm) + ": " + r.speech.transcript);
  EXPECT_EQ(language_of(r), "english") << r.speech.not_measured_reason;
  ASSERT_TRUE(r.speech.words_measured);
  const int truth = media::word_count(sentence("en", i));
  EXPECT_NEAR(r.speech.total_words, truth, 0.4 * truth);
  const Json flow = speech_analysis_flow(r.speech, &r.audio, r.duration);
  EXPECT_EQ(flow["CoreMetrics"]["totalWords"], r.speech.total_words);
  EXPECT_FALSE(flow.contains("languageStatus"));
  EXPECT_FALSE(flow.contains("languageNote"));
}

// Returns whether the clip was judged not English; then its flow must leave the words out and
// measure the activity (espeak's voice starts about 0.5 s in and fills most of the clip).
bool judged_not_english(const std::string& lang, std::size_t i) {
  const Clip r = analyse(spoken(lang, 175, sentence(lang, i)));
  SCOPED_TRACE(lang + ": " + r.speech.transcript + " / " + r.speech.not_measured_reason);
  EXPECT_NE(language_of(r), "no_speech");  // it is speech
  if (language_of(r) != "not_english_or_unclear") return false;
  expect_words_left_out(r);
  const Json flow = speech_analysis_flow(r.speech, &r.audio, r.duration);
  const Json& core = flow["CoreMetrics"];
  EXPECT_NEAR(core["timeToFirstVoice"].get<double>(), 0.5, 0.3);
  EXPECT_GT(core["speechCoverage"].get<double>(), 0.5);
  EXPECT_NEAR(core["silenceRatio"].get<double>(), 1.0 - core["speechCoverage"].get<double>(), 0.011);
  return true;
}

}  // namespace

TEST(SpeechLanguage, AmericanEnglishIsEnglish) {
  RUMI_REQUIRE_SPEECH_TOOLS();
  expect_english("en-us", 150, 0);
  expect_english("en-us", 190, 4);
}

TEST(SpeechLanguage, BritishEnglishIsEnglish) {
  RUMI_REQUIRE_SPEECH_TOOLS();
  expect_english("en", 175, 5);
  expect_english("en", 130, 3);
}

// German and Italian are what the rule catches best (speech.h's table); Spanish, Polish, French
// and Finnish mostly pass as English, which the table states rather than tests.
TEST(SpeechLanguage, GermanIsNotEnglish) {
  RUMI_REQUIRE_SPEECH_TOOLS();
  const int n = int{judged_not_english("de", 1)} + int{judged_not_english("de", 3)};
  EXPECT_GE(n, 1);
}

TEST(SpeechLanguage, ItalianIsNotEnglish) {
  RUMI_REQUIRE_SPEECH_TOOLS();
  const int n = int{judged_not_english("it", 3)} + int{judged_not_english("it", 5)};
  EXPECT_GE(n, 1);
}

TEST(SpeechLanguage, MusicAndAToneAreNotSpeech) {
  RUMI_REQUIRE_SPEECH_TOOLS();
  const std::vector<std::string> graphs{
      "sine=frequency=440:sample_rate=16000:duration=4",
      "aevalsrc='0.2*sin(2*PI*261.6*t)+0.2*sin(2*PI*329.6*t)+0.2*sin(2*PI*392*t)*(1+0.5*sin(2*PI*2*t))':s=16000:d=4",
      "aevalsrc='0.3*sin(2*PI*(330+110*floor(mod(2*t\\,4)))*t)+0.5*random(0)*exp(-30*mod(t\\,0.5))':s=16000:d=4"};
  for (const auto& g : graphs) {
    const Clip r = analyse(lavfi(g));
    SCOPED_TRACE(g + ": " + r.speech.transcript);
    EXPECT_EQ(language_of(r), "no_speech");
    EXPECT_FALSE(r.speech.words_measured);
    EXPECT_GT(r.speech.voice_activity_s, 3.0);  // there is sound
    expect_words_left_out(r);
    EXPECT_FALSE(speech_analysis_flow(r.speech, &r.audio, r.duration)["CoreMetrics"].contains("speechCoverage"));
  }
}

TEST(SpeechLanguage, SilenceAndNoAudio) {
  if (!::rumi::test::media::have_speech_model())
    GTEST_SKIP() << "needs the pocketsphinx-en-us model (" << SpeechOptions{}.hmm << ")";
  EXPECT_EQ(analyse(std::vector<float>(2 * kRate, 0.0f)).speech.language_status, "silent");
  EXPECT_EQ(analyse({}).speech.language_status, "no_audio");
}
