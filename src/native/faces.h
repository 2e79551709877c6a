#pragma once
// People on screen: OpenCV's Haar cascade detectors (Debian's opencv-data) on sampled frames, and
// the person_framing flow (plus the face seconds of creative_density and the smile-based parts of
// emotional_journey) built from what they find (spec/rumiai-output-schema.md sections 4.1, 4.3, 4.4).
//
// Per analysed frame, and why:
// * Sampling: the first frame of each 1/sample_fps slot by presentation time (3 a second by
//   default), as the decoder samples: faces come and go slowly next to the 1-second resolution
//   of the flows, a third of a second bounds the error of the time to the first face, and the
//   cascade is the most expensive detector of the analysis (10-30 ms of CPU per 360 x 640 frame).
// * The frame is converted to gray, box-averaged (area filter) down to at most analysis_width
//   columns (360: a face a twelfth of a 9:16 frame wide still has 30 px, above the cascade's 24),
//   and contrast-equalised per tile (CLAHE, clip limit 2, 8 x 8 tiles) so a dim or washed-out
//   video gives the cascade the contrast it was trained on. Not a global histogram equalisation:
//   with a photo on a large flat background (a picture-in-picture, a product shot with a face in
//   a corner) the background's one tone takes the histogram and squeezes the face's tones
//   together; measured on skimage's portrait pasted at 540 px into a 900 x 1600 grey frame, the
//   global version lost the face, CLAHE kept it. Frames of any size are accepted; narrower ones
//   are used as they are.
// * Faces: haarcascade_frontalface_default, scale step 1.2, min_neighbors 5 (OpenCV's usual
//   value; fewer lets textures through as faces), smallest face max(24 px, 8 % of the frame's
//   shorter side). Each halving of the smallest size or of the scale step about doubles the cost
//   on a textured frame (measured: 360 x 240 photo, 51 ms at 1.1 / 24 px, 15 ms at 1.2 / 36 px);
//   8 % keeps a head shown at a twelfth of the width (a creator a few metres away, a portrait
//   pasted small into the frame) and drops crowd shots, which are not the creator's framing. Only
//   frontal faces: a profile is not counted (no eye contact, and the profile cascade adds false
//   faces on hair and backgrounds). Faces are sorted by area (largest first), then position, so
//   the result never depends on OpenCV's scheduling.
// * Per face: its box as fractions of the frame; its area share (box area / frame area); the
//   shot type from the share with the schema's rule for person framing, quoted: "Shot type from
//   face area: > 25 % close, > 8 % medium, > 0 wide"; centred when the box's centre lies in the
//   middle third of the frame's width (horizontal only: in a 9:16 selfie the face sits in the
//   upper half, and that is the normal centred framing).
// * Eye contact (a proxy): the face, resized to 160 x 160, has two eyes found by haarcascade_eye
//   (min_neighbors 3) with their centres in the upper half of the face box, one in each half of
//   its width. A frontal face with both eyes open is looking roughly at the camera; a face
//   turned, eyes closed or looking down loses one eye or both. It is not gaze tracking.
// * Smile: haarcascade_smile in the lower half of the 160 x 160 face with a strict
//   min_neighbors of 20 (the smile cascade fires on any mouth at OpenCV's default of 3).
// * Persistence: a face counts only when the analysed frame before or after it has a matching
//   face (centre within half a box, width within a factor of 2). A lone detection in one frame
//   is a false positive (a texture, a pattern) far more often than a face shown for under two
//   thirds of a second; applied by finish(), so FaceDetector::detect stays the raw cascade.
// * OpenCV runs on the calling thread only (cv::setNumThreads(1), process-wide): a batch runs
//   one video per core, and the analysis clocks each detector in thread CPU time.
// * The cascades are loaded once per FaceDetector (one per analysis), from
//   FaceOptions::cascade_dir when set, else the first of /usr/share/opencv4/haarcascades,
//   /usr/share/opencv/haarcascades, /usr/local/share/opencv4/haarcascades that holds the face
//   cascade. A missing or unreadable file is an Error naming the path (and the opencv-data
//   package), never a silent "no faces".
//
// What the flows say is in faces.cc beside each builder (person_framing_flow and the two
// others); the rules are repeated in docs/native.md ("People").
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/json.h"
#include "native/media_types.h"

namespace rumi::native {

// Version of these rules; part of the analysis cache key with the options.
inline constexpr int kFaceDetectorVersion = 2;  // 2: CLAHE instead of a global equalisation, 8 % smallest face

struct FaceOptions {
  double sample_fps = 3;         // frames analysed per second of video (> 0)
  int analysis_width = 360;      // frames wider than this are downscaled to it
  double scale_factor = 1.2;     // the cascade's scale step (> 1)
  int min_neighbors = 5;         // frontal face cascade
  int min_face_px = 24;          // the smallest face, in analysis pixels ...
  double min_face_share = 0.08;  // ... or this share of the frame's shorter side, the larger
  int eye_neighbors = 3;
  int smile_neighbors = 20;
  std::string cascade_dir;  // empty: the search above
};

enum class ShotType { none, wide, medium, close };
std::string_view shot_type_name(ShotType t);  // "none" | "wide" | "medium" | "close"
// The schema's rule: > 0.25 close, > 0.08 medium, > 0 wide, else none (share in [0, 1]).
ShotType shot_type_of(double area_share);

struct DetectedFace {
  double x = 0, y = 0, w = 0, h = 0;  // the box, as fractions of the frame's width and height
  double area_share = 0;              // w * h: the box's share of the frame's area
  bool centred = false;               // box centre in the middle third of the width
  bool eye_contact = false;           // both eyes found (the proxy above)
  bool smile = false;
};

struct FaceFrame {
  double t = 0;
  std::vector<DetectedFace> faces;  // largest first
};

struct FaceResult {
  std::vector<FaceFrame> frames;  // every analysed frame, faces or not, in time order (persistent faces only)
  double duration_s = 0;          // what finish() was given (raised to the last frame's time)
  double sample_fps = 0;          // the options' (informative: a frame stands until the next one)
};

// Streaming: add_frame in presentation order (frames not after the previous one are ignored,
// and frames inside an already analysed slot are skipped), then finish() once.
class FaceDetector {
 public:
  explicit FaceDetector(FaceOptions o = {});  // loads the cascades; throws Error when missing
  ~FaceDetector();
  FaceDetector(FaceDetector&&) noexcept;
  FaceDetector& operator=(FaceDetector&&) noexcept;
  // RGB24 of any size; t in seconds (usually f.t). Returns whether the frame was analysed.
  bool add_frame(double t, const FrameView& f);
  FaceResult finish(double duration_s);
  // The faces of one frame alone (no sampling, nothing recorded), for tests and tools.
  std::vector<DetectedFace> detect(const FrameView& f);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// The six era-B person_framing blocks, measured fields only (faces.cc states each rule).
Json person_framing_flow(const FaceResult& r);
// Per whole second s in [0, ceil(duration)): whether a face is in at least half of the analysed
// frames of [s, s+1); empty when nothing was analysed. creative_density's expression element
// (native/density.h).
std::vector<bool> seconds_with_a_face(const FaceResult& r);
// emotional_journey's smile-based fields; null when no face was ever seen (nothing to read an
// expression from: the flow is then not produced).
Json emotional_journey_from_faces(const FaceResult& r);

// The options, the rule version and the cascade file names as a stable string (cache key).
std::string face_config_fingerprint(const FaceOptions& o);

}  // namespace rumi::native
