#pragma once
// One in-process pass over a video file with FFmpeg's libraries (libavformat, libavcodec,
// libswscale, libswresample), feeding every detector the same frames and samples
// (native/media_types.h). Nothing is shelled out, and the file is read once whatever the number
// of detectors.
//
// Rules, and why:
// * Video frames are delivered as RGB24 at the analysis size (DecodeOptions::width; the height
//   follows the source's aspect), scaled at decode with an area filter. A frame is never
//   upscaled: a source narrower than the analysis width is delivered at its own size. Only one
//   decoded frame and one scaled frame per output (the main stream, each tap) are held at a time,
//   so the memory used does not grow with the length of the video, and an 8K frame costs one 8K
//   decoder picture set, not a copy (a tap at the source's width costs one RGB copy of it).
//   Sources above kMaxSourcePixels are refused (a bound on the decoder's own picture buffers).
// * Sampling is by presentation time, not by frame count: with sample_fps > 0 time is cut into
//   slots of 1/sample_fps from t = 0 and the first frame of each slot is delivered, so a variable
//   frame rate file is sampled evenly in time and at most one frame comes per slot (a rule "at
//   least 1/sample_fps after the last one" would drift and lose slots whenever the source's
//   frame interval does not divide the sampling interval). Every frame is still decoded (inter
//   frames need their references); skipped frames are not scaled.
// * Taps: detectors that need other frames than the shot detector (on-screen text wants about
//   720 columns twice a second, faces 320-480 columns a few times a second) ask for them with
//   DecodeOptions::taps, each {width, sample_fps}, delivered through MediaSink::on_tap_frame in
//   the same pass: the file is still decoded once. A tap follows the main stream's rules (area
//   filter, never upscaled, width 0 = the source's width, the same PTS slot rule), with its own
//   scaler and buffer, and a frame is scaled for a tap only when the tap samples it. The main
//   stream comes first for each frame, then the taps in list order. Taps need decoded pictures,
//   so video is decoded when any tap is asked for even with `video` off (then only taps come).
// * Times are seconds from the start of the presentation (the container's start time), from each
//   frame's best-effort PTS. Frames whose time does not advance are dropped.
// * Audio: the first audio stream, decoded, mixed down to mono and resampled to
//   kAnalysisSampleRate float samples in blocks that follow each other without gaps. When the
//   audio starts after the presentation start, silence is delivered first so samples[0] is at
//   t = 0; audio before t = 0 (encoder priming) is dropped. A file without an audio stream is a
//   normal upload, not an error: MediaInfo::has_audio is false and no audio block is delivered.
// * Rotation: a display matrix on the video stream (a phone's portrait video is landscape
//   frames plus a 90-degree matrix) is applied to every delivered frame, main stream and taps,
//   as the ffmpeg CLI's autorotate does: faces and text need upright pictures. Only quarter
//   turns are applied (a matrix within 1 degree of 0/90/180/270; any other angle, and mirroring,
//   are ignored, as no phone writes them). The frame is scaled first and turned after, which
//   costs little at analysis size; the analysis width is the displayed width.
//   MediaInfo::width/height stay the coded size (what ffprobe reports), rotation and
//   display_width/height say how it is shown. Cuts, loudness and speech do not depend on it.
// * Bad input is a DecodeError naming the file and a reason a person can act on, checked in this
//   order: missing file, zero bytes, a text or HTML page saved as a video ("not a video: looks
//   like an HTML page"), an MP4/MOV whose boxes run past the end of the file ("truncated"),
//   a container libavformat cannot read ("undecodable container: <libav's reason>"), no video
//   stream (an audio-only file, cover art alone), no decoder for the codec, no frame that
//   decodes, and video that ends well before the length the container announces ("truncated").
//   Every libav call is checked and its error is reported with av_strerror's text.
// * Limits: max_duration_s refuses a file from its container header before anything is
//   decoded; `deadline` is checked between packets (and inside blocking reads) and stops the
//   pass with a timeout error, so a file never hangs the batch; `stop` (Ctrl-C) stops it too.
// * libav's own log lines are never printed; the last error line is kept and added to the
//   reason (e.g. "moov atom not found").
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "native/media_types.h"

