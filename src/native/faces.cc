#include "native/faces.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "core/error.h"

namespace rumi::native {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFaceCascade = "haarcascade_frontalface_default.xml";
constexpr const char* kEyeCascade = "haarcascade_eye.xml";
constexpr const char* kSmileCascade = "haarcascade_smile.xml";
constexpr int kFaceSide = 160;  // faces are resized to this square before the eye and smile cascades

fs::path cascade_dir(const FaceOptions& o) {
  if (!o.cascade_dir.empty()) return o.cascade_dir;
  static const std::array<const char*, 3> dirs = {"/usr/share/opencv4/haarcascades", "/usr/share/opencv/haarcascades",
                                                  "/usr/local/share/opencv4/haarcascades"};
  for (const char* d : dirs) {
    std::error_code ec;
    if (fs::is_regular_file(fs::path(d) / kFaceCascade, ec)) return d;
  }
  return dirs[0];  // the Debian location, named by the error below
}

cv::CascadeClassifier load_cascade(const fs::path& dir, const char* name) {
  const fs::path file = dir / name;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw Error("face detection: cascade file " + file.string() +
                " not found (Debian package opencv-data; FaceOptions::cascade_dir overrides the folder)");
  cv::CascadeClassifier c;
  bool ok = false;
  try {
    ok = c.load(file.string());
  } catch (const cv::Exception& e) {
    throw Error("face detection: cascade file " + file.string() + " cannot be read: " + e.what());
  }
  if (!ok || c.empty())
    throw Error("face detection: cascade file " + file.string() + " cannot be read (not an OpenCV cascade)");
  return c;
}

double round_to(double v, int digits) {
  const double p = std::pow(10.0, digits);
  return std::round(v * p) / p;
}

std::string range_stamp(long long a, long long b) {
  std::string s = std::to_string(a);
  s += '-';
  s += std::to_string(b);
  s += 's';
  return s;
}

Json empty_blocks() {
  return {{"CoreMetrics", Json::object()}, {"Dynamics", Json::object()}, {"Interactions", Json::object()},
          {"KeyEvents", Json::object()},   {"Patterns", Json::object()}, {"Quality", Json::object()}};
}

ShotType frame_type(const FaceFrame& f) {
  return f.faces.empty() ? ShotType::none : shot_type_of(f.faces[0].area_share);
}

// Whole seconds of the video: [0, ceil(duration)).
long long whole_seconds(const FaceResult& r) {
  const double d = std::max(r.duration_s, r.frames.empty() ? 0.0 : r.frames.back().t);
  return std::max(1LL, static_cast<long long>(std::ceil(d - 1e-9)));
}

long long second_of(double t) { return static_cast<long long>(std::floor(t + 1e-9)); }

}  // namespace

std::string_view shot_type_name(ShotType t) {
  switch (t) {
    case ShotType::close: return "close";
    case ShotType::medium: return "medium";
    case ShotType::wide: return "wide";
    case ShotType::none: break;
  }
  return "none";
}

ShotType shot_type_of(double share) {
  if (share > 0.25) return ShotType::close;
  if (share > 0.08) return ShotType::medium;
  if (share > 0) return ShotType::wide;
  return ShotType::none;
}

struct FaceDetector::State {
  FaceOptions o;
  cv::CascadeClassifier face, eye, smile;
  cv::Mat gray, small, eq, global_eq, roi;
  cv::Ptr<cv::CLAHE> clahe = cv::createCLAHE(2.0, cv::Size(8, 8));
  long long last_slot = -1;
  double last_t = -1e300;
  FaceResult result;
};

FaceDetector::FaceDetector(FaceOptions o) : s_(std::make_unique<State>()) {
  if (!(o.sample_fps > 0) || o.analysis_width <= 0 || !(o.scale_factor > 1.0))
    throw std::invalid_argument("FaceOptions: sample_fps > 0, analysis_width > 0 and scale_factor > 1 are required");
  cv::setNumThreads(1);
  const fs::path dir = cascade_dir(o);
  s_->face = load_cascade(dir, kFaceCascade);
  s_->eye = load_cascade(dir, kEyeCascade);
  s_->smile = load_cascade(dir, kSmileCascade);
  s_->result.sample_fps = o.sample_fps;
  s_->o = std::move(o);
}

FaceDetector::~FaceDetector() = default;
FaceDetector::FaceDetector(FaceDetector&&) noexcept = default;
FaceDetector& FaceDetector::operator=(FaceDetector&&) noexcept = default;

