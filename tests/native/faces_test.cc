// Face detection and the person_framing flow, against faces of known size, position, eyes and
// mouth shown at known times.
//
// Real photographs come from python3-skimage's sample images (a frontal portrait, a coffee cup, a
// rocket on its launch pad) and python3-sklearn's (a temple, a flower); the controlled cases (size,
// position, eyes, smile, two faces) use drawn faces, whose geometry is known: a head (hair and a
// skin-tone ellipse), brows, eyes with white, iris, pupil and upper lid (or closed: a lid line),
// a nose shadow and a mouth (a closed line, or an open smile with teeth). The cascade finds the
// drawn face at every size used here, eyes open from a head of 60 px, the smile only when drawn.
// The truth is the drawing's own geometry: head width W centred at (cx, cy) in a 360 x 640 frame;
// the sizes used (60, 150 and 250 px) put the cascade's box (about 1.2 W square) well inside the
// schema's wide (< 8 %), medium (8-25 %) and close (> 25 %) shares.
#include <gtest/gtest.h>

#include <time.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.h"
#include "native/decoder.h"
#include "native/faces.h"
#include "native/test_media.h"
#include "support/test_support.h"

namespace rumi::native {
namespace {

namespace fs = std::filesystem;
constexpr int kW = 360, kH = 640;

struct Drawn {
  double cx = kW / 2.0, cy = kH * 0.45, width = 150;  // head width in pixels
  bool smile = false;
  bool eyes_open = true;
};

cv::Mat background() {
  cv::Mat m(kH, kW, CV_8UC3);
  for (int y = 0; y < kH; ++y)
    for (int x = 0; x < kW; ++x)
      m.at<cv::Vec3b>(y, x) = cv::Vec3b(140, static_cast<uchar>(110 + x / 8), static_cast<uchar>(60 + y / 8));
  return m;
}

// RGB colours (the frames are RGB24, as the decoder delivers them).
void draw_face(cv::Mat& img, const Drawn& f) {
  const double s = f.width / 100.0;
  const auto P = [&](double x, double y) { return cv::Point(cvRound(f.cx + x * s), cvRound(f.cy + y * s)); };
  const auto S = [&](double a, double b) { return cv::Size(std::max(1, cvRound(a * s)), std::max(1, cvRound(b * s))); };
  const int line = std::max(1, cvRound(1.5 * s));
  cv::ellipse(img, P(0, -5), S(50, 65), 0, 0, 360, cv::Scalar(60, 40, 30), cv::FILLED, cv::LINE_AA);    // hair
  cv::ellipse(img, P(0, 5), S(44, 58), 0, 0, 360, cv::Scalar(210, 160, 120), cv::FILLED, cv::LINE_AA);  // skin
  for (int side : {-1, 1}) {
    cv::ellipse(img, P(side * 20, -24), S(14, 4), 0, 0, 360, cv::Scalar(60, 40, 40), cv::FILLED, cv::LINE_AA);  // brow
    const cv::Point c = P(side * 19, -10);
    if (f.eyes_open) {
      cv::ellipse(img, c, S(11, 6), 0, 0, 360, cv::Scalar(235, 235, 235), cv::FILLED, cv::LINE_AA);
      cv::circle(img, c, cvRound(5 * s), cv::Scalar(40, 50, 60), cv::FILLED, cv::LINE_AA);
      cv::circle(img, c, cvRound(2.5 * s), cv::Scalar(10, 10, 10), cv::FILLED, cv::LINE_AA);
      cv::ellipse(img, c, S(11, 6), 0, 180, 360, cv::Scalar(20, 20, 20), line, cv::LINE_AA);
    } else {
      cv::ellipse(img, c, S(11, 3), 0, 0, 180, cv::Scalar(70, 50, 40), line, cv::LINE_AA);
    }
  }
  cv::ellipse(img, P(0, 12), S(7, 4), 0, 0, 360, cv::Scalar(170, 120, 90), cv::FILLED, cv::LINE_AA);  // nose shadow
  if (f.smile) {
    cv::ellipse(img, P(0, 30), S(20, 10), 0, 0, 180, cv::Scalar(120, 30, 40), cv::FILLED, cv::LINE_AA);
    cv::ellipse(img, P(0, 31), S(16, 4), 0, 0, 180, cv::Scalar(240, 240, 240), cv::FILLED, cv::LINE_AA);
  } else {
    cv::ellipse(img, P(0, 32), S(16, 3), 0, 0, 360, cv::Scalar(110, 40, 50), cv::FILLED, cv::LINE_AA);
  }
}

cv::Mat frame_with(const std::vector<Drawn>& faces) {
  cv::Mat m = background();
  for (const auto& f : faces) draw_face(m, f);
  return m;
}

FrameView view_of(const cv::Mat& m, double t = 0) {
  return FrameView{t, m.cols, m.rows, static_cast<int>(m.step[0]), m.data};
}

FaceDetector& detector() {
  static FaceDetector d;  // the cascades load once for the whole suite
  return d;
}

// The shared detector with nothing pending (a test that failed half-way leaves no frames).
FaceDetector& fresh() {
  (void)detector().finish(0);
  return detector();
}

struct SizeCase {
  double width;
  ShotType type;
};

TEST(FaceCascade, DrawnFaceFoundAtItsSizePositionAndShotType) {
  for (const SizeCase c :
       {SizeCase{60, ShotType::wide}, SizeCase{150, ShotType::medium}, SizeCase{250, ShotType::close}}) {
    SCOPED_TRACE("head width " + std::to_string(c.width));
    const Drawn truth{kW / 2.0, kH * 0.45, c.width};
    const cv::Mat m = frame_with({truth});
    const auto faces = detector().detect(view_of(m));
    ASSERT_EQ(faces.size(), 1u);
    const auto& f = faces[0];
    EXPECT_NEAR((f.x + f.w / 2) * kW, truth.cx, 0.05 * kW);
    EXPECT_NEAR((f.y + f.h / 2) * kH, truth.cy, 0.05 * kH);
    EXPECT_GT(f.w * kW, 0.9 * c.width);
    EXPECT_LT(f.w * kW, 1.5 * c.width);
    EXPECT_NEAR(f.area_share, f.w * f.h, 1e-12);
    EXPECT_EQ(shot_type_of(f.area_share), c.type) << "share " << f.area_share;
    EXPECT_TRUE(f.centred);
    EXPECT_TRUE(f.eye_contact);
    EXPECT_FALSE(f.smile);
  }
}

TEST(FaceCascade, OffCentreFaceIsNotCentred) {
  const cv::Mat m = frame_with({Drawn{kW * 0.2, kH * 0.45, 100}});
  const auto faces = detector().detect(view_of(m));
  ASSERT_EQ(faces.size(), 1u);
  EXPECT_NEAR((faces[0].x + faces[0].w / 2) * kW, kW * 0.2, 0.05 * kW);
  EXPECT_FALSE(faces[0].centred);
}

TEST(FaceCascade, EyesAndSmileOnlyWhenDrawn) {
  for (const bool smile : {false, true})
    for (const bool eyes : {false, true}) {
      SCOPED_TRACE(std::string("smile ") + (smile ? "yes" : "no") + ", eyes " + (eyes ? "open" : "closed"));
      const cv::Mat m = frame_with({Drawn{kW / 2.0, kH * 0.45, 150, smile, eyes}});
      const auto faces = detector().detect(view_of(m));
      ASSERT_EQ(faces.size(), 1u);
      EXPECT_EQ(faces[0].eye_contact, eyes);
      EXPECT_EQ(faces[0].smile, smile);
    }
}

TEST(FaceCascade, TwoFacesLargestFirst) {
  const cv::Mat m = frame_with({Drawn{kW * 0.25, kH * 0.45, 75}, Drawn{kW * 0.75, kH * 0.45, 90, true}});
  const auto faces = detector().detect(view_of(m));
  ASSERT_EQ(faces.size(), 2u);
  EXPECT_GE(faces[0].area_share, faces[1].area_share);
  EXPECT_GT(faces[0].x, 0.5);  // the larger (right-hand) face first
  EXPECT_TRUE(faces[0].smile);
  EXPECT_FALSE(faces[1].smile);
}

TEST(FaceCascade, NoFaceOnNoiseColourOrGradient) {
  cv::Mat noise(kH, kW, CV_8UC3);
  cv::RNG rng(7);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
  const cv::Mat colour(kH, kW, CV_8UC3, cv::Scalar(200, 80, 40));
  for (const cv::Mat* m : std::initializer_list<const cv::Mat*>{&noise, &colour})
    EXPECT_TRUE(detector().detect(view_of(*m)).empty());
  EXPECT_TRUE(detector().detect(view_of(background())).empty());
}

// A photograph decoded by the ffmpeg CLI, scaled to cover width x height and centre-cropped.
struct Photo {
  int w = 0, h = 0;
  std::vector<std::uint8_t> px;
  FrameView view() const { return FrameView{0, w, h, w * 3, px.data()}; }
};
Photo decode_photo(const fs::path& file, int w, int h, const test::TempDir& tmp) {
  const fs::path raw = tmp / (file.stem().string() + ".rgb");
  const std::string vf = "scale=" + std::to_string(w) + ":" + std::to_string(h) +
                         ":force_original_aspect_ratio=increase,crop=" + std::to_string(w) + ":" + std::to_string(h);
  const auto r = test::run_program({test::media::ffmpeg_path(), "-v", "error", "-y", "-i", file.string(), "-vf", vf,
                                    "-f", "rawvideo", "-pix_fmt", "rgb24", raw.string()});
  if (r.exit_code != 0) throw std::runtime_error("ffmpeg could not decode " + file.string() + ": " + r.err);
  Photo p{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h * 3)};
  std::ifstream(raw, std::ios::binary)
      .read(reinterpret_cast<char*>(p.px.data()), static_cast<std::streamsize>(p.px.size()));
  return p;
}

const fs::path kSkimage = "/usr/lib/python3/dist-packages/skimage/data";
const fs::path kSklearn = "/usr/lib/python3/dist-packages/sklearn/datasets/images";

// No face on real photographs without people: food (a coffee cup), outdoor scenes (a rocket on
// its pad, a temple landscape) and a flower, in the 9:16 framing of a video and in their own
// landscape shape.
TEST(FaceCascade, NoFaceOnRealPhotographsOfFoodLandscapesAndAFlower) {
  RUMI_REQUIRE_FFMPEG();
  std::vector<fs::path> photos;
  for (const fs::path& p : {kSkimage / "coffee.png", kSkimage / "rocket.jpg", kSkimage / "grass.png",
                            kSklearn / "china.jpg", kSklearn / "flower.jpg"})
    if (fs::exists(p)) photos.push_back(p);
  if (photos.empty()) GTEST_SKIP() << "needs python3-skimage's or python3-sklearn's sample images";
  test::TempDir tmp;
  for (const auto& p : photos)
    for (const auto& [w, h] : {std::pair{360, 640}, std::pair{360, 240}}) {
      SCOPED_TRACE(p.string() + " at " + std::to_string(w) + "x" + std::to_string(h));
      EXPECT_TRUE(detector().detect(decode_photo(p, w, h, tmp).view()).empty());
    }
}

// A real frontal portrait (skimage's astronaut, Eileen Collins) in a 9:16 phone framing: one face,
// where she is, centred and looking at the camera.
TEST(FaceCascade, FindsTheFaceInARealPortrait) {
  RUMI_REQUIRE_FFMPEG();
  if (!fs::exists(kSkimage / "astronaut.png")) GTEST_SKIP() << "needs python3-skimage's sample images in " << kSkimage;
  test::TempDir tmp;
  const Photo p = decode_photo(kSkimage / "astronaut.png", 360, 640, tmp);
  const auto faces = detector().detect(p.view());
  ASSERT_EQ(faces.size(), 1u);
  const auto& f = faces[0];
  // Truth, read off the 360 x 640 crop: the face spans about x 95-185, y 90-230.
  EXPECT_NEAR((f.x + f.w / 2) * 360, 140, 25);
  EXPECT_NEAR((f.y + f.h / 2) * 640, 160, 40);
  EXPECT_TRUE(f.centred);
  EXPECT_TRUE(f.eye_contact);
  EXPECT_EQ(shot_type_of(f.area_share), ShotType::wide) << f.area_share;
}

// The same portrait pasted small on a flat grey background (a picture-in-picture, a creator far
// from the camera): 540 px in a 900 x 1600 frame and 512 px in a 1080 x 1920 one, so her head is
// about a tenth and a twelfth of the frame's width. A global histogram equalisation lost both (the
// background's one tone takes the histogram); the tile equalisation keeps them.
TEST(FaceCascade, FindsASmallPortraitOnAFlatBackground) {
  RUMI_REQUIRE_FFMPEG();
  if (!fs::exists(kSkimage / "astronaut.png")) GTEST_SKIP() << "needs python3-skimage's sample images in " << kSkimage;
  test::TempDir tmp;
  for (const auto& [side, w, h] : {std::tuple{540, 900, 1600}, std::tuple{512, 1080, 1920}}) {
    SCOPED_TRACE(std::to_string(side) + " px in " + std::to_string(w) + "x" + std::to_string(h));
    const fs::path raw = tmp / "pasted.rgb";
    const std::string vf = "scale=" + std::to_string(side) + ":" + std::to_string(side) + ",pad=" + std::to_string(w) +
                           ":" + std::to_string(h) + ":(ow-iw)/2:(oh-ih)/2:color=gray";
    const auto r =
        test::run_program({test::media::ffmpeg_path(), "-v", "error", "-y", "-i", (kSkimage / "astronaut.png").string(),
                           "-vf", vf, "-f", "rawvideo", "-pix_fmt", "rgb24", raw.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * 3);
    std::ifstream(raw, std::ios::binary)
        .read(reinterpret_cast<char*>(px.data()), static_cast<std::streamsize>(px.size()));
    const auto faces = detector().detect(FrameView{0, w, h, w * 3, px.data()});
    ASSERT_EQ(faces.size(), 1u);
    // Her face centre in the pasted photo is at about (0.44, 0.25) of its side.
    EXPECT_NEAR((faces[0].x + faces[0].w / 2) * w, (w - side) / 2.0 + 0.44 * side, 0.05 * w);
    EXPECT_NEAR((faces[0].y + faces[0].h / 2) * h, (h - side) / 2.0 + 0.25 * side, 0.05 * h);
    EXPECT_EQ(shot_type_of(faces[0].area_share), ShotType::wide);
  }
}

TEST(FaceCascade, LargeFramesAreDownscaledAndStrideIsHonoured) {
  // The same face in a 720 x 1280 frame with 16 bytes of padding per row: the same shares.
  cv::Mat small = frame_with({Drawn{kW / 2.0, kH * 0.45, 150}});
  cv::Mat big;
  cv::resize(small, big, cv::Size(2 * kW, 2 * kH), 0, 0, cv::INTER_LINEAR);
  std::vector<std::uint8_t> padded(static_cast<std::size_t>(2 * kH) * (2 * kW * 3 + 16), 0);
  for (int y = 0; y < 2 * kH; ++y)
    std::memcpy(&padded[static_cast<std::size_t>(y) * (2 * kW * 3 + 16)], big.ptr(y),
                static_cast<std::size_t>(2 * kW * 3));
  const auto faces = detector().detect(FrameView{0, 2 * kW, 2 * kH, 2 * kW * 3 + 16, padded.data()});
  const auto ref = detector().detect(view_of(small));
  ASSERT_EQ(faces.size(), 1u);
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_NEAR(faces[0].area_share, ref[0].area_share, 0.02);
  EXPECT_EQ(shot_type_of(faces[0].area_share), ShotType::medium);
}

TEST(FaceCascade, MissingOrBrokenCascadeNamesThePath) {
  test::TempDir tmp;
  FaceOptions o;
  o.cascade_dir = tmp.path().string();
  try {
    FaceDetector d(o);
    FAIL() << "no error for an empty cascade folder";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find((tmp.path() / "haarcascade_frontalface_default.xml").string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("opencv-data"), std::string::npos) << msg;
  }
  std::ofstream(tmp / "haarcascade_frontalface_default.xml") << "<not a cascade/>";
  try {
    FaceDetector d(o);
    FAIL() << "no error for a broken cascade file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot be read"), std::string::npos) << e.what();
  }
}

