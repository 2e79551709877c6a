#include "synth/generator.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <set>

#include "core/enum_names.h"
#include "core/error.h"
#include "core/file_io.h"
#include "core/text.h"
#include "core/time_util.h"
#include "features/flows.h"

namespace rumi::synth {

namespace fs = std::filesystem;

namespace {

// Portable random draws (no libstdc++ distributions, so numbers match across platforms).
struct Draw {
  Rng rng;
  double u() { return uniform01(rng); }
  double u(double a, double b) { return a + (b - a) * u(); }
  int i(int a, int b) { return a + static_cast<int>(uniform_index(rng, static_cast<std::uint64_t>(b - a + 1))); }
  bool p(double prob) { return u() < prob; }
  double n() {
    const double u1 = std::max(u(), 1e-300), u2 = u();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[uniform_index(rng, v.size())];
  }
};

double rnd(double x, int digits) {
  const double f = std::pow(10.0, digits);
  return std::round(x * f) / f;
}
std::string span(int a, int b) { return std::to_string(a) + "-" + std::to_string(b) + "s"; }
std::string point(int a) { return std::to_string(a) + "s"; }

constexpr double kBaseEr = 6.5;
constexpr double kNoiseSd = 0.25;

// Standardisation constants of the generating distributions (see draw_latents).
constexpr double kTffMean = 3.9, kTffSd = 3.0;            // timeToFirstOverlay, seconds
constexpr double kLogDensMean = 1.386, kLogDensSd = 0.5;  // log(avgDensity)
constexpr double kWpmMean = 150, kWpmSd = 35;
constexpr double kFaceMean = 0.515, kFaceSd = 0.27;
constexpr double kEyeMean = 0.45, kEyeSd = 0.26;

struct Video {
  int index = 0;
  std::string id;
  Bucket bucket = Bucket::s0_15;
  int duration = 10;
  std::int64_t created = 0;
  // creative latents, as written to the flow files
  bool has_overlays = true;
  double time_to_first_overlay = 0;
  bool hook = false;
  double avg_density = 0;  // realised from the density curve
  bool has_speech = true;
  double wpm = 0;
  double face_vis = 0;
  double eye = 0;
  bool caption_cta = false;
  int scenes = 1;
  // outcome
  double er = 0;
  std::int64_t views = 0, likes = 0, comments = 0, shares = 0, saves = 0;
  std::int64_t fans = 0;
  std::string author;
  std::string caption;
  std::vector<std::string> hashtags;
  bool question = false, exclamation = false, mention = false, emoji = false, link = false;
};

const std::vector<std::string> kAuthors = {"greenplate",  "dailyfuel",  "mealprepmia", "coachdan",    "herbalhouse",
                                           "fitwithlena", "kitchenkid", "proteinpete", "veggievibes", "nutrinerd"};
const std::vector<std::string> kWords = {"easy",  "healthy", "recipe",  "protein", "breakfast", "snack",  "tips",
                                         "gut",   "energy",  "meal",    "prep",    "sugar",     "fiber",  "lunch",
                                         "quick", "habits",  "science", "myth",    "truth",     "morning"};
const std::vector<std::string> kTags = {"nutrition", "healthyfood", "mealprep", "fyp",       "foryou", "viral",
                                        "guthealth", "protein",     "wellness", "dietitian", "recipe"};
const std::vector<std::string> kEmotions = {"joy", "sadness", "anger", "fear", "disgust", "surprise", "neutral"};
const std::vector<std::string> kCtaTypes = {"buy",       "shop",    "click", "link",  "follow",
                                            "subscribe", "comment", "share", "order", "get"};

}  // namespace

constexpr EnumName<EffectDirection> kEffectDirectionNames[] = {
    {EffectDirection::higher_is_better, "higher_is_better"},
    {EffectDirection::lower_is_better, "lower_is_better"},
    {EffectDirection::present_is_better, "present_is_better"},
    {EffectDirection::interaction, "interaction"}};

std::string_view effect_direction_name(EffectDirection d) { return name_of(kEffectDirectionNames, d); }

const std::vector<PlantedEffect>& planted_effects() {
  static const std::vector<PlantedEffect> effects = {
      {"overlay.timeToFirstOverlay", "visual_overlay_analysis.CoreMetrics.timeToFirstOverlay", Bucket::s0_15,
       EffectDirection::lower_is_better, 0.35, "", "early text hook matters in short videos"},
      {"overlay.timeToFirstOverlay", "visual_overlay_analysis.CoreMetrics.timeToFirstOverlay", Bucket::s16_30,
       EffectDirection::lower_is_better, 0.30, "", ""},
      {"density.avgDensity", "creative_density.CoreMetrics.avgDensity", Bucket::s0_15,
       EffectDirection::higher_is_better, 0.35, "", "busy visuals win in 0-15s (log scale)"},
      {"density.avgDensity", "creative_density.CoreMetrics.avgDensity", Bucket::s61_90,
       EffectDirection::lower_is_better, 0.35, "", "opposite of 0-15s: calm visuals win in 61-90s"},
      {"speech.wordsPerMinute", "speech_analysis.CoreMetrics.wordsPerMinute", Bucket::s31_60,
       EffectDirection::higher_is_better, 0.40, "", "only in 31-60s"},
      {"framing.faceVisibilityRate", "person_framing.CoreMetrics.faceVisibilityRate", Bucket::s16_30,
       EffectDirection::higher_is_better, 0.25, "", ""},
      {"framing.faceVisibilityRate", "person_framing.CoreMetrics.faceVisibilityRate", Bucket::s31_60,
       EffectDirection::higher_is_better, 0.25, "", ""},
      {"framing.faceVisibilityRate", "person_framing.CoreMetrics.faceVisibilityRate", Bucket::s91_120,
       EffectDirection::higher_is_better, 0.35, "", ""},
      {"density.structuralFlags.strongOpeningHook", "creative_density.Patterns.structuralFlags.strongOpeningHook",
       Bucket::s61_90, EffectDirection::present_is_better, 0.40, "", "flag: +0.40 log-ER when present"},
      {"density.structuralFlags.strongOpeningHook", "creative_density.Patterns.structuralFlags.strongOpeningHook",
       Bucket::s91_120, EffectDirection::present_is_better, 0.40, "", "flag: +0.40 log-ER when present"},
      {"meta.ctaFeatures.hasCTA", "metadata_analysis.Patterns.ctaFeatures.hasCTA", Bucket::s16_30,
       EffectDirection::interaction, 0.5, "framing.eyeContactRate",
       "caption call to action helps only with eye contact: +0.5 * hasCTA * z(eyeContactRate)"},
  };
  return effects;
}

namespace {

double signal(const Video& v) {
  const double z_tff = (v.time_to_first_overlay - kTffMean) / kTffSd;
  const double z_dens = (std::log(std::max(v.avg_density, 0.05)) - kLogDensMean) / kLogDensSd;
  const double z_wpm = v.has_speech ? (v.wpm - kWpmMean) / kWpmSd : 0.0;
  const double z_face = (v.face_vis - kFaceMean) / kFaceSd;
  const double z_eye = (v.eye - kEyeMean) / kEyeSd;
  double s = 0;
  for (const auto& e : planted_effects()) {
    if (e.bucket != v.bucket) continue;
    if (e.feature == "overlay.timeToFirstOverlay")
      s -= e.effect_size * z_tff;
    else if (e.feature == "density.avgDensity")
      s += (e.direction == EffectDirection::higher_is_better ? 1 : -1) * e.effect_size * z_dens;
    else if (e.feature == "speech.wordsPerMinute")
      s += e.effect_size * z_wpm;
    else if (e.feature == "framing.faceVisibilityRate")
      s += e.effect_size * z_face;
    else if (e.feature == "density.structuralFlags.strongOpeningHook")
      s += v.hook ? e.effect_size : 0.0;
    else if (e.feature == "meta.ctaFeatures.hasCTA")
      s += v.caption_cta ? e.effect_size * z_eye : 0.0;
  }
  return s;
}

Bucket pick_bucket(Draw& d, const std::array<double, 5>& mix) {
  double total = 0;
  for (double m : mix) total += std::max(0.0, m);
  double x = d.u() * total;
  for (std::size_t b = 0; b < 5; ++b) {
    x -= std::max(0.0, mix[b]);
    if (x < 0) return kAllBuckets[b];
  }
  return Bucket::s91_120;
}

void draw_video(Draw& d, const SynthOptions& o, Video& v) {
  v.bucket = pick_bucket(d, o.bucket_mix);
  static constexpr std::array<std::pair<int, int>, 5> kRange = {{{6, 15}, {16, 30}, {31, 60}, {61, 90}, {91, 120}}};
  const auto [lo, hi] = kRange[static_cast<int>(v.bucket)];
  v.duration = d.i(lo, hi);
  v.created = o.created_from_unix + static_cast<std::int64_t>(d.u() * o.created_span_days * 86400.0);
  v.has_overlays = d.p(0.88);
  v.time_to_first_overlay = v.has_overlays
                                ? rnd(d.p(0.5) ? d.u(0.0, 2.5) : d.u(3.0, std::min(12.0, v.duration - 1.0)), 2)
                                : static_cast<double>(v.duration);
  v.hook = d.p(0.4);
  v.avg_density = std::exp(kLogDensMean + kLogDensSd * d.n());  // target; realised later
  v.has_speech = d.p(0.93);
  v.wpm = v.has_speech ? rnd(std::clamp(kWpmMean + kWpmSd * d.n(), 60.0, 260.0), 1) : 0.0;
  v.face_vis = d.p(0.05) ? 0.0 : rnd(d.u(0.05, 0.98), 2);
  v.eye = v.face_vis == 0 ? 0.0 : rnd(d.u(0.0, 0.9), 2);
  v.caption_cta = d.p(0.45);
  v.scenes = 1 + static_cast<int>(std::round(v.duration * d.u(0.05, 0.6)));
  v.author = d.pick(kAuthors) + std::to_string(d.i(1, 99));
  v.fans = d.p(0.06) ? d.i(1'100'000, 9'000'000)
                     : static_cast<std::int64_t>(std::exp(d.u(std::log(800.0), std::log(900000.0))));
  // caption
  const int words = d.i(3, 14);
  for (int w = 0; w < words; ++w) v.caption += (w ? " " : "") + d.pick(kWords);
  v.question = d.p(0.25);
  v.exclamation = !v.question && d.p(0.3);
  if (v.question) v.caption += "?";
  if (v.exclamation) v.caption += "!";
  if (v.caption_cta) v.caption += d.p(0.5) ? " follow for more" : " comment below";
  v.mention = d.p(0.15);
  if (v.mention) v.caption += " @" + d.pick(kAuthors);
  v.emoji = d.p(0.4);
  if (v.emoji) v.caption += " \xF0\x9F\x8C\xBF";  // U+1F33F
  v.link = d.p(0.05);
  if (v.link) v.caption += " https://example.com/shop";
  const int tags = d.i(0, 6);
  std::set<std::string> seen;
  std::string hashtag = o.hashtag;
  if (!hashtag.empty() && hashtag[0] == '#') hashtag.erase(0, 1);
  if (!hashtag.empty()) {
    v.hashtags.push_back(hashtag);
    seen.insert(hashtag);
  }
  for (int t = 0; t < tags; ++t) {
    const std::string& tag = d.pick(kTags);
    if (seen.insert(tag).second) v.hashtags.push_back(tag);
  }
  for (const auto& t : v.hashtags) v.caption += " #" + t;
}

void realise_outcome(Draw& d, Video& v, bool plant) {
  const double er = std::clamp(kBaseEr * std::exp((plant ? signal(v) : 0.0) + kNoiseSd * d.n()), 0.8, 40.0);
  v.views = std::max<std::int64_t>(1500, static_cast<std::int64_t>(std::exp(std::log(60000.0) + 1.0 * d.n())));
  const double interactions = er / 100.0 * static_cast<double>(v.views);
  v.shares = static_cast<std::int64_t>(std::round(interactions * d.u(0.10, 0.18)));
  v.comments = static_cast<std::int64_t>(std::round(interactions * d.u(0.02, 0.06)));
  v.likes = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::round(interactions)) - v.shares - v.comments);
  v.saves = static_cast<std::int64_t>(std::round(interactions * d.u(0.05, 0.2)));
  v.er = static_cast<double>(v.likes + v.comments + v.shares) / static_cast<double>(v.views) * 100.0;
}

