#include "native/shots.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>

namespace rumi::native {

namespace {

// One analysed frame: planar H, S, V at the analysis size, and the edge map when edges count.
struct Plane {
  int w = 0, h = 0;
  std::vector<std::uint8_t> hue, sat, val, edges;
  // The coarse layout: HSV of the mean colour of each kCoarse x kCoarse block.
  int cw = 0, ch = 0;
  std::vector<std::uint8_t> chue, csat, cval;
  bool empty() const { return w == 0; }
};

// OpenCV's 8-bit HSV: H in [0, 180) (degrees / 2), S and V in [0, 255].
// std::lround for 0 <= x < 2^52, exactly (half away from zero), without the libm call that was
// a sixth of the detector's time: x - trunc(x) is exact in binary floating point (Sterbenz), so
// the comparison with 0.5 decides as lround does.
inline long round_nonneg(double x) {
  const long t = static_cast<long>(x);
  return t + (x - static_cast<double>(t) >= 0.5 ? 1 : 0);
}

inline void rgb_to_hsv(double r, double g, double b, std::uint8_t& H, std::uint8_t& S, std::uint8_t& V) {
  const double mx = std::max({r, g, b});
  const double mn = std::min({r, g, b});
  const double d = mx - mn;
  V = static_cast<std::uint8_t>(round_nonneg(mx));
  S = mx > 0 ? static_cast<std::uint8_t>(round_nonneg(255.0 * d / mx)) : 0;
  double h = 0;
  if (d > 0) {
    if (mx == r)
      h = 60.0 * (g - b) / d;
    else if (mx == g)
      h = 120.0 + 60.0 * (b - r) / d;
    else
      h = 240.0 + 60.0 * (r - g) / d;
    if (h < 0) h += 360.0;
  }
  long hh = round_nonneg(h / 2.0);
  if (hh >= 180) hh -= 180;
  H = static_cast<std::uint8_t>(hh);
}

// Edge map of V: a pixel is an edge when its central-difference gradient exceeds a level set
// from the frame's median brightness (as PySceneDetect sets Canny's levels), then dilated by one
// pixel so that slow motion keeps most edges overlapping.
void edge_map(Plane& p) {
  const int w = p.w, h = p.h;
  std::vector<std::uint8_t> sorted = p.val;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2), sorted.end());
  const int level = std::max(16, static_cast<int>(4.0 / 3.0 * sorted[sorted.size() / 2]));
  std::vector<std::uint8_t> raw(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0);
  auto at = [&](int x, int y) {
    return static_cast<int>(
        p.val[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)]);
  };
  for (int y = 1; y + 1 < h; ++y)
    for (int x = 1; x + 1 < w; ++x) {
      const int g = std::abs(at(x + 1, y) - at(x - 1, y)) + std::abs(at(x, y + 1) - at(x, y - 1));
      if (g > level) raw[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] = 255;
    }
  p.edges.assign(raw.size(), 0);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      bool any = false;
      for (int dy = -1; dy <= 1 && !any; ++dy)
        for (int dx = -1; dx <= 1 && !any; ++dx) {
          const int xx = x + dx, yy = y + dy;
          if (xx >= 0 && yy >= 0 && xx < w && yy < h &&
              raw[static_cast<std::size_t>(yy) * static_cast<std::size_t>(w) + static_cast<std::size_t>(xx)])
            any = true;
        }
      if (any) p.edges[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] = 255;
    }
}

double round_to(double x, int digits) {
  const double f = std::pow(10.0, digits);
  return std::round(x * f) / f;
}

// "3-7s": RumiAI's range timestamps, whole seconds truncated.
std::string range_stamp(double start, double length) {
  std::string s = std::to_string(static_cast<long long>(start));
  s += '-';
  s += std::to_string(static_cast<long long>(start + length));
  s += 's';
  return s;
}

constexpr int kCoarse = 16;

}  // namespace

