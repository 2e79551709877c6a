#include "features/era_c.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "core/error.h"
#include "features/json_node.h"

namespace rumi::features {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// How a per-window measurement is turned into one middle column (the middle has 3-5 segments
// whose length depends on the video's duration, so counts are compared per second there).
enum class Agg {
  count,  // hook/closing: the count (both windows are 3 s); middle: total / total seconds
  level,  // a rate, share or mean: middle = duration-weighted mean over the segments
  max,    // middle = highest segment
  min,    // middle = lowest segment
  flag,   // 0/1: middle = share of segments with it
};

struct Field {
  std::string_view key;
  Agg agg;
  std::string_view noun;  // phrase fragment, completed per window in field_phrase()
};

// The measurements of one window that are kept, in column order. Left out on purpose: start,
// end, duration and segment_name (the window layout, a function of the video length);
// element_count, avg_density and changes_per_second (sums and ratios of the kept counts, which
// upstream itself removed in later versions); the gender of the speaker (a trait of the person,
// not a creative choice) and the engagement counts in `metadata` (the target).
constexpr std::array<Field, 41> kFields = {{
    {"overlay_unique_count", Agg::count, "distinct text overlays"},
    {"overlay_coverage", Agg::level, "share of time with a text overlay on screen"},
    {"overlay_persistence", Agg::level, "how long a text overlay stays on screen (seconds)"},
    {"has_captions", Agg::flag, "captions of the spoken words on screen"},
    {"object_count", Agg::count, "distinct objects on screen"},
    {"person_count", Agg::max, "distinct people on screen"},
    {"gesture_count", Agg::count, "hand gestures"},
    {"expression_count", Agg::count, "moments with a readable facial expression"},
    {"scene_count", Agg::count, "cuts to a new shot"},
    {"max_density", Agg::max, "things happening in the busiest second"},
    {"min_density", Agg::min, "things happening in the quietest second"},
    {"shortest_scene", Agg::min, "shortest shot (seconds)"},
    {"longest_scene", Agg::max, "longest shot (seconds)"},
    {"scene_duration_variance", Agg::level, "variation of shot lengths"},
    {"speech_coverage", Agg::level, "share of time with speech"},
    {"word_count", Agg::count, "spoken words"},
    {"has_greeting", Agg::flag, "a spoken greeting"},
    {"has_question", Agg::flag, "a spoken question"},
    {"has_instruction", Agg::flag, "a spoken instruction (first, then, make sure...)"},
    {"has_speech_cta", Agg::flag, "a spoken call to action (follow, comment, link in bio...)"},
    {"gaze_variance", Agg::level, "variation of eye contact"},
    {"eye_contact_rate", Agg::level, "eye contact with the camera"},
    {"joy_ratio", Agg::level, "share of facial expressions showing joy"},
    {"sadness_ratio", Agg::level, "share of facial expressions showing sadness"},
    {"anger_ratio", Agg::level, "share of facial expressions showing anger"},
    {"fear_ratio", Agg::level, "share of facial expressions showing fear"},
    {"disgust_ratio", Agg::level, "share of facial expressions showing disgust"},
    {"surprise_ratio", Agg::level, "share of facial expressions showing surprise"},
    {"neutral_ratio", Agg::level, "share of neutral facial expressions"},
    {"emotional_valence", Agg::level, "how positive the facial expressions are (-1 to 1)"},
    {"emotion_consistency", Agg::level, "how steady the facial expression is"},
    {"close_ratio", Agg::level, "share of face readings in close-up"},
    {"medium_ratio", Agg::level, "share of face readings in a medium shot"},
    {"wide_ratio", Agg::level, "share of face readings in a wide shot"},
    {"none_ratio", Agg::level, "share of readings without a visible face"},
    {"average_face_size", Agg::level, "face size (share of the frame)"},
    {"energy_level", Agg::level, "loudness of the sound"},
    {"energy_variance", Agg::level, "variation of loudness"},
    {"energy_max", Agg::max, "loudest moment"},
    {"avg_pitch_normalized", Agg::level, "voice pitch (relative to a typical voice)"},
    {"pitch_range_norm", Agg::level, "range of the voice pitch"},
}};
constexpr std::size_t kColumns = kFields.size();

constexpr std::array<std::string_view, 7> kEmotions = {"joy",     "sadness",  "anger",  "fear",
                                                       "disgust", "surprise", "neutral"};
constexpr std::array<std::string_view, 4> kBursts = {"front_loaded", "back_loaded", "middle_peak", "steady"};

// A closed set of values: column names use `values`, phrases "<subject><when> <said[k]>".
struct Categorical {
  std::string_view key;      // column name part
  std::string_view subject;  // phrase fragment
  const std::string_view* values;
  const std::string_view* said;  // one per value, then one for any other value
  std::size_t n;
};
constexpr std::array<std::string_view, 8> kEmotionsSaid = {"is joy",     "is sadness",  "is anger",   "is fear",
                                                           "is disgust", "is surprise", "is neutral", "is another one"};
constexpr std::array<std::string_view, 5> kBurstsSaid = {"peaks early", "peaks late", "peaks in the middle",
                                                         "stays steady", "follows another pattern"};
const std::array<Categorical, 2> kCategoricals = {{
    {"dominant_emotion", "the main facial expression", kEmotions.data(), kEmotionsSaid.data(), kEmotions.size()},
    {"burst_pattern", "the loudness", kBursts.data(), kBurstsSaid.data(), kBursts.size()},
}};

constexpr std::array<std::string_view, 3> kWindows = {"hook", "middle", "closing"};

std::size_t field_index(std::string_view key) {
  for (std::size_t i = 0; i < kFields.size(); ++i)
    if (kFields[i].key == key) return i;
  return kFields.size();
}

// One window's values after the "not measured" rules, plus its categorical values
// (-1 = not measured, n = a value outside the closed set).
struct Window {
  bool present = false;
  double seconds = kNaN;
  std::array<double, kFields.size()> v{};
  std::array<int, 2> cat{-1, -1};
};

std::string field_phrase(const Field& f, std::size_t window) {
  const std::string noun(f.noun);
  if (window == 0)
    return f.agg == Agg::count ? "number of " + noun + " in the first 3 seconds" : noun + " in the first 3 seconds";
  if (window == 2)
    return f.agg == Agg::count ? "number of " + noun + " in the last 3 seconds" : noun + " in the last 3 seconds";
  switch (f.agg) {
    case Agg::count: return noun + " per second in the middle";
    case Agg::flag: return "share of the middle with " + noun;
    case Agg::max: return noun + " in the middle (highest part)";
    case Agg::min: return noun + " in the middle (lowest part)";
    case Agg::level: break;
  }
  return noun + " in the middle";
}

FeatureInfo make_info(std::string name, std::string source, FeatureKind kind, std::string phrase,
                      std::string group = {}) {
  FeatureInfo fi;
  fi.name = std::move(name);
  fi.source = std::move(source);
  fi.kind = kind;
  fi.phrase = std::move(phrase);
  fi.group = std::move(group);
  return fi;
}

std::vector<FeatureInfo> build_infos() {
  std::vector<FeatureInfo> out;
  out.push_back(make_info("video.flow_present:temporal_windows", "temporal_windows", FeatureKind::flag,
                          "the temporal windows analysis (current RumiAI) is available"));
  for (std::size_t w = 0; w < kWindows.size(); ++w) {
    const std::string win(kWindows[w]);
    const std::string src_win = w == 1 ? "temporal_windows.middle_segments[]." : "temporal_windows." + win + ".";
    for (std::size_t i = 0; i < kColumns; ++i) {
      const Field& f = kFields[i];
      std::string name = "windows." + win + "." + std::string(f.key);
      if (w == 1 && f.agg == Agg::count) name += "_per_s";
      FeatureKind kind = f.agg == Agg::flag ? FeatureKind::flag : FeatureKind::numeric;
      if (w == 1) kind = FeatureKind::derived;
      out.push_back(make_info(std::move(name), src_win + std::string(f.key), kind, field_phrase(f, w)));
    }
    for (const auto& c : kCategoricals) {
      const std::string key(c.key), subject(c.subject);
      // dominant_emotion_id in the later key set; derived from the shares in the earlier one.
      const std::string source = src_win + (c.key == "dominant_emotion" ? "dominant_emotion_id" : key);
      for (std::size_t k = 0; k <= c.n; ++k) {
        const std::string value = k < c.n ? std::string(c.values[k]) : "other";
        const std::string said(c.said[k]);
        if (w == 1) {
          out.push_back(make_info("windows.middle." + key + "_share:" + value, source, FeatureKind::derived,
                                  "share of the middle where " + subject + " " + said));
        } else {
          const std::string when = w == 0 ? " in the first 3 seconds " : " in the last 3 seconds ";
          out.push_back(make_info("windows." + win + "." + key + "=" + value, source, FeatureKind::onehot,
                                  subject + when + said, "temporal_windows." + win + "." + key));
        }
      }
    }
  }
  out.push_back(make_info("windows.caption.length", "temporal_windows.metadata.description", FeatureKind::numeric,
                          "caption length (characters)"));
  out.push_back(make_info("windows.caption.hashtag_count", "temporal_windows.metadata.hashtag_analysis.hashtag_count",
                          FeatureKind::numeric, "number of hashtags"));
  out.push_back(make_info("windows.caption.generic_hashtag_count",
                          "temporal_windows.metadata.hashtag_analysis.generic_hashtag_count", FeatureKind::numeric,
                          "number of generic hashtags (#fyp, #viral...)"));
  out.push_back(make_info("windows.caption.generic_ratio", "temporal_windows.metadata.hashtag_analysis.generic_ratio",
                          FeatureKind::numeric, "share of generic hashtags"));
  out.push_back(make_info("windows.publish_hour", "temporal_windows.metadata.create_time", FeatureKind::numeric,
                          "hour of posting (UTC)"));
  out.push_back(make_info("windows.publish_day_of_week", "temporal_windows.metadata.create_time", FeatureKind::numeric,
                          "day of posting (0 = Monday)"));
  return out;
}

template <class Node>
int category_of(const Node& v, const Categorical& c, std::string_view where, std::vector<std::string>* warnings) {
  if (!v || v.is_null()) return -1;
  const std::string dumped = v.is_string() ? std::string() : v.dump();
  const std::string_view s = v.is_string() ? v.str() : std::string_view(dumped);
  for (std::size_t k = 0; k < c.n; ++k)
    if (c.values[k] == s) return static_cast<int>(k);
  if (warnings)
    warnings->push_back(std::string(where) + "." + std::string(c.key) + ": unknown value '" + std::string(s) + "'");
  return static_cast<int>(c.n);
}

// Reads one window and applies the rules that tell "not measured" from a measured zero. Upstream
// writes 0 for what it could not measure (temporal_compute.py), so a zero is kept only where it
// can be a real measurement:
//  * no facial expression read (expression_count 0): the emotion shares, valence, consistency
//    and main expression are undefined -> NaN (upstream writes 0 / "neutral");
//  * no text overlay: how long an overlay stays is undefined -> NaN;
//  * shortest and longest shot both 0: no shot data at all -> the 3 shot-length columns NaN;
//  * eye contact and its variation both exactly 0: no gaze reading -> NaN;
//  * pitch 0 and pitch range 0: no voiced speech or no speaker detection -> NaN; a range of
//    exactly 0 alone: fewer voiced frames than upstream needs for a range -> range NaN;
//  * loudness: see `audio_measured`.
template <class Node>
Window read_window(const Node& w, bool audio_measured, std::string_view where, std::vector<std::string>* warnings) {
  Window out;
  out.v.fill(kNaN);
  if (!w.is_object()) return out;
  out.present = true;
  for (std::size_t i = 0; i < kColumns; ++i) out.v[i] = w.get(kFields[i].key).number_or_nan();
  out.seconds = w.get("duration").number_or_nan();
  if (!(out.seconds > 0)) out.seconds = w.get("end").number_or_nan() - w.get("start").number_or_nan();
  auto at = [&](std::string_view key) -> double& { return out.v[field_index(key)]; };

  // The later era-C key set has no emotion shares but dominant_emotion_id (1..7), valence and
  // consistency; the earlier one has the shares, from which the same three follow exactly as
  // upstream computes them (valence = joy - sadness - anger - fear - disgust; consistency = the
  // largest share; ties to the first emotion in upstream's order).
  std::array<double, 7> shares{};
  bool have_shares = true;
  for (std::size_t k = 0; k < kEmotions.size(); ++k) {
    shares[k] = at(std::string(kEmotions[k]) + "_ratio");
    have_shares = have_shares && !std::isnan(shares[k]);
  }
  const Categorical& emo = kCategoricals[0];
  if (const auto id = w.get("dominant_emotion_id")) {
    const double x = id.number_or_nan();
    if (x >= 1 && x <= 7 && x == std::floor(x)) {
      out.cat[0] = static_cast<int>(x) - 1;
    } else if (!id.is_null()) {
      out.cat[0] = static_cast<int>(emo.n);
      if (warnings) warnings->push_back(std::string(where) + ".dominant_emotion_id: unknown value '" + id.dump() + "'");
    }
  } else if (have_shares) {
    const auto top = std::max_element(shares.begin(), shares.end());
    if (*top > 0) out.cat[0] = static_cast<int>(top - shares.begin());
  }
  if (have_shares && std::isnan(at("emotional_valence")))
    at("emotional_valence") = shares[0] - shares[1] - shares[2] - shares[3] - shares[4];
  if (have_shares && std::isnan(at("emotion_consistency")))
    at("emotion_consistency") = *std::max_element(shares.begin(), shares.end());
  if (at("expression_count") == 0) {
    for (auto e : kEmotions) at(std::string(e) + "_ratio") = kNaN;
    at("emotional_valence") = at("emotion_consistency") = kNaN;
    out.cat[0] = -1;
  }
  if (at("overlay_unique_count") == 0) at("overlay_persistence") = kNaN;
  if (at("shortest_scene") == 0 && at("longest_scene") == 0)
    at("shortest_scene") = at("longest_scene") = at("scene_duration_variance") = kNaN;
  if (at("eye_contact_rate") == 0 && at("gaze_variance") == 0) at("eye_contact_rate") = at("gaze_variance") = kNaN;
  if (at("avg_pitch_normalized") == 0 && at("pitch_range_norm") == 0) at("avg_pitch_normalized") = kNaN;
  if (at("pitch_range_norm") == 0) at("pitch_range_norm") = kNaN;
  if (audio_measured) {
    out.cat[1] = category_of(w.get("burst_pattern"), kCategoricals[1], where, warnings);
  } else {
    at("energy_level") = at("energy_variance") = at("energy_max") = kNaN;
  }
  return out;
}

// Upstream writes loudness 0 and burst "steady" in every window when the audio energy service
// gave nothing; real audio, even near-silent, is never exactly 0 everywhere.
template <class Node>
bool audio_measured(const Node& windows) {
  bool any = false;
  auto look = [&](const Node& w) {
    if (!w.is_object()) return;
    for (const char* k : {"energy_level", "energy_max"}) {
      const double x = w.get(k).number_or_nan();
      if (std::isfinite(x) && x != 0) any = true;
    }
  };
  look(windows.get("hook"));
  look(windows.get("closing"));
  for (const auto seg : windows.get("middle_segments").items()) look(seg);
  return any;
}

void write_window(const Window& w, double*& o) {
  for (std::size_t i = 0; i < kColumns; ++i) *o++ = w.v[i];
  for (std::size_t c = 0; c < kCategoricals.size(); ++c) {
    const std::size_t n = kCategoricals[c].n + 1;
    if (!w.present || w.cat[c] < 0) {
      std::fill(o, o + n, kNaN);
    } else {
      std::fill(o, o + n, 0.0);
      o[w.cat[c]] = 1.0;
    }
    o += n;
  }
}

void write_middle(const std::vector<Window>& segs, double*& o) {
  for (std::size_t i = 0; i < kColumns; ++i) {
    const Agg agg = kFields[i].agg;
    double acc = agg == Agg::max   ? -std::numeric_limits<double>::infinity()
                 : agg == Agg::min ? std::numeric_limits<double>::infinity()
                                   : 0.0;
    double weight = 0;
    int n = 0;
    for (const auto& s : segs) {
      const double x = s.v[i];
      if (std::isnan(x)) continue;
      // Equal-length segments in practice; a missing length counts as 1 so nothing is lost.
      const double sec = s.seconds > 0 ? s.seconds : 1.0;
      switch (agg) {
        case Agg::count:
          acc += x;
          weight += sec;
          break;
        case Agg::level:
          acc += x * sec;
          weight += sec;
          break;
        case Agg::flag:
          acc += x;
          weight += 1;
          break;
        case Agg::max: acc = std::max(acc, x); break;
        case Agg::min: acc = std::min(acc, x); break;
      }
      ++n;
    }
    if (n == 0)
      *o++ = kNaN;
    else if (agg == Agg::max || agg == Agg::min)
      *o++ = acc;
    else
      *o++ = weight > 0 ? acc / weight : kNaN;
  }
  for (std::size_t c = 0; c < kCategoricals.size(); ++c) {
    const std::size_t n = kCategoricals[c].n + 1;
    std::vector<double> counts(n, 0.0);
    double total = 0;
    for (const auto& s : segs)
      if (s.cat[c] >= 0) counts[static_cast<std::size_t>(s.cat[c])] += 1, total += 1;
    for (std::size_t k = 0; k < n; ++k) *o++ = total > 0 ? counts[k] / total : kNaN;
  }
}

// Code points of UTF-8 text (upstream's caption length is Python's len()).
double utf8_length(std::string_view s) {
  double n = 0;
  for (unsigned char ch : s)
    if ((ch & 0xC0) != 0x80) n += 1;
  return n;
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = m > 2 ? m - 3 : m + 9;  // months from March
  const unsigned doy = (153 * mp + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

bool parse_create_time(std::string_view s, double* unix_seconds) {
  if (auto n = parse_number_text(s)) {
    if (!std::isfinite(*n) || *n < 0) return false;
    *unix_seconds = *n;
    return true;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!digits(s, 0, 4, &y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, &mo) || s[7] != '-' ||
      !digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, &h) || s[13] != ':' ||
      !digits(s, 14, 2, &mi) || s[16] != ':' || !digits(s, 17, 2, &se))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return false;
  std::size_t p = 19;
  if (p < s.size() && s[p] == '.') {
    ++p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
  }
  int offset_s = 0;
  if (p < s.size()) {
    int oh = 0, om = 0;
    if (s[p] == 'Z' && p + 1 == s.size()) {
      // UTC
    } else if ((s[p] == '+' || s[p] == '-') && p + 6 == s.size() && digits(s, p + 1, 2, &oh) && s[p + 3] == ':' &&
               digits(s, p + 4, 2, &om)) {
      offset_s = (s[p] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    } else {
      return false;
    }
  }
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  *unix_seconds = static_cast<double>(days * 86400 + h * 3600 + mi * 60 + se - offset_s);
  return true;
}

template <class Node>
void validate_temporal_windows_node(const Node& doc, std::string_view file) {
  if (!doc.is_object()) throw InputError(file, "document", "-", "an era-C temporal windows file must be a JSON object");
  const Node tw = doc.get("temporal_windows");
  if (!tw) throw InputError(file, "document", "temporal_windows", "missing");
  if (!tw.is_object()) throw InputError(file, "document", "temporal_windows", "not an object");
  bool any = false;
  for (const char* w : {"hook", "closing"}) {
    const Node v = tw.get(w);
    if (!v || v.is_null()) continue;
    if (!v.is_object()) throw InputError(file, "temporal_windows", w, "not an object or null");
    any = true;
  }
  if (const Node m = tw.get("middle_segments"); m && !m.is_null()) {
    if (!m.is_array()) throw InputError(file, "temporal_windows", "middle_segments", "not an array");
    std::size_t i = 0;
    for (const auto seg : m.items()) {
      if (!seg.is_object()) {
        std::string record = "temporal_windows.middle_segments[";
        record += std::to_string(i);
        record += ']';
        throw InputError(file, record, "-", "not an object");
      }
      any = true;
      ++i;
    }
  }
  if (!any) throw InputError(file, "temporal_windows", "hook", "no window (hook, middle_segments, closing) present");
  if (const Node d = doc.get("duration"); d && !d.is_null() && !(d.number_or_nan() > 0))
    throw InputError(file, "document", "duration", "not a positive number");
  if (const Node meta = doc.get("metadata"); meta && !meta.is_null() && !meta.is_object())
    throw InputError(file, "document", "metadata", "not an object");
}

template void validate_temporal_windows_node<JsonNode>(const JsonNode&, std::string_view);
template void validate_temporal_windows_node<SimdNode>(const SimdNode&, std::string_view);

void validate_temporal_windows(const Json& doc, std::string_view file) {
  validate_temporal_windows_node(JsonNode(&doc), file);
}

const std::vector<FeatureInfo>& temporal_window_features() {
  static const std::vector<FeatureInfo> infos = build_infos();
  return infos;
}

template <class Node>
void fill_temporal_window_features(const Node& doc, double* out, std::vector<std::string>* warnings) {
  double* o = out;
  const std::size_t total = temporal_window_features().size();
  std::fill(out, out + total, kNaN);
  const Node windows = doc.get("temporal_windows");
  *o++ = windows.is_object() ? 1.0 : 0.0;
  if (!windows.is_object()) return;
  const bool audio = audio_measured(windows);
  write_window(read_window(windows.get("hook"), audio, "temporal_windows.hook", warnings), o);
  std::vector<Window> segs;
  for (const auto seg : windows.get("middle_segments").items())
    segs.push_back(read_window(seg, audio, "temporal_windows.middle_segments", warnings));
  write_middle(segs, o);
  write_window(read_window(windows.get("closing"), audio, "temporal_windows.closing", warnings), o);

  const Node meta = doc.get("metadata");
  const Node desc = meta.get("description");
  *o++ = desc.is_string() ? utf8_length(desc.str()) : kNaN;
  const Node tags = meta.get("hashtag_analysis");
  const double count = tags.get("hashtag_count").number_or_nan();
  *o++ = count;
  *o++ = tags.get("generic_hashtag_count").number_or_nan();
  // Upstream writes a ratio of 0 for a caption without hashtags; there is no share of nothing.
  *o++ = count == 0 ? kNaN : tags.get("generic_ratio").number_or_nan();
  double t = 0;
  const Node created = meta.get("create_time");
  std::string text;
  if (created.is_string())
    text = std::string(created.str());
  else if (created && !created.is_null())
    text = created.dump();
  if (!text.empty() && parse_create_time(text, &t)) {
    const auto secs = static_cast<std::int64_t>(std::floor(t));
    const std::int64_t day = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    const std::int64_t hour = (secs - day * 86400) / 3600;  // whole hours: integer division
    *o++ = static_cast<double>(hour);
    *o++ = static_cast<double>(((day % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday (3 when Monday = 0)
  } else {
    *o++ = kNaN;
    *o++ = kNaN;
  }
}

template void fill_temporal_window_features<JsonNode>(const JsonNode&, double*, std::vector<std::string>*);
template void fill_temporal_window_features<SimdNode>(const SimdNode&, double*, std::vector<std::string>*);

}  // namespace rumi::features
