// On-screen text (native/ocr.h) against videos with known text, made by ffmpeg's drawtext (the
// independent oracle: the text, its times, size and place are the filter's arguments) over a
// moving colour gradient, so consecutive frames differ as real footage does.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "native/decoder.h"
#include "native/ocr.h"
#include "native/test_media.h"

namespace rumi::native {
namespace {

namespace tm = rumi::test::media;

const char* kFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

#define RUMI_REQUIRE_FONT()                                                             \
  do {                                                                                  \
    if (!std::filesystem::exists(kFont)) GTEST_SKIP() << "font " << kFont << " absent"; \
  } while (0)

struct Caption {
  std::string text;
  double from_s = 0, to_s = 0;
  int size = 36;
  std::string x = "(w-tw)/2";
  std::string y = "h*0.7";
  bool boxed = false;  // white on a dark box, else white with a black outline
};

// 352x640, 30 fps, `seconds` long: a moving two-colour gradient with the captions drawn on it.
std::filesystem::path make_text_video(const std::vector<Caption>& caps, double seconds, const std::string& c0 = "red",
                                      const std::string& c1 = "blue") {
  char buf[512];
  std::snprintf(buf, sizeof buf, "gradients=s=352x640:r=30:c0=%s:c1=%s:n=2:speed=0.05:d=%.3f:seed=1", c0.c_str(),
                c1.c_str(), seconds);
  std::string vf;
  for (const auto& c : caps) {
    char d[768];
    std::snprintf(
        d, sizeof d,
        "drawtext=fontfile=%s:text='%s':fontsize=%d:fontcolor=white:%s:x=%s:y=%s:enable='between(t,%.3f,%.3f)',", kFont,
        c.text.c_str(), c.size, c.boxed ? "box=1:boxcolor=black@0.7:boxborderw=8" : "borderw=3:bordercolor=black",
        c.x.c_str(), c.y.c_str(), c.from_s, c.to_s);
    vf += d;
  }
  vf += "format=yuv420p";
  char dur[32];
  std::snprintf(dur, sizeof dur, "%.3f", seconds);
  return tm::make_cached({tm::ffmpeg_path(),
                          "-hide_banner",
                          "-loglevel",
                          "error",
                          "-y",
                          "-f",
                          "lavfi",
                          "-i",
                          buf,
                          "-vf",
                          vf,
                          "-c:v",
                          "libx264",
                          "-preset",
                          "veryfast",
                          "-threads",
                          "1",
                          "-t",
                          dur,
                          "-map_metadata",
                          "-1",
                          "-fflags",
                          "+bitexact",
                          "{out}"},
                         "mp4");
}

struct Feed : MediaSink {
  TextDetector* d;
  explicit Feed(TextDetector* det) : d(det) {}
  void on_frame(const FrameView& f) override { d->add_frame(f); }
};

// The file decoded in its own pass at the detector's width and rate.
OcrResult read_video(const std::filesystem::path& file, const OcrOptions& o = {}) {
  TextDetector det(o);
  Feed feed(&det);
  DecodeOptions d;
  d.width = o.analysis_width;
  d.sample_fps = o.sample_fps;
  d.audio = false;
  const DecodeStats st = decode_file(file, d, {&feed});
  return det.finish(st.duration_s);
}

std::string describe(const OcrResult& r) {
  std::string s;
  char buf[256];
  for (const auto& o : r.overlays) {
    std::snprintf(buf, sizeof buf, "  [%.2f-%.2f] %s '%s' h=%.3f c=(%.2f,%.2f) contrast=%.0f conf=%.0f n=%d\n",
                  o.start_s, o.end_s, o.caption ? "caption" : "scene", o.text.c_str(), o.rel_height, o.centre_x,
                  o.centre_y, o.contrast, o.confidence, o.sightings);
    s += buf;
  }
  std::snprintf(buf, sizeof buf, "  frames sampled %lld, read %lld, ocr %.2f s cpu\n",
                static_cast<long long>(r.frames_sampled), static_cast<long long>(r.frames_read), r.ocr_cpu_s);
  s += buf;
  return s;
}

TEST(OcrText, NormalisationAndJitterTolerance) {
  EXPECT_EQ(normalise_text("  LINK in\nBIO!! "), "link in bio");
  EXPECT_EQ(normalise_text("Don't  stop—now"), "dont stop now");
  EXPECT_TRUE(same_text("link in bio", "link in b1o"));
  EXPECT_TRUE(same_text("daily greens", "daily greens recipe"));
  EXPECT_FALSE(same_text("link in bio", "daily greens"));
  EXPECT_FALSE(same_text("day 1", "day 2 of 30 of my journey"));
}

TEST(OcrText, CallsToActionOnWordBoundaries) {
  EXPECT_EQ(cta_type("link in bio"), "link");
  EXPECT_EQ(cta_type("shop now"), "shop");
  EXPECT_EQ(cta_type("follow for more tips"), "follow");
  EXPECT_EQ(cta_type("get yours today"), "get");
  EXPECT_EQ(cta_type("get ready with me"), "");
  EXPECT_EQ(cta_type("in order to sleep"), "");
  EXPECT_EQ(cta_type("blinking lights"), "");  // "link" inside a word
  EXPECT_EQ(cta_type("workshop notes"), "");
  EXPECT_EQ(cta_type(""), "");
}

TEST(OcrText, MissingModelNamesThePath) {
  try {
    locate_tessdata("xx-none", "/nonexistent/tessdata");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/tessdata"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("xx-none.traineddata"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(std::filesystem::exists(locate_tessdata("eng") / "eng.traineddata"));
}

TEST(OcrTruth, TwoCaptionsTimesCountsAndCallToAction) {
  RUMI_REQUIRE_FFMPEG();
  RUMI_REQUIRE_FONT();
  const auto file =
      make_text_video({{"LINK IN BIO", 1.0, 3.0}, {"Daily Greens", 4.0, 5.0, 32, "(w-tw)/2", "h*0.2", true}}, 6.0);
  const OcrResult r = read_video(file);
  SCOPED_TRACE(describe(r));
  const auto caps = r.captions();
  ASSERT_EQ(caps.size(), 2u);
  EXPECT_EQ(caps[0]->text, "link in bio");
  EXPECT_EQ(caps[1]->text, "daily greens");
  EXPECT_NEAR(caps[0]->start_s, 1.0, 0.5);
  EXPECT_NEAR(caps[0]->end_s, 3.0, 0.5);
  EXPECT_NEAR(caps[1]->start_s, 4.0, 0.5);
  EXPECT_NEAR(caps[1]->end_s, 5.0, 0.5);
  EXPECT_NEAR(r.time_to_first_text(), 1.0, 0.5);
  EXPECT_NEAR(r.seconds_with_text(), 3, 1);
  EXPECT_LT(r.frames_read, r.frames_sampled) << "unchanged frames are not read again";

  const Json flow = visual_overlay_flow(r, r.duration_s);
  EXPECT_NEAR(flow["CoreMetrics"]["timeToFirstOverlay"].get<double>(), 1.0, 0.5);
  EXPECT_NEAR(flow["CoreMetrics"]["totalTextOverlays"].get<int>(), 3, 1);
  EXPECT_EQ(flow["CoreMetrics"]["uniqueOverlayCount"], 2);
  ASSERT_FALSE(flow["KeyEvents"]["ctaMoments"].empty()) << flow.dump();
  EXPECT_EQ(flow["KeyEvents"]["ctaMoments"][0]["ctaType"], "link");
  EXPECT_EQ(flow["KeyEvents"]["ctaMoments"][0]["textContent"], "link in bio");
}

// Tesseract's OpenMP regions run on the calling thread (ocr.h, "One thread"): the readings are
// the same as with its threads, and the calling thread's OpenMP setting is restored afterwards.
TEST(OcrTruth, OneThreadReadsTheSameAsTesseractsThreads) {
  RUMI_REQUIRE_FFMPEG();
  RUMI_REQUIRE_FONT();
  const auto file =
      make_text_video({{"LINK IN BIO", 1.0, 3.0}, {"Daily Greens", 4.0, 5.0, 32, "(w-tw)/2", "h*0.2", true}}, 6.0);
  const auto get = reinterpret_cast<int (*)()>(::dlsym(RTLD_DEFAULT, "omp_get_max_active_levels"));
  const int levels = get ? get() : -1;
  OcrOptions threads;
  threads.single_thread = false;
  const OcrResult a = read_video(file), b = read_video(file, threads);
  SCOPED_TRACE(describe(a));
  ASSERT_EQ(a.overlays.size(), b.overlays.size());
  for (std::size_t i = 0; i < a.overlays.size(); ++i) {
    EXPECT_EQ(a.overlays[i].raw, b.overlays[i].raw) << i;
    EXPECT_EQ(a.overlays[i].start_s, b.overlays[i].start_s) << i;
    EXPECT_EQ(a.overlays[i].end_s, b.overlays[i].end_s) << i;
    EXPECT_EQ(a.overlays[i].confidence, b.overlays[i].confidence) << i;
  }
  EXPECT_EQ(a.captions_per_second, b.captions_per_second);
  if (get) {
    EXPECT_EQ(get(), levels);
  }
}

TEST(OcrTruth, NoTextIsNoOverlay) {
  RUMI_REQUIRE_FFMPEG();
  const auto file = make_text_video({}, 4.0, "green", "yellow");
  const OcrResult r = read_video(file);
  SCOPED_TRACE(describe(r));
  EXPECT_TRUE(r.captions().empty());
  EXPECT_DOUBLE_EQ(r.time_to_first_text(), r.duration_s);
  const Json flow = visual_overlay_flow(r, r.duration_s);
  EXPECT_EQ(flow["CoreMetrics"]["totalTextOverlays"], 0);
  EXPECT_DOUBLE_EQ(flow["CoreMetrics"]["timeToFirstOverlay"].get<double>(), std::round(r.duration_s * 100) / 100);
  EXPECT_TRUE(flow["KeyEvents"]["ctaMoments"].empty());
  EXPECT_EQ(flow["Quality"]["missingDataPoints"][0], "no_overlays_detected");
}

TEST(OcrTruth, SmallCornerTextIsSceneText) {
  RUMI_REQUIRE_FFMPEG();
  RUMI_REQUIRE_FONT();
  const auto file =
      make_text_video({{"SHOP NOW", 0.5, 3.5}, {"EXIT 12", 0.0, 4.0, 20, "w-tw-10", "12"}}, 4.0, "navy", "teal");
  const OcrResult r = read_video(file);
  SCOPED_TRACE(describe(r));
  const auto caps = r.captions();
  ASSERT_EQ(caps.size(), 1u);
  EXPECT_EQ(caps[0]->text, "shop now");
  bool scene = false;
  for (const auto& o : r.overlays) scene = scene || (!o.caption && same_text(o.text, "exit 12"));
  EXPECT_TRUE(scene) << "the corner text is read and classed as scene text";
}

}  // namespace
}  // namespace rumi::native
