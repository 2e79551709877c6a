#pragma once
// On-screen text: tesseract (LSTM engine, Debian's `eng` model) reads sampled frames, the
// readings are merged into overlays (a text shown from a start to an end time), and each
// overlay is classed as a caption (text a creator put on the video) or scene text (a sign, a
// label, a watermark in a corner). The result fills visual_overlay_analysis and the text count
// of creative_density.
//
// Rules, and why:
// * Frames: RGB24 at about 720 columns (native/decoder.h's tap; a smaller source comes at its
//   own size), twice a second. Caption text on a 1080x1920 upload is 40-80 px high, 25-50 px at
//   720 columns, which tesseract reads well; more columns cost time without reading more.
//   Frames are read as luma (BT.601 weights), which keeps white-on-colour and
//   colour-on-white captions apart better than any one channel; tesseract binarises it
//   (OcrOptions::threshold: Otsu, or Sauvola's local threshold for text over a busy scene).
// * Only changed frames are read: each sampled frame gets a text signature, the mean of
//   |horizontal| + |vertical| luma gradients in cells of 1/24 of the width (square cells). Text
//   is dense in strong gradients, smooth or blurred backgrounds are not. A frame where fewer
//   than min_changed_cells cells differ by more than cell_change from the last read frame's
//   reuses that frame's reading: the test is local, because a new caption changes a few cells
//   of a busy frame, which a mean over the whole frame would dilute away. A frame with no cell
//   above min_cell_edge (nothing sharp anywhere) has no text and is not read. A cut or camera
//   motion changes many cells, so the frame is read. The count of frames read is reported
//   (OcrResult::frames_read).
// * Words: kept when tesseract's confidence is at least min_confidence (0-100) and they have a
//   letter or digit; a one-character word needs min_confidence_short. Kept words are grouped
//   into lines by tesseract, and lines into one text block when they are stacked (vertical gap
//   under one line height, horizontal overlap, heights within a factor of 1.6): a two-line
//   caption is one overlay.
// * Text is normalised (lower case, letters and digits, single spaces) and two readings are the
//   same text when their Levenshtein distance is at most 25 % of the longer one, or when they
//   share at least 60 % of their words: OCR jitter ("link in bio" / "link in b1o") does not make
//   a new overlay.
// * Overlays: a block seen in a read frame extends the open overlay with the same text; an
//   overlay missed in one sampled frame stays open (one frame of OCR dropout), missed in two it
//   ends. Times are midpoints between samples: an overlay first seen at t_k starts at
//   (t_(k-1) + t_k) / 2 (0 at the first frame) and ends at the midpoint after its last sighting
//   (the duration after the last frame), so the error is at most half a sampling interval each
//   side. The overlay's text is its most frequent reading (ties: the earliest).
// * Caption or scene text: a caption is (a) on screen for at least min_persistence_s, (b) of
//   high contrast (the brightest and darkest tenths of its box differ by at least
//   min_caption_contrast luma levels: overlay text is designed to be read), and (c) either large
//   (median word height at least large_caption_height of the frame height) or at least
//   min_caption_height and horizontally centred (box centre within centre_tolerance of the
//   middle) and not in a corner (the box does not lie in the outer corner_fraction of the width
//   and the height at once). Everything else is scene text: small text in a corner, a product
//   label a camera passes, a sign in the background. Only captions count in the flows; scene
//   text is reported in the measurements.
// * Seconds with text: second s has text when captions cover more than half of [s, s+1) (the
//   union of the overlays: one caption replacing another mid-second still counts once); its
//   caption count is the number of captions covering more than half of it. time to first text is the first caption's
//   start, the duration when there is none (RumiAI's convention).
// * Calls to action: phrases matched on word boundaries in the normalised text of a caption
//   (cta_type()); each has one of RumiAI's ctaType values (buy, shop, click, link, follow,
//   subscribe, comment, share, order, get). Bare "get" or "order" are not calls to action
//   ("get ready with me", "in order to"); "get yours", "order now" are.
// * One thread: Debian's tesseract is built with OpenMP and runs parts of its LSTM in parallel
//   regions (lstm.cpp, LSTM::Forward: `omp parallel num_threads(4)` with four sections, at every
//   time step). On the benchmark's 60-s file its worker threads added 2.0 s of CPU to the 3.3 s
//   tesseract spent on the calling thread (1.6x; docs/native.md), and a batch runs one video per
//   core, so those threads take another video's core. Each tesseract call runs with
//   OpenMP's max-active-levels set to 0 on the calling thread (omp_set_max_active_levels, a
//   per-thread setting in libgomp; a num_threads clause does not override it), restored after
//   the call, so every parallel region inside runs on the calling thread alone and OpenMP use
//   elsewhere (XGBoost in `rumi run`, other threads) is untouched. The readings are the same
//   (each region splits independent gate products; checked by ocr_test). The functions are found
//   at run time (dlsym): a tesseract built without OpenMP needs nothing.
//   OcrOptions::single_thread = false keeps tesseract's threads (for the benchmark).
// * Deterministic: tesseract's LSTM is deterministic for a given image, model and settings, and
//   the engine is set up once per analysis (it takes about a second): no randomness, and
//   tesseract never prints (its debug_file is /dev/null).
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "native/media_types.h"

