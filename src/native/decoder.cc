#include "native/decoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/mem.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdarg>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>

namespace rumi::native {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// RAII for every libav object: the pass may stop anywhere (a bad packet, the deadline, a sink's
// exception) and nothing may leak.
struct FormatCloser {
  void operator()(AVFormatContext* p) const { avformat_close_input(&p); }
};
struct CodecFreer {
  void operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
};
struct FrameFreer {
  void operator()(AVFrame* p) const { av_frame_free(&p); }
};
struct PacketFreer {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsFreer {
  void operator()(SwsContext* p) const { sws_freeContext(p); }
};
struct SwrFreer {
  void operator()(SwrContext* p) const { swr_free(&p); }
};
struct AvFreer {
  void operator()(std::uint8_t* p) const { av_free(p); }
};
using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFreer>;
using FramePtr = std::unique_ptr<AVFrame, FrameFreer>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFreer>;
using SwsPtr = std::unique_ptr<SwsContext, SwsFreer>;
using SwrPtr = std::unique_ptr<SwrContext, SwrFreer>;
using BufferPtr = std::unique_ptr<std::uint8_t, AvFreer>;

// libav logs to stderr by default; rumi keeps its output its own and adds libav's last error line
// to the reason instead. Lines may come from libav's threads, hence thread_local (the pass itself
// runs with one decoder thread).
thread_local std::string t_last_av_error;

void av_log_to_last_error(void* avcl, int level, const char* fmt, va_list vl) {
  if (level > AV_LOG_ERROR) return;
  char line[1024];
  int print_prefix = 0;  // no "[mov,mp4 @ 0x...]": pointers would make reasons unreproducible
  va_list copy;
  va_copy(copy, vl);
  av_log_format_line2(avcl, level, fmt, copy, line, sizeof line, &print_prefix);
  va_end(copy);
  std::string s(line);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  if (!s.empty()) t_last_av_error = std::move(s);
}

void install_av_log() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback(av_log_to_last_error); });
}

std::string av_error_text(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  if (av_strerror(err, buf, sizeof buf) < 0) std::snprintf(buf, sizeof buf, "libav error %d", err);
  return buf;
}

// "<what>: <av_strerror>" plus libav's own last error line when it says more.
std::string av_reason(const std::string& what, int err) {
  std::string s = what;
  s += ": ";
  s += av_error_text(err);
  if (!t_last_av_error.empty() && t_last_av_error != av_error_text(err)) {
    s += " (";
    s += t_last_av_error;
    s += ")";
  }
  return s;
}

std::string format_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

[[noreturn]] void fail(const fs::path& file, DecodeError::Kind kind, const std::string& reason) {
  throw DecodeError(file, kind, reason);
}

// --- checks before libav sees the file ------------------------------------------------------

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A web server's error page or an API's JSON saved under the video's name is the commonest bad
// download; libav would call it "Invalid data", which tells nobody what happened.
std::optional<std::string> sniff_text(const std::string& head) {
  std::size_t i = 0;
  if (head.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;
  while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
  const std::string rest = lower(head.substr(i));
  bool text = !rest.empty();
  for (unsigned char c : rest)
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f) {
      text = false;
      break;
    }
  if (rest.rfind("<!doctype html", 0) == 0 || rest.rfind("<html", 0) == 0 ||
      (rest.rfind('<', 0) == 0 && (rest.find("<html") != std::string::npos || rest.find("<body") != std::string::npos ||
                                   rest.find("<head") != std::string::npos)))
    return "not a video: looks like an HTML page (an error or login page saved under the video's name?)";
  if (!text) return std::nullopt;
  if (rest.rfind("<?xml", 0) == 0) return "not a video: looks like an XML document (a storage service's error reply?)";
  if (rest.rfind('{', 0) == 0 || rest.rfind('[', 0) == 0) return "not a video: looks like a JSON document";
  return "not a video: looks like a text file";
}