std::vector<DetectedFace> FaceDetector::detect(const FrameView& f) {
  if (f.width <= 0 || f.height <= 0 || !f.rgb || f.stride < 3 * f.width)
    throw std::invalid_argument("FaceDetector: a frame needs width, height, pixels and stride >= 3 * width");
  State& s = *s_;
  const cv::Mat rgb(f.height, f.width, CV_8UC3, const_cast<std::uint8_t*>(f.rgb), static_cast<std::size_t>(f.stride));
  cv::cvtColor(rgb, s.gray, cv::COLOR_RGB2GRAY);
  const cv::Mat* g = &s.gray;
  if (f.width > s.o.analysis_width) {
    const int h =
        std::max(1, static_cast<int>(std::lround(static_cast<double>(f.height) * s.o.analysis_width / f.width)));
    cv::resize(s.gray, s.small, cv::Size(s.o.analysis_width, h), 0, 0, cv::INTER_AREA);
    g = &s.small;
  }
  s.clahe->apply(*g, s.eq);
  s.global_eq.release();  // made on demand, once per frame with a face
  const int w = s.eq.cols, h = s.eq.rows;
  const int min_px = std::max(s.o.min_face_px, static_cast<int>(std::lround(s.o.min_face_share * std::min(w, h))));
  std::vector<DetectedFace> out;
  if (min_px > std::min(w, h)) return out;
  std::vector<cv::Rect> boxes;
  s.face.detectMultiScale(s.eq, boxes, s.o.scale_factor, s.o.min_neighbors, cv::CASCADE_SCALE_IMAGE,
                          cv::Size(min_px, min_px));
  std::sort(boxes.begin(), boxes.end(), [](const cv::Rect& a, const cv::Rect& b) {
    if (a.area() != b.area()) return a.area() > b.area();
    return a.y != b.y ? a.y < b.y : a.x < b.x;
  });
  const cv::Rect frame(0, 0, w, h);
  for (cv::Rect b : boxes) {
    b &= frame;
    if (b.width <= 0 || b.height <= 0) continue;
    DetectedFace d;
    d.x = static_cast<double>(b.x) / w;
    d.y = static_cast<double>(b.y) / h;
    d.w = static_cast<double>(b.width) / w;
    d.h = static_cast<double>(b.height) / h;
    d.area_share = d.w * d.h;
    const double cx = d.x + d.w / 2;
    d.centred = cx >= 1.0 / 3 && cx <= 2.0 / 3;
    // The eye and smile cascades read the face from the globally equalised frame, as they were
    // tuned: the tile equalisation that helps find faces adds local contrast that, on a small
    // face upscaled to 160 px, made the smile cascade fire on a closed mouth.
    if (s.global_eq.empty()) cv::equalizeHist(*g, s.global_eq);
    cv::resize(s.global_eq(b), s.roi, cv::Size(kFaceSide, kFaceSide), 0, 0,
               b.width > kFaceSide ? cv::INTER_AREA : cv::INTER_LINEAR);
    // Eyes are searched in the top 60 % (an eye's 20-px window centred near the middle of the
    // face would be cut off at exactly half) and must have their centres in the upper half.
    std::vector<cv::Rect> eyes;
    s.eye.detectMultiScale(s.roi(cv::Rect(0, 0, kFaceSide, kFaceSide * 6 / 10)), eyes, 1.1, s.o.eye_neighbors,
                           cv::CASCADE_SCALE_IMAGE, cv::Size(20, 20), cv::Size(64, 64));
    bool left = false, right = false;
    for (const cv::Rect& e : eyes) {
      const int ex = e.x + e.width / 2, ey = e.y + e.height / 2;
      if (ey >= kFaceSide / 2) continue;
      (ex < kFaceSide / 2 ? left : right) = true;
    }
    d.eye_contact = left && right;
    std::vector<cv::Rect> smiles;
    s.smile.detectMultiScale(s.roi(cv::Rect(0, kFaceSide / 2, kFaceSide, kFaceSide / 2)), smiles, 1.1,
                             s.o.smile_neighbors, cv::CASCADE_SCALE_IMAGE, cv::Size(40, 20));
    d.smile = !smiles.empty();
    out.push_back(d);
  }
  return out;
}

bool FaceDetector::add_frame(double t, const FrameView& f) {
  State& s = *s_;
  if (!std::isfinite(t) || t <= s.last_t) return false;
  const long long slot = static_cast<long long>(std::floor(std::max(0.0, t) * s.o.sample_fps + 1e-9));
  if (slot <= s.last_slot) return false;
  s.last_t = t;
  s.last_slot = slot;
  s.result.frames.push_back({t, detect(f)});
  return true;
}

