// The feature schema: every feature is declared once, here, with its name, source, kind,
// phrase and the code that computes it, so the catalog and the vector can never disagree.
// Families (docs/features.md): numeric pass-through, flattened objects, flags, one-hot enums,
// list counts/stats, timelines (6 stats + windows + key moments, time normalised by duration),
// co-occurrence vocabulary, and a few derived values. Constants and wrapper defaults listed in
// the schema doc carry no signal and are left out, as are the target and raw counts.
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <tuple>

#include "core/error.h"
#include "core/sha256.h"
#include "core/text.h"
#include "features/era_c.h"
#include "features/extract_simd.h"
#include "features/feature_catalog.h"
#include "features/flows.h"
#include "features/json_node.h"
#include "features/json_values.h"

namespace rumi::features {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum Flow : int { kDensity = 0, kEmotion, kFraming, kScene, kSpeech, kOverlay, kMeta };
constexpr std::array<std::string_view, 7> kShort = {"density", "emotion", "framing", "scene",
                                                    "speech",  "overlay", "meta"};

// The extraction context over either JSON representation (json_node.h); every fill below is a
// generic lambda, compiled once per representation, so both paths run the same code.
template <class Node>
struct Ctx {
  std::array<Node, 7> flows{};
  // Each flow's 6 blocks (kBlockNames order, empty when absent or not an object), looked up once
  // per video rather than once per feature: lookups dominate the simdjson path.
  std::array<std::array<Node, 6>, 7> blocks{};
  Node windows{};  // the era-C temporal windows document (era_c.h); empty for era B
  double duration = kNaN;
  std::vector<std::string>* warnings = nullptr;
  void set_flows(const std::array<Node, 7>& f) {
    flows = f;
    for (std::size_t i = 0; i < flows.size(); ++i)
      for (std::size_t k = 0; k < kBlockNames.size(); ++k) {
        const Node v = flows[i].get(kBlockNames[k]);
        blocks[i][k] = v.is_object() ? v : Node();
      }
  }
  Node block(int f, std::string_view b) const {
    for (std::size_t k = 0; k < kBlockNames.size(); ++k)
      if (kBlockNames[k] == b) return blocks[f][k];
    const Node v = flows[f].get(b);
    return v.is_object() ? v : Node();
  }
  Node at(int f, std::string_view b, std::string_view path) const { return block(f, b).path(path); }
  double num(int f, std::string_view b, std::string_view path) const { return at(f, b, path).number_or_nan(); }
  double norm(double seconds) const { return (std::isfinite(duration) && duration > 0) ? seconds / duration : kNaN; }
  void warn(std::string s) const {
    if (warnings) warnings->push_back(std::move(s));
  }
};

template <class Node>
using Fill = std::function<void(const Ctx<Node>&, double* out)>;
struct Group {
  std::vector<FeatureInfo> infos;
  Fill<JsonNode> fill_json;
  Fill<SimdNode> fill_simd;
};

struct TimelineSpec {
  std::string time_key;                                // "" = items are bare numbers at 1-s steps (wpmProgression)
  std::string end_key;                                 // for {start, end} segments
  std::string value_key;                               // numeric value key
  std::map<std::string, double, std::less<>> ordinal;  // categorical value -> number (value_key names it)
};

struct Point {
  double t0, t1, v;
};

// ---- How each column is said (core/feature_info.h, docs/reporting.md) ----------------------
// Every column gets a human name and a FeaturePhrase. The helpers below give the default
// wording of each phrase kind from one noun, so "more" / "fewer" / "higher" / "sooner" are chosen
// once, here, and never stacked on a name that is already a comparison ("more highest ...").
// Filmable instructions are written per column (film()) only where a creator can honestly act
// on them; the rest stay not-for-creators.

struct Words {
  std::string name;
  FeaturePhrase say;
  Words film(std::string do_more, std::string do_less) const {
    Words w = *this;
    w.say.do_more = std::move(do_more);
    w.say.do_less = std::move(do_less);
    return w;
  }
  Words at(VideoPart p) const {
    Words w = *this;
    w.say.part = p;
    return w;
  }
};

Words words(PhraseKind k, Unit u, std::string name, std::string more, std::string less) {
  Words w;
  w.name = std::move(name);
  w.say.kind = k;
  w.say.unit = u;
  w.say.more = std::move(more);
  w.say.less = std::move(less);
  return w;
}
// Levels that say the analysis could not tell: never named as what the top videos have instead.
bool is_unknown_level(std::string_view v) {
  return v == "other" || v == "unknown" || v == "unclassified" || v == "unmeasured" || v == "unavailable" ||
         v == "none_detected";
}

// "do not " + a predicate, without doubled negations: "have no bursts of voice energy" is negated
// as "have some bursts of voice energy", never "do not have no ...".
std::string negated(const std::string& with) {
  for (const char* verb : {"have no ", "use no ", "show no "})
    if (with.rfind(verb, 0) == 0) {
      std::string out = with;
      out.replace(out.find(" no "), 4, " some ");
      return out;
    }
  std::string out = "do not ";
  out += with;
  return out;
}

// "the first on-screen text": show it later / sooner. The name says the unit, so the same moment
// in seconds and as a share of the video read apart ("time to ...", "share of the video before ...").
Words timing(const std::string& thing, Unit u, const std::string& verb = "show") {
  const std::string name = (u == Unit::seconds ? "time to " : "share of the video before ") + thing;
  return words(PhraseKind::timing, u, name, verb + " " + thing + " later", verb + " " + thing + " sooner");
}
// "scenes": more scenes / fewer scenes.
Words count_of(const std::string& plural) {
  return words(PhraseKind::count, Unit::count, "number of " + plural, "have more " + plural, "have fewer " + plural);
}
// "cuts" per second (or per minute).
Words rate_of(const std::string& plural, Unit u = Unit::per_second) {
  const std::string name = plural + (u == Unit::per_minute ? " per minute" : " per second");
  return words(PhraseKind::rate, u, name, "have more " + name, "have fewer " + name);
}
// "a face on screen": for more / less of the video.
Words share_with(const std::string& what) {
  return words(PhraseKind::share, Unit::fraction, "share of the video with " + what,
               "have " + what + " for more of the video", "have " + what + " for less of the video");
}
// "hashtags that are generic": a larger / smaller share of them.
Words share_of(const std::string& what) {
  return words(PhraseKind::share, Unit::fraction, "share of " + what, "have a larger share of " + what,
               "have a smaller share of " + what);
}
// "emotional intensity": higher / lower.
Words level(const std::string& noun, Unit u = Unit::score) {
  return words(PhraseKind::level, u, noun, "have higher " + noun, "have lower " + noun);
}
// "a strong visual opening": with / without.
Words presence(const std::string& noun) {
  return words(PhraseKind::presence, Unit::fraction, noun, "have " + noun, negated("have " + noun));
}

std::string replace_v(std::string t, const std::string& v) {
  for (auto pos = t.find("{v}"); pos != std::string::npos; pos = t.find("{v}", pos + v.size())) t.replace(pos, 3, v);
  return t;
}

// A closed set of values (one-hot categories, multi-hot lists): one template, one label per value.
using WordMap = std::map<std::string, std::string, std::less<>>;
struct Cat {
  std::string name;  // "{v} editing"
  std::string more;  // "use {v} editing"; the other side names the other levels (below)
  WordMap label;     // value -> words (default: the value humanised; "other" -> "another kind of")
  WordMap film;      // value -> instruction for the with side
  PhraseKind kind = PhraseKind::category;
  VideoPart part = VideoPart::whole;
  Cat(std::string n, std::string m, WordMap l = {}, WordMap f = {}, PhraseKind k = PhraseKind::category,
      VideoPart p = VideoPart::whole)
      : name(std::move(n)), more(std::move(m)), label(std::move(l)), film(std::move(f)), kind(k), part(p) {}
  std::string words_for(const std::string& value) const {
    auto it = label.find(value);
    return it != label.end() ? it->second : (value == "other" ? "another kind of" : humanize_key(value));
  }
  // The without side of one level says what those videos have instead: "have sparse or dense
  // on-screen activity overall rather than moderate", not "do not have moderate on-screen activity
  // overall". With more than four other known levels that list is no longer a sentence, so it
  // says "do not".
  // `levels`: the category's known values (one-hot columns), empty for independent flags.
  Words of(const std::string& value, const std::vector<std::string>& levels = {}) const {
    const std::string v = words_for(value);
    const std::string with = replace_v(more, v);
    std::vector<std::string> others;
    for (const auto& l : levels)
      if (l != value && !is_unknown_level(l)) others.push_back(words_for(l));
    std::string without;
    if (!others.empty() && others.size() <= 4) {
      std::string joined;
      for (std::size_t i = 0; i < others.size(); ++i) {
        if (i) joined += i + 1 == others.size() ? " or " : ", ";
        joined += others[i];
      }
      without = replace_v(more, joined);
      // A middle or one-of-several level read alone leaves the reader guessing what the
      // finding is about ("have sparse or dense activity"): name the level left out.
      if (value != "none" && value != "other" && v.rfind("no ", 0) != 0)
        without += v.rfind("a ", 0) == 0 ? " rather than " + v + " one" : " rather than " + v;
    } else {
      without = negated(with);
    }
    Words w = words(kind, Unit::fraction, replace_v(name, v), with, without);
    w.say.part = part;
    if (auto f = film.find(value); f != film.end()) w.say.do_more = f->second;
    return w;
  }
};

// The analyzer's own Quality block (never tested: stats/elements.h), said plainly all the same.
Words analyzer_level(const std::string& what, const std::string& analysis) {
  return level(what + " of the " + analysis + " analysis");
}

// A timeline's 13 summaries said from one noun ("on-screen activity"); `more`/`less` are the
// comparatives that fit it ("more"/"less", "faster"/"slower").
struct TimelineWords {
  std::string noun;
  std::string more = "more", less = "less";
  Unit unit = Unit::none;
  std::string active;  // what "active" means for the share-of-the-video summary (default: noun)
  // The trend over the video, per side ("speed up as the video goes on" / "slow down ..."), and
  // how the first active moment is said ("start speaking"); defaults from the noun.
  std::string rise, fall, starts;
  // Instructions, per summary index (kTimelineStats), for the more / less side.
  std::map<int, std::pair<std::string, std::string>> film;
  explicit TimelineWords(std::string n, std::string m = "more", std::string l = "less", Unit u = Unit::none,
                         std::string a = {})
      : noun(std::move(n)), more(std::move(m)), less(std::move(l)), unit(u), active(std::move(a)) {}
};

class Builder {
 public:
  std::vector<Group> groups;

  FeatureInfo info(int f, std::string_view block, std::string_view path, std::string_view suffix, FeatureKind kind,
                   Words w, std::string group = {}) const {
    FeatureInfo fi;
    fi.name = std::string(kShort[f]) + "." + std::string(path) + std::string(suffix);
    fi.source = std::string(kFlowNames[f]) + "." + std::string(block) + "." + std::string(path);
    fi.kind = kind;
    fi.phrase = std::move(w.name);
    fi.say = std::move(w.say);
    fi.group = std::move(group);
    return fi;
  }
  template <class F>
  void add(std::vector<FeatureInfo> infos, F fill) {
    groups.push_back({std::move(infos), Fill<JsonNode>(fill), Fill<SimdNode>(fill)});
  }