std::uint64_t read_be(const unsigned char* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

bool box_type_printable(const unsigned char* p) {
  for (int i = 0; i < 4; ++i)
    if (p[i] < 0x20 || p[i] > 0x7e) return false;
  return true;
}

// MP4/MOV files are a sequence of top-level boxes, each with its length up front. A download cut
// off part way leaves a box that claims more bytes than the file has; libav then reports "moov
// atom not found" (index at the end) or decodes half the video (index up front). Either way the
// file is truncated, and saying so is the useful reason.
std::optional<std::string> check_iso_boxes(const fs::path& file, std::uint64_t size) {
  std::ifstream in(file, std::ios::binary);
  unsigned char h[16];
  if (!in.read(reinterpret_cast<char*>(h), 8)) return std::nullopt;
  const std::string first(reinterpret_cast<char*>(h) + 4, 4);
  if (first != "ftyp" && first != "moov" && first != "mdat" && first != "free" && first != "wide" && first != "skip")
    return std::nullopt;
  std::uint64_t pos = 0;
  for (int boxes = 0; boxes < 200000 && pos < size; ++boxes) {
    if (size - pos < 8) return std::nullopt;  // a few trailing bytes: libav ignores them too
    in.clear();
    in.seekg(static_cast<std::streamoff>(pos));
    if (!in.read(reinterpret_cast<char*>(h), 16)) {
      in.clear();
      in.seekg(static_cast<std::streamoff>(pos));
      if (!in.read(reinterpret_cast<char*>(h), 8)) return std::nullopt;
    }
    if (!box_type_printable(h + 4)) return std::nullopt;  // not a box walk we understand: let libav judge
    const std::string type(reinterpret_cast<char*>(h) + 4, 4);
    std::uint64_t len = read_be(h, 4);
    if (len == 1) {
      if (size - pos < 16) return "truncated: the file ends inside the header of its '" + type + "' box";
      len = read_be(h + 8, 8);
    } else if (len == 0) {
      return std::nullopt;  // the last box runs to the end of the file
    }
    if (len < 8) return std::nullopt;
    if (len > size - pos)
      return "truncated: the file has " + std::to_string(size) + " bytes but its '" + type + "' box ends at byte " +
             std::to_string(pos + len) + " (a download cut off part way?)";
    pos += len;
  }
  return std::nullopt;
}

bool starts_like_iso_boxes(const std::string& head) {
  if (head.size() < 8) return false;
  const std::string t = head.substr(4, 4);
  return t == "ftyp" || t == "moov" || t == "mdat" || t == "free" || t == "wide" || t == "skip";
}

// Returns whether the file starts like an MP4/MOV (for the wording of a later libav failure).
bool precheck(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) fail(file, DecodeError::Kind::missing, "no such file");
  if (!fs::is_regular_file(file, ec)) fail(file, DecodeError::Kind::missing, "not a regular file");
  const std::uint64_t size = fs::file_size(file, ec);
  if (ec) fail(file, DecodeError::Kind::missing, "cannot read its size: " + ec.message());
  if (size == 0) fail(file, DecodeError::Kind::empty, "zero bytes (an empty file: the download or copy failed)");
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, DecodeError::Kind::missing, "cannot be opened for reading");
  std::string head(1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (auto why = sniff_text(head)) fail(file, DecodeError::Kind::not_a_video, *why);
  if (auto why = check_iso_boxes(file, size)) fail(file, DecodeError::Kind::truncated, *why);
  return starts_like_iso_boxes(head);
}

// --- the pass ---------------------------------------------------------------------------------

struct Limits {
  std::optional<Clock::time_point> deadline;
  const std::atomic<bool>* stop = nullptr;
  bool expired() const { return deadline && Clock::now() > *deadline; }
  bool stopped() const { return stop && stop->load(); }
};

int interrupt_cb(void* opaque) {
  const auto* l = static_cast<const Limits*>(opaque);
  return (l->expired() || l->stopped()) ? 1 : 0;
}

double to_seconds(std::int64_t ts, AVRational tb) { return static_cast<double>(ts) * tb.num / tb.den; }

struct Opened {
  FormatPtr fmt;
  int video = -1;
  int audio = -1;
  MediaInfo info;
  double origin_s = 0;
};