// ---- flows (generic block names; the writer adds prefixes for the _result / flat layouts) ----

std::string level(double x, double avg) {
  if (x <= 0) return "none";
  if (x < 0.5 * avg) return "low";
  if (x < 1.5 * avg) return "medium";
  return "high";
}

// One video's per-second element counts and their summary statistics.
struct DensityCurve {
  int D = 0;
  std::vector<int> curve;
  double total = 0, mx = 0, mn = 1e9, nonzero = 0, avg = 0, sd = 0;

  double third_mean(int k) const {
    double s = 0;
    int n = 0;
    for (int i = k * D / 3; i < (k + 1) * D / 3; ++i) {
      s += curve[i];
      ++n;
    }
    return n ? s / n : 0.0;
  }
  double first() const { return third_mean(0); }
  double last() const { return third_mean(2); }
};

DensityCurve draw_density_curve(Draw& d, const Video& v) {
  DensityCurve c;
  const int D = c.D = v.duration;
  c.curve.resize(D);
  for (int s = 0; s < D; ++s) {
    const double shape = v.hook ? (s < 3 ? 1.9 : 0.85) : (s < 3 ? 0.7 : 1.05);
    const double x = v.avg_density * shape * std::exp(0.35 * d.n());
    c.curve[s] = d.p(0.1) ? 0 : static_cast<int>(std::round(x));
  }
  for (int x : c.curve) {
    c.total += x;
    c.mx = std::max<double>(c.mx, x);
    c.mn = std::min<double>(c.mn, x);
    c.nonzero += x > 0;
  }
  c.avg = c.total / D;
  double var = 0;
  for (int x : c.curve) var += (x - c.avg) * (x - c.avg);
  c.sd = std::sqrt(var / D);
  return c;
}

