#pragma once
// `rumi demo --native-videos N`: the demo on real video files. It makes N short 360x640 mp4 files
// with the ffmpeg CLI (coloured shots cut at drawn times, one caption drawn with drawtext from a
// drawn time for 3 s), writes an Apify export for them in which engagement is planted to go with
// one measured element (how early the caption appears) plus noise, and runs the ordinary pipeline
// with rumi's native analyzer on the folder (`rumi run --native --videos DIR`). planted.json
// says what was planted and holds every video's truth (caption onset, shots), so a user can check
// both the analyzer's measurements and the patterns against it.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/json.h"
#include "pipeline/demo.h"

namespace rumi::pipeline {

inline constexpr int kDefaultNativeDemoVideos = 40;

// What one demo video shows: the independent truth the native analyzer is checked against.
struct NativeDemoVideo {
  std::string id;                    // TikTok-like id; the file is <id>.mp4
  int duration_s = 0;                // 6..12: every video is in the 0-15s bucket
  std::vector<double> shot_lengths;  // seconds; a cut between consecutive shots
  std::vector<std::string> colours;  // one 0xRRGGBB per shot
  double text_onset_s = 0;           // the caption is on screen from here for kTextSeconds
  std::string text;                  // the caption drawn on screen
  double engagement_rate = 0;        // percent, as planted (before rounding the counts)
};

struct NativeDemoPlan {
  std::uint64_t seed = 0;
  std::vector<NativeDemoVideo> videos;
  Json items = Json::array();   // the Apify export
  Json planted;                 // what was planted, how strongly, and the per-video truth
  std::string planted_summary;  // one paragraph for the demo's printed summary
};

// Pure function of (seed, videos): the same arguments give the same plan, export bytes included.
// Throws UsageError when videos is outside 20..500.
NativeDemoPlan plan_native_demo(std::uint64_t seed, int videos);

// Writes <dir>/apify_items.json and <dir>/planted.json for the plan (no videos).
void write_native_demo_export(const NativeDemoPlan& plan, const std::filesystem::path& dir);

// The ffmpeg argv that makes one video at `out` (argv[0] is "ffmpeg", found on PATH).
std::vector<std::string> native_demo_ffmpeg_argv(const NativeDemoVideo& v, const std::filesystem::path& out);

// The drawtext font (DejaVu Sans Bold from fonts-dejavu-core).
inline constexpr const char* kNativeDemoFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// The whole native demo (run_demo with native_videos > 0): writes <out>/native/ (apify_items.json,
// planted.json, videos/<id>.mp4) and <out>/native-demo.yaml, then runs the pipeline natively.
// Videos already made for the same seed and count are reused. Throws Error naming the tool when
// ffmpeg or the font is missing.
DemoResult run_native_demo(const DemoOptions& options);

}  // namespace rumi::pipeline