TEST(FaceSampling, FirstFrameOfEachSlot) {
  FaceOptions o;
  o.sample_fps = 3;
  FaceDetector d(o);
  const cv::Mat m = background();
  int analysed = 0;
  for (int i = 0; i < 60; ++i) analysed += d.add_frame(i / 30.0, view_of(m, i / 30.0)) ? 1 : 0;
  EXPECT_FALSE(d.add_frame(1.0, view_of(m, 1.0)));  // not after the last frame
  EXPECT_EQ(analysed, 6);                           // 2 s at 3 a second
  const FaceResult r = d.finish(2.0);
  ASSERT_EQ(r.frames.size(), 6u);
  for (std::size_t k = 0; k < r.frames.size(); ++k)
    EXPECT_NEAR(r.frames[k].t, static_cast<double>(k) / 3.0, 1.0 / 30 + 1e-9);
}

// One analysed frame with a face among frames without: dropped as a lone detection; two in a
// row: kept, from the first.
TEST(FaceFlow, LoneDetectionIsDropped) {
  FaceDetector& d = fresh();
  const cv::Mat none = background();
  const cv::Mat face = frame_with({Drawn{kW / 2.0, kH * 0.45, 150}});
  for (int i = 0; i < 12; ++i) d.add_frame(i / 3.0, view_of(i == 4 ? face : none, i / 3.0));
  FaceResult r = d.finish(4.0);
  EXPECT_EQ(person_framing_flow(r)["CoreMetrics"]["faceVisibilityRate"].get<double>(), 0.0);
  for (int i = 0; i < 12; ++i) d.add_frame(i / 3.0, view_of(i == 4 || i == 5 ? face : none, i / 3.0));
  r = d.finish(4.0);
  const Json j = person_framing_flow(r);
  EXPECT_EQ(j["CoreMetrics"]["faceVisibilityRate"].get<double>(), 0.17);
  EXPECT_NEAR(j["CoreMetrics"]["timeToFirstFace"].get<double>(), 4.0 / 3, 0.01);
  EXPECT_NEAR(j["CoreMetrics"]["faceSeconds"].get<double>(), 2.0 / 3, 0.01);
}

