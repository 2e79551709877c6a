// Benchmark of the native analyzer, per detector (not a timed test: CI builds it, nobody runs it
// there). The target it checks: on one core, a 60-s 1080x1920 30 fps H.264 video, decode + shots
// + audio within 0.15x real time, speech recognition within 0.25x of the voice-active seconds,
// peak memory under 500 MB; beside it what `ffmpeg -vf scdet` (ffmpeg's own cut detector) and a
// bare `ffmpeg -f null` decode cost on the same file.
//
// Rules, and why:
// * Everything runs pinned to one CPU (sched_setaffinity, inherited by the ffmpeg and rumi child
//   processes) with one decoder thread, as a batch runs one video per core (--no-pin: not pinned).
// * Times are CPU seconds (user + sys: getrusage of this thread for in-process passes, of the
//   child for ffmpeg and `rumi analyze-video`), not wall time: the development machine is shared
//   and a busy neighbour doubles wall time without changing the work done. Each pass runs
//   `--repeat` times (default 1) and the least CPU time is kept.
// * The test file is made by the ffmpeg CLI and espeak-ng (cached in the temp dir by its
//   settings): ten shots of 3-9 s alternating testsrc2 (a detailed, moving picture; a hue shift
//   per shot) and moving colour gradients, x264 veryfast CRF 23 capped at 6 Mbit/s, GOP 60, and
//   a 31-s spoken paragraph from 4 s over a quiet tone, AAC stereo 44.1 kHz.
//
// * The text reader runs once more on its own, with tesseract's OpenMP threads and on one thread
//   (OcrOptions::single_thread), reporting this thread's CPU, every thread's CPU and wall time:
//   thread CPU alone misses what tesseract's worker threads do.
//
// Usage: native_bench [--file F] [--rumi PATH] [--repeat N] [--skip-rumi] [--skip-ffmpeg] [--no-pin]
//        native_bench --profile [--file F]   one decode + shots + audio pass only (for perf record)
//        --no-pin: not pinned to one CPU (as `rumi analyze` runs: tesseract's threads can then
//        take a second core)
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "native/audio.h"
#include "native/content_analysis.h"
#include "native/decoder.h"
#include "native/ocr.h"
#include "native/shots.h"

namespace fs = std::filesystem;
using namespace rumi::native;

namespace {

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// User + sys CPU of every thread of this process (tesseract's OpenMP workers included).
double process_cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

double wall_s() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

struct ChildRun {
  int exit_code = -1;
  double cpu_s = 0;
  double peak_mb = 0;
};

// Runs argv with stdout/stderr to /dev/null (or `log`), and its own CPU time and peak memory.
ChildRun run_child(const std::vector<std::string>& argv, const std::string& log = "/dev/null") {
  ChildRun r;
  const pid_t pid = fork();
  if (pid < 0) return r;
  if (pid == 0) {
    if (!freopen("/dev/null", "r", stdin) || !freopen(log.c_str(), "w", stdout) || !freopen(log.c_str(), "a", stderr))
      _exit(126);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage ru{};
  if (wait4(pid, &status, 0, &ru) < 0) return r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
            static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  r.peak_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;
  return r;
}

void pin_to_one_cpu() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return;
  int first = -1;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) {
      first = c;
      break;
    }
  if (first < 0) return;
  CPU_ZERO(&set);
  CPU_SET(first, &set);
  if (sched_setaffinity(0, sizeof set, &set) == 0) std::printf("pinned to CPU %d\n", first);
  std::fflush(stdout);  // before any fork, or the child repeats the buffer
}

const std::string kFfmpeg = "/usr/bin/ffmpeg";
const std::string kEspeak = "/usr/bin/espeak-ng";

const char* kParagraph =
    "Welcome back to the kitchen. Today we are making a quick breakfast bowl with oats, yogurt and fresh berries. "
    "First, pour half a cup of oats into a bowl and add a splash of milk. Stir it well and let it rest for two "
    "minutes. Next, spoon in the yogurt and scatter the berries on top. A little honey makes it sweeter, and a "
    "pinch of cinnamon gives it warmth. That is all it takes. Try it tomorrow morning and tell me what you think in "
    "the comments.";