  void num(int f, std::string_view b, std::string path, Words w, FeatureKind k = FeatureKind::numeric) {
    add({info(f, b, path, "", k, std::move(w))}, [f, b, path](const auto& c, double* o) { o[0] = c.num(f, b, path); });
  }
  void flag(int f, std::string_view b, std::string path, Words w) {
    num(f, b, std::move(path), std::move(w), FeatureKind::flag);
  }
  void per_second(int f, std::string_view b, std::string path, Words w) {
    add({info(f, b, path, "_per_s", FeatureKind::derived, std::move(w))},
        [f, b, path](const auto& c, double* o) { o[0] = c.norm(c.num(f, b, path)); });
  }
  // A moment ("12-13s", "5s", 39.95) as a fraction of the duration; null -> NaN.
  void position(int f, std::string_view b, std::string path, Words w) {
    add({info(f, b, path, "_pos", FeatureKind::temporal, std::move(w))}, [f, b, path](const auto& c, double* o) {
      auto span = c.at(f, b, path).time_span();
      o[0] = span ? c.norm(span->first) : kNaN;
    });
  }
  // 1 when the key holds a value, 0 when it is null (climaxMoment), NaN when absent.
  void present(int f, std::string_view b, std::string path, Words w) {
    add({info(f, b, path, "_present", FeatureKind::flag, std::move(w))}, [f, b, path](const auto& c, double* o) {
      const auto v = c.at(f, b, path);
      o[0] = !v ? kNaN : (v.is_null() ? 0.0 : 1.0);
    });
  }
  void count(int f, std::string_view b, std::string path, Words w) {
    add({info(f, b, path, ".count", FeatureKind::numeric, std::move(w))}, [f, b, path](const auto& c, double* o) {
      const auto v = c.at(f, b, path);
      o[0] = (v && (v.is_array() || v.is_object())) ? static_cast<double>(v.size()) : kNaN;
    });
  }
  // max / mean over a numeric key of list items; an empty list gives 0.
  void list_stat(int f, std::string_view b, std::string path, std::string item_key, bool use_max, Words w) {
    const std::string suffix = "." + item_key + (use_max ? "_max" : "_mean");
    add({info(f, b, path, suffix, FeatureKind::derived, std::move(w))},
        [f, b, path, item_key, use_max](const auto& c, double* o) {
          const auto v = c.at(f, b, path);
          if (!v || !v.is_array()) {
            o[0] = kNaN;
            return;
          }
          double acc = use_max ? -std::numeric_limits<double>::infinity() : 0.0;
          int n = 0;
          for (const auto item : v.items()) {
            const double x = item.path(item_key).number_or_nan();
            if (std::isnan(x)) continue;
            acc = use_max ? std::max(acc, x) : acc + x;
            ++n;
          }
          o[0] = n == 0 ? 0.0 : (use_max ? acc : acc / n);
        });
  }
  // Position of the earliest item (time_key) as a share of the duration; empty list -> 1.0
  // ("not before the end", like upstream's timeToFirstOverlay = duration).
  void first_position(int f, std::string_view b, std::string path, std::string time_key, Words w) {
    add({info(f, b, path, ".first_pos", FeatureKind::temporal, std::move(w))},
        [f, b, path, time_key](const auto& c, double* o) {
          const auto v = c.at(f, b, path);
          if (!v || !v.is_array()) {
            o[0] = kNaN;
            return;
          }
          double first = kNaN;
          for (const auto item : v.items()) {
            auto span = time_key.empty() ? item.time_span() : item.path(time_key).time_span();
            if (span && (std::isnan(first) || span->first < first)) first = span->first;
          }
          o[0] = std::isnan(first) ? (v.empty() ? 1.0 : kNaN) : c.norm(first);
        });
  }
  void onehot(int f, std::string_view b, std::string path, std::vector<std::string> values, const Cat& cat) {
    const std::string group = std::string(kFlowNames[f]) + "." + std::string(b) + "." + path;
    std::vector<FeatureInfo> infos;
    for (const auto& v : values)
      infos.push_back(info(f, b, path, "=" + v, FeatureKind::onehot, cat.of(v, values), group));
    infos.push_back(info(f, b, path, "=other", FeatureKind::onehot, cat.of("other", values), group));
    add(std::move(infos), [f, b, path, values](const auto& c, double* o) {
      const auto v = c.at(f, b, path);
      const std::size_t n = values.size() + 1;
      if (!v || v.is_null()) {
        std::fill(o, o + n, kNaN);
        return;
      }
      std::fill(o, o + n, 0.0);
      const std::string dumped = v.is_string() ? std::string() : v.dump();
      const std::string_view s = v.is_string() ? v.str() : std::string_view(dumped);
      auto it = std::find(values.begin(), values.end(), s);
      if (it != values.end()) {
        o[it - values.begin()] = 1.0;
      } else {
        o[n - 1] = 1.0;
        c.warn(std::string(kFlowNames[f]) + "." + std::string(b) + "." + path + ": unknown value '" + std::string(s) +
               "'");
      }
    });
  }
  // A string list over a closed set: one 0/1 column per value, plus how many items.
  void multihot(int f, std::string_view b, std::string path, std::vector<std::string> values, Cat cat) {
    cat.kind = PhraseKind::presence;
    std::vector<FeatureInfo> infos;
    for (const auto& v : values) infos.push_back(info(f, b, path, ":" + v, FeatureKind::flag, cat.of(v)));
    add(std::move(infos), [f, b, path, values](const auto& c, double* o) {
      const auto v = c.at(f, b, path);
      if (!v || !v.is_array()) {
        std::fill(o, o + values.size(), kNaN);
        return;
      }
      std::fill(o, o + values.size(), 0.0);
      for (const auto item : v.items()) {
        if (!item.is_string()) continue;
        auto it = std::find(values.begin(), values.end(), item.str());
        if (it != values.end()) o[it - values.begin()] = 1.0;
      }
    });
  }
  // Share of list items whose item_key equals each value (e.g. ctaType, primaryElement).
  // `what` names the items with "{v}" for the value: "on-screen calls to action that say {v}".
  void category_shares(int f, std::string_view b, std::string path, std::string item_key,
                       std::vector<std::string> values, const std::string& what, const WordMap& label = {},
                       const WordMap& film = {}) {
    std::vector<FeatureInfo> infos;
    for (const auto& v : values) {
      auto it = label.find(v);
      const std::string item = replace_v(what, it != label.end() ? it->second : humanize_key(v));
      Words w = share_of(item);
      if (auto fi = film.find(v); fi != film.end()) w.say.do_more = fi->second;
      infos.push_back(info(f, b, path, "." + item_key + "_share:" + v, FeatureKind::derived, std::move(w)));
    }
    add(std::move(infos), [f, b, path, item_key, values](const auto& c, double* o) {
      const auto v = c.at(f, b, path);
      const std::size_t n = values.size();
      if (!v || !v.is_array()) {
        std::fill(o, o + n, kNaN);
        return;
      }
      if (v.empty()) {
        std::fill(o, o + n, 0.0);
        return;
      }
      std::vector<double> counts(n, 0.0);
      for (const auto item : v.items()) {
        const auto k = item.path(item_key);
        if (!k.is_string()) continue;
        auto it = std::find(values.begin(), values.end(), k.str());
        if (it != values.end()) counts[it - values.begin()] += 1;
      }
      for (std::size_t i = 0; i < n; ++i) o[i] = counts[i] / static_cast<double>(v.size());
    });
  }

  static constexpr std::array<std::string_view, 13> kTimelineStats = {".mean",
                                                                      ".std",
                                                                      ".min",
                                                                      ".max",
                                                                      ".slope",
                                                                      ".peak_pos",
                                                                      ".hook_3s",
                                                                      ".first_third",
                                                                      ".middle_third",
                                                                      ".last_third",
                                                                      ".first_active_pos",
                                                                      ".final",
                                                                      ".active_frac"};
  enum TimelineStat : int {
    kMean = 0,
    kStd,
    kMin,
    kMax,
    kSlope,
    kPeakPos,
    kHook3s,
    kFirstThird,
    kMiddleThird,
    kLastThird,
    kFirstActivePos,
    kFinal,
    kActiveFrac
  };

  static std::array<Words, 13> timeline_words(const TimelineWords& t) {
    const std::string& n = t.noun;
    const std::string active = t.active.empty() ? n : t.active;
    const std::string rise = t.rise.empty() ? "build up " + n + " as the video goes on" : t.rise;
    const std::string fall = t.fall.empty() ? "let " + n + " fall off as the video goes on" : t.fall;
    const std::string starts = t.starts.empty() ? "show " + active : t.starts;
    const Unit u = t.unit;
    auto lvl = [&](std::string name, const std::string& where) {
      return words(PhraseKind::level, u, std::move(name), "have " + t.more + " " + n + " " + where,
                   "have " + t.less + " " + n + " " + where);
    };
    std::array<Words, 13> w = {
        lvl("average " + n, "on average"),
        words(PhraseKind::level, u, "variation in " + n, "vary their " + n + " more", "keep their " + n + " steadier"),
        words(PhraseKind::level, u, "lowest " + n, "keep " + n + " higher at its lowest point",
              "let " + n + " drop lower at its lowest point"),
        words(PhraseKind::level, u, "peak " + n, "reach " + t.more + " " + n + " at their peak",
              "reach " + t.less + " " + n + " at their peak"),
        words(PhraseKind::level, Unit::none, "rise of " + n + " over the video", rise, fall),
        words(PhraseKind::timing, Unit::video_share, "share of the video before the peak of " + n,
              "reach their peak " + n + " later", "reach their peak " + n + " sooner"),
        lvl(n + " in the first 3 seconds", "in the first 3 seconds").at(VideoPart::hook),
        lvl(n + " in the first third", "in the first third").at(VideoPart::body),
        lvl(n + " in the middle third", "in the middle third").at(VideoPart::body),
        lvl(n + " in the last third", "in the last third").at(VideoPart::cta),
        words(PhraseKind::timing, Unit::video_share, "share of the video before they " + starts, starts + " later",
              starts + " sooner"),
        words(PhraseKind::level, u, n + " at the end", "end with " + t.more + " " + n, "end with " + t.less + " " + n)
            .at(VideoPart::cta),
        share_with(active)};
    for (const auto& [i, f] : t.film)
      w[static_cast<std::size_t>(i)] = w[static_cast<std::size_t>(i)].film(f.first, f.second);
    return w;
  }

  void timeline(int f, std::string_view b, std::string path, TimelineSpec spec, const TimelineWords& t) {
    const auto w = timeline_words(t);
    std::vector<FeatureInfo> infos;
    for (std::size_t i = 0; i < kTimelineStats.size(); ++i)
      infos.push_back(info(f, b, path, kTimelineStats[i], FeatureKind::temporal, w[i]));
    add(std::move(infos),
        [f, b, path, spec](const auto& c, double* o) { fill_timeline(c, c.at(f, b, path), spec, o); });
  }