// No face 0-1 s, a face 1-4 s, no face 4-5 s, 30 frames a second: the face's seconds, its
// first time, its shot type in framingProgression and its centring.
void expect_timeline(double width, bool centred, const std::string& type) {
  SCOPED_TRACE("head width " + std::to_string(width) + " " + type);
  FaceDetector& d = fresh();
  const cv::Mat none = background();
  const cv::Mat face = frame_with({Drawn{centred ? kW / 2.0 : kW * 0.2, kH * 0.45, width}});
  for (int i = 0; i < 150; ++i) {
    const double t = i / 30.0;
    d.add_frame(t, view_of(t >= 1.0 && t < 4.0 ? face : none, t));
  }
  const FaceResult r = d.finish(5.0);
  const Json j = person_framing_flow(r);
  const Json& core = j["CoreMetrics"];
  EXPECT_NEAR(core["faceSeconds"].get<double>(), 3.0, 0.5);
  EXPECT_NEAR(core["timeToFirstFace"].get<double>(), 1.0, 0.5);
  EXPECT_NEAR(core["faceVisibilityRate"].get<double>(), 0.6, 0.1);
  EXPECT_NEAR(core["eyeContactRate"].get<double>(), 0.6, 0.1);
  EXPECT_EQ(core["subjectCount"], 1);
  EXPECT_EQ(core["primarySubject"], "single");
  EXPECT_EQ(core["maxFaces"], 1);
  EXPECT_EQ(core["centredFaceRate"].get<double>(), centred ? 1.0 : 0.0);
  EXPECT_EQ(shot_type_of(core["averageFaceSize"].get<double>() / 100.0),
            shot_type_of(r.frames[4].faces.at(0).area_share));
  const Json expected = Json::array({{{"type", "none"}, {"start", 0}, {"end", 1}, {"duration", 1}},
                                     {{"type", type}, {"start", 1}, {"end", 4}, {"duration", 3}},
                                     {{"type", "none"}, {"start", 4}, {"end", 5}, {"duration", 1}}});
  EXPECT_EQ(j["Dynamics"]["framingProgression"], expected) << j.dump();
  EXPECT_EQ(j["KeyEvents"]["framingChanges"], 2);
  EXPECT_NEAR(j["Dynamics"]["shotTypeDistribution"][type].get<double>(), 0.6, 0.1);
  EXPECT_NEAR(j["Dynamics"]["shotTypeDistribution"]["none"].get<double>(), 0.4, 0.1);
}