struct ElementSplit {
  int object = 0, gesture = 0, expression = 0, text = 0;
};

ElementSplit draw_element_split(Draw& d, double total) {
  ElementSplit e;
  e.object = static_cast<int>(std::round(total * d.u(0.55, 0.8)));
  e.gesture = 2 * static_cast<int>(std::round(total * d.u(0.0, 0.04) / 2));
  e.expression = static_cast<int>(std::round(total * d.u(0.0, 0.06)));
  e.text = std::max(0, static_cast<int>(total) - e.object - e.gesture - e.expression);
  return e;
}

std::string acceleration_pattern(const DensityCurve& c) {
  const double first = c.first(), last = c.last();
  return first > 1.2 * last             ? "front_loaded"
         : last > 1.2 * first           ? "back_loaded"
         : c.sd / (c.avg + 0.001) > 0.8 ? "oscillating"
                                        : "even";
}

Json density_core(const DensityCurve& c, const ElementSplit& e, const Video& v) {
  return {{"avgDensity", c.avg},
          {"maxDensity", c.mx},
          {"minDensity", c.mn},
          {"stdDeviation", c.sd},
          {"totalElements", static_cast<int>(c.total)},
          {"elementsPerSecond", c.avg},
          {"elementCounts",
           {{"text", e.text},
            {"sticker", 0},
            {"transition", v.scenes - 1},
            {"object", e.object},
            {"gesture", e.gesture},
            {"expression", e.expression}}},
          {"sceneChangeCount", v.scenes - 1},
          {"timelineCoverage", c.nonzero / c.D},
          {"confidence", 0.95}};
}

Json density_dynamics(Draw& d, const DensityCurve& c, const std::string& accel) {
  Json dcurve = Json::array(), empty = Json::array();
  for (int s = 0; s < c.D && s < 100; ++s)
    dcurve.push_back({{"second", s},
                      {"density", c.curve[s]},
                      {"primaryElement", c.curve[s] == 0 ? "none" : (d.p(0.75) ? "object" : "text")}});
  for (int s = 0; s < c.D && empty.size() < 50; ++s)
    if (c.curve[s] == 0) empty.push_back(s);
  return {{"densityCurve", dcurve},       {"volatility", c.sd / (c.avg + 0.001)},
          {"accelerationPattern", accel}, {"densityProgression", "stable"},
          {"emptySeconds", empty},        {"confidence", 0.95}};
}

// Peak moments and multi-modal seconds, drawn in one pass over the seconds (the draw order is
// part of the seed's output).
struct Peaks {
  Json peaks = Json::array(), multimodal = Json::array();
  int multimodal_seconds = 0;
};

Peaks draw_peaks(Draw& d, const DensityCurve& c, int gesture) {
  Peaks p;
  for (int s = 0; s < c.D; ++s) {
    if (c.curve[s] > c.avg + c.sd && p.peaks.size() < 10)
      p.peaks.push_back(
          {{"timestamp", span(s, s + 1)},
           {"totalElements", c.curve[s]},
           {"surpriseScore", (c.curve[s] - c.avg) / (c.sd + 1e-9)},
           {"elementBreakdown", {{"text", d.i(0, 4)}, {"sticker", 0}, {"transition", 0}, {"scene_change", 0}}}});
    if (c.curve[s] > 1.5 * c.avg) {
      ++p.multimodal_seconds;
      if (p.multimodal.size() < 10)
        p.multimodal.push_back({{"timestamp", span(s, s + 1)},
                                {"elements", gesture > 0 ? Json{"gesture", "object", "text"} : Json{"object", "text"}},
                                {"syncType", d.p(0.6) ? "reinforcing" : "complementary"}});
    }
  }
  return p;
}

Json dead_zones(const DensityCurve& c) {
  Json dead = Json::array();
  for (int s = 0; s < c.D;) {
    if (c.curve[s] != 0) {
      ++s;
      continue;
    }
    int e = s;
    while (e < c.D && c.curve[e] == 0) ++e;
    if (e - s >= 2 && dead.size() < 5) dead.push_back({{"start", s}, {"end", e}, {"duration", e - s}});
    s = e;
  }
  return dead;
}

Json density_shifts(const DensityCurve& c) {
  std::vector<std::tuple<double, int, std::string, std::string>> sh;
  for (int s = 1; s < c.D; ++s) {
    const std::string a = level(c.curve[s - 1], c.avg), b = level(c.curve[s], c.avg);
    if (a != b) sh.emplace_back(std::abs(c.curve[s] - c.curve[s - 1]) / (c.mx + 1e-9), s, a, b);
  }
  std::stable_sort(sh.begin(), sh.end(), [](const auto& x, const auto& y) { return std::get<0>(x) > std::get<0>(y); });
  Json shifts = Json::array();
  for (std::size_t k = 0; k < sh.size() && k < 10; ++k)
    shifts.push_back({{"timestamp", std::get<1>(sh[k])},
                      {"from", std::get<2>(sh[k])},
                      {"to", std::get<3>(sh[k])},
                      {"magnitude", std::get<0>(sh[k])}});
  return shifts;
}

Json density_interactions(Draw& d, const DensityCurve& c, const ElementSplit& e, const Peaks& p) {
  Json cooc = Json::object();
  const int ot = static_cast<int>(std::round(c.nonzero * d.u(0.2, 0.8)));
  if (ot > 0) cooc["object_text"] = ot;
  if (e.gesture > 0) cooc["gesture_object"] = d.i(1, std::max(1, e.gesture / 2));
  if (e.expression > 0 && d.p(0.5)) cooc["expression_object"] = d.i(1, std::max(1, e.expression));
  std::string dominant = "none";
  int best = 0;
  for (const auto& [k, val] : cooc.items())
    if (val.get<int>() > best) {
      best = val.get<int>();
      dominant = k;
    }
  return {{"multiModalPeaks", p.multimodal},
          {"elementCooccurrence", cooc},
          {"dominantCombination", dominant},
          {"coordinationScore", static_cast<double>(p.multimodal_seconds) / c.D},
          {"confidence", 0.9}};
}