  template <class Node>
  static void fill_timeline(const Ctx<Node>& c, Node v, const TimelineSpec& spec, double* o) {
    std::fill(o, o + kTimelineStats.size(), kNaN);
    if (!v || !v.is_array()) return;
    std::vector<Point> pts;
    pts.reserve(v.size());
    double idx = 0;
    for (const auto item : v.items()) {
      Point p{idx, idx + 1, kNaN};
      idx += 1;
      if (spec.time_key.empty()) {
        p.v = item.number_or_nan();
      } else {
        auto span = item.path(spec.time_key).time_span();
        if (!span) continue;
        p.t0 = span->first;
        p.t1 = span->second;
        if (!spec.end_key.empty()) {
          auto end = item.path(spec.end_key).time_span();
          if (end) p.t1 = end->first;
        }
        if (p.t1 <= p.t0) p.t1 = p.t0 + 1;  // "5s", {second: 5}: a one-second slot
        const auto val = item.path(spec.value_key);
        if (!spec.ordinal.empty()) {
          if (val.is_string()) {
            auto it = spec.ordinal.find(val.str());
            p.v = it == spec.ordinal.end() ? kNaN : it->second;
          }
        } else {
          p.v = val.number_or_nan();
        }
      }
      if (!std::isnan(p.v)) pts.push_back(p);
    }
    if (pts.empty()) return;
    std::stable_sort(pts.begin(), pts.end(), [](const Point& a, const Point& b) { return a.t0 < b.t0; });
    double dur = c.duration;
    if (!(std::isfinite(dur) && dur > 0)) dur = pts.back().t1;
    const double n = static_cast<double>(pts.size());
    double sum = 0, mn = pts[0].v, mx = pts[0].v;
    std::size_t arg = 0;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      sum += pts[i].v;
      mn = std::min(mn, pts[i].v);
      if (pts[i].v > mx) {
        mx = pts[i].v;
        arg = i;
      }
    }
    const double mean = sum / n;
    double ss = 0, sx = 0, sxx = 0, sxy = 0;
    for (const auto& p : pts) {
      ss += (p.v - mean) * (p.v - mean);
      const double x = 0.5 * (p.t0 + p.t1) / dur;
      sx += x;
      sxx += x * x;
      sxy += x * p.v;
    }
    const double varx = sxx - sx * sx / n;
    auto window_mean = [&](double lo, double hi, bool by_start) {
      double s = 0;
      int k = 0;
      for (const auto& p : pts) {
        const double t = by_start ? p.t0 : 0.5 * (p.t0 + p.t1);
        if (t >= lo && t < hi) {
          s += p.v;
          ++k;
        }
      }
      return k ? s / k : kNaN;
    };
    o[0] = mean;
    o[1] = std::sqrt(ss / n);
    o[2] = mn;
    o[3] = mx;
    o[4] = (pts.size() >= 2 && varx > 1e-12) ? (sxy - sx * sum / n) / varx : kNaN;
    o[5] = 0.5 * (pts[arg].t0 + pts[arg].t1) / dur;
    o[6] = window_mean(-1e300, 3.0, true);
    o[7] = window_mean(-1e300, dur / 3, false);
    o[8] = window_mean(dur / 3, 2 * dur / 3, false);
    o[9] = window_mean(2 * dur / 3, 1e300, false);
    o[10] = 1.0;
    double active = 0;
    for (const auto& p : pts)
      if (p.v > 0) {
        o[10] = std::min(o[10], p.t0 / dur);
        active += 1;
      }
    o[11] = pts.back().v;
    o[12] = active / n;
  }
};

const std::vector<std::string> kElements = {"expression", "gesture", "object", "text", "transition"};
const std::map<std::string, std::string, std::less<>> kElementWords = {{"expression", "facial expressions"},
                                                                       {"gesture", "gestures"},
                                                                       {"object", "objects"},
                                                                       {"text", "text"},
                                                                       {"transition", "transitions"}};

std::vector<std::string> element_pairs() {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kElements.size(); ++i)
    for (std::size_t j = i + 1; j < kElements.size(); ++j) out.push_back(kElements[i] + "_" + kElements[j]);
  return out;
}
// "expression_gesture" -> "facial expressions and gestures"
std::string pair_words(const std::string& pair, const char* joiner = " and ") {
  const auto u = pair.find('_');
  return kElementWords.at(pair.substr(0, u)) + joiner + kElementWords.at(pair.substr(u + 1));
}

// The 7 flows' names in analyzer phrases ("the text overlay analysis").
constexpr std::array<std::string_view, 7> kAnalysis = {"on-screen activity", "emotion", "framing", "scene", "speech",
                                                       "text overlay",       "caption"};
std::string analysis(int f) { return std::string(kAnalysis[f]); }

// Pacing categories shared by two density classifications.
const std::map<std::string, std::string, std::less<>> kPacingLabels = {{"front_loaded", "front-loaded"},
                                                                       {"back_loaded", "back-loaded"},
                                                                       {"oscillating", "rising and falling"},
                                                                       {"even", "even"}};
const std::map<std::string, std::string, std::less<>> kPacingFilm = {
    {"front_loaded", "Put the busiest moments at the start"},
    {"back_loaded", "Save the busiest moments for the end"},
    {"even", "Keep the pace even from start to end"}};

void add_quality_block(Builder& s, int F) {
  s.num(F, "Quality", "detectionConfidence", analyzer_level("detection confidence", analysis(F)));
  s.num(F, "Quality", "dataCompleteness", analyzer_level("data completeness", analysis(F)));
}

