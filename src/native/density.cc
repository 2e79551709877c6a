#include "native/density.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

namespace rumi::native {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Four decimals: the files stay readable and stable; every rule below is decided on the exact
// values.
Json num(double x) { return json_number(std::round(x * 1e4) / 1e4); }

std::string span_of(std::size_t s) { return std::to_string(s) + "-" + std::to_string(s + 1) + "s"; }

// The per-second series and RumiAI's statistics of it.
struct Series {
  std::vector<SecondElements> s;
  std::vector<double> d;  // totals
  double duration = 0;
  double total = 0, avg = 0, std = 0, max = 0, min = 0;
  double first_third = kNaN, last_third = kNaN;  // NaN when the third holds no second
  std::size_t active = 0;                        // seconds with density > 0
};

double mean_of(const std::vector<double>& v, std::size_t from, std::size_t to) {
  if (to <= from) return kNaN;
  double sum = 0;
  for (std::size_t i = from; i < to; ++i) sum += v[i];
  return sum / static_cast<double>(to - from);
}

// RumiAI's thirds are Python slices: d[:n // 3] and d[-n // 3:] (floor division of -n, so the
// last "third" holds ceil(n / 3) seconds, and all of them when n is 0).
Series series_of(std::vector<SecondElements> secs, double duration) {
  Series r;
  r.s = std::move(secs);
  r.duration = duration;
  const std::size_t n = r.s.size();
  for (const auto& e : r.s) r.d.push_back(e.total());
  for (double x : r.d) {
    r.total += x;
    r.active += x > 0 ? 1 : 0;
  }
  r.avg = duration > 0 ? r.total / duration : 0;
  if (n > 0) {
    r.max = *std::max_element(r.d.begin(), r.d.end());
    r.min = *std::min_element(r.d.begin(), r.d.end());
    const double m = r.total / static_cast<double>(n);
    double ss = 0;
    for (double x : r.d) ss += (x - m) * (x - m);
    r.std = std::sqrt(ss / static_cast<double>(n));
  }
  r.first_third = mean_of(r.d, 0, n / 3);
  r.last_third = mean_of(r.d, n == 0 ? 0 : n - (n + 2) / 3, n);
  return r;
}

// RumiAI's order of tests; a missing third (NaN) fails every comparison, as in Python.
std::string acceleration_pattern(const Series& r) {
  if (r.first_third > r.last_third * 1.5) return "front_loaded";
  if (r.last_third > r.first_third * 1.5) return "back_loaded";
  if (r.std > r.avg * 0.5) return "oscillating";
  return "even";
}

// Kinds present in one second, in RumiAI's order (text, object, gesture, expression,
// transition; objects and gestures are not measured).
std::vector<std::string> active_kinds(const SecondElements& e) {
  std::vector<std::string> k;
  if (e.text > 0) k.push_back("text");
  if (e.expression > 0) k.push_back("expression");
  if (e.transition > 0) k.push_back("transition");
  return k;
}

// RumiAI's primaryElement: the largest of text and scene_change (objects and gestures are not
// measured; an expression is never primary in RumiAI), the first on a tie, "none" when both are 0.
std::string primary_element(const SecondElements& e) {
  if (e.text == 0 && e.transition == 0) return "none";
  return e.text >= e.transition ? "text" : "scene_change";
}

Json core_metrics(const Series& r, const ShotResult& shots, const OcrResult& text, const FaceResult& faces) {
  std::int64_t captions = 0;
  for (int c : text.captions_per_second) captions += c;
  const std::vector<bool> face = seconds_with_a_face(faces);
  const auto n_cuts = static_cast<std::int64_t>(shots.cuts.size());
  const auto n_faces = static_cast<std::int64_t>(std::count(face.begin(), face.end(), true));
  return {{"avgDensity", num(r.avg)},
          {"maxDensity", num(r.max)},
          {"minDensity", num(r.min)},
          {"stdDeviation", num(r.std)},
          {"totalElements", static_cast<std::int64_t>(r.total)},
          {"elementsPerSecond", num(r.avg)},
          {"elementCounts", {{"text", captions}, {"transition", n_cuts}, {"expression", n_faces}}},
          {"sceneChangeCount", n_cuts},
          {"timelineCoverage", num(r.duration > 0 ? static_cast<double>(r.active) / r.duration : 0)}};
}

// densityCurve (the first 100 seconds), volatility = std / (avg + 0.001), the acceleration
// pattern, and the empty seconds (the first 50).
Json dynamics(const Series& r) {
  Json curve = Json::array(), empty = Json::array();
  for (std::size_t i = 0; i < r.s.size(); ++i) {
    if (i < 100)
      curve.push_back({{"second", static_cast<std::int64_t>(i)},
                       {"density", static_cast<std::int64_t>(r.d[i])},
                       {"primaryElement", primary_element(r.s[i])}});
    if (r.d[i] == 0 && empty.size() < 50) empty.push_back(static_cast<std::int64_t>(i));
  }
  return {{"densityCurve", curve},
          {"volatility", num(r.std / (r.avg + 0.001))},
          {"accelerationPattern", acceleration_pattern(r)},
          {"emptySeconds", empty}};
}

// Seconds with two kinds at once count for that pair ("<a>_<b>", alphabetical); the dominant
// pair is the most frequent, the first seen on a tie. A second with all three measured kinds is
// a multi-modal peak ("complementary": RumiAI's "reinforcing" needs four kinds, and only three
// are measured); coordinationScore = multi-modal seconds / duration.
Json interactions(const Series& r) {
  std::vector<std::pair<std::string, std::int64_t>> pairs;  // in order of first appearance
  Json peaks = Json::array();
  std::int64_t multi = 0;
  for (std::size_t s = 0; s < r.s.size(); ++s) {
    const auto kinds = active_kinds(r.s[s]);
    for (std::size_t i = 0; i < kinds.size(); ++i)
      for (std::size_t j = i + 1; j < kinds.size(); ++j) {
        const std::string key = std::min(kinds[i], kinds[j]) + "_" + std::max(kinds[i], kinds[j]);
        auto it = std::find_if(pairs.begin(), pairs.end(), [&](const auto& p) { return p.first == key; });
        if (it == pairs.end())
          pairs.emplace_back(key, 1);
        else
          ++it->second;
      }
    if (kinds.size() < 3) continue;
    ++multi;
    if (peaks.size() < 10)
      peaks.push_back({{"timestamp", span_of(s)}, {"elements", kinds}, {"syncType", "complementary"}});
  }
  Json co = Json::object();
  std::string dominant = "none";
  std::int64_t best = 0;
  for (const auto& [key, count] : pairs) {
    co[key] = count;
    if (count > best) {
      best = count;
      dominant = key;
    }
  }
  return {{"multiModalPeaks", peaks},
          {"elementCooccurrence", co},
          {"dominantCombination", dominant},
          {"coordinationScore", num(r.duration > 0 ? static_cast<double>(multi) / r.duration : 0)}};
}

std::string density_level(double d) {
  if (d == 0) return "none";
  if (d <= 2) return "low";
  if (d <= 5) return "medium";
  return "high";
}

// Peaks: seconds above mean + std (the first 10), surpriseScore = (density - avg) / (std +
// 0.001). Dead zones: runs of 2 or more empty seconds (the first 5), end exclusive. Shifts: a
// change of level between consecutive seconds by more than half of the larger density,
// magnitude |change| / (larger + 0.001), the 10 largest (stable on ties).
Json key_events(const Series& r) {
  Json peaks = Json::array(), zones = Json::array();
  const double threshold = r.avg + r.std;
  const std::size_t n = r.s.size();
  std::size_t run_start = 0;
  bool in_run = false;
  for (std::size_t s = 0; s <= n; ++s) {
    if (s < n && r.d[s] > threshold && peaks.size() < 10)
      peaks.push_back(
          {{"timestamp", span_of(s)},
           {"totalElements", static_cast<std::int64_t>(r.d[s])},
           {"surpriseScore", num((r.d[s] - r.avg) / (r.std + 0.001))},
           {"elementBreakdown",
            {{"text", r.s[s].text}, {"transition", r.s[s].transition}, {"scene_change", r.s[s].transition}}}});
    const bool empty = s < n && r.d[s] == 0;
    if (empty && !in_run) {
      in_run = true;
      run_start = s;
    } else if (!empty && in_run) {
      in_run = false;
      const auto len = static_cast<std::int64_t>(s - run_start);
      if (len >= 2 && zones.size() < 5)
        zones.push_back({{"start", static_cast<std::int64_t>(run_start)},
                         {"end", static_cast<std::int64_t>(s)},
                         {"duration", len}});
    }
  }
  std::vector<std::pair<double, Json>> shifts;
  for (std::size_t s = 1; s < n; ++s) {
    const std::string from = density_level(r.d[s - 1]), to = density_level(r.d[s]);
    if (from == to) continue;
    const double magnitude = std::abs(r.d[s] - r.d[s - 1]) / (std::max(r.d[s], r.d[s - 1]) + 0.001);
    if (magnitude > 0.5)
      shifts.emplace_back(
          magnitude,
          Json{{"timestamp", static_cast<std::int64_t>(s)}, {"from", from}, {"to", to}, {"magnitude", num(magnitude)}});
  }
  std::stable_sort(shifts.begin(), shifts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  Json top = Json::array();
  for (std::size_t i = 0; i < shifts.size() && i < 10; ++i) top.push_back(shifts[i].second);
  return {{"peakMoments", peaks}, {"deadZones", zones}, {"densityShifts", top}};
}

// RumiAI's flags and classes, on the native density (so a native video is "sparse" far more
// often than a RumiAI one: see the header).
Json patterns(const Series& r) {
  const std::size_t n = r.s.size();
  const bool final_cta = n >= 5 && mean_of(r.d, n - 5, n) > r.avg;
  const std::string accel = acceleration_pattern(r);
  const std::string cls = r.avg < 1 ? "sparse" : (r.avg <= 5 ? "moderate" : "dense");
  const std::string load = r.avg < 2 ? "minimal" : (r.avg <= 4 ? "optimal" : "challenging");
  return {{"structuralFlags",
           {{"strongOpeningHook", r.first_third > r.avg * 1.2},
            {"crescendoPattern", r.last_third > r.first_third},
            {"frontLoaded", accel == "front_loaded"},
            {"consistentPacing", r.std < r.avg * 0.3},
            {"finalCallToAction", final_cta},
            {"rhythmicPattern", r.std < r.avg * 0.2}}},
          {"densityClassification", cls},
          {"pacingStyle", accel},
          {"cognitiveLoadCategory", load}};
}

}  // namespace

std::vector<SecondElements> density_seconds(const ShotResult& shots, const OcrResult& text, const FaceResult& faces,
                                            double duration_s) {
  const auto n = static_cast<std::size_t>(std::max(0.0, std::floor(duration_s + 1e-9)));
  std::vector<SecondElements> out(n);
  for (std::size_t s = 0; s < n && s < text.captions_per_second.size(); ++s) out[s].text = text.captions_per_second[s];
  const std::vector<bool> face = seconds_with_a_face(faces);
  for (std::size_t s = 0; s < n && s < face.size(); ++s) out[s].expression = face[s] ? 1 : 0;
  for (double t : shots.cuts) {
    const double sec = std::floor(t + 1e-9);
    if (sec >= 0 && sec < static_cast<double>(n)) ++out[static_cast<std::size_t>(sec)].transition;
  }
  return out;
}

Json creative_density_flow(const ShotResult& shots, const OcrResult& text, const FaceResult& faces, double duration_s) {
  const Series r = series_of(density_seconds(shots, text, faces, duration_s), duration_s);
  return {{"CoreMetrics", core_metrics(r, shots, text, faces)},
          {"Dynamics", dynamics(r)},
          {"Interactions", interactions(r)},
          {"KeyEvents", key_events(r)},
          {"Patterns", patterns(r)},
          {"Quality", Json::object()}};
}

}  // namespace rumi::native