Json density_patterns(Draw& d, const DensityCurve& c, const Video& v, const std::string& accel) {
  const double first = c.first(), last = c.last(), avg = c.avg, sd = c.sd;
  char tag[32];
  std::snprintf(tag, sizeof tag, "avg_%.1f", avg);
  return {{"structuralFlags",
           {{"strongOpeningHook", v.hook},
            {"crescendoPattern", last > 1.2 * first},
            {"frontLoaded", first > 1.2 * last},
            {"consistentPacing", sd / (avg + 0.001) < 0.5},
            {"finalCallToAction", d.p(0.2)},
            {"rhythmicPattern", d.p(0.15)}}},
          {"densityClassification", avg < 1    ? "sparse"
                                    : avg <= 5 ? "moderate"
                                               : "dense"},
          {"pacingStyle", accel},
          {"cognitiveLoadCategory", avg < 2    ? "minimal"
                                    : avg <= 4 ? "optimal"
                                               : "challenging"},
          {"mlTags", {"density_computed", tag}},
          {"confidence", 0.85}};
}

// Every block is drawn from `d` in this order (curve, element split, dynamics, peaks,
// interactions, patterns), so the call order below is part of the seed's output.
Json creative_density(Draw& d, Video& v) {
  const DensityCurve c = draw_density_curve(d, v);
  v.avg_density = c.avg;
  const ElementSplit e = draw_element_split(d, c.total);
  const std::string accel = acceleration_pattern(c);
  const Json core = density_core(c, e, v);
  const Json dyn = density_dynamics(d, c, accel);
  const Peaks p = draw_peaks(d, c, e.gesture);
  const Json key = {{"peakMoments", p.peaks},
                    {"deadZones", dead_zones(c)},
                    {"densityShifts", density_shifts(c)},
                    {"confidence", 0.95}};
  const Json inter = density_interactions(d, c, e, p);
  const Json patterns = density_patterns(d, c, v, accel);
  const Json quality = {{"dataCompleteness", 0.95},
                        {"detectionReliability",
                         {{"textOverlay", 0.95},
                          {"sticker", 0.92},
                          {"transition", 0.85},
                          {"sceneChange", 0.85},
                          {"object", 0.88},
                          {"gesture", 0.87}}},
                        {"overallConfidence", 0.9}};
  return {{"CoreMetrics", core}, {"Dynamics", dyn},      {"Interactions", inter},
          {"KeyEvents", key},    {"Patterns", patterns}, {"Quality", quality}};
}

// Dense literal code kept as written: clang-format would put one field per line.
// clang-format off
Json visual_overlay(Draw& d, const Video& v) {
  const int D = v.duration;
  const int text = v.has_overlays ? std::max(1, static_cast<int>(std::round(D * d.u(0.15, 0.8)))) : 0;
  const int stickers = v.has_overlays && d.p(0.2) ? d.i(1, 4) : 0;
  const int total = text + stickers;
  const int unique = text ? std::max(1, static_cast<int>(std::round(text * d.u(0.5, 1.0)))) : 0;
  const double density = rnd(static_cast<double>(total) / D, 3);
  Json core = {{"totalOverlays", total}, {"totalTextOverlays", text}, {"totalStickers", stickers},
               {"uniqueOverlayCount", unique}, {"overlayDensity", density},
               {"uniqueOverlayRatio", text ? rnd(static_cast<double>(unique) / text, 3) : 0.0},
               {"timeToFirstOverlay", v.time_to_first_overlay}, {"avgOverlayDuration", text ? 1.0 : 0.0},
               {"overlayFrequency", rnd(static_cast<double>(total) / D * 60.0, 2)}, {"confidence", 0.92}};
  const int w = std::max(1, (D + 1) / 10);
  Json prog = Json::array(), peaks = Json::array(), quiet = Json::array();
  int best = -1;
  std::string climax;
  for (int a = 0; a < D; a += w) {
    const int b = a + w;
    int count = 0;
    if (text && b > v.time_to_first_overlay) count = std::min(w, static_cast<int>(std::round(w * density * d.u(0.4, 1.6))));
    prog.push_back({{"timestamp", span(a, b)}, {"overlayCount", count}, {"density", rnd(static_cast<double>(count) / w, 3)}});
    if (count == 0) quiet.push_back(span(a, b));
    if (count > best && count > 0) { best = count; climax = span(a, b); }
    if (count > 0 && count >= 0.8 * w) peaks.push_back({{"timestamp", span(a, b)}, {"overlayCount", count}, {"intensity", rnd(static_cast<double>(count) / w, 2)}});
  }
  static const std::vector<std::string> accel = {"stable", "accelerating", "decelerating"};
  const std::string acc = d.pick(accel);
  Json dyn = {{"overlayProgression", prog}, {"rhythmConsistency", rnd(0.6 * d.n(), 3)}, {"overlayAcceleration", acc},
              {"temporalDistribution", v.time_to_first_overlay < D / 3.0 && d.p(0.6) ? "front_loaded" : "balanced"},
              {"burstPatterns", text ? d.i(0, text) : 0}, {"confidence", 0.88}};
  Json moments = Json::array();
  for (int k = 0; k < std::min(5, text); ++k)
    moments.push_back({{"timestamp", point(std::min(D - 1, static_cast<int>(v.time_to_first_overlay) + k * 2))},
                       {"textContent", d.pick(kWords) + " " + d.pick(kWords)}, {"hasSpeech", v.has_speech && d.p(0.7)},
                       {"hasGesture", d.p(0.1)}});
  Json inter = {{"overlaySpeechAlignment", rnd(v.has_speech ? d.u(0.2, 1.0) : 0.0, 3)},
                {"overlayGestureSync", rnd(d.u(0.0, 0.2), 3)},
                {"multimodalReinforcementCount", text ? d.i(0, text) : 0}, {"multimodalMoments", moments},
                {"crossModalCoherence", rnd(d.u(0.0, 0.8), 3)}, {"confidence", 0.85}};
  Json ctas = Json::array();
  if (text && d.p(0.3)) {
    const int n = d.i(1, 3);
    for (int k = 0; k < n; ++k) {
      const std::string& type = d.pick(kCtaTypes);
      ctas.push_back({{"timestamp", point(d.i(0, D - 1))}, {"ctaType", type}, {"textContent", type + " now"}});
    }
  }
  Json key = {{"overlayPeaks", peaks}, {"ctaMoments", ctas},
              {"climaxMoment", climax.empty() ? Json(nullptr) : Json(climax)}, {"quietMoments", quiet}, {"confidence", 0.9}};
  Json techniques = Json::array();
  if (!ctas.empty()) techniques.push_back("direct_cta");
  if (d.p(0.3)) techniques.push_back("rhythmic_timing");
  if (acc != "stable") techniques.push_back("dynamic_pacing");
  if (text && d.p(0.5)) techniques.push_back("multimodal_reinforcement");
  Json patterns = {{"overlayStrategy", density <= 0.5 ? "minimal" : density > 1 ? "heavy" : "moderate"},
                   {"overlayTechniques", techniques},
                   {"engagementArchetype", !ctas.empty() ? "conversion_focused" : d.p(0.5) ? "informational" : "attention_grabbing"},
                   {"pacingPattern", acc}, {"contentFocus", !ctas.empty() ? "product_focused" : "informational"},
                   {"confidence", 0.87}};
  Json missing = Json::array();
  if (!text) missing.push_back("no_overlays_detected");
  else if (unique < 3) missing.push_back("low_text_variety");
  Json quality = {{"detectionConfidence", text ? 0.95 : 0.85}, {"dataCompleteness", text ? 1.0 : 0.5},
                  {"analysisReliability", text ? "high" : "low"}, {"missingDataPoints", missing},
                  {"timelineCoverage", rnd(static_cast<double>(text) / D, 2)}, {"overallConfidence", text ? 0.95 : 0.5}};
  return {{"CoreMetrics", core}, {"Dynamics", dyn}, {"Interactions", inter}, {"KeyEvents", key},
          {"Patterns", patterns}, {"Quality", quality}};
}
// clang-format on