void add_density(Builder& s) {
  const int F = kDensity;
  s.num(F, "CoreMetrics", "avgDensity",
        rate_of("on-screen elements")
            .film("Have text, a close-up or a gesture on screen in every second, often several at once",
                  "Keep the screen calm: one thing at a time, with fewer overlays and cuts"));
  s.num(F, "CoreMetrics", "maxDensity", count_of("on-screen elements at the busiest second"));
  s.num(F, "CoreMetrics", "minDensity", count_of("on-screen elements at the quietest second"));
  s.num(F, "CoreMetrics", "stdDeviation",
        words(PhraseKind::level, Unit::none, "variation in on-screen activity", "vary their on-screen activity more",
              "keep their on-screen activity more even"));
  s.num(F, "CoreMetrics", "totalElements", count_of("on-screen elements in total"));
  s.num(F, "CoreMetrics", "sceneChangeCount",
        count_of("scene changes")
            .film("Change scene more often, about {top} times", "Change scene less often, about {top} times"));
  s.num(F, "CoreMetrics", "timelineCoverage",
        share_with("something happening on screen")
            .film("Keep something happening on screen for at least {top} of the video", ""));
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> element_counts = {
      {"text", {"Put text on screen more often", "Use less on-screen text"}},
      {"sticker", {"Add stickers", "Use fewer stickers"}},
      {"transition", {"Add transitions between shots", "Use fewer transitions"}},
      {"object", {"", ""}},
      {"gesture", {"Use more hand gestures", "Use fewer hand gestures"}},
      {"expression", {"Show more facial expressions", ""}},
      {"effect", {"Add visual effects", "Use fewer visual effects"}}};
  const std::map<std::string, std::string, std::less<>> element_nouns = {
      {"text", "text elements"},     {"sticker", "stickers"}, {"transition", "transitions"},
      {"object", "objects in view"}, {"gesture", "gestures"}, {"expression", "facial expressions"},
      {"effect", "visual effects"}};
  for (const auto& [e, film] : element_counts) {
    const std::string& noun = element_nouns.at(e);
    const auto with_target = [](const std::string& t, const char* tail) { return t.empty() ? t : t + tail; };
    s.num(F, "CoreMetrics", "elementCounts." + e,
          count_of(noun).film(with_target(film.first, ", about {top} times"),
                              with_target(film.second, ", about {top} in total")));
    s.per_second(
        F, "CoreMetrics", "elementCounts." + e,
        rate_of(noun).film(with_target(film.first, ", about {top}"), with_target(film.second, ", about {top}")));
  }
  s.per_second(
      F, "CoreMetrics", "sceneChangeCount",
      rate_of("scene changes").film("Cut to a new scene more often, about {top}", "Cut less often, about {top}"));
  // The density curve counts creative elements per second.
  TimelineWords activity("on-screen activity", "more", "less", Unit::per_second);
  activity.film[Builder::kHook3s] = {"Pack the first 3 seconds: text, a close-up and movement at once",
                                     "Keep the first 3 seconds simple: one subject, little text"};
  s.timeline(F, "Dynamics", "densityCurve", {"second", "", "density", {}}, activity);
  s.category_shares(F, "Dynamics", "densityCurve", "primaryElement",
                    {"text", "object", "gesture", "scene_change", "none"}, "seconds where {v} leads the screen",
                    {{"text", "text"},
                     {"object", "an object"},
                     {"gesture", "a gesture"},
                     {"scene_change", "a scene change"},
                     {"none", "nothing"}});
  s.num(F, "Dynamics", "volatility",
        words(PhraseKind::level, Unit::none, "jumps in on-screen activity", "have bigger jumps in on-screen activity",
              "have smaller jumps in on-screen activity"));
  s.onehot(F, "Dynamics", "accelerationPattern", {"front_loaded", "back_loaded", "oscillating", "even"},
           Cat{"{v} on-screen activity", "have {v} on-screen activity", kPacingLabels, kPacingFilm});
  s.count(F, "Dynamics", "emptySeconds",
          count_of("empty seconds with nothing on screen").film("", "Leave no second without something on screen"));
  s.add({s.info(F, "Dynamics", "emptySeconds", ".share", FeatureKind::derived,
                share_with("nothing on screen").film("", "Keep something on screen every second")),
         s.info(F, "Dynamics", "emptySeconds", ".hook_3s", FeatureKind::temporal,
                count_of("empty seconds in the first 3 seconds")
                    .film("", "Have something on screen from the very first second")
                    .at(VideoPart::hook))},
        [F](const auto& c, double* o) {
          const auto v = c.at(F, "Dynamics", "emptySeconds");
          if (!v || !v.is_array()) {
            o[0] = o[1] = kNaN;
            return;
          }
          o[0] = c.norm(static_cast<double>(v.size()));
          double hook = 0;
          for (const auto x : v.items()) hook += x.number_or_nan() < 3 ? 1 : 0;
          o[1] = hook;
        });
  // Interactions
  s.count(F, "Interactions", "multiModalPeaks", count_of("moments where several kinds of element peak together"));
  s.category_shares(F, "Interactions", "multiModalPeaks", "syncType", {"reinforcing", "complementary"},
                    "joint peaks where the elements {v}",
                    {{"reinforcing", "reinforce each other"}, {"complementary", "complement each other"}});
  s.first_position(F, "Interactions", "multiModalPeaks", "timestamp",
                   timing("the first joint peak of several elements", Unit::video_share, "reach"));
  const auto pairs = element_pairs();
  {
    std::vector<FeatureInfo> infos;
    for (const auto& p : pairs) {
      const std::string both = pair_words(p);
      infos.push_back(s.info(
          F, "Interactions", "elementCooccurrence." + p, "", FeatureKind::numeric,
          words(PhraseKind::count, Unit::seconds, "time with " + both + " on screen together",
                "have " + both + " on screen together for longer", "have " + both + " on screen together for less time")
              .film("Show " + both + " at the same time, for about {top}", "")));
    }
    infos.push_back(s.info(F, "Interactions", "elementCooccurrence", ".pairs", FeatureKind::derived,
                           count_of("different pairs of elements seen together")));
    infos.push_back(
        s.info(F, "Interactions", "elementCooccurrence", ".max", FeatureKind::derived,
               words(PhraseKind::level, Unit::seconds, "time the most common pair of elements shares the screen",
                     "have their most common pair of elements share the screen for longer",
                     "have their most common pair of elements share the screen for less time")));
    infos.push_back(s.info(F, "Interactions", "elementCooccurrence", ".entropy", FeatureKind::derived,
                           words(PhraseKind::level, Unit::none, "variety of element pairs",
                                 "mix a greater variety of element pairs", "mix a smaller variety of element pairs")));
    infos.push_back(s.info(F, "Interactions", "elementCooccurrence", ".total_per_s", FeatureKind::derived,
                           rate_of("element pairings")));
    s.add(std::move(infos), [F, pairs](const auto& c, double* o) {
      const auto v = c.at(F, "Interactions", "elementCooccurrence");
      const std::size_t n = pairs.size();
      if (!v || !v.is_object()) {
        std::fill(o, o + n + 4, kNaN);
        return;
      }
      std::fill(o, o + n, 0.0);
      double total = 0, mx = 0, pairs_seen = 0;
      std::vector<double> vals;
      for (const auto& [key, val] : v.members()) {
        const double x = val.number_or_nan();
        if (std::isnan(x)) continue;
        auto it = std::find(pairs.begin(), pairs.end(), key);
        if (it != pairs.end())
          o[it - pairs.begin()] = x;
        else
          c.warn("creative_density.Interactions.elementCooccurrence: unknown pair '" + std::string(key) + "'");
        if (x > 0) {
          pairs_seen += 1;
          vals.push_back(x);
        }
        total += x;
        mx = std::max(mx, x);
      }
      double entropy = 0;
      for (double x : vals) entropy -= (x / total) * std::log2(x / total);
      o[n] = pairs_seen;
      o[n + 1] = mx;
      o[n + 2] = entropy;
      o[n + 3] = c.norm(total);
    });
  }
  {
    std::vector<std::string> dom = pairs;
    dom.push_back("none");
    Cat cat{"{v} as the most common pairing",
            "pair {v} most often",
            {{"none", "nothing"}, {"other", "other elements"}},
            {}};
    for (const auto& p : pairs) cat.label[p] = pair_words(p, " with ");
    s.onehot(F, "Interactions", "dominantCombination", dom, cat);
  }
  s.num(F, "Interactions", "coordinationScore", share_of("seconds where several kinds of element appear together"));
  // KeyEvents
  s.count(F, "KeyEvents", "peakMoments", count_of("peaks in on-screen activity"));
  s.first_position(F, "KeyEvents", "peakMoments", "timestamp",
                   timing("the first peak in on-screen activity", Unit::video_share, "reach")
                       .film("", "Build the first busy moment early, by {top}"));
  s.list_stat(F, "KeyEvents", "peakMoments", "totalElements", true, count_of("on-screen elements at the busiest peak"));
  s.list_stat(F, "KeyEvents", "peakMoments", "surpriseScore", true, level("surprise at the most surprising peak"));
  s.list_stat(F, "KeyEvents", "peakMoments", "surpriseScore", false, level("surprise at peaks in on-screen activity"));
  s.list_stat(
      F, "KeyEvents", "peakMoments", "elementBreakdown.text", false,
      count_of("text elements at peaks in on-screen activity").film("Put text on screen at the busiest moments", ""));
  s.count(
      F, "KeyEvents", "deadZones",
      count_of("dead zones of 2 or more empty seconds").film("", "Leave no 2-second stretch with nothing on screen"));
  s.list_stat(F, "KeyEvents", "deadZones", "duration", true,
              words(PhraseKind::level, Unit::seconds, "longest stretch with nothing on screen",
                    "have longer stretches with nothing on screen", "have shorter stretches with nothing on screen")
                  .film("", "Keep any stretch with nothing on screen under {top}"));
  s.first_position(F, "KeyEvents", "deadZones", "start", timing("the first dead zone", Unit::video_share, "have"));
  s.add({s.info(F, "KeyEvents", "deadZones", ".share", FeatureKind::derived,
                share_with("dead zones").film("", "Keep something on screen every second"))},
        [F](const auto& c, double* o) {
          const auto v = c.at(F, "KeyEvents", "deadZones");
          if (!v || !v.is_array()) {
            o[0] = kNaN;
            return;
          }
          double total = 0;
          for (const auto z : v.items()) {
            const double d = z.path("duration").number_or_nan();
            if (!std::isnan(d)) total += d;
          }
          o[0] = c.norm(total);
        });
  s.count(F, "KeyEvents", "densityShifts", count_of("shifts in on-screen activity"));
  s.list_stat(F, "KeyEvents", "densityShifts", "magnitude", true,
              words(PhraseKind::level, Unit::none, "biggest shift in on-screen activity",
                    "have bigger peak shifts in on-screen activity", "have smaller peak shifts in on-screen activity"));
  s.list_stat(F, "KeyEvents", "densityShifts", "magnitude", false,
              words(PhraseKind::level, Unit::none, "typical size of shifts in on-screen activity",
                    "have bigger shifts in on-screen activity on average",
                    "have smaller shifts in on-screen activity on average"));
  s.category_shares(
      F, "KeyEvents", "densityShifts", "to", {"none", "low", "medium", "high"},
      "shifts in on-screen activity that go to {v}",
      {{"none", "nothing"}, {"low", "low activity"}, {"medium", "medium activity"}, {"high", "high activity"}});
  s.first_position(F, "KeyEvents", "densityShifts", "timestamp",
                   timing("the first shift in on-screen activity", Unit::video_share, "have"));
  // Patterns
  s.flag(F, "Patterns", "structuralFlags.strongOpeningHook",
         presence("a strong visual opening")
             .film("Open with a strong visual in the first second: movement, a close-up or bold text", "")
             .at(VideoPart::hook));
  s.flag(F, "Patterns", "structuralFlags.crescendoPattern",
         presence("on-screen activity that builds to a peak").film("Build up to one busiest moment near the end", ""));
  s.flag(F, "Patterns", "structuralFlags.frontLoaded",
         presence("most of the on-screen activity at the start")
             .film("Put most of the action in the first third", "Spread the action over the whole video"));
  s.flag(F, "Patterns", "structuralFlags.consistentPacing",
         presence("consistent visual pacing").film("Keep the same pace of cuts and text from start to end", ""));
  s.flag(F, "Patterns", "structuralFlags.finalCallToAction",
         presence("a visual call to action at the end")
             .film("End with the call to action on screen", "End without an on-screen call to action")
             .at(VideoPart::cta));
  s.flag(F, "Patterns", "structuralFlags.rhythmicPattern",
         presence("a rhythmic visual pattern").film("Cut on a steady beat", ""));
  s.onehot(F, "Patterns", "densityClassification", {"sparse", "moderate", "dense"},
           Cat{"{v} on-screen activity overall", "have {v} on-screen activity overall", {}, {}});
  s.onehot(F, "Patterns", "pacingStyle", {"front_loaded", "back_loaded", "oscillating", "even"},
           Cat{"{v} visual pacing", "have {v} visual pacing", kPacingLabels, kPacingFilm});
  s.onehot(F, "Patterns", "cognitiveLoadCategory", {"minimal", "optimal", "challenging"},
           Cat{"{v} visual load",
               "have {v} visual load",
               {{"minimal", "a light"}, {"optimal", "a balanced"}, {"challenging", "a heavy"}},
               {}});
}