TEST(FaceFlow, KnownTimelineWide) { expect_timeline(60, true, "wide"); }
TEST(FaceFlow, KnownTimelineMedium) { expect_timeline(150, true, "medium"); }
TEST(FaceFlow, KnownTimelineClose) { expect_timeline(250, true, "close"); }
TEST(FaceFlow, KnownTimelineOffCentre) {
  expect_timeline(100, false, "wide");
}  // a box of about 125 px: 7 % of the frame

TEST(FaceFlow, NoFaceVideo) {
  FaceDetector& d = fresh();
  const cv::Mat none = background();
  for (int i = 0; i < 12; ++i) d.add_frame(i / 4.0, view_of(none, i / 4.0));
  const FaceResult r = d.finish(3.0);
  const Json j = person_framing_flow(r);
  EXPECT_EQ(j["CoreMetrics"]["timeToFirstFace"].get<double>(), 3.0);
  EXPECT_EQ(j["CoreMetrics"]["faceVisibilityRate"].get<double>(), 0.0);
  EXPECT_EQ(j["CoreMetrics"]["faceSeconds"].get<double>(), 0.0);
  EXPECT_EQ(j["CoreMetrics"]["averageFaceSize"].get<double>(), 0.0);
  EXPECT_FALSE(j["CoreMetrics"].contains("subjectCount"));
  EXPECT_FALSE(j["CoreMetrics"].contains("primarySubject"));
  EXPECT_EQ(j["Dynamics"]["framingProgression"],
            Json::array({{{"type", "none"}, {"start", 0}, {"end", 3}, {"duration", 3}}}));
  EXPECT_EQ(j["KeyEvents"]["framingChanges"], 0);
  EXPECT_TRUE(emotional_journey_from_faces(r).is_null());
  EXPECT_EQ(seconds_with_a_face(r), std::vector<bool>(3, false));
}