namespace rumi::native {

// 8192 x 8192: an 8K UHD source (7680 x 4320) fits; beyond it, refused before decoding.
inline constexpr std::int64_t kMaxSourcePixels = 8192LL * 8192LL;

// An extra frame output (see the rules above).
struct FrameTap {
  int width = 0;          // 0: the source's width; never upscaled; height by aspect
  double sample_fps = 0;  // 0: every frame; else at most this many frames per second, by PTS
};

struct DecodeOptions {
  bool video = true;          // deliver video frames (on_frame)
  bool audio = true;          // deliver audio (on_audio); has_audio is reported either way
  int width = 160;            // analysis frame width in pixels (> 0)
  int height = 0;             // 0: from the source's aspect ratio
  double sample_fps = 0;      // 0: every frame; else at most this many frames per second, by PTS
  double max_duration_s = 0;  // 0: no limit; else a longer container duration is refused
  std::optional<std::chrono::steady_clock::time_point> deadline;
  const std::atomic<bool>* stop = nullptr;
  int threads = 1;  // decoder threads; 1 keeps a batch to one core per video
  // Skip the in-loop deblocking filter and allow non-spec-compliant speedups (H.264, HEVC): the
  // filter smooths 8x8 block edges, which an analysis frame of 160 columns averages away anyway,
  // and it is a large share of the decoding time. Part of the decoding settings in the cache key.
  bool fast = true;
  std::vector<FrameTap> taps;  // extra frame outputs, delivered by on_tap_frame(index, frame)
};

// What a detector implements; the decoder calls on_info once, then frames and audio blocks in
// the order they are decoded (video and audio interleave; each is in time order on its own).
// The views are valid only during the call.
class MediaSink {
 public:
  virtual ~MediaSink() = default;
  virtual void on_info(const MediaInfo&) {}
  virtual void on_frame(const FrameView&) {}
  virtual void on_audio(const AudioView&) {}
  // A frame of DecodeOptions::taps[tap]; same time base and view rules as on_frame.
  virtual void on_tap_frame(int /*tap*/, const FrameView&) {}
};

struct DecodeStats {
  MediaInfo info;
  double duration_s = 0;  // the container's, else the end of the last video frame or audio sample
  std::int64_t frames_decoded = 0;
  std::int64_t frames_delivered = 0;               // main stream (on_frame)
  std::vector<std::int64_t> tap_frames_delivered;  // per tap (on_tap_frame)
  double first_frame_s = 0;
  double last_frame_s = 0;
  std::int64_t audio_samples = 0;  // delivered, at kAnalysisSampleRate
  int corrupt_packets = 0;         // packets the decoder rejected (tolerated when frames decode)
  double seconds = 0;              // wall time of the pass
};

class DecodeError : public InputError {
 public:
  enum class Kind {
    missing,
    empty,
    not_a_video,
    truncated,
    undecodable,
    no_video_stream,
    too_large,
    too_long,
    timeout,
    stopped
  };
  DecodeError(const std::filesystem::path& file, Kind kind, const std::string& reason);
  Kind kind() const noexcept { return kind_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  Kind kind_;
  std::string reason_;
};

std::string_view decode_error_kind_name(DecodeError::Kind k);

// Opens the file and reads its header only (no frame is decoded); the same checks and errors
// as decode_file up to the stream selection.
MediaInfo probe_media(const std::filesystem::path& file);

// The one pass. Sinks are called in list order; an exception from a sink stops the pass and
// propagates unchanged.
DecodeStats decode_file(const std::filesystem::path& file, const DecodeOptions& options,
                        const std::vector<MediaSink*>& sinks);

// The analysis frame size for a source, by the rules above (exposed for tests).
std::pair<int, int> analysis_size(int src_width, int src_height, int want_width, int want_height);

}  // namespace rumi::native