void add_overlay(Builder& s) {
  const int F = kOverlay;
  s.num(F, "CoreMetrics", "totalOverlays",
        count_of("text overlays and stickers")
            .film("Use more text overlays or stickers, about {top}",
                  "Use fewer text overlays and stickers, about {top}"));
  s.num(F, "CoreMetrics", "totalTextOverlays",
        words(PhraseKind::count, Unit::seconds, "time with text on screen", "have text on screen for longer",
              "have text on screen for less time")
            .film("Keep text on screen for about {top} in total",
                  "Keep text on screen for less time, about {top} in total"));
  s.num(F, "CoreMetrics", "totalStickers",
        count_of("stickers").film("Add stickers, about {top}", "Use fewer stickers, about {top}"));
  s.num(F, "CoreMetrics", "uniqueOverlayCount",
        count_of("different text overlays")
            .film("Use more different text overlays, about {top}", "Use fewer different text overlays, about {top}"));
  s.num(F, "CoreMetrics", "overlayDensity",
        rate_of("text overlays")
            .film("Put new text on screen more often, about {top}", "Put new text on screen less often, about {top}"));
  s.num(F, "CoreMetrics", "uniqueOverlayRatio",
        words(PhraseKind::share, Unit::fraction, "share of distinct text overlays", "vary their text overlays more",
              "repeat their text overlays more")
            .film("Make each text overlay say something new", "Repeat the key text overlay"));
  s.num(F, "CoreMetrics", "timeToFirstOverlay",
        timing("the first on-screen text", Unit::seconds)
            .film("Hold the first text until about {top}", "Put the first text on screen within {top}"));
  s.num(F, "CoreMetrics", "avgOverlayDuration",
        words(PhraseKind::level, Unit::seconds, "time each text overlay stays on screen",
              "keep each text overlay on screen longer", "keep each text overlay on screen for less time")
            .film("Keep each text on screen for about {top}", "Keep each text on screen briefly, about {top}"));
  s.num(F, "CoreMetrics", "overlayFrequency",
        rate_of("text overlays", Unit::per_minute)
            .film("Put new text on screen more often, about {top}", "Put new text on screen less often, about {top}"));
  s.add({s.info(F, "CoreMetrics", "timeToFirstOverlay", "_pos", FeatureKind::temporal,
                timing("the first on-screen text", Unit::video_share)
                    .film("Hold the first text until about {top}", "Put the first text on screen within {top}")),
         s.info(F, "CoreMetrics", "timeToFirstOverlay", ".hook_3s", FeatureKind::flag,
                presence("text on screen in the first 3 seconds")
                    .film("Put text on screen in the first 3 seconds", "Keep the first 3 seconds free of text")
                    .at(VideoPart::hook))},
        [F](const auto& c, double* o) {
          const double t = c.num(F, "CoreMetrics", "timeToFirstOverlay");
          const double total = c.num(F, "CoreMetrics", "totalOverlays");
          o[0] = c.norm(t);
          o[1] = std::isnan(t) ? kNaN : ((t < 3.0 && !(total == 0)) ? 1.0 : 0.0);
        });
  TimelineWords text("on-screen text");
  text.film[Builder::kHook3s] = {"Put text on screen in the first 3 seconds", "Keep the first 3 seconds free of text"};
  text.film[Builder::kMean] = {"Keep text on screen through most of the video", "Use on-screen text sparingly"};
  text.film[Builder::kActiveFrac] = {"Keep text on screen for at least {top} of the video", ""};
  s.timeline(F, "Dynamics", "overlayProgression", {"timestamp", "", "density", {}}, text);
  s.num(F, "Dynamics", "rhythmConsistency",
        words(PhraseKind::level, Unit::score, "regularity of the text rhythm", "bring in text in a more regular rhythm",
              "bring in text in a less regular rhythm")
            .film("Bring in each new text on a steady rhythm", ""));
  const std::map<std::string, std::string, std::less<>> speed = {
      {"stable", "steady"}, {"accelerating", "speeding-up"}, {"decelerating", "slowing-down"}};
  const std::map<std::string, std::string, std::less<>> speed_film = {
      {"stable", "Bring in text at a steady pace"},
      {"accelerating", "Bring in text faster as the video goes on"},
      {"decelerating", "Bring in text slower as the video goes on"}};
  s.onehot(F, "Dynamics", "overlayAcceleration", {"stable", "accelerating", "decelerating"},
           Cat{"{v} text pacing", "have {v} text pacing", speed, speed_film});
  s.onehot(F, "Dynamics", "temporalDistribution", {"front_loaded", "balanced"},
           Cat{"{v} on-screen text",
               "have {v} on-screen text",
               {{"front_loaded", "front-loaded"}, {"balanced", "evenly spread"}},
               {{"front_loaded", "Put most of the text in the first seconds"},
                {"balanced", "Spread the text evenly over the video"}}});
  s.num(F, "Dynamics", "burstPatterns",
        count_of("quick bursts of text").film("Add quick bursts of text, about {top}", ""));
  s.per_second(F, "Dynamics", "burstPatterns", rate_of("quick bursts of text"));
  s.num(F, "Interactions", "overlaySpeechAlignment",
        words(PhraseKind::level, Unit::score, "match between on-screen text and speech",
              "match their on-screen text to the speech more closely",
              "match their on-screen text to the speech less closely")
            .film("Put on screen the words you are saying", ""));
  s.num(F, "Interactions", "overlayGestureSync",
        words(PhraseKind::level, Unit::score, "timing of on-screen text with gestures",
              "time their on-screen text with gestures more closely",
              "time their on-screen text with gestures less closely")
            .film("Point at or gesture to each text as it appears", ""));
  s.num(F, "Interactions", "multimodalReinforcementCount",
        count_of("texts backed up by speech or a gesture")
            .film("Back up each text with the same words spoken or a gesture, about {top} times", ""));
  s.num(F, "Interactions", "crossModalCoherence",
        words(PhraseKind::level, Unit::score, "fit between text, speech and gestures",
              "fit text, speech and gestures together more closely",
              "fit text, speech and gestures together less closely"));
  s.count(F, "Interactions", "multimodalMoments", count_of("moments where text, speech and gestures line up"));
  s.list_stat(F, "Interactions", "multimodalMoments", "hasSpeech", false, share_of("text moments with speech"));
  s.list_stat(F, "Interactions", "multimodalMoments", "hasGesture", false, share_of("text moments with a gesture"));
  s.first_position(F, "Interactions", "multimodalMoments", "timestamp",
                   timing("the first moment where text, speech and gestures line up", Unit::video_share, "have"));
  s.count(F, "KeyEvents", "overlayPeaks", count_of("peaks of on-screen text"));
  s.list_stat(F, "KeyEvents", "overlayPeaks", "intensity", true, level("intensity of the strongest text peak"));
  s.list_stat(F, "KeyEvents", "overlayPeaks", "overlayCount", true,
              count_of("texts on screen at once at the busiest moment"));
  s.first_position(F, "KeyEvents", "overlayPeaks", "timestamp",
                   timing("the first peak of on-screen text", Unit::video_share, "reach"));
  s.count(F, "KeyEvents", "ctaMoments",
          count_of("on-screen calls to action")
              .film("Show the call to action on screen, about {top} times", "")
              .at(VideoPart::cta));
  s.first_position(F, "KeyEvents", "ctaMoments", "timestamp",
                   timing("the first on-screen call to action", Unit::video_share)
                       .film("Hold the call to action until about {top}", "Show the call to action early, by {top}"));
  {
    const std::vector<std::string> types = {"buy",       "shop",    "click", "link",  "follow",
                                            "subscribe", "comment", "share", "order", "get"};
    std::map<std::string, std::string, std::less<>> label, film;
    for (const auto& t : types) {
      label[t] = "\"" + t + "\"";
      film[t] = "Use the word \"" + t + "\" in the on-screen call to action";
    }
    s.category_shares(F, "KeyEvents", "ctaMoments", "ctaType", types, "on-screen calls to action that say {v}", label,
                      film);
  }
  s.add({s.info(F, "KeyEvents", "ctaMoments", ".last_third", FeatureKind::flag,
                presence("an on-screen call to action in the last third")
                    .film("Show the call to action on screen in the last third", "")
                    .at(VideoPart::cta))},
        [F](const auto& c, double* o) {
          const auto v = c.at(F, "KeyEvents", "ctaMoments");
          if (!v || !v.is_array()) {
            o[0] = kNaN;
            return;
          }
          o[0] = 0;
          for (const auto m : v.items()) {
            auto span = m.path("timestamp").time_span();
            if (span && c.norm(span->first) >= 2.0 / 3.0) o[0] = 1;
          }
        });
  s.position(F, "KeyEvents", "climaxMoment", timing("the peak of on-screen text", Unit::video_share, "reach"));
  s.present(F, "KeyEvents", "climaxMoment", presence("a peak moment of on-screen text"));
  s.count(F, "KeyEvents", "quietMoments", count_of("quiet stretches without text"));
  s.onehot(F, "Patterns", "overlayStrategy", {"minimal", "moderate", "heavy"},
           Cat{"{v} amount of on-screen text",
               "have {v} amount of on-screen text",
               {{"minimal", "a minimal"}, {"moderate", "a moderate"}, {"heavy", "a large"}, {"other", "an unusual"}},
               {{"minimal", "Use very little on-screen text"},
                {"moderate", "Use some on-screen text, not a lot"},
                {"heavy", "Use a lot of on-screen text"}}});
  s.multihot(F, "Patterns", "overlayTechniques",
             {"direct_cta", "rhythmic_timing", "dynamic_pacing", "multimodal_reinforcement"},
             Cat{"{v}",
                 "use {v}",
                 {{"direct_cta", "a direct call to action in the text"},
                  {"rhythmic_timing", "text timed to a rhythm"},
                  {"dynamic_pacing", "fast-changing text"},
                  {"multimodal_reinforcement", "text backed up by speech or gestures"}},
                 {{"direct_cta", "Write the call to action as on-screen text"},
                  {"rhythmic_timing", "Time each text to the beat"},
                  {"dynamic_pacing", "Change the on-screen text quickly"},
                  {"multimodal_reinforcement", "Say out loud what the text says"}}});
  s.count(F, "Patterns", "overlayTechniques", count_of("on-screen text techniques"));
  s.onehot(F, "Patterns", "engagementArchetype", {"informational", "conversion_focused", "attention_grabbing"},
           Cat{"{v} on-screen text",
               "use {v} on-screen text",
               {{"informational", "informative"},
                {"conversion_focused", "sales-focused"},
                {"attention_grabbing", "attention-grabbing"}},
               {{"informational", "Use the text to teach: facts, steps or numbers"},
                {"conversion_focused", "Use the text to sell: the offer and where to buy"},
                {"attention_grabbing", "Use bold, surprising text to grab attention"}}});
  s.onehot(F, "Patterns", "pacingPattern", {"stable", "accelerating", "decelerating"},
           Cat{"{v} pace of on-screen text",
               "have {v} pace of on-screen text",
               {{"stable", "a steady"},
                {"accelerating", "a speeding-up"},
                {"decelerating", "a slowing-down"},
                {"other", "an unusual"}},
               speed_film});
  s.onehot(F, "Patterns", "contentFocus", {"product_focused", "informational"},
           Cat{"{v} text content",
               "have {v} text content",
               {{"product_focused", "product-focused"}, {"informational", "informational"}},
               {{"product_focused", "Make the on-screen text about the product"},
                {"informational", "Make the on-screen text about useful information"}}});
  add_quality_block(s, F);
  s.onehot(
      F, "Quality", "analysisReliability", {"high", "low"},
      Cat{"{v} reliability of the text overlay analysis", "have {v} reliability in the text overlay analysis", {}, {}});
  s.multihot(F, "Quality", "missingDataPoints", {"no_overlays_detected", "low_text_variety"},
             Cat{"an analyzer note of {v}",
                 "have an analyzer note of {v}",
                 {{"no_overlays_detected", "no text overlays"}, {"low_text_variety", "little variety of text"}},
                 {}});
  s.num(F, "Quality", "timelineCoverage", share_with("text on screen"));
  s.num(F, "Quality", "overallConfidence", analyzer_level("overall confidence", analysis(F)));
}

const std::vector<std::string> kEmotions = {"joy", "sadness", "anger", "fear", "disgust", "surprise", "neutral"};

