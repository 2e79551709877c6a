#pragma once
// The cover-frame reader for report/example_cover.h, on the native decoder. It lives in the
// pipeline stage on purpose: the report stage does not link rumi_native (libav, tesseract,
// OpenCV), so the callers that do (the CLI, the pipeline) pass it in:
//   ReportOptions o; o.cover_frame = pipeline::native_cover_frame;
// One decoder thread, a fixed width, video only: the same file gives the same pixels, so the
// brief's PDF bytes do not change between runs.
#include <optional>

#include "native/decoder.h"
#include "report/example_cover.h"

namespace rumi::pipeline {

using report::CoverFrame;
using report::kCoverFrameSecond;
using report::kCoverFrameWidth;

namespace native_cover_detail {

// Keeps the first frame at or after kCoverFrameSecond, else the last one, and stops the pass.
class CoverSink : public native::MediaSink {
 public:
  struct Done {};
  void on_frame(const native::FrameView& f) override {
    frame_.width = f.width;
    frame_.height = f.height;
    frame_.t = f.t;
    frame_.rgb.resize(static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height) * 3);
    for (int row = 0; row < f.height; ++row)
      std::copy_n(f.rgb + static_cast<std::ptrdiff_t>(row) * f.stride, static_cast<std::size_t>(f.width) * 3,
                  frame_.rgb.begin() + static_cast<std::ptrdiff_t>(row) * f.width * 3);
    if (f.t >= kCoverFrameSecond) throw Done{};
  }
  CoverFrame frame_;
};

}  // namespace native_cover_detail

inline std::optional<CoverFrame> native_cover_frame(const std::filesystem::path& video_file) {
  native::DecodeOptions o;
  o.audio = false;
  o.width = kCoverFrameWidth;
  o.sample_fps = 4;
  o.threads = 1;
  o.fast = false;  // the in-loop filter on: a still people look at, not an analysis frame
  o.max_duration_s = 600;
  native_cover_detail::CoverSink sink;
  try {
    native::decode_file(video_file, o, {&sink});
  } catch (const native_cover_detail::CoverSink::Done&) {
  }
  if (!sink.frame_.valid()) return std::nullopt;
  return sink.frame_;
}

}  // namespace rumi::pipeline