struct ShotDetector::State {
  ShotOptions o;
  Plane prev;  // the frame before the current one
  bool have_prev = false;
  double last_t = -1e300;       // time of the last frame accepted in order
  double last_used_t = -1e300;  // time of the last frame used after sampling
  // Every used frame, in order: its time, its score (against the frame before) and whether it has
  // one (the first frame, and the first after a size change, have none).
  std::vector<double> t, score, cscore;
  std::vector<char> scored;
  std::size_t decided = 0;
  // The last window+2 planes with their frame indices, for the flash rule (it compares the frame
  // after a second candidate with the frame before the first).
  std::vector<Plane> ring;
  std::vector<std::size_t> ring_index;
  double last_cut_t = 0;         // the previous cut, or the first frame's time
  bool pending = false;          // the last cut may still be withdrawn as a flash
  Plane before_pending;          // the last frame before the pending cut
  double before_last_cut_t = 0;  // what last_cut_t was before the pending cut
  std::vector<double> cuts;

  explicit State(ShotOptions opt) : o(opt) {
    if (o.analysis_width < 8) o.analysis_width = 8;
    if (o.window < 1) o.window = 1;
    if (o.min_shot_s < 0) o.min_shot_s = 0;
  }

  void to_plane(const FrameView& f, Plane& p) const {
    const int W = std::min(o.analysis_width, f.width);
    const int H = std::max(1, static_cast<int>(std::lround(static_cast<double>(f.height) * W / f.width)));
    p.w = W;
    p.h = H;
    const std::size_t n = static_cast<std::size_t>(W) * static_cast<std::size_t>(H);
    p.hue.resize(n);
    p.sat.resize(n);
    p.val.resize(n);
    // Box average: output pixel (x, y) covers source columns [x*w/W, (x+1)*w/W) and likewise rows.
    std::vector<int> x0(static_cast<std::size_t>(W) + 1), y0(static_cast<std::size_t>(H) + 1);
    for (int x = 0; x <= W; ++x)
      x0[static_cast<std::size_t>(x)] = static_cast<int>(static_cast<long long>(x) * f.width / W);
    for (int y = 0; y <= H; ++y)
      y0[static_cast<std::size_t>(y)] = static_cast<int>(static_cast<long long>(y) * f.height / H);
    std::vector<std::uint32_t> acc(static_cast<std::size_t>(W) * 3);
    p.cw = (W + kCoarse - 1) / kCoarse;
    p.ch = (H + kCoarse - 1) / kCoarse;
    const std::size_t cn = static_cast<std::size_t>(p.cw) * static_cast<std::size_t>(p.ch);
    std::vector<double> csum(cn * 3, 0.0), ccount(cn, 0.0);
    auto emit = [&](int x, int y, double r, double g, double b) {
      const std::size_t i = static_cast<std::size_t>(y) * static_cast<std::size_t>(W) + static_cast<std::size_t>(x);
      rgb_to_hsv(r, g, b, p.hue[i], p.sat[i], p.val[i]);
      const std::size_t c = static_cast<std::size_t>(y / kCoarse) * static_cast<std::size_t>(p.cw) +
                            static_cast<std::size_t>(x / kCoarse);
      csum[3 * c] += r;
      csum[3 * c + 1] += g;
      csum[3 * c + 2] += b;
      ccount[c] += 1;
    };
    // A frame already at the analysis size (the decoder delivers it so): each box is one pixel,
    // and reading it directly gives the same values as the box sum divided by 1.
    const bool identity = W == f.width && H == f.height;
    for (int y = 0; y < H; ++y) {
      if (identity) {
        const std::uint8_t* row = f.rgb + static_cast<std::ptrdiff_t>(y) * f.stride;
        for (int x = 0; x < W; ++x) emit(x, y, row[3 * x], row[3 * x + 1], row[3 * x + 2]);
        continue;
      }
      std::fill(acc.begin(), acc.end(), 0u);
      const int ya = y0[static_cast<std::size_t>(y)];
      const int yb = std::max(ya + 1, y0[static_cast<std::size_t>(y) + 1]);
      for (int sy = ya; sy < yb; ++sy) {
        const std::uint8_t* row = f.rgb + static_cast<std::ptrdiff_t>(sy) * f.stride;
        for (int x = 0; x < W; ++x) {
          const int xa = x0[static_cast<std::size_t>(x)];
          const int xb = std::max(xa + 1, x0[static_cast<std::size_t>(x) + 1]);
          std::uint32_t r = 0, g = 0, b = 0;
          for (int sx = xa; sx < xb; ++sx) {
            r += row[3 * sx];
            g += row[3 * sx + 1];
            b += row[3 * sx + 2];
          }
          acc[3 * static_cast<std::size_t>(x)] += r;
          acc[3 * static_cast<std::size_t>(x) + 1] += g;
          acc[3 * static_cast<std::size_t>(x) + 2] += b;
        }
      }
      for (int x = 0; x < W; ++x) {
        const int xa = x0[static_cast<std::size_t>(x)];
        const int xb = std::max(xa + 1, x0[static_cast<std::size_t>(x) + 1]);
        const double cnt = static_cast<double>(xb - xa) * (yb - ya);
        emit(x, y, acc[3 * static_cast<std::size_t>(x)] / cnt, acc[3 * static_cast<std::size_t>(x) + 1] / cnt,
             acc[3 * static_cast<std::size_t>(x) + 2] / cnt);
      }
    }
    p.chue.resize(cn);
    p.csat.resize(cn);
    p.cval.resize(cn);
    for (std::size_t c = 0; c < cn; ++c)
      rgb_to_hsv(csum[3 * c] / ccount[c], csum[3 * c + 1] / ccount[c], csum[3 * c + 2] / ccount[c], p.chue[c],
                 p.csat[c], p.cval[c]);
    if (o.weight_edges > 0)
      edge_map(p);
    else
      p.edges.clear();
  }