void add_emotion(Builder& s) {
  const int F = kEmotion;
  s.num(F, "CoreMetrics", "uniqueEmotions",
        count_of("different emotions shown")
            .film("Show more than one emotion, about {top}", "Stick to one or two emotions"));
  s.num(F, "CoreMetrics", "emotionTransitions",
        count_of("changes of emotion").film("Change emotion more often, about {top} times", ""));
  s.per_second(F, "CoreMetrics", "emotionTransitions", rate_of("changes of emotion"));
  {
    Cat cat{"{v} as the main emotion",
            "show mostly {v}",
            {{"neutral", "a neutral face"}, {"other", "another emotion"}},
            {}};
    for (const auto& e : kEmotions) {
      std::string film = "Make ";
      film += e == "neutral" ? std::string("a calm, neutral face") : e;
      film += " the main emotion you show";
      cat.film[e] = film;
    }
    s.onehot(F, "CoreMetrics", "dominantEmotion", kEmotions, cat);
  }
  s.num(F, "CoreMetrics", "emotionalDiversity",
        words(PhraseKind::level, Unit::score, "range of emotions shown", "show a wider range of emotions",
              "show a narrower range of emotions")
            .film("Show a wider range of emotions", "Stick to one main emotion"));
  s.num(F, "CoreMetrics", "gestureEmotionAlignment",
        words(PhraseKind::level, Unit::score, "match between gestures and emotion",
              "match their gestures to the emotion more closely", "match their gestures to the emotion less closely")
            .film("Let your gestures match what you feel", ""));
  s.num(F, "CoreMetrics", "emotionalIntensity",
        words(PhraseKind::level, Unit::score, "emotional intensity", "show stronger emotion", "show calmer emotion")
            .film("Show emotion strongly, with big reactions", "Keep your emotions calm"));
  TimelineWords intensity("emotional intensity", "higher", "lower", Unit::score);
  intensity.active = "emotion";
  intensity.starts = "show emotion";
  intensity.film[Builder::kHook3s] = {"Show strong emotion in the first 3 seconds", "Start calm"};
  s.timeline(F, "Dynamics", "emotionProgression", {"timestamp", "", "intensity", {}}, intensity);
  {
    std::map<std::string, std::string, std::less<>> film;
    for (const auto& e : kEmotions) {
      std::string f = "Show ";
      f += e == "neutral" ? std::string("a calm, neutral face") : e;
      f += " for more of the video";
      film[e] = f;
    }
    s.category_shares(F, "Dynamics", "emotionProgression", "emotion", kEmotions, "the video showing {v}",
                      {{"neutral", "a neutral face"}}, film);
  }
  s.num(F, "Dynamics", "transitionSmoothness",
        words(PhraseKind::level, Unit::score, "smoothness of emotion changes", "change emotion more smoothly",
              "change emotion more abruptly"));
  s.onehot(F, "Dynamics", "emotionalArc", {"dynamic", "evolving", "stable"},
           Cat{"{v} emotional arc",
               "have {v} emotional arc",
               {{"dynamic", "a changing"}, {"evolving", "a gradually evolving"}, {"stable", "a steady"}},
               {{"dynamic", "Let the mood change several times"},
                {"evolving", "Let the mood build gradually"},
                {"stable", "Keep one steady mood"}}});
  s.count(F, "Dynamics", "peakEmotionMoments",
          count_of("emotional peaks").film("Build in emotional peaks, about {top}", ""));
  s.list_stat(F, "Dynamics", "peakEmotionMoments", "intensity", true,
              words(PhraseKind::level, Unit::score, "strength of the strongest emotional peak",
                    "reach stronger emotional peaks", "reach milder emotional peaks"));
  s.first_position(F, "Dynamics", "peakEmotionMoments", "timestamp",
                   timing("the first emotional peak", Unit::video_share, "reach")
                       .film("", "Reach the first emotional peak early, by {top}"));
  s.num(F, "Interactions", "gestureReinforcement",
        words(PhraseKind::level, Unit::score, "gestures that reinforce the emotion",
              "reinforce the emotion with gestures more", "reinforce the emotion with gestures less")
            .film("Use gestures that underline the emotion", ""));
  s.num(F, "Interactions", "multimodalCoherence",
        words(PhraseKind::level, Unit::score, "match of emotion across face, voice and text",
              "match emotion across face, voice and text more closely",
              "match emotion across face, voice and text less closely"));
  s.count(F, "Interactions", "emotionalContrastMoments", count_of("emotional contrasts"));
  s.num(F, "Interactions", "audioMoodCongruence",
        words(PhraseKind::level, Unit::score, "match between the audio mood and the emotion",
              "match the audio mood to the emotion more closely", "match the audio mood to the emotion less closely")
            .film("Pick music that fits the mood you show", ""));
  s.num(F, "Interactions", "captionEmotionAlignment",
        words(PhraseKind::level, Unit::score, "match between the caption and the emotion",
              "match the caption to the emotion more closely", "match the caption to the emotion less closely"));
  s.count(F, "KeyEvents", "emotionalPeaks", count_of("key emotional moments"));
  s.count(F, "KeyEvents", "transitionPoints", count_of("emotional turning points"));
  s.first_position(F, "KeyEvents", "transitionPoints", "timestamp",
                   timing("the first emotional turn", Unit::video_share, "reach"));
  s.position(F, "KeyEvents", "climaxMoment",
             timing("the emotional high point", Unit::video_share, "reach")
                 .film("Place the emotional high point late, at about {top}",
                       "Place the emotional high point early, at about {top}"));
  s.present(F, "KeyEvents", "climaxMoment",
            presence("an emotional high point").film("Build to one clear emotional high point", ""));
  s.present(F, "KeyEvents", "resolutionMoment",
            presence("an emotional resolution").film("End on a settled, resolved feeling", "").at(VideoPart::cta));
  s.onehot(F, "Patterns", "journeyArchetype", {"steady_state", "complex_journey", "positive_journey", "discovery"},
           Cat{"{v} emotional journey",
               "have {v} emotional journey",
               {{"steady_state", "a steady"},
                {"complex_journey", "a complex"},
                {"positive_journey", "a positive"},
                {"discovery", "a discovery"},
                {"other", "another kind of"}},
               {{"positive_journey", "Move from a problem to a happy ending"},
                {"discovery", "Tell it as a discovery: show the moment you find out"}}});
  s.multihot(F, "Patterns", "emotionalTechniques", {"emotional_variety", "gesture_reinforcement"},
             Cat{"{v}",
                 "use {v}",
                 {{"emotional_variety", "emotional variety"},
                  {"gesture_reinforcement", "gestures that reinforce the emotion"}},
                 {{"emotional_variety", "Show several different emotions"},
                  {"gesture_reinforcement", "Use gestures that underline the emotion"}}});
  s.onehot(
      F, "Patterns", "pacingStrategy", {"dynamic_pacing", "gradual_build", "steady_state"},
      Cat{"{v} emotional pacing",
          "have {v} emotional pacing",
          {{"dynamic_pacing", "fast-changing"}, {"gradual_build", "gradually building"}, {"steady_state", "steady"}},
          {{"gradual_build", "Let the emotion build gradually to the end"}}});
  s.count(F, "Patterns", "engagementHooks", count_of("emotional hooks"));
  s.num(F, "Quality", "detectionConfidence", analyzer_level("detection confidence", analysis(F)));
  s.num(F, "Quality", "timelineCoverage", share_with("a readable facial emotion"));
  s.num(F, "Quality", "emotionalDataCompleteness", analyzer_level("data completeness", analysis(F)));
  s.onehot(F, "Quality", "analysisReliability", {"high", "low"},
           Cat{"{v} reliability of the emotion analysis", "have {v} reliability in the emotion analysis", {}, {}});
  s.multihot(F, "Quality", "missingDataPoints", {"no_emotions_detected", "limited_emotional_range"},
             Cat{"an analyzer note of {v}",
                 "have an analyzer note of {v}",
                 {{"no_emotions_detected", "no emotions"}, {"limited_emotional_range", "a narrow range of emotions"}},
                 {}});
  s.num(F, "Quality", "overallConfidence", analyzer_level("overall confidence", analysis(F)));
}

void add_framing(Builder& s) {
  const int F = kFraming;
  s.onehot(F, "CoreMetrics", "primarySubject", {"single", "multiple"},
           Cat{"{v} on screen",
               "have {v} on screen",
               {{"single", "one person"}, {"multiple", "several people"}, {"other", "no clear subject"}},
               {{"single", "Film one person only"}, {"multiple", "Film with two or more people"}}});
  s.num(F, "CoreMetrics", "averageFaceSize",
        words(PhraseKind::level, Unit::score, "face size in the frame", "show the face larger in the frame",
              "show the face smaller in the frame")
            .film("Film the face close, so it fills more of the frame",
                  "Film from further back, with the face smaller in the frame"));
  s.num(F, "CoreMetrics", "faceVisibilityRate",
        share_with("a face on screen")
            .film("Keep your face on screen for at least {top} of the video",
                  "Show your face for less of the video, about {top}"));
  s.num(F, "CoreMetrics", "subjectCount",
        count_of("people on screen").film("Film with about {top} people", "Film with fewer people, about {top}"));
  s.num(F, "CoreMetrics", "eyeContactRate",
        share_with("eye contact with the camera").film("Look into the camera for at least {top} of the video", ""));
  s.onehot(F, "Dynamics", "gazeSteadiness", {"high", "medium", "low", "unknown"},
           Cat{"{v} gaze",
               "have {v} gaze",
               {{"high", "a steady"},
                {"medium", "a fairly steady"},
                {"low", "a wandering"},
                {"unknown", "an unreadable"},
                {"other", "another kind of"}},
               {{"high", "Keep your eyes steady on the camera"}}});
  TimelineWords closeness("close-up framing");
  closeness.active = "a person on screen";
  closeness.starts = "show a person";
  closeness.rise = "move in closer as the video goes on";
  closeness.fall = "move further out as the video goes on";
  closeness.film[Builder::kHook3s] = {"Open on a close-up", "Open on a wide shot"};
  closeness.film[Builder::kMean] = {"Film mostly close-ups", "Film mostly wide shots"};
  closeness.film[Builder::kFinal] = {"End on a close-up", "End on a wide shot"};
  s.timeline(F, "Dynamics", "framingProgression",
             {"start", "end", "type", {{"none", 0.0}, {"wide", 1.0}, {"medium", 2.0}, {"close", 3.0}}}, closeness);
  s.count(F, "Dynamics", "framingProgression",
          count_of("separately framed shots").film("Use more shots with different framing, about {top}", ""));
  {
    const std::vector<std::string> types = {"close", "medium", "wide", "none"};
    const std::map<std::string, std::string, std::less<>> noun = {
        {"close", "close-ups"}, {"medium", "medium shots"}, {"wide", "wide shots"}, {"none", "shots without a person"}};
    std::vector<FeatureInfo> infos;
    for (const auto& t : types) {
      const std::string& n = noun.at(t);
      infos.push_back(s.info(
          F, "Dynamics", "framingProgression", ".time_share:" + t, FeatureKind::derived,
          words(PhraseKind::share, Unit::fraction, "share of the video in " + n, "spend more of the video in " + n,
                "spend less of the video in " + n)
              .film("Film about {top} of the video in " + n, "Film less of the video in " + n + ", about {top}")));
    }
    s.add(std::move(infos), [F, types](const auto& c, double* o) {
      const auto v = c.at(F, "Dynamics", "framingProgression");
      if (!v || !v.is_array()) {
        std::fill(o, o + types.size(), kNaN);
        return;
      }
      std::vector<double> secs(types.size(), 0.0);
      double total = 0;
      for (const auto seg : v.items()) {
        const auto t = seg.path("type");
        double d = seg.path("duration").number_or_nan();
        if (std::isnan(d)) d = seg.path("end").number_or_nan() - seg.path("start").number_or_nan();
        if (!t.is_string() || std::isnan(d) || d < 0) continue;
        auto it = std::find(types.begin(), types.end(), t.str());
        if (it != types.end()) secs[it - types.begin()] += d;
        total += d;
      }
      for (std::size_t i = 0; i < types.size(); ++i) o[i] = total > 0 ? secs[i] / total : kNaN;
    });
  }
  s.num(F, "KeyEvents", "framingChanges",
        count_of("framing changes")
            .film("Change the framing more often, about {top} times", "Keep the framing steady, about {top} changes"));
}

void add_scene(Builder& s) {
  const int F = kScene;
  s.num(F, "CoreMetrics", "totalScenes",
        count_of("scenes").film("Film more separate scenes, about {top}", "Film fewer scenes, about {top}"));
  s.num(F, "CoreMetrics", "averageSceneDuration",
        words(PhraseKind::level, Unit::seconds, "average scene length", "hold each scene longer",
              "cut to a new scene sooner")
            .film("Hold each shot for about {top}", "Cut to a new shot every {top}"));
  s.num(F, "CoreMetrics", "scenesPerMinute",
        rate_of("cuts", Unit::per_minute).film("Cut more often, about {top}", "Cut less often, about {top}"));
  s.onehot(
      F, "CoreMetrics", "rhythmConsistency", {"consistent", "varied", "erratic"},
      Cat{"{v} cutting rhythm",
          "have {v} cutting rhythm",
          {{"consistent", "a steady"}, {"varied", "a varied"}, {"erratic", "an erratic"}, {"other", "another kind of"}},
          {{"consistent", "Cut on a steady rhythm"}, {"varied", "Vary the length of your shots"}}});
  s.onehot(F, "Patterns", "editingStyle", {"mtv_style", "classic_narrative", "rhythmic", "experimental"},
           Cat{"{v} editing",
               "use {v} editing",
               {{"mtv_style", "fast MTV-style"},
                {"classic_narrative", "classic story"},
                {"rhythmic", "beat-driven"},
                {"experimental", "experimental"}},
               {{"mtv_style", "Edit fast: quick cuts and lots of movement"},
                {"classic_narrative", "Tell it as a simple story with a beginning, middle and end"},
                {"rhythmic", "Cut on the beat of the music"}}});
  s.add({s.info(F, "CoreMetrics", "averageSceneDuration", "_share", FeatureKind::derived,
                words(PhraseKind::share, Unit::fraction, "scene length relative to the video",
                      "hold each scene for a larger share of the video",
                      "cut to a new scene after a smaller share of the video"))},
        [F](const auto& c, double* o) { o[0] = c.norm(c.num(F, "CoreMetrics", "averageSceneDuration")); });
}