// The 60-s test file (see the rules above); made once per user.
fs::path make_test_file() {
  const fs::path dir = fs::temp_directory_path() / ("rumi-bench-" + std::to_string(::getuid()));
  fs::create_directories(dir);
  const fs::path out = dir / "bench60_v1.mp4";
  if (fs::exists(out) && fs::file_size(out) > 0) return out;
  const fs::path wav = dir / "speech_v1.wav";
  if (!fs::exists(wav)) {
    const auto r = run_child({kEspeak, "-v", "en-us", "-s", "150", "-w", wav.string(), kParagraph});
    if (r.exit_code != 0) throw std::runtime_error("espeak-ng failed");
  }
  const std::vector<double> shots{4, 7, 5, 8, 6, 3, 9, 6, 5, 7};  // 60 s; cuts at their sums
  const char* colours[][2] = {
      {"red", "yellow"}, {"blue", "cyan"}, {"green", "white"}, {"purple", "orange"}, {"navy", "pink"}};
  std::vector<std::string> argv{kFfmpeg, "-hide_banner", "-loglevel", "error", "-y"};
  char buf[512];
  for (std::size_t i = 0; i < shots.size(); ++i) {
    if (i % 2 == 0)
      std::snprintf(buf, sizeof buf, "testsrc2=s=1080x1920:r=30:d=%g", shots[i]);
    else
      std::snprintf(buf, sizeof buf, "gradients=s=1080x1920:r=30:c0=%s:c1=%s:n=2:speed=0.02:d=%g:seed=%zu",
                    colours[(i / 2) % 5][0], colours[(i / 2) % 5][1], shots[i], i);
    argv.insert(argv.end(), {"-f", "lavfi", "-i", buf});
  }
  argv.insert(argv.end(),
              {"-f", "lavfi", "-i", "sine=frequency=220:sample_rate=44100:duration=60", "-i", wav.string()});
  std::string graph;
  for (std::size_t i = 0; i < shots.size(); ++i) {
    if (i % 2 == 0)
      std::snprintf(buf, sizeof buf, "[%zu:v]hue=h=%zu,setsar=1[v%zu];", i, 70 * i, i);
    else
      std::snprintf(buf, sizeof buf, "[%zu:v]setsar=1[v%zu];", i, i);
    graph += buf;
  }
  for (std::size_t i = 0; i < shots.size(); ++i) graph += "[v" + std::to_string(i) + "]";
  graph += "concat=n=" + std::to_string(shots.size()) + ":v=1:a=0,format=yuv420p[v];";
  std::snprintf(buf, sizeof buf,
                "[%zu:a]volume=0.05[bg];[%zu:a]aresample=44100,adelay=4000:all=1,apad[sp];"
                "[bg][sp]amix=inputs=2:duration=first:normalize=0[a]",
                shots.size(), shots.size() + 1);
  graph += buf;
  const fs::path tmp = dir / ("bench60_v1.tmp" + std::to_string(::getpid()) + ".mp4");
  argv.insert(argv.end(), {"-filter_complex",
                           graph,
                           "-map",
                           "[v]",
                           "-map",
                           "[a]",
                           "-c:v",
                           "libx264",
                           "-preset",
                           "veryfast",
                           "-crf",
                           "23",
                           "-maxrate",
                           "6M",
                           "-bufsize",
                           "12M",
                           "-g",
                           "60",
                           "-c:a",
                           "aac",
                           "-b:a",
                           "128k",
                           "-ac",
                           "2",
                           "-t",
                           "60",
                           "-map_metadata",
                           "-1",
                           tmp.string()});
  std::printf("making the 60-s 1080x1920 test file (once; a few minutes) ...\n");
  std::fflush(stdout);
  const auto r = run_child(argv, (dir / "make.log").string());
  if (r.exit_code != 0)
    throw std::runtime_error("ffmpeg failed making the test file; see " + (dir / "make.log").string());
  fs::rename(tmp, out);
  return out;
}

struct NullSink : MediaSink {};