// Smiling 0-3 s, then a closed mouth to 4 s: a face in every second (creative_density's
// expression element: smiling or not, an expression is read), and the smile windows read as joy.
TEST(FaceFlow, SmilesGiveExpressionsAndJoy) {
  FaceDetector& d = fresh();
  const cv::Mat smile = frame_with({Drawn{kW / 2.0, kH * 0.45, 150, true}});
  const cv::Mat plain = frame_with({Drawn{kW / 2.0, kH * 0.45, 150, false}});
  for (int i = 0; i < 40; ++i) d.add_frame(i / 10.0, view_of(i < 30 ? smile : plain, i / 10.0));
  const FaceResult r = d.finish(4.0);
  EXPECT_EQ(seconds_with_a_face(r), std::vector<bool>(4, true));
  const Json e = emotional_journey_from_faces(r);
  ASSERT_TRUE(e.is_object());
  EXPECT_EQ(e["CoreMetrics"]["dominantEmotion"], "joy");
  EXPECT_EQ(e["CoreMetrics"]["uniqueEmotions"], 2);
  EXPECT_EQ(e["CoreMetrics"]["emotionTransitions"], 1);
  EXPECT_EQ(e["CoreMetrics"]["emotionalDiversity"].get<double>(), 0.17);
  EXPECT_EQ(e["Quality"]["timelineCoverage"].get<double>(), 1.0);
  const Json& p = e["Dynamics"]["emotionProgression"];
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0]["timestamp"], "0-1s");
  EXPECT_EQ(p[2]["emotion"], "joy");
  EXPECT_EQ(p[3]["emotion"], "neutral");
  EXPECT_EQ(p[3]["intensity"].get<double>(), 0.0);
}