void add_speech(Builder& s) {
  const int F = kSpeech;
  s.num(F, "CoreMetrics", "totalWords",
        count_of("spoken words").film("Say more, about {top} words", "Say less, about {top} words"));
  s.num(F, "CoreMetrics", "speechDensity",
        rate_of("spoken words").film("Talk more, about {top}", "Talk less, about {top}"));
  s.num(F, "CoreMetrics", "wordsPerMinute",
        words(PhraseKind::rate, Unit::words_per_minute, "speaking pace", "speak faster", "speak slower")
            .film("Speak fast, about {top}", "Speak slowly and clearly, about {top}"));
  s.num(F, "CoreMetrics", "vocabularyDiversity",
        words(PhraseKind::level, Unit::score, "variety of words spoken", "use a wider variety of words",
              "repeat words more")
            .film("Use varied words", "Repeat the key words"));
  s.num(F, "CoreMetrics", "silenceRatio",
        words(PhraseKind::share, Unit::fraction, "share of the video without speech",
              "leave more of the video without speech", "leave less of the video without speech")
            .film("Leave pauses without speech", "Keep talking, with little silence"));
  s.num(F, "CoreMetrics", "speechCoverage",
        share_with("speech").film("Talk for at least {top} of the video", "Talk for less of the video, about {top}"));
  s.num(F, "CoreMetrics", "avgSegmentDuration",
        words(PhraseKind::level, Unit::seconds, "average length of a spoken phrase", "speak in longer phrases",
              "speak in shorter phrases")
            .film("Speak in longer phrases, about {top} each", "Speak in short phrases of about {top}"));
  s.num(F, "CoreMetrics", "uniqueWords", count_of("different words spoken"));
  TimelineWords pace("speaking pace", "faster", "slower", Unit::words_per_minute, "speech");
  pace.rise = "speed up as the video goes on";
  pace.fall = "slow down as the video goes on";
  pace.starts = "start speaking";
  pace.film[Builder::kHook3s] = {"Speak fast from the first second", "Start slowly and clearly"};
  s.timeline(F, "Dynamics", "wpmProgression", {"", "", "", {}}, pace);
  s.count(F, "Dynamics", "speechBursts",
          count_of("bursts of high voice energy").film("Raise your voice for emphasis, about {top} times", ""));
  s.list_stat(F, "Dynamics", "speechBursts", "energy", true,
              words(PhraseKind::level, Unit::score, "loudest burst of voice energy", "have louder voice bursts",
                    "have quieter voice bursts"));
  s.first_position(F, "Dynamics", "speechBursts", "start",
                   timing("the first burst of voice energy", Unit::video_share, "reach")
                       .film("", "Open with energy in your voice, by {top}"));
  s.onehot(F, "Dynamics", "burstPattern",
           {"front_loaded", "back_loaded", "middle_peak", "steady", "unknown", "unavailable", "none"},
           Cat{"{v} voice energy",
               "have {v} voice energy",
               {{"front_loaded", "front-loaded"},
                {"back_loaded", "back-loaded"},
                {"middle_peak", "mid-video peak"},
                {"steady", "steady"},
                {"unknown", "unclassified"},
                {"unavailable", "unmeasured"},
                {"none", "no bursts of"}},
               {{"front_loaded", "Put the most energy in your voice at the start"},
                {"back_loaded", "Save your most energetic delivery for the end"},
                {"steady", "Keep an even energy in your voice"}}});
  s.num(F, "Dynamics", "energyVariance",
        words(PhraseKind::level, Unit::score, "variation in voice energy", "vary their voice energy more",
              "keep their voice energy more even")
            .film("Vary your voice between loud and soft", "Keep your voice at an even energy"));
  s.flag(F, "Dynamics", "hasAudioEnergy", presence("measurable voice energy"));
  s.count(
      F, "Dynamics", "temporalAlignment.gesture_emphasis_moments",
      count_of("gestures that emphasise the speech").film("Emphasise key words with a gesture, about {top} times", ""));
  s.num(F, "Dynamics", "temporalAlignment.body_language_congruence",
        words(PhraseKind::level, Unit::score, "match between body language and speech",
              "match body language to speech more closely", "match body language to speech less closely")
            .film("Let your body language match your words", ""));
  s.num(F, "KeyEvents", "longestSegment.duration",
        words(PhraseKind::level, Unit::seconds, "longest uninterrupted spoken stretch", "speak longer without a break",
              "keep every spoken stretch shorter")
            .film("", "Keep each spoken stretch under {top}"));
  s.per_second(F, "KeyEvents", "longestSegment.duration",
               words(PhraseKind::share, Unit::fraction, "longest spoken stretch relative to the video",
                     "speak for a larger share of the video without a break",
                     "speak for a smaller share of the video without a break"));
  s.position(F, "KeyEvents", "climaxMoment.timestamp", timing("the peak of voice energy", Unit::video_share, "reach"));
}

void add_metadata(Builder& s) {
  const int F = kMeta;
  const auto post = [](Words w) { return w.at(VideoPart::post); };
  s.num(
      F, "CoreMetrics", "captionLength",
      post(words(PhraseKind::level, Unit::characters, "caption length", "have longer captions", "have shorter captions")
               .film("Write a longer caption, about {top}", "Keep the caption short, about {top}")));
  s.num(F, "CoreMetrics", "wordCount",
        post(words(PhraseKind::count, Unit::words, "words in the caption", "use more words in the caption",
                   "use fewer words in the caption")
                 .film("Write more in the caption, about {top}", "Write less in the caption, about {top}")));
  s.num(F, "CoreMetrics", "hashtagCount",
        post(count_of("hashtags").film("Use about {top} hashtags", "Use fewer hashtags, about {top}")));
  s.num(F, "CoreMetrics", "emojiCount",
        post(count_of("emoji in the caption")
                 .film("Use emoji in the caption, about {top}", "Use fewer emoji, about {top}")));
  s.num(F, "CoreMetrics", "mentionCount",
        post(count_of("@mentions in the caption").film("Mention other accounts with @, about {top}", "")));
  s.onehot(F, "Dynamics", "hashtagStrategy", {"none", "minimal", "moderate", "heavy", "spam"},
           Cat{"{v} hashtag use",
               "have {v} hashtag use",
               {{"none", "no"}, {"spam", "excessive"}, {"other", "another kind of"}},
               {{"none", "Post without hashtags"}},
               PhraseKind::category,
               VideoPart::post});
  s.num(F, "Dynamics", "emojiDensity",
        post(words(PhraseKind::rate, Unit::none, "emoji per caption word", "use more emoji per caption word",
                   "use fewer emoji per caption word")));
  s.num(F, "Dynamics", "mentionDensity",
        post(words(PhraseKind::rate, Unit::none, "mentions per caption word", "use more mentions per caption word",
                   "use fewer mentions per caption word")));
  s.num(F, "Dynamics", "publishHour",
        post(words(PhraseKind::timing, Unit::hour_utc, "posting hour", "are posted later in the day",
                   "are posted earlier in the day")
                 .film("Post at about {top}", "Post at about {top}")));
  s.num(F, "Dynamics", "publishDayOfWeek",
        post(words(PhraseKind::timing, Unit::weekday, "posting day of the week", "are posted later in the week",
                   "are posted earlier in the week")
                 .film("Post around {top}", "Post around {top}")));
  s.count(F, "KeyEvents", "hashtags", post(count_of("hashtags in the caption")));
  s.count(F, "KeyEvents", "keyMentions", post(count_of("key mentions in the caption")));
  s.count(F, "KeyEvents", "primaryEmojis", post(count_of("main emoji in the caption")));
  s.flag(F, "KeyEvents", "hasHook", post(presence("a hook in the caption").film("Open the caption with a hook", "")));
  s.flag(F, "KeyEvents", "callToAction",
         post(presence("a call to action in the caption").film("Ask for an action in the caption", "")));
  s.num(F, "Patterns", "hashtagBreakdown.generic",
        post(count_of("generic hashtags such as #fyp").film("Add generic hashtags such as #fyp, about {top}", "")));
  s.num(F, "Patterns", "hashtagBreakdown.niche",
        post(count_of("niche hashtags").film("Use niche hashtags, about {top}", "")));
  s.num(F, "Patterns", "hashtagBreakdown.genericRatio", post(share_of("hashtags that are generic")));
  const std::vector<std::tuple<const char*, const char*, const char*>> cta = {
      {"hasCTA", "a call to action in the caption", "Ask for an action in the caption"},
      {"ctaFollow", "a request to follow in the caption", "Ask viewers to follow in the caption"},
      {"ctaLike", "a request to like in the caption", "Ask viewers to like the video in the caption"},
      {"ctaComment", "a request to comment in the caption", "Ask viewers to comment in the caption"},
      {"ctaShare", "a request to share in the caption", "Ask viewers to share in the caption"},
      {"ctaUrgency", "urgent wording in the caption", "Add urgency to the caption, such as \"today only\""}};
  for (const auto& [k, noun, film] : cta)
    s.flag(F, "Patterns", std::string("ctaFeatures.") + k, post(presence(noun).film(film, "")));
  s.num(F, "Patterns", "ctaFeatures.ctaCount", post(count_of("calls to action in the caption")));
  s.flag(F, "Patterns", "hasQuestion",
         post(presence("a question in the caption").film("Ask a question in the caption", "")));
  s.flag(F, "Patterns", "hasExclamation",
         post(presence("an exclamation in the caption").film("End a caption line with an exclamation mark", "")));
  // Written by rumi's native metadata analysis only (native/metadata_analysis.h), not by RumiAI.
  s.flag(F, "Patterns", "originalSound",
         [] {
           Words w = presence("the creator's own sound instead of licensed music");
           w.say.less = "use licensed music instead of their own sound";
           return w;
         }()
             .film("Use your own sound instead of licensed music", "Use licensed music instead of your own sound"));
  s.num(F, "Patterns", "effectCount",
        count_of("TikTok effects").film("Use TikTok effects, about {top}", "Use fewer TikTok effects, about {top}"));
  s.flag(F, "Quality", "hasCaption", post(presence("a caption").film("Write a caption", "Post without a caption")));
  s.flag(F, "Quality", "linkPresent", post(presence("a link in the caption").film("Add a link to the caption", "")));
}

void add_video(Builder& s) {
  std::vector<FeatureInfo> infos;
  FeatureInfo d;
  d.name = "video.duration_s";
  d.source = "apify.videoMeta.duration";
  d.kind = FeatureKind::derived;
  d.phrase = "video length";
  d.say = words(PhraseKind::level, Unit::seconds, "", "run longer", "run shorter").say;
  d.say.do_more = d.say.do_less = "Aim for a length of about {top}";
  infos.push_back(d);
  for (std::size_t f = 0; f < kFlowNames.size(); ++f) {
    FeatureInfo p;
    p.name = "video.flow_present:" + std::string(kFlowNames[f]);
    p.source = std::string(kFlowNames[f]);
    p.kind = FeatureKind::flag;
    std::string noun = "a usable ";
    noun += kAnalysis[f];
    noun += " analysis";
    const Words w = presence(noun);
    p.phrase = w.name;
    p.say = w.say;
    infos.push_back(p);
  }
  s.add(std::move(infos), [](const auto& c, double* o) {
    o[0] = c.duration;
    for (std::size_t f = 0; f < kFlowNames.size(); ++f) o[1 + f] = c.flows[f] ? 1.0 : 0.0;
  });
}

// Columns added without a FeaturePhrase (a new flow written elsewhere, such as era_c.cc) still
// read as English: the kind's wording from their noun phrase, with unit notes in parentheses and
// raw enum values turned into words, and not for creators until someone writes an instruction
// for them (docs/reporting.md).
std::string strip_notes(const std::string& s) {
  std::string out;
  int depth = 0;
  for (char c : s) {
    if (c == '(')
      ++depth;
    else if (c == ')')
      depth = depth > 0 ? depth - 1 : 0;
    else if (depth == 0)
      out += c == '_' ? ' ' : c;
  }
  std::string squeezed;
  for (char c : out)
    if (!(c == ' ' && (squeezed.empty() || squeezed.back() == ' '))) squeezed += c;
  while (!squeezed.empty() && squeezed.back() == ' ') squeezed.pop_back();
  return squeezed;
}