// Dense literal code kept as written: clang-format would put one field per line.
// clang-format off
Json emotional_journey(Draw& d, const Video& v) {
  const int D = v.duration;
  const bool data = v.face_vis > 0.2;
  const int w = std::max(1, D / 10);
  Json prog = Json::array(), peaks = Json::array(), transitions = Json::array(), contrasts = Json::array();
  std::set<std::string> seen;
  std::string prev;
  int changes = 0;
  double intensity_sum = 0;
  for (int a = 0; a < D; a += w) {
    const std::string emo = data ? (d.p(0.6) ? "neutral" : d.pick(kEmotions)) : "neutral";
    const double inten = data ? rnd(d.u(0.3, 0.95), 2) : 0.0;
    intensity_sum += inten;
    prog.push_back({{"timestamp", span(a, a + w)}, {"emotion", emo}, {"intensity", inten}});
    seen.insert(emo);
    if (!prev.empty() && emo != prev) {
      ++changes;
      if (transitions.size() < 3) transitions.push_back({{"timestamp", point(a)}, {"fromEmotion", prev}, {"toEmotion", emo}});
      if (contrasts.size() < 2 && d.p(0.4)) contrasts.push_back({{"timestamp", span(a, a + w)}, {"fromEmotion", prev}, {"toEmotion", emo}});
    }
    if (data && inten > 0.85 && peaks.size() < 3) peaks.push_back({{"timestamp", point(a)}, {"emotion", emo}, {"intensity", inten}});
    prev = emo;
  }
  const int unique = static_cast<int>(seen.size());
  const double diversity = rnd((unique - 1) / 6.0, 2);
  Json core = {{"uniqueEmotions", unique}, {"emotionTransitions", changes},
               {"dominantEmotion", data ? (d.p(0.6) ? "neutral" : d.pick(kEmotions)) : "neutral"},
               {"emotionalDiversity", diversity == 0 ? Json(0) : Json(diversity)},
               {"gestureEmotionAlignment", data ? Json(rnd(d.u(0, 0.6), 2)) : Json(0)},
               {"audioEmotionAlignment", 0.0}, {"captionSentiment", "neutral"},
               {"emotionalIntensity", data ? Json(rnd(intensity_sum / prog.size(), 2)) : Json(0)}, {"confidence", 0.85}};
  const double smooth = rnd(1.0 - static_cast<double>(changes) / std::max<std::size_t>(1, prog.size()), 2);
  Json dyn = {{"emotionProgression", prog}, {"transitionSmoothness", smooth},
              {"emotionalArc", changes > 3 ? "dynamic" : changes > 0 ? "evolving" : "stable"},
              {"peakEmotionMoments", peaks}, {"stabilityScore", smooth}, {"tempoEmotionSync", 0.0}, {"confidence", 0.8}};
  Json inter = {{"gestureReinforcement", data ? Json(rnd(d.u(0, 0.5), 2)) : Json(0)},
                {"multimodalCoherence", data ? Json(rnd(d.u(0, 0.7), 2)) : Json(0)},
                {"emotionalContrastMoments", contrasts}, {"confidence", 0.75}};
  Json epeaks = Json::array();
  for (std::size_t k = 0; k < peaks.size() && k < 2; ++k) epeaks.push_back(peaks[k]);
  Json key = {{"emotionalPeaks", epeaks}, {"transitionPoints", transitions},
              {"climaxMoment", peaks.empty() ? Json(nullptr) : peaks[0]["timestamp"]},
              {"resolutionMoment", D > 10 ? Json(point(D - 5)) : Json(nullptr)}, {"confidence", 0.88}};
  const std::string pacing = changes > 3 ? "dynamic_pacing" : changes > 0 ? "gradual_build" : "steady_state";
  Json techniques = {"steady_state"};
  if (unique > 2) techniques.push_back("emotional_variety");
  if (data && d.p(0.3)) techniques.push_back("gesture_reinforcement");
  Json patterns = {{"journeyArchetype", seen.count("surprise") ? "positive_journey" : changes > 3 ? "complex_journey"
                                        : changes > 0 ? "discovery" : "steady_state"},
                   {"emotionalTechniques", techniques}, {"pacingStrategy", pacing}, {"engagementHooks", epeaks},
                   {"viewerJourneyMap", pacing}, {"confidence", 0.82}};
  Json missing = Json::array();
  if (!data) missing.push_back("no_emotions_detected");
  else if (unique < 2) missing.push_back("limited_emotional_range");
  Json quality = {{"detectionConfidence", data ? rnd(d.u(0.6, 0.95), 2) : 0.5},
                  {"timelineCoverage", data ? rnd(v.face_vis, 2) : 0.0},
                  {"emotionalDataCompleteness", data ? rnd(d.u(0.5, 1.0), 2) : 0.0},
                  {"analysisReliability", data ? "high" : "low"}, {"missingDataPoints", missing},
                  {"overallConfidence", data ? rnd(d.u(0.5, 0.9), 2) : 0.17}};
  return {{"CoreMetrics", core}, {"Dynamics", dyn}, {"Interactions", inter}, {"KeyEvents", key},
          {"Patterns", patterns}, {"Quality", quality}};
}
// clang-format on