// Clockwise quarter turns for display, from the stream's display matrix, as the ffmpeg CLI's
// autorotate reads it (av_display_rotation_get is counter-clockwise, hence the minus).
int display_rotation(const AVStream* st) {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
#if LIBAVFORMAT_VERSION_INT >= AV_VERSION_INT(60, 15, 100)
  if (const AVPacketSideData* sd = av_packet_side_data_get(
          st->codecpar->coded_side_data, st->codecpar->nb_coded_side_data, AV_PKT_DATA_DISPLAYMATRIX)) {
    data = sd->data;
    size = sd->size;
  }
#else
  data = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
#endif
  if (!data || size < 9 * sizeof(std::int32_t)) return 0;
  const double ccw = av_display_rotation_get(reinterpret_cast<const std::int32_t*>(data));
  if (!std::isfinite(ccw)) return 0;
  double cw = std::fmod(-ccw, 360.0);
  if (cw < 0) cw += 360.0;
  const double quarter = std::round(cw / 90.0);
  if (std::abs(cw - 90.0 * quarter) > 1.0) return 0;
  return static_cast<int>(quarter) % 4 * 90;
}

Opened open_media(const fs::path& file, Limits* limits) {
  install_av_log();
  const bool iso = precheck(file);
  t_last_av_error.clear();
  Opened o;
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) fail(file, DecodeError::Kind::undecodable, "out of memory (avformat_alloc_context)");
  if (limits) {
    raw->interrupt_callback.callback = interrupt_cb;
    raw->interrupt_callback.opaque = limits;
  }
  // On failure avformat_open_input frees the context itself.
  int rc = avformat_open_input(&raw, file.c_str(), nullptr, nullptr);
  if (rc < 0) {
    if (limits && limits->stopped()) fail(file, DecodeError::Kind::stopped, "stopped");
    if (limits && limits->expired()) fail(file, DecodeError::Kind::timeout, "timed out while opening the file");
    // Bytes that are no known format are tried as MP4 by their name, and libav's "moov atom not
    // found" would then suggest a damaged MP4 where there is none.
    if (!iso && rc == AVERROR_INVALIDDATA)
      fail(file, DecodeError::Kind::undecodable,
           "undecodable container: not a video format rumi recognises (" + av_error_text(rc) + ")");
    fail(file, DecodeError::Kind::undecodable, av_reason("undecodable container", rc));
  }
  o.fmt.reset(raw);
  rc = avformat_find_stream_info(o.fmt.get(), nullptr);
  if (rc < 0) fail(file, DecodeError::Kind::undecodable, av_reason("undecodable container: no stream information", rc));

  // Cover art is a video stream of one picture; it is no video.
  for (unsigned i = 0; i < o.fmt->nb_streams; ++i) {
    const AVStream* st = o.fmt->streams[i];
    const AVCodecParameters* par = st->codecpar;
    if (par->codec_type == AVMEDIA_TYPE_VIDEO && !(st->disposition & AV_DISPOSITION_ATTACHED_PIC) && o.video < 0)
      o.video = static_cast<int>(i);
  }
  const int best_video = av_find_best_stream(o.fmt.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (best_video >= 0 && !(o.fmt->streams[best_video]->disposition & AV_DISPOSITION_ATTACHED_PIC)) o.video = best_video;
  const int best_audio = av_find_best_stream(o.fmt.get(), AVMEDIA_TYPE_AUDIO, -1, o.video, nullptr, 0);
  o.audio = best_audio >= 0 ? best_audio : -1;
  if (o.video < 0) {
    fail(file, DecodeError::Kind::no_video_stream,
         o.audio >= 0 ? "no video stream (an audio-only file)" : "no video stream");
  }
  const AVStream* vs = o.fmt->streams[o.video];
  MediaInfo& info = o.info;
  info.has_video = true;
  info.has_audio = o.audio >= 0;
  info.width = vs->codecpar->width;
  info.height = vs->codecpar->height;
  info.rotation = display_rotation(vs);
  const bool quarter = info.rotation == 90 || info.rotation == 270;
  info.display_width = quarter ? info.height : info.width;
  info.display_height = quarter ? info.width : info.height;
  info.video_codec = avcodec_get_name(vs->codecpar->codec_id);
  if (info.has_audio) info.audio_codec = avcodec_get_name(o.fmt->streams[o.audio]->codecpar->codec_id);
  const AVRational fr =
      vs->avg_frame_rate.num > 0 && vs->avg_frame_rate.den > 0 ? vs->avg_frame_rate : vs->r_frame_rate;
  info.fps = fr.num > 0 && fr.den > 0 ? av_q2d(fr) : 0;
  if (o.fmt->duration != AV_NOPTS_VALUE && o.fmt->duration > 0)
    info.duration_s = static_cast<double>(o.fmt->duration) / AV_TIME_BASE;
  else if (vs->duration != AV_NOPTS_VALUE && vs->duration > 0)
    info.duration_s = to_seconds(vs->duration, vs->time_base);
  o.origin_s = o.fmt->start_time != AV_NOPTS_VALUE ? static_cast<double>(o.fmt->start_time) / AV_TIME_BASE : 0;
  if (info.width <= 0 || info.height <= 0)
    fail(file, DecodeError::Kind::undecodable, "undecodable: the video stream has no frame size");
  if (static_cast<std::int64_t>(info.width) * info.height > kMaxSourcePixels)
    fail(file, DecodeError::Kind::too_large,
         "frames of " + std::to_string(info.width) + "x" + std::to_string(info.height) +
             " are larger than rumi analyses (8192x8192 pixels at most)");
  return o;
}