// The flow from a hand-made result (no cascade): the rules of each field.
TEST(FaceFlow, RulesOnAHandMadeResult) {
  FaceResult r;
  r.sample_fps = 2;
  r.duration_s = 3.2;
  const DetectedFace big{0.3, 0.2, 0.6, 0.5, 0.30, true, true, false};      // close
  const DetectedFace mid{0.0, 0.2, 0.3, 0.4, 0.12, false, false, true};     // medium
  const DetectedFace small{0.7, 0.2, 0.1, 0.1, 0.01, false, false, false};  // wide
  r.frames = {{0.0, {}},           {0.5, {mid}}, {1.0, {big, small}}, {1.5, {big}},
              {2.0, {mid, small}}, {2.5, {mid}}, {3.0, {mid}}};
  const Json j = person_framing_flow(r);
  const Json& c = j["CoreMetrics"];
  EXPECT_EQ(c["faceVisibilityRate"].get<double>(), 0.86);  // 6 of 7
  EXPECT_EQ(c["eyeContactRate"].get<double>(), 0.29);      // 2 of 7
  EXPECT_NEAR(c["averageFaceSize"].get<double>(), (0.12 * 4 + 0.30 * 2 + 0.01 * 2) / 8 * 100, 1e-9);
  EXPECT_EQ(c["timeToFirstFace"].get<double>(), 0.5);
  EXPECT_EQ(c["faceSeconds"].get<double>(), 2.7);  // 5 x 0.5 + 0.2 at the end
  EXPECT_EQ(c["subjectCount"], 1);                 // 4 frames of 1 face, 2 of 2
  EXPECT_EQ(c["maxFaces"], 2);
  EXPECT_EQ(c["averageFaces"].get<double>(), 1.33);
  EXPECT_EQ(c["centredFaceRate"].get<double>(), 0.33);  // 2 of 6
  // seconds: 0 {none, medium} -> medium (tie: the closer), 1 {close, close} -> close,
  // 2 {medium, medium} -> medium, 3 {medium} -> medium
  const Json expected = Json::array({{{"type", "medium"}, {"start", 0}, {"end", 1}, {"duration", 1}},
                                     {{"type", "close"}, {"start", 1}, {"end", 2}, {"duration", 1}},
                                     {{"type", "medium"}, {"start", 2}, {"end", 4}, {"duration", 2}}});
  EXPECT_EQ(j["Dynamics"]["framingProgression"], expected);
  EXPECT_EQ(j["KeyEvents"]["framingChanges"], 2);
  EXPECT_EQ(j["Dynamics"]["shotTypeDistribution"]["medium"].get<double>(), 0.57);
  // Face seconds: second 0 has a face in 1 of its 2 frames (half: counted), the others in all.
  EXPECT_EQ(seconds_with_a_face(r), std::vector<bool>(4, true));
  r.frames[1].faces.clear();  // second 0: no frame with a face
  r.frames[4].faces.clear();  // second 2: one of two
  EXPECT_EQ(seconds_with_a_face(r), (std::vector<bool>{false, true, true, true}));
  r.frames[5].faces.clear();  // second 2: none of two
  EXPECT_EQ(seconds_with_a_face(r), (std::vector<bool>{false, true, false, true}));
  // Nothing analysed: nothing written.
  EXPECT_TRUE(person_framing_flow(FaceResult{})["CoreMetrics"].empty());
}

