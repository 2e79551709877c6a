// The shot detector against videos with known cuts, made by the ffmpeg CLI (lavfi sources
// concatenated at known frames) and decoded for the test by the ffmpeg CLI too (rawvideo on a
// pipe, times from the frame rate): an oracle independent of rumi's own decoder. Every shot moves
// (a moving pattern, a zooming fractal, zoompan or scroll over a still, temporal noise), so no
// shot is a frozen frame. Truth: recall and precision >= 95 % within +-2 frames over the set.
// ffmpeg's own scene detector (scdet) is run on the same files for comparison (printed).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "native/shots.h"
#include "native/test_media.h"

using namespace rumi;
using namespace rumi::native;
namespace media = rumi::test::media;

namespace {

constexpr int kW = 180, kH = 320, kFps = 30;
// What the decoder delivers at the default analysis width for a 9:16 video.
constexpr int kDecW = 160, kDecH = 284;

enum class Src { testsrc2, mandelbrot, bars_zoom, still_zoom, gradients, noisy_colour, scroll_pan, rgb_zoom };

struct TruthShot {
  Src src;
  int frames;  // length in frames at 30 fps
  std::string colour = "navy";
};

// The lavfi source and per-shot filter for one shot (input index i), ending in [v<i>].
std::string shot_graph(const TruthShot& s, std::size_t i, std::string& source) {
  char buf[512];
  const std::string size = std::to_string(kW) + "x" + std::to_string(kH);
  std::string chain;
  switch (s.src) {
    case Src::testsrc2: source = "testsrc2=s=" + size + ":r=30"; break;
    case Src::mandelbrot:  // zooms in by itself
      source = "mandelbrot=s=" + size + ":r=30:start_scale=2:end_scale=0.5:end_pts=300";
      break;
    case Src::bars_zoom:
      source = "smptehdbars=s=" + size + ":r=30";
      std::snprintf(buf, sizeof buf,
                    "zoompan=z='1+0.004*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=%s:fps=30,", size.c_str());
      chain = buf;
      break;
    case Src::still_zoom:  // a still fractal, zoomed 1x -> 1.5x over the shot
      source = "mandelbrot=s=360x640:r=30:start_scale=0.4:end_scale=0.4:start_x=-0.75:start_y=0.1";
      std::snprintf(buf, sizeof buf,
                    "zoompan=z='1+0.5*on/%d':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=%s:fps=30,", s.frames,
                    size.c_str());
      chain = buf;
      break;
    case Src::gradients:
      source = "gradients=s=" + size + ":r=30:c0=" + s.colour + ":c1=white:n=2:speed=0.05:seed=7";
      break;
    case Src::noisy_colour:
      source = "color=c=" + s.colour + ":s=" + size + ":r=30";
      chain = "noise=alls=12:allf=t,";
      break;
    case Src::scroll_pan:  // a still pattern panning 1 % of the width per frame
      source = "testsrc=s=" + size + ":r=30";
      chain = "scroll=horizontal=0.01,";
      break;
    case Src::rgb_zoom:
      source = "rgbtestsrc=s=" + size + ":r=30";
      std::snprintf(buf, sizeof buf,
                    "zoompan=z='1.2+0.003*on':x='iw/2-(iw/zoom/2)+on':y='ih/2-(ih/zoom/2)':d=1:s=%s:fps=30,",
                    size.c_str());
      chain = buf;
      break;
  }
  std::snprintf(buf, sizeof buf, "[%zu:v]%strim=end_frame=%d,setpts=PTS-STARTPTS,format=yuv420p,setsar=1[v%zu];", i,
                chain.c_str(), s.frames, i);
  return buf;
}

std::filesystem::path make_truth_video(const std::vector<TruthShot>& shots) {
  std::vector<std::string> argv{media::ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-y"};
  std::string graph;
  for (std::size_t i = 0; i < shots.size(); ++i) {
    std::string source;
    graph += shot_graph(shots[i], i, source);
    argv.insert(argv.end(), {"-f", "lavfi", "-i", source});
  }
  for (std::size_t i = 0; i < shots.size(); ++i) graph += "[v" + std::to_string(i) + "]";
  graph += "concat=n=" + std::to_string(shots.size()) + ":v=1:a=0[v]";
  argv.insert(argv.end(), {"-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-crf",
                           "26", "-g", "60", "-threads", "1", "-map_metadata", "-1", "-fflags", "+bitexact", "{out}"});
  return media::make_cached(argv, "mp4");
}

std::vector<double> true_cuts(const std::vector<TruthShot>& shots) {
  std::vector<double> cuts;
  int f = 0;
  for (std::size_t i = 0; i + 1 < shots.size(); ++i) {
    f += shots[i].frames;
    cuts.push_back(static_cast<double>(f) / kFps);
  }
  return cuts;
}

struct Detected {
  std::vector<double> cuts;
  std::int64_t frames = 0;
  double detector_s = 0;  // time spent in add_frame + finish
};

// Decodes with the ffmpeg CLI to RGB24 at the analysis size and runs the detector.
Detected detect_file(const std::filesystem::path& file) {
  const auto r = rumi::test::run_program({media::ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-i",
                                          file.string(), "-f", "rawvideo", "-pix_fmt", "rgb24", "-s",
                                          std::to_string(kDecW) + "x" + std::to_string(kDecH), "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::size_t frame_bytes = static_cast<std::size_t>(kDecW) * kDecH * 3;
  EXPECT_EQ(r.out.size() % frame_bytes, 0u);
  Detected d;
  ShotDetector det;
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t n = r.out.size() / frame_bytes;
  for (std::size_t i = 0; i < n; ++i) {
    const auto* px = reinterpret_cast<const std::uint8_t*>(r.out.data() + i * frame_bytes);
    det.add_frame(FrameView{static_cast<double>(i) / kFps, kDecW, kDecH, 3 * kDecW, px});
  }
  const ShotResult res = det.finish(static_cast<double>(n) / kFps);
  d.detector_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  d.cuts = res.cuts;
  d.frames = res.frames;
  return d;
}

// ffmpeg's scdet on the same file: the times it reports (lavfi.scd.time) at its default threshold.
std::vector<double> scdet_cuts(const std::filesystem::path& file) {
  const auto r = rumi::test::run_program({media::ffmpeg_path(), "-hide_banner", "-loglevel", "info", "-i",
                                          file.string(), "-vf", "scdet=threshold=10", "-f", "null", "-"});
  std::vector<double> cuts;
  const std::string key = "lavfi.scd.time: ";
  for (std::size_t p = r.err.find(key); p != std::string::npos; p = r.err.find(key, p + 1))
    cuts.push_back(std::stod(r.err.substr(p + key.size())));
  return cuts;
}

struct Match {
  int hits = 0, truths = 0, found = 0;
};

// One-to-one matching of detected cuts to true ones within +-2 frames (greedy in time order).
Match match(const std::vector<double>& truth, const std::vector<double>& got) {
  Match m;
  m.truths = static_cast<int>(truth.size());
  m.found = static_cast<int>(got.size());
  std::vector<bool> used(got.size(), false);
  for (double t : truth)
    for (std::size_t k = 0; k < got.size(); ++k)
      if (!used[k] && std::abs(got[k] - t) <= 2.0 / kFps + 1e-6) {
        used[k] = true;
        ++m.hits;
        break;
      }
  return m;
}

std::string list(const std::vector<double>& v) {
  std::string s;
  char buf[32];
  for (double x : v) {
    std::snprintf(buf, sizeof buf, "%s%.3f", s.empty() ? "" : " ", x);
    s += buf;
  }
  return s;
}

// Five videos, 8 s or less each, shot lengths 0.5-4 s, every source kind, 24 cuts in all.
const std::vector<std::vector<TruthShot>>& truth_set() {
  static const std::vector<std::vector<TruthShot>> set = {
      {{Src::testsrc2, 45},
       {Src::mandelbrot, 60},
       {Src::bars_zoom, 15},
       {Src::gradients, 30, "red"},
       {Src::rgb_zoom, 90}},
      {{Src::noisy_colour, 15, "navy"},
       {Src::testsrc2, 18},
       {Src::gradients, 30, "green"},
       {Src::noisy_colour, 15, "orange"},
       {Src::mandelbrot, 60},
       {Src::bars_zoom, 24},
       {Src::scroll_pan, 42},
       {Src::gradients, 36, "purple"}},
      {{Src::still_zoom, 120}, {Src::testsrc2, 21}, {Src::noisy_colour, 39, "maroon"}, {Src::scroll_pan, 60}},
      {{Src::scroll_pan, 75},
       {Src::mandelbrot, 27},
       {Src::gradients, 45, "blue"},
       {Src::still_zoom, 66},
       {Src::bars_zoom, 27}},
      {{Src::rgb_zoom, 24},
       {Src::noisy_colour, 15, "teal"},
       {Src::testsrc2, 33},
       {Src::still_zoom, 30},
       {Src::gradients, 15, "olive"},
       {Src::mandelbrot, 51},
       {Src::scroll_pan, 72}},
  };
  return set;
}

void run_truth(std::size_t first, std::size_t last, bool with_scdet) {
  Match ours, theirs;
  std::int64_t frames = 0;
  double secs = 0;
  for (std::size_t v = first; v < last; ++v) {
    const auto& shots = truth_set()[v];
    const auto file = make_truth_video(shots);
    const auto truth = true_cuts(shots);
    const Detected d = detect_file(file);
    const Match m = match(truth, d.cuts);
    ours.hits += m.hits, ours.truths += m.truths, ours.found += m.found;
    frames += d.frames;
    secs += d.detector_s;
    std::string line = "video " + std::to_string(v) + ": truth " + list(truth) + "\n  rumi  " + list(d.cuts);
    if (with_scdet) {
      const auto sc = scdet_cuts(file);
      const Match s = match(truth, sc);
      theirs.hits += s.hits, theirs.truths += s.truths, theirs.found += s.found;
      line += "\n  scdet " + list(sc);
    }
    std::cout << line << "\n";
    EXPECT_EQ(m.hits, m.truths) << line;
    EXPECT_EQ(m.hits, m.found) << line;
  }
  const double recall = ours.truths ? static_cast<double>(ours.hits) / ours.truths : 1;
  const double precision = ours.found ? static_cast<double>(ours.hits) / ours.found : 1;
  std::printf("rumi: recall %.3f precision %.3f (%d of %d cuts, %d found); %.3f ms per %dx%d frame\n", recall,
              precision, ours.hits, ours.truths, ours.found, frames ? 1000 * secs / static_cast<double>(frames) : 0.0,
              kDecW, kDecH);
  if (with_scdet)
    std::printf("ffmpeg scdet=threshold=10: recall %.3f precision %.3f (%d of %d, %d found)\n",
                theirs.truths ? static_cast<double>(theirs.hits) / theirs.truths : 1,
                theirs.found ? static_cast<double>(theirs.hits) / theirs.found : 1, theirs.hits, theirs.truths,
                theirs.found);
  EXPECT_GE(recall, 0.95);
  EXPECT_GE(precision, 0.95);
}

}  // namespace

TEST(ShotTruth, TheSetHasTheShapeTheTruthNeeds) {
  int cuts = 0;
  bool zoom = false, short_shot = false, long_shot = false;
  for (const auto& shots : truth_set()) {
    int frames = 0;
    for (const auto& s : shots) {
      frames += s.frames;
      zoom = zoom || s.src == Src::still_zoom;
      short_shot = short_shot || s.frames == 15;
      long_shot = long_shot || s.frames == 120;
      EXPECT_GE(s.frames, 15);
      EXPECT_LE(s.frames, 120);
    }
    EXPECT_LE(frames, 8 * kFps);
    cuts += static_cast<int>(shots.size()) - 1;
  }
  EXPECT_GE(cuts, 20);
  EXPECT_TRUE(zoom && short_shot && long_shot);
}

TEST(ShotTruth, CutsInVideosZeroToTwo) {
  RUMI_REQUIRE_FFMPEG();
  run_truth(0, 3, false);
}

TEST(ShotTruth, CutsInVideosThreeAndFourAgainstScdet) {
  RUMI_REQUIRE_FFMPEG();
  run_truth(3, 5, true);
}
