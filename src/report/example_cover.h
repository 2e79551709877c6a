#pragma once
// The still of a brief's example video (issue 18 point 4: "an example top video that actually
// shows the element (QR + caption; its cover image when ... available)").
//
// Rules, and why:
// * Local files only: a report never goes to the network. Acquisition does not download Apify's
//   cover images (shouldDownloadCovers is off), so the still is a frame of the example's own
//   video file, <folder>/<video_id>.mp4, when one is on disk: the folders the caller names (the
//   `--videos` folder), the one the hashtag's latest analysis run used (the workspace database),
//   then the workspace's public videos folder. When the analysis recorded the file's sha256
//   (native content mode: `native.input_sha256`), a file that does not match is not that video
//   and is skipped. No file, no still: the brief shows the QR code and caption only, and its
//   caption does not mention a picture.
// * The frame is the first one at or after kCoverFrameSecond (a video's first frame is often
//   black or a fade-in), else the last one, and the caption says it is a frame of the video, not
//   TikTok's cover.
// * Decoding is the caller's: the report stage does not link the native decoder, so
//   ReportOptions::cover_frame is a reader the CLI passes in (pipeline/native_cover_frame.h wraps
//   native::decode_file); without one there are no stills. The reader runs once per example
//   file and is deterministic (one decoder thread, fixed width), so a re-run writes the same PDF
//   bytes. A reader that throws costs the still, never the brief (logged).
#include <cairo/cairo.h>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/bucket.h"

namespace rumi::report {

inline constexpr double kCoverFrameSecond = 1.0;
inline constexpr int kCoverFrameWidth = 180;  // pixels: sharp at the brief's 44-point thumbnail

struct CoverFrame {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // RGB24, rows packed (3 * width bytes each), upright
  double t = 0;                   // seconds into the video
  bool valid() const {
    return width > 0 && height > 0 &&
           rgb.size() == static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3;
  }
};

// Reads the still of one video file; nullopt when it has no video frame. May throw.
using CoverFrameReader = std::function<std::optional<CoverFrame>(const std::filesystem::path& video_file)>;

// The folders to look in, in order (rules above); `extra` first, duplicates and missing folders
// left out.
std::vector<std::filesystem::path> example_video_dirs(const std::filesystem::path& hashtag_dir,
                                                      const std::vector<std::filesystem::path>& extra);

// <dir>/<video_id>.mp4 of the first folder that has it and, when the bucket's analysis of the
// video recorded a sha256, matches it; nullopt when none.
std::optional<std::filesystem::path> example_video_file(const std::vector<std::filesystem::path>& dirs,
                                                        const std::filesystem::path& hashtag_dir, Bucket bucket,
                                                        const std::string& video_id);

// Draws the frame scaled to fit a box of box_w x box_h points at (x, y), centred, with a thin
// outline so a light frame still shows its edge on white paper.
void draw_cover_frame(cairo_t* cr, const CoverFrame& f, double x, double y, double box_w, double box_h);

}  // namespace rumi::report