namespace {

bool same_face(const DetectedFace& a, const DetectedFace& b) {
  const double dx = (a.x + a.w / 2) - (b.x + b.w / 2), dy = (a.y + a.h / 2) - (b.y + b.h / 2);
  const double ratio = a.w / b.w;
  return std::abs(dx) <= std::max(a.w, b.w) / 2 && std::abs(dy) <= std::max(a.h, b.h) / 2 && ratio >= 0.5 &&
         ratio <= 2.0;
}

bool seen_in(const DetectedFace& f, const FaceFrame* other) {
  return other &&
         std::any_of(other->faces.begin(), other->faces.end(), [&](const DetectedFace& o) { return same_face(f, o); });
}

// The persistence rule (faces.h): a face without a match in the analysed frame before or after
// is dropped. Decided on the raw detections of both neighbours, so the order does not matter.
void keep_persistent(std::vector<FaceFrame>& frames) {
  std::vector<std::vector<DetectedFace>> kept(frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const FaceFrame* before = i > 0 ? &frames[i - 1] : nullptr;
    const FaceFrame* after = i + 1 < frames.size() ? &frames[i + 1] : nullptr;
    for (const auto& f : frames[i].faces)
      if (seen_in(f, before) || seen_in(f, after)) kept[i].push_back(f);
  }
  for (std::size_t i = 0; i < frames.size(); ++i) frames[i].faces = std::move(kept[i]);
}

}  // namespace

FaceResult FaceDetector::finish(double duration_s) {
  FaceResult r = std::move(s_->result);
  keep_persistent(r.frames);
  r.duration_s = std::isfinite(duration_s) ? std::max(0.0, duration_s) : 0.0;
  if (!r.frames.empty()) r.duration_s = std::max(r.duration_s, r.frames.back().t);
  s_->result = FaceResult{};
  s_->result.sample_fps = s_->o.sample_fps;
  s_->last_slot = -1;
  s_->last_t = -1e300;
  return r;
}

namespace {

// Per whole second, the most common frame type among its sampled frames (ties: the closer
// framing); a second without a sampled frame keeps the type of the second before.
std::vector<ShotType> per_second_types(const FaceResult& r) {
  const long long n = whole_seconds(r);
  std::vector<std::array<int, 4>> votes(static_cast<std::size_t>(n), std::array<int, 4>{0, 0, 0, 0});
  for (const auto& f : r.frames) {
    const long long sec = std::clamp(second_of(f.t), 0LL, n - 1);
    ++votes[static_cast<std::size_t>(sec)][static_cast<std::size_t>(frame_type(f))];
  }
  std::vector<ShotType> types(static_cast<std::size_t>(n), ShotType::none);
  for (long long i = 0; i < n; ++i) {
    const auto& v = votes[static_cast<std::size_t>(i)];
    int best = -1, count = 0;
    for (int k = 3; k >= 0; --k)
      if (v[static_cast<std::size_t>(k)] > count) {
        best = k;
        count = v[static_cast<std::size_t>(k)];
      }
    types[static_cast<std::size_t>(i)] = best >= 0 ? static_cast<ShotType>(best)
                                         : i > 0   ? types[static_cast<std::size_t>(i - 1)]
                                                   : ShotType::none;
  }
  return types;
}

}  // namespace