namespace rumi::native {

// Version of the rules above (part of the configuration fingerprint).
inline constexpr int kOcrRulesVersion = 1;

struct OcrOptions {
  int analysis_width = 720;  // frame width asked of the decoder (never upscaled)
  double sample_fps = 2;     // frames a second asked of the decoder
  std::string language = "eng";
  std::string tessdata_dir;  // "": located (locate_tessdata)
  enum class Threshold { otsu, sauvola } threshold = Threshold::otsu;
  // The light-text pass (white and near-white text: every channel at least light_min, channels
  // within light_max_chroma of each other), read as black on white.
  bool light_text_pass = true;
  int light_min = 170;
  int light_max_chroma = 60;
  // ...run only when the frame has at least this many light pixels (and under a third of it
  // light). A word of the smallest caption (1.8 % of 1280 rows: 23 px glyphs with 3-px strokes)
  // has several hundred; a handful of highlights has none to read, and tesseract still spends
  // about 7 ms of CPU on a near-blank 720x1280 mask (measured). On the bench file, 51 of its 120
  // sampled frames have 1-63 light pixels (and 20 more, up to a third of the frame).
  int min_light_ink = 64;
  int min_confidence = 60;        // 0-100, tesseract's word confidence
  int min_confidence_short = 85;  // for a one-character word
  double cell_change = 6;         // a signature cell changed by more than this (luma levels)...
  int min_changed_cells = 3;      // ...in at least this many cells: the frame changed
  double min_cell_edge = 12;      // a signature cell at least this sharp may hold text
  double min_persistence_s = 0.5;
  double min_caption_contrast = 80;   // luma levels
  double min_caption_height = 0.018;  // median word height / frame height
  double large_caption_height = 0.03;
  double centre_tolerance = 0.15;  // |box centre x / width - 0.5|
  double corner_fraction = 0.25;
  // Not in the fingerprint: the readings are the same either way (the rule above).
  bool single_thread = true;
};

// One block of text in one read frame.
struct TextBlock {
  std::string text;                    // normalised
  std::string raw;                     // as read, words joined by one space
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // pixels of the frame it was read in
  double word_height = 0;              // median word box height, pixels
  double contrast = 0;                 // luma levels (the rule above)
  double confidence = 0;               // mean word confidence
};

struct TextOverlay {
  double start_s = 0;
  double end_s = 0;
  std::string text;  // normalised, the most frequent reading
  std::string raw;   // a raw reading of that text
  bool caption = false;
  int sightings = 0;                  // sampled frames it was seen in
  double rel_height = 0;              // median word height / frame height (median over sightings)
  double centre_x = 0, centre_y = 0;  // box centre, 0-1 of the frame
  double contrast = 0;
  double confidence = 0;
  double duration() const { return end_s - start_s; }
};

struct OcrResult {
  double duration_s = 0;
  std::vector<TextOverlay> overlays;  // by start time; captions and scene text
  // Per second s in [0, ceil(duration)): captions covering more than half of it, and their
  // text (top to bottom, " / " between overlays); "" when none.
  std::vector<int> captions_per_second;
  std::vector<std::string> text_per_second;
  std::int64_t frames_sampled = 0;
  std::int64_t frames_read = 0;  // given to tesseract (the others reused or had no text)
  double ocr_cpu_s = 0;          // thread CPU inside tesseract

  std::vector<const TextOverlay*> captions() const;
  double time_to_first_text() const;  // the duration when there is none
  int seconds_with_text() const;
};

// The folder holding <language>.traineddata: `hint` when given, else $TESSDATA_PREFIX (or its
// tessdata/ subfolder), else Debian's /usr/share/tesseract-ocr/{5,4.00}/tessdata, /usr/share/
// tessdata, /usr/local/share/tessdata. Throws Error naming every folder looked in.
std::filesystem::path locate_tessdata(const std::string& language, const std::string& hint = "");

class TextDetector {
 public:
  explicit TextDetector(const OcrOptions& options = {});  // loads the model (about a second)
  ~TextDetector();
  TextDetector(const TextDetector&) = delete;
  TextDetector& operator=(const TextDetector&) = delete;

  void add_frame(const FrameView& frame);  // frames in time order
  OcrResult finish(double duration_s);

  // Reads one frame now (no change test, no merging): for tests and tuning.
  std::vector<TextBlock> read(const FrameView& frame);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The text normalisation and sameness rules above (exposed for tests).
std::string normalise_text(std::string_view raw);
bool same_text(std::string_view a, std::string_view b);
// RumiAI's ctaType of the first call-to-action phrase in normalised text; "" when none.
std::string cta_type(std::string_view normalised);

// visual_overlay_analysis from captions only: every field measured from the text alone (see
// docs/native.md for those left out).
Json visual_overlay_flow(const OcrResult& text, double duration_s);

// Rule version, thresholds and the model file: what decides what the detector reads.
std::string ocr_config_fingerprint(const OcrOptions& options);

}  // namespace rumi::native