  // The weighted mean absolute difference of H, S, V (and edges) of two planes (see the
  // header); coarse: of the block layouts instead, without edges. A large value for frames that
  // cannot be compared (different sizes).
  double distance(const Plane& a, const Plane& b, bool coarse = false) const {
    if (a.w != b.w || a.h != b.h || a.empty()) return 255.0;
    const auto& ah = coarse ? a.chue : a.hue;
    const auto& bh = coarse ? b.chue : b.hue;
    const auto& as = coarse ? a.csat : a.sat;
    const auto& bs = coarse ? b.csat : b.sat;
    const auto& av = coarse ? a.cval : a.val;
    const auto& bv = coarse ? b.cval : b.val;
    const std::size_t n = ah.size();
    std::uint64_t dh = 0, ds = 0, dv = 0, de = 0;
    for (std::size_t i = 0; i < n; ++i) {
      int d = std::abs(static_cast<int>(ah[i]) - static_cast<int>(bh[i]));
      dh += static_cast<std::uint64_t>(std::min(d, 180 - d));
      ds += static_cast<std::uint64_t>(std::abs(static_cast<int>(as[i]) - static_cast<int>(bs[i])));
      dv += static_cast<std::uint64_t>(std::abs(static_cast<int>(av[i]) - static_cast<int>(bv[i])));
    }
    const bool edges = !coarse && o.weight_edges > 0 && a.edges.size() == n && b.edges.size() == n;
    if (edges)
      for (std::size_t i = 0; i < n; ++i)
        de += static_cast<std::uint64_t>(std::abs(static_cast<int>(a.edges[i]) - static_cast<int>(b.edges[i])));
    const double N = static_cast<double>(n);
    const double we = coarse ? 0.0 : std::abs(o.weight_edges);
    const double wsum = std::abs(o.weight_hue) + std::abs(o.weight_sat) + std::abs(o.weight_value) + we;
    if (wsum <= 0 || n == 0) return 0;
    const double s = o.weight_hue * static_cast<double>(dh) / N + o.weight_sat * static_cast<double>(ds) / N +
                     o.weight_value * static_cast<double>(dv) / N +
                     (edges ? o.weight_edges * static_cast<double>(de) / N : 0.0);
    return s / wsum;
  }