Json person_framing(Draw& d, const Video& v) {
  const int D = v.duration;
  const bool person = v.face_vis > 0;
  Json prog = Json::array();
  if (person) {
    static const std::vector<std::string> types = {"close", "medium", "wide", "none"};
    int t = 0;
    while (t < D) {
      const int len = std::min(D - t, d.i(2, std::max(2, D / 2)));
      prog.push_back({{"type", d.pick(types)}, {"start", t}, {"end", t + len}, {"duration", len}});
      t += len;
    }
  } else {
    prog.push_back({{"type", "none"}, {"start", 0}, {"end", D}, {"duration", D}});
  }
  const int subjects = person ? (d.p(0.8) ? 1 : d.i(2, 3)) : 1;
  static const std::vector<std::string> gaze = {"high", "medium", "low"};
  Json core = {{"primarySubject", subjects > 1 ? "multiple" : "single"},
               {"averageFaceSize", person ? Json(d.u(3.0, 40.0)) : Json(0)},
               {"faceVisibilityRate", v.face_vis},
               {"framingConsistency", 0},
               {"subjectCount", subjects},
               {"dominantFraming", "medium"},
               {"eyeContactRate", v.eye}};
  Json dyn = {{"gazeSteadiness", person ? d.pick(gaze) : "unknown"},
              {"framingProgression", prog},
              {"distanceVariation", 0},
              {"framingTransitions", 0},
              {"movementPattern", "static"},
              {"stabilityScore", 0.8}};
  Json inter = {{"multiPersonDynamics", Json::object()},
                {"speakerFraming", Json::object()},
                {"interactionZones", Json::array()},
                {"socialDistance", "personal"}};
  Json key = {{"closeUpMoments", Json::array()},
              {"groupShots", Json::array()},
              {"framingChanges", person ? Json(static_cast<int>(prog.size()) - 1) : Json::array()},
              {"keySubjectMoments", Json::array()}};
  Json patterns = {{"framingDistribution", {{"extreme_close", 0}, {"close", 0.2}, {"medium", 0.6}, {"full", 0.2}}},
                   {"compositionRule", "center"},
                   {"cinematicStyle", "casual"},
                   {"framingTechnique", "standard"}};
  Json quality = {{"compositionScore", 0.7},
                  {"framingAppropriate", 0.8},
                  {"visualEngagement", 0.75},
                  {"professionalLevel", 0.6},
                  {"overallScore", 0.72}};
  return {{"CoreMetrics", core}, {"Dynamics", dyn},      {"Interactions", inter},
          {"KeyEvents", key},    {"Patterns", patterns}, {"Quality", quality}};
}

Json scene_pacing(Draw& d, const Video& v) {
  const double avg = rnd(static_cast<double>(v.duration) / v.scenes, 2);
  static const std::vector<std::string> rhythm = {"consistent", "varied", "erratic"};
  static const std::vector<std::string> styles = {"mtv_style", "classic_narrative", "rhythmic", "experimental"};
  Json core = {{"totalScenes", v.scenes},
               {"averageSceneDuration", avg},
               {"scenesPerMinute", rnd(v.scenes * 60.0 / v.duration, 2)},
               {"pacingScore", 0},
               {"rhythmConsistency", d.pick(rhythm)},
               {"transitionSmoothing", 0.8}};
  Json dyn = {{"pacingProgression", Json::array()},
              {"sceneRhythm", "regular"},
              {"temporalFlow", "linear"},
              {"accelerationPoints", Json::array()},
              {"decelerationPoints", Json::array()}};
  Json inter = {{"audioVisualSync", 0.8}, {"beatMatching", 0}, {"emotionalPacing", 0.7}, {"narrativeFlow", 0.75}};
  Json key = {{"longestScene", {{"duration", 0}, {"timestamp", "0-5s"}}},
              {"shortestScene", {{"duration", 0}, {"timestamp", "0-1s"}}},
              {"pacingShifts", Json::array()},
              {"climaxTiming", 0.7}};
  Json patterns = {{"editingStyle", avg < 2 ? "mtv_style" : d.pick(styles)},
                   {"transitionTypes", {"cut"}},
                   {"pacingPattern", "steady"},
                   {"rhythmStructure", "4/4"}};
  Json quality = {{"flowScore", 0.75},
                  {"engagementPacing", 0.7},
                  {"viewerRetention", 0.65},
                  {"editingQuality", 0.7},
                  {"overallScore", 0.71}};
  return {{"CoreMetrics", core}, {"Dynamics", dyn},      {"Interactions", inter},
          {"KeyEvents", key},    {"Patterns", patterns}, {"Quality", quality}};
}

Json speech_analysis(Draw& d, const Video& v) {
  const int D = v.duration;
  const double coverage = v.has_speech ? rnd(d.u(0.5, 1.0), 2) : 0.0;
  const int words = static_cast<int>(std::round(v.wpm / 60.0 * D * coverage));
  const bool energy = d.p(0.8);
  Json wpm = Json::array();
  for (int s = 0; s < std::min(10, D); ++s)
    wpm.push_back(v.has_speech ? rnd(std::max(0.0, v.wpm + 40 * d.n()), 1) : 0.0);
  Json bursts = Json::array();
  if (energy)
    for (int a = 0; a + 5 <= D; a += 5)
      if (d.p(0.2))
        bursts.push_back({{"start", static_cast<double>(a)},
                          {"end", a + 5.0},
                          {"duration", 5.0},
                          {"energy", rnd(d.u(0.9, 1.0), 3)},
                          {"type", "high_energy"}});
  static const std::vector<std::string> patterns_list = {"front_loaded", "back_loaded", "middle_peak", "steady"};
  Json core = {{"totalWords", words},
               {"speechDensity", rnd(static_cast<double>(words) / D, 2)},
               {"wordsPerMinute", v.wpm},
               {"vocabularyDiversity", v.has_speech ? rnd(d.u(0.4, 0.85), 2) : 0.0},
               {"silenceRatio", rnd(1.0 - coverage, 2)},
               {"speechCoverage", coverage},
               {"avgSegmentDuration", v.has_speech ? rnd(d.u(1.0, 4.0), 2) : 0.0},
               {"uniqueWords", static_cast<int>(std::round(words * d.u(0.4, 0.8)))},
               {"confidence", 0.85}};
  Json dyn = {{"wpmProgression", wpm},
              {"silencePeriods", Json::array()},
              {"speechBursts", bursts},
              {"burstPattern", energy ? d.pick(patterns_list) : "unavailable"},
              {"energyVariance", energy ? d.u(0.0, 0.1) : 0.0},
              {"hasAudioEnergy", energy},
              {"pacingVariation", 0},
              {"temporalAlignment",
               {{"gesture_emphasis_moments", Json::array()},
                {"expression_peaks_during_speech", Json::array()},
                {"lip_sync_quality", 0.8},
                {"body_language_congruence", rnd(d.u(0.3, 0.9), 2)}}}};
  Json inter = {
      {"speechGestureSync", 0}, {"speechEmotionAlignment", 0}, {"speechTextOverlap", 0}, {"multiModalCoherence", 0}};
  Json key = {{"longestSegment",
               {{"duration", v.has_speech ? rnd(d.u(1.5, std::min(12.0, D * 1.0)), 2) : 0.0},
                {"timestamp", "0-5s"},
                {"words", 0}}},
              {"climaxMoment", {{"timestamp", energy ? rnd(d.u(0, D), 2) : D / 2.0}, {"intensity", 0}}},
              {"silentMoments", Json::array()}};
  Json patterns = {{"repetitionRate", 0},
                   {"emphasisTechniques", Json::array()},
                   {"narrativeStyle", "conversational"},
                   {"verbalHooks", Json::array()}};
  Json quality = {{"clarity", 0.8},
                  {"engagement", 0.7},
                  {"emotionalRange", 0.5},
                  {"deliveryStyle", "natural"},
                  {"overallScore", 0.75}};
  return {{"CoreMetrics", core}, {"Dynamics", dyn},      {"Interactions", inter},
          {"KeyEvents", key},    {"Patterns", patterns}, {"Quality", quality}};
}