TEST(FaceFlow, FingerprintFollowsEverySetting) {
  const FaceOptions base;
  std::vector<FaceOptions> changed(8, base);
  changed[0].sample_fps = 2;
  changed[1].analysis_width = 480;
  changed[2].scale_factor = 1.1;
  changed[3].min_neighbors = 4;
  changed[4].min_face_px = 30;
  changed[5].min_face_share = 0.12;
  changed[6].eye_neighbors = 4;
  changed[7].smile_neighbors = 25;
  for (const auto& o : changed) EXPECT_NE(face_config_fingerprint(o), face_config_fingerprint(base));
  EXPECT_EQ(face_config_fingerprint(base), face_config_fingerprint(FaceOptions{}));
}

// Through the real path: frames encoded by the ffmpeg CLI (x264, 5 fps, upscaled to 720 x 1280
// like a phone upload), decoded by rumi's decoder down to 360 columns through a frame tap.
TEST(FaceDecoder, EncodedVideoWithAFaceFromOneToFourSeconds) {
  RUMI_REQUIRE_FFMPEG();
  test::TempDir tmp;
  const cv::Mat none = background();
  const cv::Mat face = frame_with({Drawn{kW / 2.0, kH * 0.45, 150, true}});
  {
    std::ofstream raw(tmp / "frames.rgb", std::ios::binary);
    for (int i = 0; i < 25; ++i) {
      const cv::Mat& m = i >= 5 && i < 20 ? face : none;
      raw.write(reinterpret_cast<const char*>(m.data), static_cast<std::streamsize>(m.total() * m.elemSize()));
    }
  }
  const fs::path mp4 = tmp / "face.mp4";
  const auto r = test::run_program({test::media::ffmpeg_path(),
                                    "-v",
                                    "error",
                                    "-y",
                                    "-f",
                                    "rawvideo",
                                    "-pix_fmt",
                                    "rgb24",
                                    "-s",
                                    "360x640",
                                    "-r",
                                    "5",
                                    "-i",
                                    (tmp / "frames.rgb").string(),
                                    "-vf",
                                    "scale=720:1280",
                                    "-c:v",
                                    "libx264",
                                    "-preset",
                                    "veryfast",
                                    "-crf",
                                    "20",
                                    "-pix_fmt",
                                    "yuv420p",
                                    mp4.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // As the content pass feeds it: a tap of 360 columns at the detector's rate beside the
  // 160-column main stream.
  struct Sink : MediaSink {
    FaceDetector* d;
    int main_frames = 0;
    explicit Sink(FaceDetector* det) : d(det) {}
    void on_frame(const FrameView&) override { ++main_frames; }
    void on_tap_frame(int tap, const FrameView& f) override {
      if (tap == 0) d->add_frame(f.t, f);
    }
  } sink(&fresh());
  DecodeOptions o;
  o.audio = false;
  o.taps = {FrameTap{FaceOptions{}.analysis_width, FaceOptions{}.sample_fps}};
  const DecodeStats st = decode_file(mp4, o, {&sink});
  EXPECT_EQ(sink.main_frames, 25);
  const FaceResult res = detector().finish(st.duration_s);
  EXPECT_EQ(res.frames.size(), 15u);  // 3 a second for 5 s (frames at 0, 0.4, 0.8, 1.0, ...)
  const Json j = person_framing_flow(res);
  EXPECT_NEAR(j["CoreMetrics"]["faceSeconds"].get<double>(), 3.0, 0.5) << j.dump();
  EXPECT_NEAR(j["CoreMetrics"]["timeToFirstFace"].get<double>(), 1.0, 0.5);
  EXPECT_NEAR(j["CoreMetrics"]["faceVisibilityRate"].get<double>(), 0.6, 0.1);
  EXPECT_EQ(j["Dynamics"]["framingProgression"][1]["type"], "medium");
  EXPECT_EQ(j["CoreMetrics"]["centredFaceRate"].get<double>(), 1.0);
  EXPECT_EQ(seconds_with_a_face(res), (std::vector<bool>{false, true, true, true, false}));
}

double thread_cpu_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The cost of one analysed frame (printed for docs/native.md; bounded loosely so a pathological
// slowdown fails).
TEST(FaceCascade, TimePerAnalysedFrame) {
  const cv::Mat face = frame_with({Drawn{kW / 2.0, kH * 0.45, 150, true}});
  const cv::Mat none = background();
  cv::Mat noise(kH, kW, CV_8UC3);
  cv::RNG rng(3);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
  for (const auto& [name, m] :
       {std::pair<const char*, const cv::Mat*>{"face", &face}, {"gradient", &none}, {"noise", &noise}}) {
    const double t0 = thread_cpu_s();
    for (int i = 0; i < 5; ++i) (void)detector().detect(view_of(*m));
    const double ms = (thread_cpu_s() - t0) * 1000 / 5;
    std::printf("[ faces    ] %s 360x640: %.1f ms of CPU per analysed frame\n", name, ms);
    EXPECT_LT(ms, 1000);
  }
}

}  // namespace
}  // namespace rumi::native