struct ShotsSink : MediaSink {
  ShotDetector d;
  void on_frame(const FrameView& f) override { d.add_frame(f); }
};

struct ShotsAudioSink : MediaSink {
  ShotDetector d;
  AudioAnalyzer a;
  void on_frame(const FrameView& f) override { d.add_frame(f); }
  void on_audio(const AudioView& v) override { a.add(v); }
};

// The text reader alone on its tap (decoded beside the 160-column main stream, as in the
// analysis).
struct TextTapSink : MediaSink {
  TextDetector d;
  explicit TextTapSink(const OcrOptions& o) : d(o) {}
  void on_tap_frame(int tap, const FrameView& f) override {
    if (tap == 0) d.add_frame(f);
  }
};

struct TextPass {
  double thread_cpu = 0, process_cpu = 0, wall = 0, ocr_thread_cpu = 0;
  std::int64_t frames_read = 0;
};

// One text pass, tesseract with its OpenMP threads or on the calling thread only (ocr.h, "One
// thread"): this thread's CPU, every thread's CPU (the difference is what tesseract's workers
// add) and wall time; the least process CPU of `repeat` runs is kept.
TextPass text_pass(const fs::path& file, bool single_thread, int repeat) {
  TextPass best;
  best.process_cpu = 1e300;
  for (int i = 0; i < std::max(1, repeat); ++i) {
    OcrOptions o;
    o.single_thread = single_thread;
    DecodeOptions d;
    d.taps = {FrameTap{o.analysis_width, o.sample_fps}};
    TextPass p;
    const double t0 = thread_cpu_s(), p0 = process_cpu_s(), w0 = wall_s();
    TextTapSink s(o);
    const auto st = decode_file(file, d, {&s});
    const OcrResult r = s.d.finish(st.duration_s);
    p.thread_cpu = thread_cpu_s() - t0;
    p.process_cpu = process_cpu_s() - p0;
    p.wall = wall_s() - w0;
    p.ocr_thread_cpu = r.ocr_cpu_s;
    p.frames_read = r.frames_read;
    if (p.process_cpu < best.process_cpu) best = p;
  }
  return best;
}

struct Row {
  std::string name;
  double cpu_s = 0;
  double per_s = 0;  // what the real-time factor is taken over (seconds of video or of voice)
  std::string note;
};