  // Whether frame i stands out of its neighbours in sc: sc[i] / (mean of the calmer side) >=
  // adaptive_ratio and sc[i] / (mean of the busier side) >= adaptive_ratio / 2 (see the header).
  bool spike(const std::vector<double>& sc, std::size_t i) const {
    if (sc[i] < o.min_content) return false;
    const std::size_t w = static_cast<std::size_t>(o.window);
    double side[2] = {0, 0};
    int n[2] = {0, 0};
    for (std::size_t j = i >= w ? i - w : 0; j <= i + w && j < t.size(); ++j) {
      if (j == i || !scored[j]) continue;
      const int k = j < i ? 0 : 1;
      side[k] += sc[j];
      ++n[k];
    }
    if (n[0] == 0 && n[1] == 0) return true;
    const double a = n[0] ? side[0] / n[0] : side[1] / n[1];
    const double b = n[1] ? side[1] / n[1] : a;
    const double calm = std::min(a, b), busy = std::max(a, b);
    const auto at_least = [&](double mean, double r) { return mean < 1e-5 || sc[i] / mean >= r; };
    return at_least(calm, o.adaptive_ratio) && at_least(busy, o.adaptive_ratio / 2);
  }

  const Plane* ring_plane(std::size_t index) const {
    for (std::size_t k = 0; k < ring_index.size(); ++k)
      if (ring_index[k] == index) return &ring[k];
    return nullptr;
  }

  // Decides frame i; frames up to i + window are known (fewer at the end of the video).
  void decide(std::size_t i) {
    if (!scored[i]) return;
    const bool fine_spike = spike(score, i);
    const bool coarse_spike = spike(cscore, i);
    if (pending && t[i] - cuts.back() >= o.min_shot_s) {
      pending = false;
      before_pending = Plane{};
    }
    if (!fine_spike && !coarse_spike) return;
    if (t[i] - last_cut_t >= o.min_shot_s) {
      const Plane* before = i > 0 ? ring_plane(i - 1) : nullptr;
      before_last_cut_t = last_cut_t;
      cuts.push_back(t[i]);
      last_cut_t = t[i];
      pending = before != nullptr;
      before_pending = before ? *before : Plane{};
      return;
    }
    // A second candidate within the minimum shot length of a cut: a flash when the picture is
    // back to what it was before that cut, else the change belongs to the cut already taken.
    if (pending) {
      const Plane* now = ring_plane(i);
      if (now && distance(before_pending, *now, true) < o.min_content) {
        cuts.pop_back();
        last_cut_t = before_last_cut_t;
        pending = false;
        before_pending = Plane{};
      }
    }
  }

  void add(const FrameView& f) {
    if (f.width <= 0 || f.height <= 0 || f.rgb == nullptr || f.stride < 3 * f.width) return;
    if (!(f.t > last_t) || !std::isfinite(f.t)) return;
    last_t = f.t;
    if (o.sample_fps > 0 && f.t - last_used_t < 0.999 / o.sample_fps) return;
    last_used_t = f.t;
    Plane cur;
    to_plane(f, cur);
    const bool comparable = have_prev && prev.w == cur.w && prev.h == cur.h;
    if (t.empty()) last_cut_t = f.t;
    t.push_back(f.t);
    score.push_back(comparable ? distance(prev, cur) : 0.0);
    cscore.push_back(comparable ? distance(prev, cur, true) : 0.0);
    scored.push_back(comparable ? 1 : 0);
    const std::size_t index = t.size() - 1;
    const std::size_t keep = static_cast<std::size_t>(o.window) + 2;
    if (ring.size() >= keep) {
      ring.erase(ring.begin());
      ring_index.erase(ring_index.begin());
    }
    ring.push_back(cur);
    ring_index.push_back(index);
    prev = std::move(cur);
    have_prev = true;
    const std::size_t w = static_cast<std::size_t>(o.window);
    while (decided + w < t.size()) decide(decided++);
  }
};