CodecPtr open_decoder(const fs::path& file, const AVStream* st, int threads, bool fast, const char* what) {
  const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
  if (!codec)
    fail(file, DecodeError::Kind::undecodable,
         std::string("undecodable: no decoder for the ") + what + " codec '" +
             avcodec_get_name(st->codecpar->codec_id) + "'");
  CodecPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) fail(file, DecodeError::Kind::undecodable, "out of memory (avcodec_alloc_context3)");
  int rc = avcodec_parameters_to_context(ctx.get(), st->codecpar);
  if (rc < 0) fail(file, DecodeError::Kind::undecodable, av_reason(std::string("undecodable ") + what + " stream", rc));
  ctx->thread_count = std::max(1, threads);
  ctx->pkt_timebase = st->time_base;
  if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
    ctx->max_pixels = kMaxSourcePixels;
    if (fast) {
      ctx->skip_loop_filter = AVDISCARD_ALL;
      ctx->flags2 |= AV_CODEC_FLAG2_FAST;
    }
  }
  rc = avcodec_open2(ctx.get(), codec, nullptr);
  if (rc < 0)
    fail(file, DecodeError::Kind::undecodable, av_reason(std::string("cannot open the ") + what + " decoder", rc));
  return ctx;
}

class Pass {
 public:
  Pass(const fs::path& file, const DecodeOptions& o, const std::vector<MediaSink*>& sinks)
      : file_(file), o_(o), sinks_(sinks) {
    limits_.deadline = o.deadline;
    limits_.stop = o.stop;
  }