// person_framing, measured fields only:
// * faceVisibilityRate: share of the analysed frames with at least one face (float(2)).
//   eyeContactRate: share of the analysed frames with a face whose two eyes are found (the
//   proxy in faces.h), of the whole video as RumiAI's rate is (float(2)).
// * averageFaceSize: mean box area of every detected face, in % of the frame (unrounded, as
//   RumiAI writes it; 0 when no face is seen, as RumiAI writes it). A Haar box is square and
//   spans brow to chin, about MediaPipe's face box.
// * subjectCount: the most common number of faces among the frames with a face (ties: the
//   larger), so one stray detection does not make a crowd; primarySubject "single" when it is 1,
//   else "multiple". Both left out when no face is ever seen (there is no subject to count).
// * Dynamics.framingProgression: runs of whole seconds with the same shot type ("close",
//   "medium", "wide" by the largest face's share, "none"), each {type, start, end, duration} in
//   integer seconds; KeyEvents.framingChanges = runs - 1.
// * rumi additions (RumiAI's basic metrics computed them and its wrapper dropped them): in
//   CoreMetrics timeToFirstFace (the first analysed frame with a face; the duration when there
//   is none, like timeToFirstOverlay), faceSeconds (each analysed frame with a face stands for
//   the time to the next analysed frame, the last to the end: a source with fewer frames than
//   sample_fps still adds up), centredFaceRate (share of the frames with a face whose largest face
//   is centred; left out without faces), maxFaces and averageFaces (over the frames with a
//   face; left out without faces); Dynamics.shotTypeDistribution: {close, medium, wide, none}
//   shares of the analysed frames.
// * Left out (RumiAI's defaults or not measured): framingConsistency, dominantFraming,
//   gazeSteadiness, distanceVariation, movementPattern, stabilityScore, the Interactions,
//   Patterns and Quality defaults, closeUpMoments and the other empty lists.
Json person_framing_flow(const FaceResult& r) {
  Json j = empty_blocks();
  if (r.frames.empty()) return j;  // nothing was analysed: nothing is known
  const double n = static_cast<double>(r.frames.size());
  int with_face = 0, eye = 0, centred = 0, max_faces = 0, total_faces = 0;
  double area_sum = 0, face_s = 0, first = -1;
  std::array<int, 4> type_frames{0, 0, 0, 0};
  std::map<int, int> count_frames;
  for (std::size_t i = 0; i < r.frames.size(); ++i) {
    const FaceFrame& f = r.frames[i];
    ++type_frames[static_cast<std::size_t>(frame_type(f))];
    if (f.faces.empty()) continue;
    ++with_face;
    if (first < 0) first = f.t;
    face_s += std::max(0.0, (i + 1 < r.frames.size() ? r.frames[i + 1].t : r.duration_s) - f.t);
    const int k = static_cast<int>(f.faces.size());
    ++count_frames[k];
    max_faces = std::max(max_faces, k);
    total_faces += k;
    if (f.faces[0].centred) ++centred;
    if (std::any_of(f.faces.begin(), f.faces.end(), [](const DetectedFace& d) { return d.eye_contact; })) ++eye;
    for (const auto& d : f.faces) area_sum += d.area_share * 100.0;
  }
  Json& core = j["CoreMetrics"];
  core["faceVisibilityRate"] = round_to(with_face / n, 2);
  core["eyeContactRate"] = round_to(eye / n, 2);
  core["averageFaceSize"] = total_faces > 0 ? area_sum / total_faces : 0.0;
  core["timeToFirstFace"] = round_to(first >= 0 ? first : r.duration_s, 2);
  core["faceSeconds"] = round_to(face_s, 2);
  if (with_face > 0) {
    int subjects = 0, best = 0;
    for (const auto& [k, c] : count_frames)
      if (c >= best) {
        subjects = k;
        best = c;
      }
    core["subjectCount"] = subjects;
    core["primarySubject"] = subjects == 1 ? "single" : "multiple";
    core["centredFaceRate"] = round_to(static_cast<double>(centred) / with_face, 2);
    core["maxFaces"] = max_faces;
    core["averageFaces"] = round_to(static_cast<double>(total_faces) / with_face, 2);
  }
  Json dist = Json::object();
  for (int k = 0; k < 4; ++k)
    dist[std::string(shot_type_name(static_cast<ShotType>(k)))] =
        round_to(type_frames[static_cast<std::size_t>(k)] / n, 2);
  j["Dynamics"]["shotTypeDistribution"] = dist;
  const auto types = per_second_types(r);
  Json progression = Json::array();
  for (std::size_t i = 0; i < types.size();) {
    std::size_t e = i;
    while (e < types.size() && types[e] == types[i]) ++e;
    progression.push_back({{"type", std::string(shot_type_name(types[i]))},
                           {"start", static_cast<std::int64_t>(i)},
                           {"end", static_cast<std::int64_t>(e)},
                           {"duration", static_cast<std::int64_t>(e - i)}});
    i = e;
  }
  j["KeyEvents"]["framingChanges"] = static_cast<std::int64_t>(progression.size()) - 1;
  j["Dynamics"]["framingProgression"] = std::move(progression);
  return j;
}

