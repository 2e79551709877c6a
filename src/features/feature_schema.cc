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

#include "core/error.h"
#include "core/sha256.h"
#include "core/text.h"
#include "features/era_c.h"
#include "features/feature_catalog.h"
#include "features/flows.h"
#include "features/extract_simd.h"
#include "features/json_node.h"
#include "features/json_values.h"

namespace rumi::features {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum Flow : int { kDensity = 0, kEmotion, kFraming, kScene, kSpeech, kOverlay, kMeta };
constexpr std::array<std::string_view, 7> kShort = {"density", "emotion", "framing", "scene",
                                                    "speech",  "overlay", "meta"};
constexpr std::array<std::string_view, 7> kHuman = {"visual density", "emotion",  "person framing",
                                                    "scene pacing",   "speech",   "text overlays",
                                                    "caption"};

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
  double norm(double seconds) const {
    return (std::isfinite(duration) && duration > 0) ? seconds / duration : kNaN;
  }
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
  std::string time_key;   // "" = items are bare numbers at 1-s steps (wpmProgression)
  std::string end_key;    // for {start, end} segments
  std::string value_key;  // numeric value key
  std::map<std::string, double, std::less<>> ordinal;  // categorical value -> number (value_key names it)
};

struct Point {
  double t0, t1, v;
};

class Builder {
 public:
  std::vector<Group> groups;

  FeatureInfo info(int f, std::string_view block, std::string_view path, std::string_view suffix,
                   FeatureKind kind, std::string phrase, std::string group = {}) const {
    FeatureInfo fi;
    fi.name = std::string(kShort[f]) + "." + std::string(path) + std::string(suffix);
    fi.source = std::string(kFlowNames[f]) + "." + std::string(block) + "." + std::string(path);
    fi.kind = kind;
    fi.phrase = phrase.empty() ? humanize_key(path) + " (" + std::string(kHuman[f]) + ")" : std::move(phrase);
    fi.group = std::move(group);
    return fi;
  }
  template <class F>
  void add(std::vector<FeatureInfo> infos, F fill) {
    groups.push_back({std::move(infos), Fill<JsonNode>(fill), Fill<SimdNode>(fill)});
  }