Json metadata_analysis(const Video& v) {
  int words = 0;
  bool in_word = false;
  for (char c : v.caption) {
    const bool space = c == ' ';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  static const std::set<std::string> generic = {"fyp", "foryou", "foryoupage", "viral", "trending", "explore"};
  int gen = 0;
  for (const auto& t : v.hashtags) gen += generic.count(t) ? 1 : 0;
  const int tags = static_cast<int>(v.hashtags.size());
  const std::string strategy = tags == 0    ? "none"
                               : tags < 3   ? "minimal"
                               : tags <= 7  ? "moderate"
                               : tags <= 15 ? "heavy"
                                            : "spam";
  const std::int64_t days = v.created / 86400;
  const int dow = static_cast<int>((days + 3) % 7);  // 1970-01-01 was a Thursday; 0 = Monday
  const int hour = static_cast<int>((v.created % 86400) / 3600);
  const bool follow = v.caption.find("follow") != std::string::npos;
  const bool comment = v.caption.find("comment") != std::string::npos;
  Json core = {{"captionLength", utf8_length(v.caption)},
               {"wordCount", words},
               {"hashtagCount", tags},
               {"emojiCount", v.emoji ? 1 : 0},
               {"mentionCount", v.mention ? 1 : 0},
               {"engagementRate", rnd(v.er, 2)},
               {"viewCount", v.views},
               {"videoDuration", static_cast<double>(v.duration)}};
  Json dyn = {{"hashtagStrategy", strategy},
              {"emojiDensity", rnd((v.emoji ? 1.0 : 0.0) / std::max(1, words), 2)},
              {"mentionDensity", rnd((v.mention ? 1.0 : 0.0) / std::max(1, words), 2)},
              {"publishHour", hour},
              {"publishDayOfWeek", dow}};
  Json inter = {{"likeCount", v.likes}, {"commentCount", v.comments}, {"shareCount", v.shares}};
  Json key = {{"hashtags", v.hashtags},
              {"keyMentions", Json::array()},
              {"primaryEmojis", v.emoji ? Json{"\xF0\x9F\x8C\xBF"} : Json::array()},
              {"hasHook", v.question ? 1 : 0},
              {"callToAction", v.caption_cta ? 1 : 0}};
  if (v.mention) key["keyMentions"].push_back("@mention");
  Json patterns = {{"hashtagBreakdown",
                    {{"total", tags},
                     {"generic", gen},
                     {"niche", tags - gen},
                     {"genericRatio", tags ? rnd(static_cast<double>(gen) / tags, 2) : 0.0},
                     {"strategy", strategy}}},
                   {"ctaFeatures",
                    {{"hasCTA", v.caption_cta ? 1 : 0},
                     {"ctaFollow", follow ? 1 : 0},
                     {"ctaLike", 0},
                     {"ctaComment", comment ? 1 : 0},
                     {"ctaShare", 0},
                     {"ctaUrgency", 0},
                     {"ctaCount", (follow ? 1 : 0) + (comment ? 1 : 0)}}},
                   {"hasQuestion", v.question ? 1 : 0},
                   {"hasExclamation", v.exclamation ? 1 : 0}};
  Json quality = {{"wordCount", words}, {"hasCaption", v.caption.empty() ? 0 : 1}, {"linkPresent", v.link ? 1 : 0}};
  return {{"CoreMetrics", core}, {"Dynamics", dyn},      {"Interactions", inter},
          {"KeyEvents", key},    {"Patterns", patterns}, {"Quality", quality}};
}

Json apify_item(const Video& v) {
  std::string iso = format_iso8601_utc(v.created);  // ...Z
  if (!iso.empty() && iso.back() == 'Z') iso.insert(iso.size() - 1, ".000");
  Json tags = Json::array();
  for (const auto& t : v.hashtags) tags.push_back({{"id", ""}, {"name", t}, {"title", ""}, {"cover", ""}});
  // Built with append, not "6" + ...: GCC 12 reports a false -Wrestrict on that operator+ here.
  std::string author_id = "6", music_id = "7";
  author_id.append(v.id, 1, 18);
  music_id.append(v.id, 1, 18);
  return {
      {"id", v.id},
      {"text", v.caption},
      {"textLanguage", "en"},
      {"createTime", v.created},
      {"createTimeISO", iso},
      {"locationCreated", "US"},
      {"isAd", false},
      {"isSlideshow", false},
      {"isPinned", false},
      {"isSponsored", false},
      {"authorMeta",
       {{"id", author_id},
        {"name", v.author},
        {"nickName", v.author},
        {"profileUrl", "https://www.tiktok.com/@" + v.author},
        {"verified", v.fans > 1'000'000},
        {"signature", ""},
        {"privateAccount", false},
        {"fans", v.fans},
        {"heart", v.fans * 7},
        {"following", 300},
        {"friends", 100},
        {"video", 250},
        {"digg", 0}}},
      {"musicMeta",
       {{"musicName", "original sound"}, {"musicAuthor", v.author}, {"musicOriginal", true}, {"musicId", music_id}}},
      {"webVideoUrl", "https://www.tiktok.com/@" + v.author + "/video/" + v.id},
      {"videoMeta",
       {{"height", 1024},
        {"width", 576},
        {"duration", v.duration},
        {"definition", "540p"},
        {"format", "mp4"},
        {"coverUrl", "https://example.invalid/cover/" + v.id + ".jpeg"}}},
      {"diggCount", v.likes},
      {"shareCount", v.shares},
      {"playCount", v.views},
      {"collectCount", v.saves},
      {"commentCount", v.comments},
      {"mentions", Json::array()},
      {"hashtags", tags}};
}

// ---- layouts ----

Json prefixed(const Json& blocks, std::string_view flow) {
  const std::string prefix(features::flow_prefix(flow).value());
  Json out = Json::object();
  for (const auto& [k, val] : blocks.items()) out[prefix + k] = val;
  return out;
}

enum class Layout { ml, complete, flat };

// Flow files are bulk test input (thousands per run), not pipeline artifacts: written whole to a
// file directly, without the per-file fsync of write_file_atomic, which would make
// a 1000-video demo take minutes. The same bytes as dump_json.
void write_flow_file(const fs::path& path, const Json& j) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  const std::string text = dump_json(j);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!f) throw Error("cannot write " + path.string());
}

}  // namespace

