#pragma once
// Shot (cut) detection on decoded frames, and the scene_pacing flow built from the shots.
//
// The detector is content-aware, in the manner of PySceneDetect's ContentDetector combined with
// its AdaptiveDetector (own code, same ideas):
// * Frame score: each frame is converted to HSV (OpenCV's 8-bit scale: H 0-179, S and V 0-255)
//   on a grid of at most `analysis_width` columns (box-averaged down from what the decoder
//   delivers). The score of frame i is the weighted mean of the per-pixel mean absolute
//   differences between frame i and frame i-1 of H, S and V (and, optionally, of an edge map of
//   V), divided by the sum of the weights. rumi: the hue difference is circular (H 179 and H 0
//   are neighbours), where PySceneDetect takes a plain difference.
// * Coarse score (rumi): the same difference over the layout of mean colours of 16 x 16 blocks
//   of the analysis grid. A fast pan or zoom decorrelates fine detail from frame to frame but
//   moves the coarse layout only a little, so a cut inside fast motion still stands out there.
// * Adaptive ratio: a score compared with the mean scores of the `window` frames before it and
//   of the `window` frames after it (truncated at the start and end of the video). A hard cut is
//   one frame whose score stands far above its neighbours; camera motion, zoom or a pan raise
//   the scores of many consecutive frames together, so their ratio stays near 1: no cut.
//   rumi: PySceneDetect divides by the mean of both sides together; here the score must be
//   `adaptive_ratio` times the calmer side AND half that times the busier side. A cut from a
//   still shot into fast motion (or back) then still counts, while the onset of motion (the
//   first moving frame scores like the ones after it) does not.
// * A frame starts a new shot when, for the fine or for the coarse score, the ratios hold AND
//   score >= `min_content`; the absolute floor keeps noise on a static frame (tiny scores, any
//   ratio) and slow fades (each step a few units) from ever counting.
// * Minimum shot length: a cut closer than `min_shot_s` to the previous cut (or to the start) is
//   dropped, as in PySceneDetect. rumi: a flash (a burst of different frames shorter than
//   `min_shot_s` after which the picture returns to what it was before) is no cut at all: when a
//   second candidate follows a cut within `min_shot_s` and the frame after it is close (coarse
//   score < `min_content`) to the last frame before the first candidate, the first is withdrawn.
// * A fade or dissolve spreads its change over many frames: it is no cut, or at most one when
//   it is fast enough that one step stands out; never one per frame.
// Cut times are the PTS of the first frame of the new shot. Known limit: a cut between two shots
// that are both in fast motion is found only when it changes the picture (fine or coarse) about
// three times more than the motion does from frame to frame.
//
// Defaults: PySceneDetect's adaptive_threshold 3.0, window_width 2, min_content_val 15 and
// weights (1, 1, 1, 0); min_shot_s 0.4 s (PySceneDetect's 15 frames at 30 fps is 0.5 s; TikTok
// edits often hold a shot for half a second, so a little under that). analysis_width 160: a
// cut changes the whole picture, so 160 columns see it as well as 1080, at 1/45 of the cost,
// and the box average removes the sensor noise and compression blocking that would raise the
// scores of static shots.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/json.h"
#include "native/media_types.h"

namespace rumi::native {

// Version of the shot detector's rules; part of the analysis cache key with the options.
inline constexpr int kShotDetectorVersion = 2;

struct ShotOptions {
  int analysis_width = 160;     // the decoder should deliver frames this wide (larger ones are box-averaged down)
  int sample_fps = 0;           // 0: every frame; else frames closer than 1/sample_fps to the last one used are skipped
  double min_shot_s = 0.4;      // a shot shorter than this is merged (see the flash rule above)
  double adaptive_ratio = 3.0;  // score / mean score of the neighbours
  int window = 2;               // neighbours on each side for the adaptive ratio
  double min_content = 15.0;    // absolute floor on the score of a cut frame
  double weight_hue = 1.0, weight_sat = 1.0, weight_value = 1.0, weight_edges = 0.0;
};

struct ShotResult {
  std::vector<double> cuts;          // seconds, the first frame of each new shot, ascending
  std::vector<double> shot_starts;   // seconds; shot_starts[0] is 0, then the cuts
  std::vector<double> shot_lengths;  // seconds; one per shot, summing to the duration
  std::int64_t frames = 0;           // frames used (after sampling)
  // Per used frame: its time and its content score against the frame before (0 for the first
  // frame and the first after a size change); for diagnostics and tests.
  std::vector<double> frame_times, scores, coarse_scores;
  double duration_s = 0;  // what finish() was given
};

// Streaming: add_frame in presentation order (frames with a time not after the previous one are
// ignored), then finish() once. Frames may change size mid-stream (the score restarts).
class ShotDetector {
 public:
  explicit ShotDetector(ShotOptions o = {});
  ~ShotDetector();
  ShotDetector(ShotDetector&&) noexcept;
  ShotDetector& operator=(ShotDetector&&) noexcept;
  void add_frame(const FrameView& f);
  // duration_s: the video's duration (the container's, or the last frame's end); the last shot
  // runs to it. A duration before the last frame is raised to the last frame's time.
  ShotResult finish(double duration_s);

 private:
  struct State;  // kept out of the header so the detector can change without touching callers
  std::unique_ptr<State> s_;
};

// The six era-B scene_pacing blocks (spec/rumiai-output-schema.md section 4.5), measured fields
// only; see shots.cc for the rules. Fields RumiAI fills with constant defaults are left out.
Json scene_pacing_flow(const ShotResult& r, double duration_s);

// The options and the rule version as a stable string, for the analysis cache key.
std::string shot_config_fingerprint(const ShotOptions& o);

}  // namespace rumi::native