  void num(int f, std::string_view b, std::string path, std::string phrase = {}, FeatureKind k = FeatureKind::numeric) {
    add({info(f, b, path, "", k, std::move(phrase))},
        [f, b, path](const auto& c, double* o) { o[0] = c.num(f, b, path); });
  }
  void flag(int f, std::string_view b, std::string path, std::string phrase = {}) {
    num(f, b, std::move(path), std::move(phrase), FeatureKind::flag);
  }
  void per_second(int f, std::string_view b, std::string path, std::string phrase = {}) {
    add({info(f, b, path, "_per_s", FeatureKind::derived, phrase.empty() ? humanize_key(path) + " per second" : phrase)},
        [f, b, path](const auto& c, double* o) { o[0] = c.norm(c.num(f, b, path)); });
  }
  // A moment ("12-13s", "5s", 39.95) as a fraction of the duration; null -> NaN.
  void position(int f, std::string_view b, std::string path, std::string phrase = {}) {
    add({info(f, b, path, "_pos", FeatureKind::temporal,
              phrase.empty() ? "when the " + humanize_key(path) + " happens (share of the video)" : phrase)},
        [f, b, path](const auto& c, double* o) {
          auto span = c.at(f, b, path).time_span();
          o[0] = span ? c.norm(span->first) : kNaN;
        });
  }
  // 1 when the key holds a value, 0 when it is null (climaxMoment), NaN when absent.
  void present(int f, std::string_view b, std::string path, std::string phrase = {}) {
    add({info(f, b, path, "_present", FeatureKind::flag, phrase.empty() ? "has a " + humanize_key(path) : phrase)},
        [f, b, path](const auto& c, double* o) {
          const auto v = c.at(f, b, path);
          o[0] = !v ? kNaN : (v.is_null() ? 0.0 : 1.0);
        });
  }
  void count(int f, std::string_view b, std::string path, std::string phrase = {}) {
    add({info(f, b, path, ".count", FeatureKind::numeric, phrase.empty() ? "number of " + humanize_key(path) : phrase)},
        [f, b, path](const auto& c, double* o) {
          const auto v = c.at(f, b, path);
          o[0] = (v && (v.is_array() || v.is_object())) ? static_cast<double>(v.size()) : kNaN;
        });
  }
  // max / mean over a numeric key of list items; an empty list gives 0.
  void list_stat(int f, std::string_view b, std::string path, std::string item_key, bool use_max) {
    const std::string suffix = "." + item_key + (use_max ? "_max" : "_mean");
    add({info(f, b, path, suffix, FeatureKind::derived,
              (use_max ? "highest " : "average ") + humanize_key(item_key) + " of " + humanize_key(path))},
        [f, b, path, item_key, use_max](const auto& c, double* o) {
          const auto v = c.at(f, b, path);
          if (!v || !v.is_array()) { o[0] = kNaN; return; }
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
  void first_position(int f, std::string_view b, std::string path, std::string time_key, std::string phrase = {}) {
    add({info(f, b, path, ".first_pos", FeatureKind::temporal,
              phrase.empty() ? "how early the first " + humanize_key(path) + " comes (share of the video)" : phrase)},
        [f, b, path, time_key](const auto& c, double* o) {
          const auto v = c.at(f, b, path);
          if (!v || !v.is_array()) { o[0] = kNaN; return; }
          double first = kNaN;
          for (const auto item : v.items()) {
            auto span = time_key.empty() ? item.time_span() : item.path(time_key).time_span();
            if (span && (std::isnan(first) || span->first < first)) first = span->first;
          }
          o[0] = std::isnan(first) ? (v.empty() ? 1.0 : kNaN) : c.norm(first);
        });
  }
  void onehot(int f, std::string_view b, std::string path, std::vector<std::string> values) {
    const std::string group = std::string(kFlowNames[f]) + "." + std::string(b) + "." + path;
    std::vector<FeatureInfo> infos;
    for (const auto& v : values)
      infos.push_back(info(f, b, path, "=" + v, FeatureKind::onehot, humanize_key(path) + " is " + humanize_key(v), group));
    infos.push_back(info(f, b, path, "=other", FeatureKind::onehot, humanize_key(path) + " is another value", group));
    add(std::move(infos), [f, b, path, values](const auto& c, double* o) {
      const auto v = c.at(f, b, path);
      const std::size_t n = values.size() + 1;
      if (!v || v.is_null()) { std::fill(o, o + n, kNaN); return; }
      std::fill(o, o + n, 0.0);
      const std::string dumped = v.is_string() ? std::string() : v.dump();
      const std::string_view s = v.is_string() ? v.str() : std::string_view(dumped);
      auto it = std::find(values.begin(), values.end(), s);
      if (it != values.end()) {
        o[it - values.begin()] = 1.0;
      } else {
        o[n - 1] = 1.0;
        c.warn(std::string(kFlowNames[f]) + "." + std::string(b) + "." + path + ": unknown value '" + std::string(s) + "'");
      }
    });
  }
  // A string list over a closed set: one 0/1 column per value, plus how many items.
  void multihot(int f, std::string_view b, std::string path, std::vector<std::string> values) {
    std::vector<FeatureInfo> infos;
    for (const auto& v : values)
      infos.push_back(info(f, b, path, ":" + v, FeatureKind::flag, humanize_key(path) + " include " + humanize_key(v)));
    add(std::move(infos), [f, b, path, values](const auto& c, double* o) {
      const auto v = c.at(f, b, path);
      if (!v || !v.is_array()) { std::fill(o, o + values.size(), kNaN); return; }
      std::fill(o, o + values.size(), 0.0);
      for (const auto item : v.items()) {
        if (!item.is_string()) continue;
        auto it = std::find(values.begin(), values.end(), item.str());
        if (it != values.end()) o[it - values.begin()] = 1.0;
      }
    });
  }
  // Share of list items whose item_key equals each value (e.g. ctaType, primaryElement).
  void category_shares(int f, std::string_view b, std::string path, std::string item_key, std::vector<std::string> values) {
    std::vector<FeatureInfo> infos;
    for (const auto& v : values)
      infos.push_back(info(f, b, path, "." + item_key + "_share:" + v, FeatureKind::derived,
                           "share of " + humanize_key(path) + " that are " + humanize_key(v)));
    add(std::move(infos), [f, b, path, item_key, values](const auto& c, double* o) {
      const auto v = c.at(f, b, path);
      const std::size_t n = values.size();
      if (!v || !v.is_array()) { std::fill(o, o + n, kNaN); return; }
      if (v.empty()) { std::fill(o, o + n, 0.0); return; }
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

  static constexpr std::array<std::string_view, 13> kTimelineStats = {
      ".mean", ".std", ".min", ".max", ".slope", ".peak_pos", ".hook_3s", ".first_third",
      ".middle_third", ".last_third", ".first_active_pos", ".final", ".active_frac"};

  void timeline(int f, std::string_view b, std::string path, TimelineSpec spec, std::string noun) {
    const std::array<std::string, 13> phrases = {
        "average " + noun, "variation of " + noun, "lowest " + noun, "highest " + noun,
        "how " + noun + " rises over the video", "when " + noun + " peaks (share of the video)",
        noun + " in the first 3 seconds", noun + " in the first third", noun + " in the middle third",
        noun + " in the last third", "how early " + noun + " starts (share of the video)",
        noun + " at the end", "share of the video with " + noun};
    std::vector<FeatureInfo> infos;
    for (std::size_t i = 0; i < kTimelineStats.size(); ++i)
      infos.push_back(info(f, b, path, kTimelineStats[i], FeatureKind::temporal, phrases[i]));
    add(std::move(infos), [f, b, path, spec](const auto& c, double* o) { fill_timeline(c, c.at(f, b, path), spec, o); });
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
      if (pts[i].v > mx) { mx = pts[i].v; arg = i; }
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
        if (t >= lo && t < hi) { s += p.v; ++k; }
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

std::vector<std::string> element_pairs() {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kElements.size(); ++i)
    for (std::size_t j = i + 1; j < kElements.size(); ++j) out.push_back(kElements[i] + "_" + kElements[j]);
  return out;
}

void add_density(Builder& s) {
  const int F = kDensity;
  for (const char* k : {"avgDensity", "maxDensity", "minDensity", "stdDeviation", "totalElements",
                        "sceneChangeCount", "timelineCoverage"})
    s.num(F, "CoreMetrics", k);
  for (const char* e : {"text", "sticker", "transition", "object", "gesture", "expression", "effect"}) {
    s.num(F, "CoreMetrics", std::string("elementCounts.") + e, std::string("number of ") + e + " detections");
    s.per_second(F, "CoreMetrics", std::string("elementCounts.") + e, std::string(e) + " detections per second");
  }
  s.per_second(F, "CoreMetrics", "sceneChangeCount", "scene changes per second");
  s.timeline(F, "Dynamics", "densityCurve", {"second", "", "density", {}}, "on-screen element density");
  s.category_shares(F, "Dynamics", "densityCurve", "primaryElement", {"text", "object", "gesture", "scene_change", "none"});
  s.num(F, "Dynamics", "volatility", "how much visual density jumps around");
  s.onehot(F, "Dynamics", "accelerationPattern", {"front_loaded", "back_loaded", "oscillating", "even"});
  s.count(F, "Dynamics", "emptySeconds", "number of seconds with nothing on screen");
  s.add({s.info(F, "Dynamics", "emptySeconds", ".share", FeatureKind::derived, "share of the video with nothing on screen"),
         s.info(F, "Dynamics", "emptySeconds", ".hook_3s", FeatureKind::temporal, "empty seconds in the first 3 seconds")},
        [F](const auto& c, double* o) {
          const auto v = c.at(F, "Dynamics", "emptySeconds");
          if (!v || !v.is_array()) { o[0] = o[1] = kNaN; return; }
          o[0] = c.norm(static_cast<double>(v.size()));
          double hook = 0;
          for (const auto x : v.items()) hook += x.number_or_nan() < 3 ? 1 : 0;
          o[1] = hook;
        });
  // Interactions
  s.count(F, "Interactions", "multiModalPeaks", "number of moments where several element types peak together");
  s.category_shares(F, "Interactions", "multiModalPeaks", "syncType", {"reinforcing", "complementary"});
  s.first_position(F, "Interactions", "multiModalPeaks", "timestamp");
  const auto pairs = element_pairs();
  {
    std::vector<FeatureInfo> infos;
    for (const auto& p : pairs)
      infos.push_back(s.info(F, "Interactions", "elementCooccurrence." + p, "", FeatureKind::numeric,
                             "seconds with " + humanize_key(p).replace(humanize_key(p).find(' '), 1, " and ") + " together"));
    for (const char* stat : {"pairs", "max", "entropy", "total_per_s"})
      infos.push_back(s.info(F, "Interactions", "elementCooccurrence", std::string(".") + stat, FeatureKind::derived,
                             std::string("co-occurrence of element types: ") + stat));
    s.add(std::move(infos), [F, pairs](const auto& c, double* o) {
      const auto v = c.at(F, "Interactions", "elementCooccurrence");
      const std::size_t n = pairs.size();
      if (!v || !v.is_object()) { std::fill(o, o + n + 4, kNaN); return; }
      std::fill(o, o + n, 0.0);
      double total = 0, mx = 0, pairs_seen = 0;
      std::vector<double> vals;
      for (const auto& [key, val] : v.members()) {
        const double x = val.number_or_nan();
        if (std::isnan(x)) continue;
        auto it = std::find(pairs.begin(), pairs.end(), key);
        if (it != pairs.end()) o[it - pairs.begin()] = x;
        else c.warn("creative_density.Interactions.elementCooccurrence: unknown pair '" + std::string(key) + "'");
        if (x > 0) { pairs_seen += 1; vals.push_back(x); }
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
    s.onehot(F, "Interactions", "dominantCombination", dom);
  }
  s.num(F, "Interactions", "coordinationScore", "share of seconds where element types coincide");
  // KeyEvents
  s.count(F, "KeyEvents", "peakMoments", "number of density peaks");
  s.first_position(F, "KeyEvents", "peakMoments", "timestamp", "how early the first density peak comes");
  s.list_stat(F, "KeyEvents", "peakMoments", "totalElements", true);
  s.list_stat(F, "KeyEvents", "peakMoments", "surpriseScore", true);
  s.list_stat(F, "KeyEvents", "peakMoments", "surpriseScore", false);
  s.list_stat(F, "KeyEvents", "peakMoments", "elementBreakdown.text", false);
  s.count(F, "KeyEvents", "deadZones", "number of dead zones (2+ empty seconds)");
  s.list_stat(F, "KeyEvents", "deadZones", "duration", true);
  s.first_position(F, "KeyEvents", "deadZones", "start", "how early the first dead zone starts");
  s.add({s.info(F, "KeyEvents", "deadZones", ".share", FeatureKind::derived, "share of the video in dead zones")},
        [F](const auto& c, double* o) {
          const auto v = c.at(F, "KeyEvents", "deadZones");
          if (!v || !v.is_array()) { o[0] = kNaN; return; }
          double total = 0;
          for (const auto z : v.items()) {
            const double d = z.path("duration").number_or_nan();
            if (!std::isnan(d)) total += d;
          }
          o[0] = c.norm(total);
        });
  s.count(F, "KeyEvents", "densityShifts", "number of density shifts");
  s.list_stat(F, "KeyEvents", "densityShifts", "magnitude", true);
  s.list_stat(F, "KeyEvents", "densityShifts", "magnitude", false);
  s.category_shares(F, "KeyEvents", "densityShifts", "to", {"none", "low", "medium", "high"});
  s.first_position(F, "KeyEvents", "densityShifts", "timestamp", "how early the first density shift comes");
  // Patterns
  s.flag(F, "Patterns", "structuralFlags.strongOpeningHook", "a strong visual opening hook");
  s.flag(F, "Patterns", "structuralFlags.crescendoPattern", "visual density that builds to a crescendo");
  s.flag(F, "Patterns", "structuralFlags.frontLoaded", "most visual elements at the start");
  s.flag(F, "Patterns", "structuralFlags.consistentPacing", "consistent visual pacing");
  s.flag(F, "Patterns", "structuralFlags.finalCallToAction", "a visual call to action at the end");
  s.flag(F, "Patterns", "structuralFlags.rhythmicPattern", "a rhythmic visual pattern");
  s.onehot(F, "Patterns", "densityClassification", {"sparse", "moderate", "dense"});
  s.onehot(F, "Patterns", "pacingStyle", {"front_loaded", "back_loaded", "oscillating", "even"});
  s.onehot(F, "Patterns", "cognitiveLoadCategory", {"minimal", "optimal", "challenging"});
}

void add_overlay(Builder& s) {
  const int F = kOverlay;
  s.num(F, "CoreMetrics", "totalOverlays", "number of text overlays and stickers");
  s.num(F, "CoreMetrics", "totalTextOverlays", "number of seconds with text on screen");
  s.num(F, "CoreMetrics", "totalStickers", "number of stickers");
  s.num(F, "CoreMetrics", "uniqueOverlayCount", "number of distinct text overlays");
  s.num(F, "CoreMetrics", "overlayDensity", "text overlays per second");
  s.num(F, "CoreMetrics", "uniqueOverlayRatio", "share of text overlays that are distinct");
  s.num(F, "CoreMetrics", "timeToFirstOverlay", "seconds until the first text overlay");
  s.num(F, "CoreMetrics", "avgOverlayDuration", "how long each text overlay stays");
  s.num(F, "CoreMetrics", "overlayFrequency", "text overlays per minute");
  s.add({s.info(F, "CoreMetrics", "timeToFirstOverlay", "_pos", FeatureKind::temporal,
                "how early the first text overlay appears (share of the video)"),
         s.info(F, "CoreMetrics", "timeToFirstOverlay", ".hook_3s", FeatureKind::flag, "text overlays in the first 3 seconds")},
        [F](const auto& c, double* o) {
          const double t = c.num(F, "CoreMetrics", "timeToFirstOverlay");
          const double total = c.num(F, "CoreMetrics", "totalOverlays");
          o[0] = c.norm(t);
          o[1] = std::isnan(t) ? kNaN : ((t < 3.0 && !(total == 0)) ? 1.0 : 0.0);
        });
  s.timeline(F, "Dynamics", "overlayProgression", {"timestamp", "", "density", {}}, "text overlay density");
  s.num(F, "Dynamics", "rhythmConsistency", "how regular the text overlay rhythm is");
  s.onehot(F, "Dynamics", "overlayAcceleration", {"stable", "accelerating", "decelerating"});
  s.onehot(F, "Dynamics", "temporalDistribution", {"front_loaded", "balanced"});
  s.num(F, "Dynamics", "burstPatterns", "number of quick text overlay bursts");
  s.per_second(F, "Dynamics", "burstPatterns", "quick text overlay bursts per second");
  s.num(F, "Interactions", "overlaySpeechAlignment", "text overlays that match the speech");
  s.num(F, "Interactions", "overlayGestureSync", "text overlays in sync with gestures");
  s.num(F, "Interactions", "multimodalReinforcementCount", "text overlays reinforced by speech or gesture");
  s.num(F, "Interactions", "crossModalCoherence", "coherence of text, speech and gesture");
  s.count(F, "Interactions", "multimodalMoments");
  s.list_stat(F, "Interactions", "multimodalMoments", "hasSpeech", false);
  s.list_stat(F, "Interactions", "multimodalMoments", "hasGesture", false);
  s.first_position(F, "Interactions", "multimodalMoments", "timestamp");
  s.count(F, "KeyEvents", "overlayPeaks", "number of text overlay peaks");
  s.list_stat(F, "KeyEvents", "overlayPeaks", "intensity", true);
  s.list_stat(F, "KeyEvents", "overlayPeaks", "overlayCount", true);
  s.first_position(F, "KeyEvents", "overlayPeaks", "timestamp");
  s.count(F, "KeyEvents", "ctaMoments", "number of on-screen calls to action");
  s.first_position(F, "KeyEvents", "ctaMoments", "timestamp", "how early the first on-screen call to action comes");
  s.category_shares(F, "KeyEvents", "ctaMoments", "ctaType",
                    {"buy", "shop", "click", "link", "follow", "subscribe", "comment", "share", "order", "get"});
  s.add({s.info(F, "KeyEvents", "ctaMoments", ".last_third", FeatureKind::flag, "an on-screen call to action in the last third")},
        [F](const auto& c, double* o) {
          const auto v = c.at(F, "KeyEvents", "ctaMoments");
          if (!v || !v.is_array()) { o[0] = kNaN; return; }
          o[0] = 0;
          for (const auto m : v.items()) {
            auto span = m.path("timestamp").time_span();
            if (span && c.norm(span->first) >= 2.0 / 3.0) o[0] = 1;
          }
        });
  s.position(F, "KeyEvents", "climaxMoment", "when the text overlay climax happens (share of the video)");
  s.present(F, "KeyEvents", "climaxMoment", "a text overlay climax");
  s.count(F, "KeyEvents", "quietMoments", "number of quiet stretches without text");
  s.onehot(F, "Patterns", "overlayStrategy", {"minimal", "moderate", "heavy"});
  s.multihot(F, "Patterns", "overlayTechniques", {"direct_cta", "rhythmic_timing", "dynamic_pacing", "multimodal_reinforcement"});
  s.count(F, "Patterns", "overlayTechniques", "number of text overlay techniques");
  s.onehot(F, "Patterns", "engagementArchetype", {"informational", "conversion_focused", "attention_grabbing"});
  s.onehot(F, "Patterns", "pacingPattern", {"stable", "accelerating", "decelerating"});
  s.onehot(F, "Patterns", "contentFocus", {"product_focused", "informational"});
  s.num(F, "Quality", "detectionConfidence");
  s.num(F, "Quality", "dataCompleteness");
  s.onehot(F, "Quality", "analysisReliability", {"high", "low"});
  s.multihot(F, "Quality", "missingDataPoints", {"no_overlays_detected", "low_text_variety"});
  s.num(F, "Quality", "timelineCoverage", "share of the video with text on screen");
  s.num(F, "Quality", "overallConfidence");
}

const std::vector<std::string> kEmotions = {"joy", "sadness", "anger", "fear", "disgust", "surprise", "neutral"};

void add_emotion(Builder& s) {
  const int F = kEmotion;
  s.num(F, "CoreMetrics", "uniqueEmotions", "number of distinct emotions shown");
  s.num(F, "CoreMetrics", "emotionTransitions", "number of emotion changes");
  s.per_second(F, "CoreMetrics", "emotionTransitions", "emotion changes per second");
  s.onehot(F, "CoreMetrics", "dominantEmotion", kEmotions);
  s.num(F, "CoreMetrics", "emotionalDiversity", "range of emotions shown");
  s.num(F, "CoreMetrics", "gestureEmotionAlignment", "gestures that match the emotion");
  s.num(F, "CoreMetrics", "emotionalIntensity", "how strongly emotions show");
  s.timeline(F, "Dynamics", "emotionProgression", {"timestamp", "", "intensity", {}}, "emotional intensity");
  s.category_shares(F, "Dynamics", "emotionProgression", "emotion", kEmotions);
  s.num(F, "Dynamics", "transitionSmoothness", "how smoothly emotions change");
  s.onehot(F, "Dynamics", "emotionalArc", {"dynamic", "evolving", "stable"});
  s.count(F, "Dynamics", "peakEmotionMoments", "number of emotional peaks");
  s.list_stat(F, "Dynamics", "peakEmotionMoments", "intensity", true);
  s.first_position(F, "Dynamics", "peakEmotionMoments", "timestamp", "how early the first emotional peak comes");
  s.num(F, "Interactions", "gestureReinforcement", "gestures that reinforce the emotion");
  s.num(F, "Interactions", "multimodalCoherence", "emotion consistent across face, voice and text");
  s.count(F, "Interactions", "emotionalContrastMoments", "number of emotional contrasts");
  s.num(F, "Interactions", "audioMoodCongruence", "audio mood matching the emotion");
  s.num(F, "Interactions", "captionEmotionAlignment", "caption matching the emotion");
  s.count(F, "KeyEvents", "emotionalPeaks");
  s.count(F, "KeyEvents", "transitionPoints", "number of emotional turning points");
  s.first_position(F, "KeyEvents", "transitionPoints", "timestamp", "how early the first emotional turn comes");
  s.position(F, "KeyEvents", "climaxMoment", "when the emotional climax happens (share of the video)");
  s.present(F, "KeyEvents", "climaxMoment", "an emotional climax");
  s.present(F, "KeyEvents", "resolutionMoment", "an emotional resolution");
  s.onehot(F, "Patterns", "journeyArchetype", {"steady_state", "complex_journey", "positive_journey", "discovery"});
  s.multihot(F, "Patterns", "emotionalTechniques", {"emotional_variety", "gesture_reinforcement"});
  s.onehot(F, "Patterns", "pacingStrategy", {"dynamic_pacing", "gradual_build", "steady_state"});
  s.count(F, "Patterns", "engagementHooks", "number of emotional hooks");
  s.num(F, "Quality", "detectionConfidence");
  s.num(F, "Quality", "timelineCoverage", "share of the video with a readable face emotion");
  s.num(F, "Quality", "emotionalDataCompleteness");
  s.onehot(F, "Quality", "analysisReliability", {"high", "low"});
  s.multihot(F, "Quality", "missingDataPoints", {"no_emotions_detected", "limited_emotional_range"});
  s.num(F, "Quality", "overallConfidence");
}

void add_framing(Builder& s) {
  const int F = kFraming;
  s.onehot(F, "CoreMetrics", "primarySubject", {"single", "multiple"});
  s.num(F, "CoreMetrics", "averageFaceSize", "how large the face is in the frame");
  s.num(F, "CoreMetrics", "faceVisibilityRate", "share of the video with a face on screen");
  s.num(F, "CoreMetrics", "subjectCount", "number of people on screen");
  s.num(F, "CoreMetrics", "eyeContactRate", "share of the video with eye contact");
  s.onehot(F, "Dynamics", "gazeSteadiness", {"high", "medium", "low", "unknown"});
  s.timeline(F, "Dynamics", "framingProgression",
             {"start", "end", "type", {{"none", 0.0}, {"wide", 1.0}, {"medium", 2.0}, {"close", 3.0}}},
             "shot closeness");
  s.count(F, "Dynamics", "framingProgression", "number of framing segments");
  {
    const std::vector<std::string> types = {"close", "medium", "wide", "none"};
    std::vector<FeatureInfo> infos;
    for (const auto& t : types)
      infos.push_back(s.info(F, "Dynamics", "framingProgression", ".time_share:" + t, FeatureKind::derived,
                             "share of the video in " + t + " shots"));
    s.add(std::move(infos), [F, types](const auto& c, double* o) {
      const auto v = c.at(F, "Dynamics", "framingProgression");
      if (!v || !v.is_array()) { std::fill(o, o + types.size(), kNaN); return; }
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
  s.num(F, "KeyEvents", "framingChanges", "number of framing changes");
}

void add_scene(Builder& s) {
  const int F = kScene;
  s.num(F, "CoreMetrics", "totalScenes", "number of scenes (cuts + 1)");
  s.num(F, "CoreMetrics", "averageSceneDuration", "average scene length in seconds");
  s.num(F, "CoreMetrics", "scenesPerMinute", "cuts per minute");
  s.onehot(F, "CoreMetrics", "rhythmConsistency", {"consistent", "varied", "erratic"});
  s.onehot(F, "Patterns", "editingStyle", {"mtv_style", "classic_narrative", "rhythmic", "experimental"});
  s.add({s.info(F, "CoreMetrics", "averageSceneDuration", "_share", FeatureKind::derived,
                "average scene length as a share of the video")},
        [F](const auto& c, double* o) { o[0] = c.norm(c.num(F, "CoreMetrics", "averageSceneDuration")); });
}

void add_speech(Builder& s) {
  const int F = kSpeech;
  s.num(F, "CoreMetrics", "totalWords", "number of spoken words");
  s.num(F, "CoreMetrics", "speechDensity", "spoken words per second of video");
  s.num(F, "CoreMetrics", "wordsPerMinute", "speaking pace (words per minute)");
  s.num(F, "CoreMetrics", "vocabularyDiversity", "variety of words spoken");
  s.num(F, "CoreMetrics", "silenceRatio", "share of the video without speech");
  s.num(F, "CoreMetrics", "speechCoverage", "share of the video with speech");
  s.num(F, "CoreMetrics", "avgSegmentDuration", "average length of a spoken phrase");
  s.num(F, "CoreMetrics", "uniqueWords", "number of distinct words spoken");
  s.timeline(F, "Dynamics", "wpmProgression", {"", "", "", {}}, "speaking pace in the first 10 seconds");
  s.count(F, "Dynamics", "speechBursts", "number of high-energy voice bursts");
  s.list_stat(F, "Dynamics", "speechBursts", "energy", true);
  s.first_position(F, "Dynamics", "speechBursts", "start", "how early the first voice burst comes");
  s.onehot(F, "Dynamics", "burstPattern",
           {"front_loaded", "back_loaded", "middle_peak", "steady", "unknown", "unavailable", "none"});
  s.num(F, "Dynamics", "energyVariance", "variation of voice energy");
  s.flag(F, "Dynamics", "hasAudioEnergy", "audio energy measured");
  s.count(F, "Dynamics", "temporalAlignment.gesture_emphasis_moments", "number of gestures emphasising speech");
  s.num(F, "Dynamics", "temporalAlignment.body_language_congruence", "body language matching the speech");
  s.num(F, "KeyEvents", "longestSegment.duration", "longest uninterrupted spoken phrase (seconds)");
  s.per_second(F, "KeyEvents", "longestSegment.duration", "longest spoken phrase as a share of the video");
  s.position(F, "KeyEvents", "climaxMoment.timestamp", "when the voice energy peaks (share of the video)");
}

void add_metadata(Builder& s) {
  const int F = kMeta;
  s.num(F, "CoreMetrics", "captionLength", "caption length (characters)");
  s.num(F, "CoreMetrics", "wordCount", "caption length (words)");
  s.num(F, "CoreMetrics", "hashtagCount", "number of hashtags");
  s.num(F, "CoreMetrics", "emojiCount", "number of emoji groups in the caption");
  s.num(F, "CoreMetrics", "mentionCount", "number of @mentions");
  s.onehot(F, "Dynamics", "hashtagStrategy", {"none", "minimal", "moderate", "heavy", "spam"});
  s.num(F, "Dynamics", "emojiDensity", "emoji per caption word");
  s.num(F, "Dynamics", "mentionDensity", "mentions per caption word");
  s.num(F, "Dynamics", "publishHour", "hour of posting (UTC)");
  s.num(F, "Dynamics", "publishDayOfWeek", "day of posting (0 = Monday)");
  s.count(F, "KeyEvents", "hashtags");
  s.count(F, "KeyEvents", "keyMentions");
  s.count(F, "KeyEvents", "primaryEmojis");
  s.flag(F, "KeyEvents", "hasHook", "a hook in the caption");
  s.flag(F, "KeyEvents", "callToAction", "a call to action in the caption");
  s.num(F, "Patterns", "hashtagBreakdown.generic", "number of generic hashtags (#fyp, #viral...)");
  s.num(F, "Patterns", "hashtagBreakdown.niche", "number of niche hashtags");
  s.num(F, "Patterns", "hashtagBreakdown.genericRatio", "share of generic hashtags");
  for (const char* k : {"hasCTA", "ctaFollow", "ctaLike", "ctaComment", "ctaShare", "ctaUrgency"})
    s.flag(F, "Patterns", std::string("ctaFeatures.") + k, std::string("caption ") + humanize_key(k));
  s.num(F, "Patterns", "ctaFeatures.ctaCount", "number of calls to action in the caption");
  s.flag(F, "Patterns", "hasQuestion", "a question in the caption");
  s.flag(F, "Patterns", "hasExclamation", "an exclamation in the caption");
  s.flag(F, "Quality", "hasCaption", "a caption");
  s.flag(F, "Quality", "linkPresent", "a link in the caption");
}

void add_video(Builder& s) {
  std::vector<FeatureInfo> infos;
  FeatureInfo d;
  d.name = "video.duration_s";
  d.source = "apify.videoMeta.duration";
  d.kind = FeatureKind::derived;
  d.phrase = "video length in seconds";
  infos.push_back(d);
  for (std::size_t f = 0; f < kFlowNames.size(); ++f) {
    FeatureInfo p;
    p.name = "video.flow_present:" + std::string(kFlowNames[f]);
    p.source = std::string(kFlowNames[f]);
    p.kind = FeatureKind::flag;
    p.phrase = "the " + std::string(kHuman[f]) + " analysis is available";
    infos.push_back(p);
  }
  s.add(std::move(infos), [](const auto& c, double* o) {
    o[0] = c.duration;
    for (std::size_t f = 0; f < kFlowNames.size(); ++f) o[1 + f] = c.flows[f] ? 1.0 : 0.0;
  });
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
  b.add(temporal_window_features(), [](const auto& c, double* o) { fill_temporal_window_features(c.windows, o, c.warnings); });
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