  DecodeStats run() {
    const auto t0 = Clock::now();
    if (o_.width <= 0) throw std::invalid_argument("DecodeOptions::width must be > 0");
    main_.width = o_.width;
    main_.height = o_.height;
    main_.sample_fps = o_.sample_fps;
    taps_.resize(o_.taps.size());
    for (std::size_t i = 0; i < o_.taps.size(); ++i) {
      if (o_.taps[i].width < 0 || !(o_.taps[i].sample_fps >= 0))
        throw std::invalid_argument("FrameTap: width must be >= 0 and sample_fps >= 0");
      taps_[i].width = o_.taps[i].width;
      taps_[i].sample_fps = o_.taps[i].sample_fps;
    }
    stats_.tap_frames_delivered.assign(o_.taps.size(), 0);
    Opened m = open_media(file_, &limits_);
    stats_.info = m.info;
    origin_ = m.origin_s;
    rotation_ = m.info.rotation;
    if (o_.max_duration_s > 0 && m.info.duration_s > o_.max_duration_s)
      fail(file_, DecodeError::Kind::too_long,
           "too long: " + format_seconds(m.info.duration_s) + " (the limit is " + format_seconds(o_.max_duration_s) +
               ")");
    for (auto* s : sinks_) s->on_info(m.info);

    AVStream* vs = m.fmt->streams[m.video];
    vtb_ = vs->time_base;
    frame_step_ = m.info.fps > 0 ? 1.0 / m.info.fps : 1.0 / 30;
    // The taps need decoded pictures even when the main stream is off (a text-only pass).
    CodecPtr vdec = o_.video || !o_.taps.empty() ? open_decoder(file_, vs, o_.threads, o_.fast, "video") : nullptr;
    CodecPtr adec;
    if (o_.audio && m.audio >= 0) {
      atb_ = m.fmt->streams[m.audio]->time_base;
      adec = open_decoder(file_, m.fmt->streams[m.audio], 1, false, "audio");
    }
    PacketPtr pkt(av_packet_alloc());
    frame_.reset(av_frame_alloc());
    if (!pkt || !frame_) fail(file_, DecodeError::Kind::undecodable, "out of memory (av_packet_alloc)");

    for (;;) {
      check_limits();
      const int rc = av_read_frame(m.fmt.get(), pkt.get());
      if (rc == AVERROR_EOF) break;
      if (rc < 0) {
        check_limits();
        fail(file_, DecodeError::Kind::undecodable,
             av_reason("reading failed after " + format_seconds(stats_.last_frame_s), rc));
      }
      if (vdec && pkt->stream_index == m.video)
        decode(vdec.get(), pkt.get(), true);
      else if (adec && pkt->stream_index == m.audio)
        decode(adec.get(), pkt.get(), false);
      av_packet_unref(pkt.get());
    }
    if (vdec) decode(vdec.get(), nullptr, true);
    if (adec) {
      decode(adec.get(), nullptr, false);
      flush_resampler();
    }

    if (vdec && stats_.frames_decoded == 0)
      fail(file_, DecodeError::Kind::undecodable,
           "undecodable: no video frame could be decoded" +
               (t_last_av_error.empty() ? std::string() : " (" + t_last_av_error + ")"));
    const double video_end = stats_.frames_decoded > 0 ? stats_.last_frame_s + frame_step_ : 0;
    const double audio_end = static_cast<double>(stats_.audio_samples) / kAnalysisSampleRate;
    // The container announced more than the video holds: the data was cut off. A second (or a
    // tenth of a long video) of slack allows for a sound track that outlasts the picture.
    const double announced = vs->duration != AV_NOPTS_VALUE && vs->duration > 0
                                 ? to_seconds(vs->duration, vs->time_base)
                                 : m.info.duration_s;
    if (vdec && announced > 0 && video_end < announced - std::max(1.0, 0.1 * announced))
      fail(file_, DecodeError::Kind::truncated,
           "truncated: video frames end at " + format_seconds(video_end) + " of the " + format_seconds(announced) +
               " the container announces");
    stats_.duration_s = m.info.duration_s > 0 ? m.info.duration_s : std::max(video_end, audio_end);
    stats_.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return stats_;
  }

 private:
  void check_limits() const {
    if (limits_.stopped()) fail(file_, DecodeError::Kind::stopped, "stopped");
    if (limits_.expired())
      fail(file_, DecodeError::Kind::timeout,
           "timed out: the per-video time limit ran out after " + format_seconds(stats_.last_frame_s) + " of " +
               format_seconds(stats_.info.duration_s) + " of video");
  }