ShotDetector::ShotDetector(ShotOptions o) : s_(std::make_unique<State>(o)) {}
ShotDetector::~ShotDetector() = default;
ShotDetector::ShotDetector(ShotDetector&&) noexcept = default;
ShotDetector& ShotDetector::operator=(ShotDetector&&) noexcept = default;

void ShotDetector::add_frame(const FrameView& f) { s_->add(f); }

ShotResult ShotDetector::finish(double duration_s) {
  State& s = *s_;
  while (s.decided < s.t.size()) s.decide(s.decided++);
  ShotResult r;
  r.frames = static_cast<std::int64_t>(s.t.size());
  r.cuts = s.cuts;
  r.frame_times = s.t;
  r.scores = s.score;
  r.coarse_scores = s.cscore;
  double duration = std::isfinite(duration_s) ? std::max(0.0, duration_s) : 0.0;
  if (!s.t.empty() && duration <= s.t.back()) {
    // The last frame lasts as long as a typical frame interval.
    std::vector<double> dt;
    for (std::size_t i = 1; i < s.t.size(); ++i) dt.push_back(s.t[i] - s.t[i - 1]);
    double step = 0;
    if (!dt.empty()) {
      std::nth_element(dt.begin(), dt.begin() + static_cast<long>(dt.size() / 2), dt.end());
      step = dt[dt.size() / 2];
    }
    duration = s.t.back() + step;
  }
  r.duration_s = duration;
  if (s.t.empty()) return r;
  r.shot_starts.push_back(0.0);
  for (double c : r.cuts) r.shot_starts.push_back(c);
  for (std::size_t i = 0; i < r.shot_starts.size(); ++i) {
    const double end = i + 1 < r.shot_starts.size() ? r.shot_starts[i + 1] : duration;
    r.shot_lengths.push_back(std::max(0.0, end - r.shot_starts[i]));
  }
  return r;
}

