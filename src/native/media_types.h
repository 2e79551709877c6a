#pragma once
// The shapes that flow from the native decoder (native/decoder.h) to each detector (shots,
// audio energy, speech). The decoder makes one pass over a file and hands every detector the
// same frames and samples, so a detector never opens a file itself and can be tested on frames
// or samples made in memory.
//
// Conventions, fixed here so every detector agrees:
// * Times are seconds from the start of the presentation, taken from PTS (variable frame rate
//   is normal on phones), never from a frame counter.
// * Frames are RGB24, downscaled by the decoder to an analysis size (the detector's needs, not
//   the source's 1080x1920 or 8K); `stride` is the byte length of one row (>= 3 * width).
// * Audio is mono float in [-1, 1] at one fixed rate (kAnalysisSampleRate), resampled and mixed
//   down by the decoder; blocks arrive in time order without gaps or overlaps.
#include <cstddef>
#include <cstdint>
#include <string>

namespace rumi::native {

inline constexpr int kAnalysisSampleRate = 16000;  // what pocketsphinx's en-us model expects

struct FrameView {
  double t = 0;  // presentation time, seconds
  int width = 0;
  int height = 0;
  int stride = 0;  // bytes per row
  const std::uint8_t* rgb = nullptr;
};

struct AudioView {
  double t = 0;  // time of samples[0], seconds
  const float* samples = nullptr;
  std::size_t count = 0;
  int rate = kAnalysisSampleRate;
};

// What the container says about the file, known before the first frame.
struct MediaInfo {
  double duration_s = 0;  // container duration; the last frame's PTS when the container has none
  double fps = 0;         // average frame rate (informative; times come from PTS)
  int width = 0;          // coded size, before downscaling and rotation (as ffprobe reports it)
  int height = 0;
  // Clockwise degrees (0, 90, 180, 270) the decoder turns every frame by, from the container's
  // display matrix (phones store portrait video as landscape frames plus this matrix), and the
  // size as displayed: width/height swapped for 90 and 270. Delivered frames are upright.
  int rotation = 0;
  int display_width = 0;
  int display_height = 0;
  bool has_video = false;
  bool has_audio = false;
  std::string video_codec;
  std::string audio_codec;
};

}  // namespace rumi::native