  void decode(AVCodecContext* ctx, const AVPacket* pkt, bool video) {
    int rc = avcodec_send_packet(ctx, pkt);
    if (rc == AVERROR_INVALIDDATA) {
      ++stats_.corrupt_packets;  // a damaged packet: the next keyframe recovers, as players do
      return;
    }
    if (rc < 0 && rc != AVERROR_EOF && rc != AVERROR(EAGAIN))
      fail(file_, DecodeError::Kind::undecodable,
           av_reason(std::string("decoding ") + (video ? "video" : "audio") + " failed", rc));
    for (;;) {
      rc = avcodec_receive_frame(ctx, frame_.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
      if (rc == AVERROR_INVALIDDATA) {
        ++stats_.corrupt_packets;
        continue;
      }
      if (rc < 0)
        fail(file_, DecodeError::Kind::undecodable,
             av_reason(std::string("decoding ") + (video ? "video" : "audio") + " failed", rc));
      if (video)
        on_video_frame();
      else
        on_audio_frame();
      av_frame_unref(frame_.get());
    }
  }

  // One scaled output: the main analysis stream (index -1) or a tap. Each keeps its own scaler
  // and buffer and its own slot state, so a tap sampled at 2 fps costs two scalings a second.
  struct Output {
    int width = 0;  // requested (0: source width)
    int height = 0;
    double sample_fps = 0;
    SwsPtr sws;
    BufferPtr rgb;  // what is delivered
    std::size_t rgb_size = 0;
    BufferPtr scaled;  // before a rotation
    std::size_t scaled_size = 0;
    bool delivered_any = false;
    std::int64_t last_slot = 0;
    std::int64_t delivered = 0;
  };

  // Slot index of a frame; a tiny tolerance so a frame at exactly k / sample_fps (rounded PTS)
  // opens slot k rather than closing slot k - 1.
  static std::int64_t slot_of(double t, double fps) { return static_cast<std::int64_t>(std::floor(t * fps + 1e-6)); }
  static bool wants(const Output& out, double t) {
    return !(out.sample_fps > 0 && out.delivered_any && slot_of(t, out.sample_fps) <= out.last_slot);
  }

  // A buffer of at least `need` bytes.
  void reserve(BufferPtr& buf, std::size_t& have, std::size_t need) {
    if (need <= have) return;
    buf.reset(static_cast<std::uint8_t*>(av_malloc(need)));
    if (!buf) fail(file_, DecodeError::Kind::undecodable, "out of memory (analysis frame)");
    have = need;
  }

  // Scales the current frame for `out`, then turns it upright; the view is valid until the next
  // scale into `out`.
  FrameView scale(Output& out, const AVFrame* f, double t) {
    const bool quarter = rotation_ == 90 || rotation_ == 270;
    const int shown_w = quarter ? f->height : f->width, shown_h = quarter ? f->width : f->height;
    const auto [w, h] = analysis_size(shown_w, shown_h, out.width > 0 ? out.width : shown_w, out.height);
    const int sw = quarter ? h : w, sh = quarter ? w : h;  // the scaled size, before turning
    out.sws.reset(sws_getCachedContext(out.sws.release(), f->width, f->height, static_cast<AVPixelFormat>(f->format),
                                       sw, sh, AV_PIX_FMT_RGB24, SWS_AREA, nullptr, nullptr, nullptr));
    if (!out.sws) fail(file_, DecodeError::Kind::undecodable, "cannot convert the video's pixel format for analysis");
    const int stride = FFALIGN(w * 3, 64);
    // swscale's SIMD paths may store a few bytes past the last row's pixels (valgrind saw 8 on an
    // unscaled 360-column frame whose stride was only 8 bytes wider than the row): pad the buffer.
    constexpr std::size_t kSwsSlack = 64;
    reserve(out.rgb, out.rgb_size, static_cast<std::size_t>(stride) * static_cast<std::size_t>(h) + kSwsSlack);
    const int sstride = rotation_ ? FFALIGN(sw * 3, 64) : stride;
    if (rotation_)
      reserve(out.scaled, out.scaled_size,
              static_cast<std::size_t>(sstride) * static_cast<std::size_t>(sh) + kSwsSlack);
    std::uint8_t* dst[4] = {rotation_ ? out.scaled.get() : out.rgb.get(), nullptr, nullptr, nullptr};
    int dst_stride[4] = {sstride, 0, 0, 0};
    const int rows = sws_scale(out.sws.get(), f->data, f->linesize, 0, f->height, dst, dst_stride);
    if (rows <= 0) fail(file_, DecodeError::Kind::undecodable, "scaling a frame for analysis failed");
    if (rotation_) turn(out.scaled.get(), sw, sh, sstride, out.rgb.get(), stride, rotation_);
    out.delivered_any = true;
    if (out.sample_fps > 0) out.last_slot = slot_of(t, out.sample_fps);
    ++out.delivered;
    return FrameView{t, w, h, stride, out.rgb.get()};
  }

  // RGB24 src (sw x sh) turned clockwise by `cw` degrees into dst (sh x sw for a quarter turn).
  static void turn(const std::uint8_t* src, int sw, int sh, int sstride, std::uint8_t* dst, int dstride, int cw) {
    const int dw = cw == 180 ? sw : sh, dh = cw == 180 ? sh : sw;
    for (int y = 0; y < dh; ++y) {
      std::uint8_t* d = dst + static_cast<std::ptrdiff_t>(y) * dstride;
      for (int x = 0; x < dw; ++x, d += 3) {
        int sx, sy;
        if (cw == 90) {  // the left column becomes the top row
          sx = y;
          sy = sh - 1 - x;
        } else if (cw == 270) {  // the left column becomes the bottom row
          sx = sw - 1 - y;
          sy = x;
        } else {
          sx = sw - 1 - x;
          sy = sh - 1 - y;
        }
        const std::uint8_t* p = src + static_cast<std::ptrdiff_t>(sy) * sstride + 3 * sx;
        d[0] = p[0];
        d[1] = p[1];
        d[2] = p[2];
      }
    }
  }

  void on_video_frame() {
    const AVFrame* f = frame_.get();
    double t;
    if (f->best_effort_timestamp != AV_NOPTS_VALUE)
      t = to_seconds(f->best_effort_timestamp, vtb_) - origin_;
    else
      t = stats_.frames_decoded > 0 ? stats_.last_frame_s + frame_step_ : 0;
    if (stats_.frames_decoded > 0 && t <= stats_.last_frame_s + 1e-9) return;  // time must advance
    if (stats_.frames_decoded == 0) stats_.first_frame_s = t;
    ++stats_.frames_decoded;
    stats_.last_frame_s = t;
    if (sinks_.empty()) return;
    if (f->width <= 0 || f->height <= 0) return;
    if (o_.video && wants(main_, t)) {
      const FrameView view = scale(main_, f, t);
      for (auto* s : sinks_) s->on_frame(view);
      stats_.frames_delivered = main_.delivered;
    }
    for (std::size_t i = 0; i < taps_.size(); ++i) {
      if (!wants(taps_[i], t)) continue;
      const FrameView view = scale(taps_[i], f, t);
      for (auto* s : sinks_) s->on_tap_frame(static_cast<int>(i), view);
      stats_.tap_frames_delivered[i] = taps_[i].delivered;
    }
  }

  void init_resampler(const AVFrame* f) {
    AVChannelLayout in{};
    if (f->ch_layout.order != AV_CHANNEL_ORDER_UNSPEC && f->ch_layout.nb_channels > 0) {
      if (av_channel_layout_copy(&in, &f->ch_layout) < 0)
        fail(file_, DecodeError::Kind::undecodable, "bad audio channel layout");
    } else {
      av_channel_layout_default(&in, std::max(1, f->ch_layout.nb_channels));
    }
    AVChannelLayout mono{};
    av_channel_layout_default(&mono, 1);
    SwrContext* raw = nullptr;
    int rc = swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, kAnalysisSampleRate, &in,
                                 static_cast<AVSampleFormat>(f->format), f->sample_rate, 0, nullptr);
    av_channel_layout_uninit(&in);
    av_channel_layout_uninit(&mono);
    swr_.reset(raw);
    if (rc < 0) fail(file_, DecodeError::Kind::undecodable, av_reason("cannot resample the audio", rc));
    rc = swr_init(swr_.get());
    if (rc < 0) fail(file_, DecodeError::Kind::undecodable, av_reason("cannot resample the audio", rc));
    swr_format_ = f->format;
    swr_rate_ = f->sample_rate;
    swr_channels_ = f->ch_layout.nb_channels;
  }