// scene_pacing rules (RumiAI's compute_scene_pacing_metrics, except where marked "rumi:"):
// * totalScenes: the number of shots (cuts + 1); averageSceneDuration: their mean length (2
//   decimals); scenesPerMinute: shots / duration * 60 (2 decimals; RumiAI's regenerated sample,
//   29 scenes over 82.7 s at 21.03, is shots, not cuts, per minute).
// * rhythmConsistency: 1 / (1 + sample std of the shot lengths): > 0.7 "consistent", > 0.4
//   "varied", else "erratic"; one shot is "consistent".
// * editingStyle: "mtv_style" when the mean shot is under 1.5 s; else "classic_narrative" when
//   consistent with a mean over 3 s; else "rhythmic" when consistent; else "experimental".
// * rumi: KeyEvents.longestScene / shortestScene carry the real shot (duration, 2 decimals, and
//   "start-end s" in whole seconds); RumiAI's wrapper reads other key names and always writes
//   its defaults. Ties go to the earliest shot.
// * rumi: Dynamics.pacingProgression is RumiAI's pacing curve (cuts per 10-s window, computed but
//   never written upstream) as [{timestamp: "0-10s", cuts: n}]; the last window ends at the
//   duration (whole seconds, rounded up).
// * Left out, because RumiAI only ever writes constants there: pacingScore, transitionSmoothing,
//   sceneRhythm, temporalFlow, acceleration/decelerationPoints, every Interactions and Quality
//   field, pacingShifts, climaxTiming, transitionTypes, pacingPattern, rhythmStructure.
//   Interactions and Quality are written as empty blocks so the file keeps the six-block shape.
// * No frames (nothing analysed) or no duration: six empty blocks; nothing is measured.
Json scene_pacing_flow(const ShotResult& r, double duration_s) {
  Json core = Json::object(), dyn = Json::object(), key = Json::object(), patterns = Json::object();
  const double duration = duration_s > 0 ? duration_s : r.duration_s;
  const std::size_t n = r.shot_lengths.size();
  if (n > 0 && duration > 0 && std::isfinite(duration)) {
    const double mean = std::accumulate(r.shot_lengths.begin(), r.shot_lengths.end(), 0.0) / static_cast<double>(n);
    std::string rhythm = "consistent";
    if (n > 1) {
      double ss = 0;
      for (double l : r.shot_lengths) ss += (l - mean) * (l - mean);
      const double sd = std::sqrt(ss / static_cast<double>(n - 1));
      const double c = 1.0 / (1.0 + sd);
      rhythm = c > 0.7 ? "consistent" : c > 0.4 ? "varied" : "erratic";
    }
    core["totalScenes"] = static_cast<std::int64_t>(n);
    core["averageSceneDuration"] = round_to(mean, 2);
    core["scenesPerMinute"] = round_to(static_cast<double>(n) / duration * 60.0, 2);
    core["rhythmConsistency"] = rhythm;
    patterns["editingStyle"] = mean < 1.5                             ? "mtv_style"
                               : rhythm == "consistent" && mean > 3.0 ? "classic_narrative"
                               : rhythm == "consistent"               ? "rhythmic"
                                                                      : "experimental";
    std::size_t lo = 0, hi = 0;
    for (std::size_t i = 1; i < n; ++i) {
      if (r.shot_lengths[i] > r.shot_lengths[hi]) hi = i;
      if (r.shot_lengths[i] < r.shot_lengths[lo]) lo = i;
    }
    const auto start = [&](std::size_t i) { return i < r.shot_starts.size() ? r.shot_starts[i] : 0.0; };
    key["longestScene"] = {{"duration", round_to(r.shot_lengths[hi], 2)},
                           {"timestamp", range_stamp(start(hi), r.shot_lengths[hi])}};
    key["shortestScene"] = {{"duration", round_to(r.shot_lengths[lo], 2)},
                            {"timestamp", range_stamp(start(lo), r.shot_lengths[lo])}};
    Json curve = Json::array();
    const long long end_s = static_cast<long long>(std::ceil(duration - 1e-9));
    for (long long w0 = 0; w0 < end_s; w0 += 10) {
      const long long w1 = std::min(w0 + 10, end_s);
      std::int64_t cuts = 0;
      for (double c : r.cuts)
        if (c >= static_cast<double>(w0) && c < static_cast<double>(w1)) ++cuts;
      std::string stamp = std::to_string(w0);
      stamp += '-';
      stamp += std::to_string(w1);
      stamp += 's';
      curve.push_back({{"timestamp", stamp}, {"cuts", cuts}});
    }
    dyn["pacingProgression"] = curve;
  }
  return {{"CoreMetrics", core}, {"Dynamics", dyn},      {"Interactions", Json::object()},
          {"KeyEvents", key},    {"Patterns", patterns}, {"Quality", Json::object()}};
}

std::string shot_config_fingerprint(const ShotOptions& o) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "shots/v%d width=%d fps=%d min_shot=%.6g ratio=%.6g window=%d floor=%.6g w=%.6g,%.6g,%.6g,%.6g",
                kShotDetectorVersion, o.analysis_width, o.sample_fps, o.min_shot_s, o.adaptive_ratio, o.window,
                o.min_content, o.weight_hue, o.weight_sat, o.weight_value, o.weight_edges);
  return buf;
}

}  // namespace rumi::native