// The expression element of creative_density (native/density.h): at least half of a second's
// analysed frames hold a face (a tie counts: with 2 frames a second, one is enough; with 3, two),
// so a face caught in one frame at a second's edge does not make it a face second.
std::vector<bool> seconds_with_a_face(const FaceResult& r) {
  if (r.frames.empty()) return {};
  const auto n = static_cast<std::size_t>(whole_seconds(r));
  std::vector<int> frames(n, 0), with_face(n, 0);
  for (const auto& f : r.frames) {
    const auto s = static_cast<std::size_t>(std::clamp(second_of(f.t), 0LL, static_cast<long long>(n) - 1));
    ++frames[s];
    with_face[s] += f.faces.empty() ? 0 : 1;
  }
  std::vector<bool> out(n, false);
  for (std::size_t s = 0; s < n; ++s) out[s] = frames[s] > 0 && 2 * with_face[s] >= frames[s];
  return out;
}

// emotional_journey from smiles, a two-label reading ("joy" and "neutral") of FEAT's seven:
// * Windows as RumiAI's: int(duration / 10) seconds (at least 1) from 0. A window with no
//   analysed face is left out (no expression to read); otherwise its emotion is "joy" when a
//   smile is seen in at least half of its frames with a face, else "neutral", and its
//   intensity the share of those frames with a smile (float(2)): Dynamics.emotionProgression.
// * CoreMetrics: dominantEmotion (the label of most windows; a tie is "neutral"), uniqueEmotions,
//   emotionTransitions (label changes between consecutive windows with a face),
//   emotionalDiversity = (unique - 1) / 6 (float(2)), RumiAI's formula over its seven labels.
// * Quality.timelineCoverage: share of the windows with a face (float(2)).
// Not written: intensities of other emotions, gestures, audio or caption alignment, peaks,
// climax and archetypes (they need the emotions rumi does not read).
Json emotional_journey_from_faces(const FaceResult& r) {
  const bool any_face =
      std::any_of(r.frames.begin(), r.frames.end(), [](const FaceFrame& f) { return !f.faces.empty(); });
  if (!any_face) return nullptr;
  const double d = std::max(r.duration_s, r.frames.back().t);
  const long long win = std::max(1LL, static_cast<long long>(d / 10.0));
  const long long windows = std::max(1LL, static_cast<long long>(std::ceil((d - 1e-9) / static_cast<double>(win))));
  std::vector<int> faces(static_cast<std::size_t>(windows), 0), smiles(static_cast<std::size_t>(windows), 0);
  for (const auto& f : r.frames) {
    if (f.faces.empty()) continue;
    const auto w = static_cast<std::size_t>(std::clamp(second_of(f.t) / win, 0LL, windows - 1));
    ++faces[w];
    if (std::any_of(f.faces.begin(), f.faces.end(), [](const DetectedFace& x) { return x.smile; })) ++smiles[w];
  }
  Json progression = Json::array();
  int joy = 0, neutral = 0, transitions = 0;
  std::string last;
  for (long long i = 0; i < windows; ++i) {
    const auto k = static_cast<std::size_t>(i);
    if (faces[k] == 0) continue;
    const double share = static_cast<double>(smiles[k]) / faces[k];
    const std::string emotion = share >= 0.5 ? "joy" : "neutral";
    (emotion == "joy" ? joy : neutral) += 1;
    if (!last.empty() && emotion != last) ++transitions;
    last = emotion;
    progression.push_back(
        {{"timestamp", range_stamp(i * win, std::min((i + 1) * win, static_cast<long long>(std::ceil(d - 1e-9))))},
         {"emotion", emotion},
         {"intensity", round_to(share, 2)}});
  }
  const int unique = (joy > 0) + (neutral > 0);
  Json j = empty_blocks();
  j["CoreMetrics"] = {{"dominantEmotion", joy > neutral ? "joy" : "neutral"},
                      {"uniqueEmotions", unique},
                      {"emotionTransitions", transitions},
                      {"emotionalDiversity", round_to((unique - 1) / 6.0, 2)}};
  j["Dynamics"]["emotionProgression"] = std::move(progression);
  j["Quality"]["timelineCoverage"] = round_to(static_cast<double>(joy + neutral) / static_cast<double>(windows), 2);
  return j;
}

std::string face_config_fingerprint(const FaceOptions& o) {
  char buf[320];
  std::snprintf(
      buf, sizeof buf,
      "faces/v%d fps=%.6g width=%d scale=%.6g neighbors=%d min=%d/%.6g eye=%d smile=%d face_side=%d cascades=%s,%s,%s",
      kFaceDetectorVersion, o.sample_fps, o.analysis_width, o.scale_factor, o.min_neighbors, o.min_face_px,
      o.min_face_share, o.eye_neighbors, o.smile_neighbors, kFaceSide, kFaceCascade, kEyeCascade, kSmileCascade);
  return buf;
}

}  // namespace rumi::native