// The least CPU time of `repeat` runs of f.
double least_cpu(int repeat, const std::function<void()>& f) {
  double best = 1e300;
  for (int i = 0; i < std::max(1, repeat); ++i) {
    const double t0 = thread_cpu_s();
    f();
    best = std::min(best, thread_cpu_s() - t0);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path file, rumi;
  int repeat = 1;
  bool skip_rumi = false, skip_ffmpeg = false, profile = false, pin = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--file" && i + 1 < argc)
      file = argv[++i];
    else if (a == "--rumi" && i + 1 < argc)
      rumi = argv[++i];
    else if (a == "--repeat" && i + 1 < argc)
      repeat = std::atoi(argv[++i]);
    else if (a == "--skip-rumi")
      skip_rumi = true;
    else if (a == "--skip-ffmpeg")
      skip_ffmpeg = true;
    else if (a == "--profile")
      profile = true;
    else if (a == "--no-pin")
      pin = false;
    else {
      std::fprintf(
          stderr,
          "usage: native_bench [--file F] [--rumi PATH] [--repeat N] [--skip-rumi] [--skip-ffmpeg] [--profile] "
          "[--no-pin]\n");
      return 2;
    }
  }
  if (rumi.empty()) rumi = fs::absolute(argv[0]).parent_path().parent_path() / "rumi";
  try {
    if (pin) pin_to_one_cpu();
    const bool made = file.empty();
    if (made) file = make_test_file();
    const MediaInfo info = probe_media(file);
    const double dur = info.duration_s;
    std::printf("file: %s\n  %.2f s, %dx%d (displayed %dx%d), %.2f fps, %s + %s\n\n", file.c_str(), dur, info.width,
                info.height, info.display_width, info.display_height, info.fps, info.video_codec.c_str(),
                info.audio_codec.c_str());
    std::fflush(stdout);
    std::vector<Row> rows;
    auto add = [&](const std::string& name, double cpu, double per, const std::string& note = "") {
      rows.push_back({name, cpu, per, note});
      std::printf("  %-44s %7.2f s CPU  %6.3fx\n", name.c_str(), cpu, per > 0 ? cpu / per : 0);
      std::fflush(stdout);
    };

    DecodeOptions d;  // the analysis's settings: 160 columns, every frame, deblocking skipped
    if (profile) {
      ShotsAudioSink s;
      const double t0 = thread_cpu_s();
      const auto st = decode_file(file, d, {&s});
      s.d.finish(st.duration_s);
      s.a.finish(st.duration_s);
      const double c = thread_cpu_s() - t0;
      std::printf("decode + shots + audio: %.2f s CPU, %.3fx\n", c, c / dur);
      return 0;
    }

    // --- in-process passes, each on its own --------------------------------------------------
    double rss_decode = 0;
    {
      DecodeOptions v = d;
      v.audio = false;
      add("libavcodec video decode only (no scaling)", least_cpu(repeat, [&] { decode_file(file, v, {}); }), dur);
    }
    {
      NullSink s;
      add("decode: video + scale to 160 + audio 16k", least_cpu(repeat, [&] { decode_file(file, d, {&s}); }), dur);
      rss_decode = peak_rss_mb();
    }
    {
      DecodeOptions slow = d;
      slow.fast = false;
      NullSink s;
      add("decode with deblocking (fast = false)", least_cpu(repeat, [&] { decode_file(file, slow, {&s}); }), dur);
    }
    {
      DecodeOptions t = d;
      t.taps = {{720, 2}, {480, 4}};
      NullSink s;
      add("decode + taps 720 px @ 2/s and 480 px @ 4/s", least_cpu(repeat, [&] { decode_file(file, t, {&s}); }), dur);
    }
    {
      add("decode + shots",
          least_cpu(repeat,
                    [&] {
                      ShotsSink s;
                      const auto st = decode_file(file, d, {&s});
                      s.d.finish(st.duration_s);
                    }),
          dur);
    }
    {
      add("decode + shots + audio",
          least_cpu(repeat,
                    [&] {
                      ShotsAudioSink s;
                      const auto st = decode_file(file, d, {&s});
                      s.d.finish(st.duration_s);
                      s.a.finish(st.duration_s);
                    }),
          dur);
    }

    // --- the text reader: tesseract's OpenMP threads against one thread ---------------------------
    for (const bool one : {false, true}) {
      const TextPass t = text_pass(file, one, repeat);
      const std::string name = one ? "text pass, one thread" : "text pass, tesseract's OpenMP threads";
      add(name + ": this thread", t.thread_cpu, dur);
      add(name + ": all threads", t.process_cpu, dur);
      std::printf(
          "    wall %.2f s; inside tesseract %.2f s of this thread's CPU; %lld frames read; all threads / "
          "this thread %.2f\n",
          t.wall, t.ocr_thread_cpu, static_cast<long long>(t.frames_read),
          t.thread_cpu > 0 ? t.process_cpu / t.thread_cpu : 0);
      std::fflush(stdout);
    }

    // --- the whole analysis, with its own per-detector split -----------------------------------
    ContentOptions co;
    co.timeout_s = 0;
    ContentAnalysis best;
    double best_cpu = 1e300;
    for (int i = 0; i < std::max(1, repeat); ++i) {
      const double t0 = thread_cpu_s();
      ContentAnalysis a = analyse_video_file(file, nullptr, co);
      const double c = thread_cpu_s() - t0;
      if (c < best_cpu) {
        best_cpu = c;
        best = std::move(a);
      }
    }
    const double rss_full = peak_rss_mb();
    std::printf("\n  analyse_video_file: %zu cuts, %d words, %.1f s voice-active\n", best.cuts.size(), best.words,
                best.voice_activity_s);
    double dsa = 0;
    for (const auto& t : best.timings) {
      const bool speech = t.name == "speech";
      add("  analysis: " + t.name + (speech ? " (per voice-active second)" : ""), t.seconds,
          speech ? best.voice_activity_s : dur);
      if (t.name == "decode" || t.name == "shots" || t.name == "audio") dsa += t.seconds;
    }
    add("  analysis: decode + shots + audio", dsa, dur);
    // The voice detector may call more than the sentence voice (the tone under it); the spoken
    // seconds of the made file are the espeak WAV's length (16-bit mono PCM after a 44-byte header).
    const fs::path wav = fs::temp_directory_path() / ("rumi-bench-" + std::to_string(::getuid())) / "speech_v1.wav";
    std::error_code wec;
    const auto wav_bytes = fs::file_size(wav, wec);
    if (!wec && wav_bytes > 44 && made)
      for (const auto& t : best.timings)
        if (t.name == "speech")
          add("  analysis: speech (per spoken second of the WAV)", t.seconds,
              static_cast<double>(wav_bytes - 44) / (22050.0 * 2));
    add("in-process analyse_video_file, all", best_cpu, dur);

    // --- child processes -----------------------------------------------------------------------
    double rss_rumi = 0;
    if (!skip_rumi && fs::exists(rumi)) {
      const fs::path out = fs::temp_directory_path() / ("rumi-bench-out-" + std::to_string(::getpid()));
      double cpu = 1e300;
      for (int i = 0; i < std::max(1, repeat); ++i) {
        const auto r = run_child({rumi.string(), "analyze-video", file.string(), "--out", out.string()});
        if (r.exit_code != 0) throw std::runtime_error("rumi analyze-video exited " + std::to_string(r.exit_code));
        cpu = std::min(cpu, r.cpu_s);
        rss_rumi = std::max(rss_rumi, r.peak_mb);
      }
      std::error_code ec;
      fs::remove_all(out, ec);
      add("rumi analyze-video (process)", cpu, dur);
    }
    double ff_null = 0, ff_scdet = 0;
    if (!skip_ffmpeg && fs::exists(kFfmpeg)) {
      auto ff = [&](std::vector<std::string> extra) {
        std::vector<std::string> cmd{kFfmpeg, "-nostdin", "-v", "error", "-threads", "1", "-i", file.string()};
        cmd.insert(cmd.end(), extra.begin(), extra.end());
        double cpu = 1e300;
        for (int i = 0; i < std::max(1, repeat); ++i) {
          const auto r = run_child(cmd);
          if (r.exit_code != 0) throw std::runtime_error("ffmpeg exited " + std::to_string(r.exit_code));
          cpu = std::min(cpu, r.cpu_s);
        }
        return cpu;
      };
      ff_null = ff({"-f", "null", "-"});
      add("ffmpeg -threads 1 -i F -f null -", ff_null, dur);
      ff_scdet = ff({"-vf", "scdet", "-f", "null", "-"});
      add("ffmpeg -threads 1 -i F -vf scdet -f null -", ff_scdet, dur);
    }

    // --- the table ----------------------------------------------------------------------------
    std::printf("\n| pass | CPU s | real-time factor | vs ffmpeg -f null | vs ffmpeg scdet |\n|---|---|---|---|---|\n");
    for (const auto& r : rows) {
      std::printf("| %s | %.2f | %.3fx |", r.name.c_str(), r.cpu_s, r.per_s > 0 ? r.cpu_s / r.per_s : 0);
      if (ff_null > 0)
        std::printf(" %.2f |", r.cpu_s / ff_null);
      else
        std::printf(" |");
      if (ff_scdet > 0)
        std::printf(" %.2f |\n", r.cpu_s / ff_scdet);
      else
        std::printf(" |\n");
    }
    std::printf("\npeak RSS: %.0f MB after the decode passes, %.0f MB after the whole analysis (this process)",
                rss_decode, rss_full);
    if (rss_rumi > 0) std::printf(", %.0f MB for rumi analyze-video", rss_rumi);
    std::printf(
        "\ntargets: decode + shots + audio <= 0.15x, speech <= 0.25x of the voice-active seconds, "
        "peak < 500 MB\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "native_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