  void deliver_audio(const float* samples, std::size_t count) {
    // Encoder priming before t = 0 is dropped so samples[0] is the presentation start.
    if (drop_samples_ > 0) {
      const std::size_t d = std::min<std::size_t>(count, static_cast<std::size_t>(drop_samples_));
      samples += d;
      count -= d;
      drop_samples_ -= static_cast<std::int64_t>(d);
    }
    if (count == 0) return;
    AudioView view{static_cast<double>(stats_.audio_samples) / kAnalysisSampleRate, samples, count,
                   kAnalysisSampleRate};
    for (auto* s : sinks_) s->on_audio(view);
    stats_.audio_samples += static_cast<std::int64_t>(count);
  }

  void on_audio_frame() {
    const AVFrame* f = frame_.get();
    if (f->nb_samples <= 0 || f->sample_rate <= 0) return;
    if (!swr_ || f->format != swr_format_ || f->sample_rate != swr_rate_ || f->ch_layout.nb_channels != swr_channels_) {
      if (swr_) flush_resampler();
      init_resampler(f);
    }
    if (!audio_started_) {
      audio_started_ = true;
      const double start =
          f->best_effort_timestamp != AV_NOPTS_VALUE ? to_seconds(f->best_effort_timestamp, atb_) - origin_ : 0;
      const auto offset = static_cast<std::int64_t>(std::llround(start * kAnalysisSampleRate));
      if (offset < 0) drop_samples_ = -offset;
      // Audio that starts late: silence first, so every block's time is its sample count.
      std::vector<float> zeros(4096, 0.0f);
      for (std::int64_t left = offset; left > 0;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::int64_t>(left, 4096));
        deliver_audio(zeros.data(), n);
        left -= static_cast<std::int64_t>(n);
      }
    }
    const int cap = swr_get_out_samples(swr_.get(), f->nb_samples);
    if (cap < 0) fail(file_, DecodeError::Kind::undecodable, av_reason("cannot resample the audio", cap));
    if (audio_buf_.size() < static_cast<std::size_t>(cap)) audio_buf_.resize(static_cast<std::size_t>(cap));
    auto* out = reinterpret_cast<std::uint8_t*>(audio_buf_.data());
    const int n = swr_convert(swr_.get(), &out, cap, const_cast<const std::uint8_t**>(f->extended_data), f->nb_samples);
    if (n < 0) fail(file_, DecodeError::Kind::undecodable, av_reason("cannot resample the audio", n));
    deliver_audio(audio_buf_.data(), static_cast<std::size_t>(n));
  }

  void flush_resampler() {
    if (!swr_) return;
    for (;;) {
      const int cap = std::max(1024, swr_get_out_samples(swr_.get(), 0));
      if (audio_buf_.size() < static_cast<std::size_t>(cap)) audio_buf_.resize(static_cast<std::size_t>(cap));
      auto* out = reinterpret_cast<std::uint8_t*>(audio_buf_.data());
      const int n = swr_convert(swr_.get(), &out, cap, nullptr, 0);
      if (n < 0) fail(file_, DecodeError::Kind::undecodable, av_reason("cannot resample the audio", n));
      if (n == 0) return;
      deliver_audio(audio_buf_.data(), static_cast<std::size_t>(n));
    }
  }

  const fs::path& file_;
  const DecodeOptions& o_;
  const std::vector<MediaSink*>& sinks_;
  Limits limits_;
  DecodeStats stats_;
  double origin_ = 0;
  AVRational vtb_{1, 1}, atb_{1, 1};
  double frame_step_ = 1.0 / 30;
  FramePtr frame_;
  int rotation_ = 0;  // clockwise degrees, applied to every delivered frame
  Output main_;
  std::vector<Output> taps_;
  SwrPtr swr_;
  int swr_format_ = -1, swr_rate_ = 0, swr_channels_ = 0;
  bool audio_started_ = false;
  std::int64_t drop_samples_ = 0;
  std::vector<float> audio_buf_;
};