Json planted_json(const SynthOptions& o) {
  Json effects = Json::array();
  for (const auto& e : planted_effects()) {
    if (!o.plant_effects) break;  // pure noise: nothing planted
    effects.push_back({{"feature", e.feature},
                       {"source", e.source},
                       {"bucket", std::string(bucket_name(e.bucket))},
                       {"direction", effect_direction_name(e.direction)},
                       {"effect_size", e.effect_size},
                       {"interaction_with", e.interaction_with.empty() ? Json(nullptr) : Json(e.interaction_with)},
                       {"note", e.note}});
  }
  return {{"format", "rumi-planted"},
          {"format_version", 1},
          {"seed", o.seed},
          {"videos", o.videos},
          {"hashtag", o.hashtag},
          {"model",
           "log(ER%) = log(6.5) + sum of effects (effect_size per SD of the feature, log scale for "
           "avgDensity; flags: shift when present) + N(0, 0.25)"},
          {"effects", effects},
          {"plant_effects", o.plant_effects},
          {"noise_features",
           {"meta.publishHour", "scene.scenesPerMinute", "speech.vocabularyDiversity", "overlay.rhythmConsistency",
            "meta.publishDayOfWeek", "meta.hashtagCount"}}};
}

namespace {

void check_options(const SynthOptions& o) {
  if (o.videos <= 0) throw UsageError("synth: --videos must be positive");
  if (o.videos > 200000) throw UsageError("synth: --videos must be at most 200000");
  double mix_total = 0;
  for (double m : o.bucket_mix) {
    if (!(m >= 0)) throw UsageError("synth: bucket mix values must be >= 0");
    mix_total += m;
  }
  if (mix_total <= 0) throw UsageError("synth: bucket mix must have a positive entry");
}

// Like TikTok's: the upper 32 bits of the id are the creation time in Unix seconds and the
// lower 32 bits vary (ids of 2025 videos start with 75...), so an id decodes to the video's
// createTime. Drawn after the video so the creation time is known; the id stream is separate,
// so the videos' own draws are unchanged.
void draw_unique_id(Draw& id_draw, Video& v, std::set<std::string>& ids) {
  do {
    const std::uint64_t low = uniform_index(id_draw.rng, std::uint64_t{1} << 32);
    v.id = std::to_string((static_cast<std::uint64_t>(v.created) << 32) | low);
  } while (!ids.insert(v.id).second);
}

using Flows = std::vector<std::pair<std::string, Json>>;

// Writes one video's flows in a drawn layout (ml files, complete wrappers or the flat layout),
// sometimes with a stale earlier run beside them.
void write_video_flows(Draw& d, const Video& v, int i, const Flows& flows, SynthSummary& s) {
  const double lr = d.u();
  const Layout layout = lr < 0.65 ? Layout::ml : lr < 0.85 ? Layout::complete : Layout::flat;
  const bool older_run = layout != Layout::flat && d.p(0.05);
  const std::string ts = format_file_timestamp_utc(v.created + 3 * 86400 + i);
  for (const auto& [flow, blocks] : flows) {
    const fs::path flow_dir = s.analyses_dir / "insights" / v.id / flow;
    if (layout == Layout::ml) {
      write_flow_file(flow_dir / (flow + "_ml_" + ts + ".json"), blocks);
    } else if (layout == Layout::complete) {
      Json wrapper = {{"analysis_type", flow},
                      {"success", true},
                      {"result", prefixed(blocks, flow).dump()},
                      {"parsed_response", blocks},
                      {"source", "python_precompute"},
                      {"processing_mode", "python_only"},
                      {"version", "2.0"}};
      write_flow_file(flow_dir / (flow + "_complete_" + ts + ".json"), wrapper);
    } else {
      write_flow_file(s.analyses_dir / (v.id + "_" + flow + ".json"), prefixed(blocks, flow));
    }
    ++s.flow_files;
    if (older_run) {
      // A stale earlier run with junk values: readers must pick the newest timestamp.
      Json stale = blocks;
      stale["CoreMetrics"] = {{"stale", true}};
      write_flow_file(flow_dir / (flow + "_ml_" + format_file_timestamp_utc(v.created + 86400) + ".json"), stale);
      ++s.flow_files;
    }
  }
}

// One video: its draws, id, outcome, Apify item and flow files.
void synth_video(const SynthOptions& o, int i, Draw& id_draw, std::set<std::string>& ids, Json& items,
                 SynthSummary& s) {
  Video v;
  v.index = i;
  Draw d{make_rng(o.seed, "synth/video/" + std::to_string(i))};
  draw_video(d, o, v);
  draw_unique_id(id_draw, v, ids);
  Json density = creative_density(d, v);  // realises avg_density before the outcome
  realise_outcome(d, v, o.plant_effects);
  s.per_bucket[static_cast<int>(v.bucket)]++;
  items.push_back(apify_item(v));

  // Braced initialisation runs left to right, so the flows draw from `d` in this order.
  Flows flows = {{"creative_density", density},
                 {"emotional_journey", emotional_journey(d, v)},
                 {"person_framing", person_framing(d, v)},
                 {"scene_pacing", scene_pacing(d, v)},
                 {"speech_analysis", speech_analysis(d, v)},
                 {"visual_overlay_analysis", visual_overlay(d, v)},
                 {"metadata_analysis", metadata_analysis(v)}};
  // Like upstream, a flow that raised writes no files: mostly speech, sometimes another.
  if (d.p(o.missing_flow_rate)) {
    const std::size_t drop = d.p(0.7) ? 4 : uniform_index(d.rng, 6);
    flows.erase(flows.begin() + static_cast<std::ptrdiff_t>(drop));
    s.missing_flows++;
  }
  write_video_flows(d, v, i, flows, s);
}

}  // namespace

SynthSummary generate(const SynthOptions& o, const fs::path& out) {
  check_options(o);
  SynthSummary s;
  s.items_file = out / "apify_items.json";
  s.analyses_dir = out / "analyses";
  s.planted_file = out / "planted.json";
  ensure_directory(s.analyses_dir);

  Json items = Json::array();
  std::set<std::string> ids;
  Draw id_draw{make_rng(o.seed, "synth/ids")};
  for (int i = 0; i < o.videos; ++i) synth_video(o, i, id_draw, ids, items, s);
  s.videos = o.videos;
  write_json_atomic(s.items_file, items);
  write_json_atomic(s.planted_file, planted_json(o));
  return s;
}

}  // namespace rumi::synth