// The raw noun phrase with its notes stripped; a flag's "has " and " is " dropped so that
// "have <noun>" reads ("has caption" -> "caption", "the ... analysis is available" -> "have the
// ... analysis available").
std::string default_noun(const FeatureInfo& fi, const std::string& raw) {
  std::string noun = strip_notes(raw);
  if (fi.kind == FeatureKind::flag && noun.rfind("has ", 0) == 0) noun.erase(0, 4);
  if (fi.kind == FeatureKind::flag)
    if (const auto is = noun.find(" is "); is != std::string::npos) noun.erase(is, 3);
  return noun;
}

// A clause ("the loudness in the first 3 seconds peaks early") reads "have the loudness ... peak
// early", its verb without the -s; nullopt when no word after the subject's first reads as a verb.
std::optional<Words> clause_words(const std::string& noun) {
  std::size_t pos = 0;
  for (int word = 0; (pos = noun.find(' ', pos)) != std::string::npos; ++word) {
    const std::size_t from = ++pos, to = std::min(noun.find(' ', from), noun.size());
    const std::string w = noun.substr(from, to - from);
    if (word >= 1 && w.size() > 2 && w.back() == 's' && w[w.size() - 2] != 's' && w != "seconds" && w != "thirds") {
      std::string clause = noun;
      clause.erase(to - 1, 1);
      return words(PhraseKind::category, Unit::fraction, noun, "have " + clause, "do not have " + clause);
    }
  }
  return std::nullopt;
}

// A one-hot level: "subject is value" reads "have value as subject", a clause as a clause, and
// anything else as the presence of the level.
Words onehot_words(const std::string& noun) {
  if (const auto is = noun.rfind(" is "); is != std::string::npos) {
    const std::string subject = noun.substr(0, is), value = noun.substr(is + 4);
    std::string with = "have ";
    with += value;
    with += " as ";
    with += subject;
    std::string without = "do not ";
    without += with;
    return words(PhraseKind::category, Unit::fraction, noun, with, without);
  }
  if (noun.rfind("the ", 0) == 0)
    if (auto w = clause_words(noun)) return *std::move(w);
  return presence(noun);
}

// "how positive the facial expressions are in the middle" -> "have more positive facial
// expressions in the middle" (more / less for the plural, a more / a less for the singular).
Words how_adjective_words(const std::string& noun, Unit u) {
  const auto adj_end = noun.find(' ', 4);
  const std::string adj = noun.substr(4, adj_end - 4);
  const bool plural = noun.find(" are") != std::string::npos;
  const auto verb = plural ? noun.find(" are") : noun.find(" is");
  std::string thing = noun.substr(adj_end + 1, verb - adj_end - 1);
  if (thing.rfind("the ", 0) == 0) thing.erase(0, 4);
  const std::string rest = noun.substr(verb + (plural ? 4 : 3));
  const std::string more = plural ? "have more " : "have a more ", less = plural ? "have less " : "have a less ";
  return words(PhraseKind::level, u, noun, more + adj + " " + thing + rest, less + adj + " " + thing + rest);
}

// Level nouns said the way a person would: what there is more of, what is longer or louder.
// Anything else keeps the plain "score higher on".
Words level_words(const std::string& noun, Unit u) {
  const auto starts = [&](std::string_view p) { return noun.rfind(p, 0) == 0; };
  const auto said = [&](std::string more, std::string less) {
    return words(PhraseKind::level, u, noun, std::move(more), std::move(less));
  };
  if (noun.find(" per second") != std::string::npos || starts("distinct ") || starts("things ") || starts("hand ") ||
      starts("moments ") || starts("cuts ") || starts("spoken words"))
    return said("have more " + noun, "have fewer " + noun);
  if (starts("variation of ") || starts("eye contact ")) return said("have more " + noun, "have less " + noun);
  if (starts("range of ")) return said("have a wider " + noun, "have a narrower " + noun);
  if (starts("face size"))
    return said("show the face larger" + noun.substr(9), "show the face smaller" + noun.substr(9));
  if (starts("loudness of the sound"))
    return said("have louder sound" + noun.substr(21), "have quieter sound" + noun.substr(21));
  if (starts("voice pitch"))
    return said("speak in a higher voice" + noun.substr(11), "speak in a lower voice" + noun.substr(11));
  if (starts("longest ") || starts("shortest ") || starts("loudest ")) {
    const bool loud = starts("loudest ");
    return said("make their " + noun + (loud ? " louder" : " longer"),
                "make their " + noun + (loud ? " quieter" : " shorter"));
  }
  if (starts("how long a ") && noun.find(" stays ") != std::string::npos) {
    // "how long a text overlay stays on screen in the middle" -> "keep each text overlay on screen ... longer"
    const auto stays = noun.find(" stays ");
    const std::string thing = noun.substr(11, stays - 11), rest = noun.substr(stays + 7);
    return said("keep each " + thing + " " + rest + " longer", "keep each " + thing + " " + rest + " for less time");
  }
  if (starts("how ") && (noun.find(" are") != std::string::npos || noun.find(" is") != std::string::npos))
    return how_adjective_words(noun, u);
  return said("score higher on " + noun, "score lower on " + noun);
}

Words default_words(const FeatureInfo& fi) {
  const std::string raw = fi.phrase.empty() ? humanize_key(fi.name.substr(fi.name.rfind('.') + 1)) : fi.phrase;
  const std::string noun = default_noun(fi, raw);
  if (fi.kind == FeatureKind::onehot) return onehot_words(noun);
  if (fi.kind == FeatureKind::flag) return presence(noun);
  if (noun.rfind("number of ", 0) == 0) return count_of(noun.substr(10));
  if (noun.rfind("share of ", 0) == 0) return share_of(noun.substr(9));
  Words w = level_words(noun, raw.find("(seconds)") != std::string::npos ? Unit::seconds : Unit::none);
  if (noun.find("per second") != std::string::npos) w.say.unit = Unit::per_second;
  return w;
}

void fill_missing_phrases(std::vector<FeatureInfo>& features) {
  for (auto& fi : features) {
    if (!fi.say.more.empty() && !fi.say.less.empty()) continue;
    const Words w = default_words(fi);
    const VideoPart part = fi.say.part;
    fi.say = w.say;
    if (fi.name.find(".hook.") != std::string::npos)
      fi.say.part = VideoPart::hook;
    else if (fi.name.find(".cta.") != std::string::npos)
      fi.say.part = VideoPart::cta;
    else
      fi.say.part = part;
    fi.phrase = w.name;
  }
}

struct Schema {
  std::vector<Group> groups;
  FeatureCatalog catalog;
};

Schema build_schema() {
  Builder b;
  add_video(b);
  add_density(b);
  add_overlay(b);
  add_emotion(b);
  add_framing(b);
  add_scene(b);
  add_speech(b);
  add_metadata(b);
  b.add(temporal_window_features(),
        [](const auto& c, double* o) { fill_temporal_window_features(c.windows, o, c.warnings); });
  Schema s;
  s.groups = std::move(b.groups);
  s.catalog.version = std::string(kFeatureSchemaVersion);
  std::string joined;
  for (const auto& g : s.groups)
    for (const auto& fi : g.infos) {
      s.catalog.features.push_back(fi);
      if (!joined.empty()) joined += '\n';
      joined += fi.name;
    }
  fill_missing_phrases(s.catalog.features);
  s.catalog.sha256 = sha256_hex(joined);
  return s;
}

const Schema& schema() {
  static const Schema s = build_schema();  // immutable after first use
  return s;
}

}  // namespace

std::vector<std::string> FeatureCatalog::names() const {
  std::vector<std::string> out;
  out.reserve(features.size());
  for (const auto& f : features) out.push_back(f.name);
  return out;
}

std::optional<std::size_t> FeatureCatalog::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < features.size(); ++i)
    if (features[i].name == name) return i;
  return std::nullopt;
}

const FeatureCatalog& feature_catalog() { return schema().catalog; }

FeatureInfo describe_column(std::string_view name, std::string_view source, FeatureKind kind) {
  const auto& cat = feature_catalog();
  if (auto i = cat.index_of(name)) return cat.features[*i];
  FeatureInfo fi;
  fi.name = std::string(name);
  fi.source = std::string(source);
  fi.kind = kind;
  const std::string_view key = source.empty() ? name : source;
  const auto dot = key.rfind('.');
  fi.phrase = humanize_key(dot == std::string_view::npos ? key : key.substr(dot + 1));
  Words w = default_words(fi);
  // Where in the video, from the naming conventions of the catalog (hook_3s, last_third, _pos).
  if (name.find("hook") != std::string_view::npos)
    w.say.part = VideoPart::hook;
  else if (name.find("last_third") != std::string_view::npos)
    w.say.part = VideoPart::cta;
  if (name.size() > 4 && name.substr(name.size() - 4) == "_pos" && kind != FeatureKind::flag) {
    w = timing(w.name, Unit::video_share, "have");
    w.name = fi.phrase;
  }
  fi.phrase = w.name;
  fi.say = w.say;
  return fi;
}

namespace {

void check_size(std::span<double> out) {
  if (out.size() != schema().catalog.size())
    throw Error("extract_features_into: output has " + std::to_string(out.size()) + " slots, catalog has " +
                std::to_string(schema().catalog.size()));
}

template <class Node>
void run_schema(const std::array<Node, 7>& flows, Node windows, double duration_s, std::span<double> out,
                std::vector<std::string>* warnings, Fill<Node> Group::*fill) {
  Ctx<Node> c;
  c.warnings = warnings;
  c.set_flows(flows);
  c.windows = windows;
  c.duration = duration_s;
  if (!(std::isfinite(c.duration) && c.duration > 0)) {
    double meta = c.num(kMeta, "CoreMetrics", "videoDuration");
    if (!(std::isfinite(meta) && meta > 0)) meta = windows.get("duration").number_or_nan();
    c.duration = (std::isfinite(meta) && meta > 0) ? meta : kNaN;
  }
  double* o = out.data();
  for (const auto& g : schema().groups) {
    (g.*fill)(c, o);
    o += g.infos.size();
  }
}

}  // namespace

void extract_features_into(const LoadedAnalysis& a, double duration_s, std::span<double> out,
                           std::vector<std::string>* warnings) {
  check_size(out);
  std::array<JsonNode, 7> flows{};
  for (std::size_t f = 0; f < kFlowNames.size(); ++f) {
    if (!a.flows.is_object()) break;
    auto it = a.flows.find(kFlowNames[f]);
    if (it != a.flows.end() && it->is_object()) flows[f] = JsonNode(&*it);
  }
  JsonNode windows;
  if (a.flows.is_object())
    if (auto it = a.flows.find(kTemporalWindowsFlow); it != a.flows.end() && it->is_object()) windows = JsonNode(&*it);
  run_schema(flows, windows, duration_s, out, warnings, &Group::fill_json);
}

void extract_features_into(const std::array<SimdNode, 7>& flows, SimdNode windows, double duration_s,
                           std::span<double> out, std::vector<std::string>* warnings) {
  check_size(out);
  run_schema(flows, windows, duration_s, out, warnings, &Group::fill_simd);
}

std::vector<double> extract_features(const LoadedAnalysis& a, double duration_s, std::vector<std::string>* warnings) {
  std::vector<double> out(feature_catalog().size(), kNaN);
  extract_features_into(a, duration_s, out, warnings);
  return out;
}

}  // namespace rumi::features