std::string decode_message(const fs::path& file, const std::string& reason) {
  std::string m = file.string();
  m += ": ";
  m += reason;
  return m;
}

}  // namespace

DecodeError::DecodeError(const fs::path& file, Kind kind, const std::string& reason)
    : InputError(decode_message(file, reason)), kind_(kind), reason_(reason) {}

std::string_view decode_error_kind_name(DecodeError::Kind k) {
  switch (k) {
    case DecodeError::Kind::missing: return "missing";
    case DecodeError::Kind::empty: return "empty";
    case DecodeError::Kind::not_a_video: return "not_a_video";
    case DecodeError::Kind::truncated: return "truncated";
    case DecodeError::Kind::undecodable: return "undecodable";
    case DecodeError::Kind::no_video_stream: return "no_video_stream";
    case DecodeError::Kind::too_large: return "too_large";
    case DecodeError::Kind::too_long: return "too_long";
    case DecodeError::Kind::timeout: return "timeout";
    case DecodeError::Kind::stopped: return "stopped";
  }
  return "unknown";
}

std::pair<int, int> analysis_size(int src_width, int src_height, int want_width, int want_height) {
  if (src_width <= 0 || src_height <= 0) return {0, 0};
  int w = want_width > 0 ? std::min(want_width, src_width) : src_width;
  int h = want_height > 0 ? std::min(want_height, src_height)
                          : static_cast<int>(std::lround(static_cast<double>(src_height) * w / src_width));
  return {std::max(1, w), std::max(1, h)};
}

MediaInfo probe_media(const fs::path& file) { return open_media(file, nullptr).info; }

DecodeStats decode_file(const fs::path& file, const DecodeOptions& options, const std::vector<MediaSink*>& sinks) {
  return Pass(file, options, sinks).run();
}

}  // namespace rumi::native
