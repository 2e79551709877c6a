#include "native/ocr.h"

#include <dlfcn.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "core/error.h"
#include "core/sha256.h"

namespace rumi::native {

namespace fs = std::filesystem;

namespace {

double thread_cpu() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// OpenMP's parallel regions on this thread run with one thread while it lives (header rule):
// max-active-levels 0 makes every region inactive, whatever its num_threads clause. Looked up at
// run time, so rumi does not link OpenMP itself; absent (no OpenMP loaded): nothing to do.
class SerialOpenMp {
 public:
  explicit SerialOpenMp(bool on) {
    if (!on || !api().set || !api().get) return;
    saved_ = api().get();
    api().set(0);
  }
  ~SerialOpenMp() {
    if (saved_ >= 0) api().set(saved_);
  }
  SerialOpenMp(const SerialOpenMp&) = delete;
  SerialOpenMp& operator=(const SerialOpenMp&) = delete;

 private:
  struct Api {
    void (*set)(int) = nullptr;
    int (*get)() = nullptr;
  };
  static const Api& api() {
    static const Api a = [] {
      Api x;
      x.set = reinterpret_cast<void (*)(int)>(::dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
      x.get = reinterpret_cast<int (*)()>(::dlsym(RTLD_DEFAULT, "omp_get_max_active_levels"));
      return x;
    }();
    return a;
  }
  int saved_ = -1;
};

double round_to(double x, int digits) {
  const double f = std::pow(10.0, digits);
  return std::round(x * f) / f;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

bool is_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::size_t levenshtein(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// Luma (BT.601) of an RGB24 frame, packed rows.
std::vector<std::uint8_t> to_gray(const FrameView& f) {
  std::vector<std::uint8_t> g(static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height));
  for (int y = 0; y < f.height; ++y) {
    const std::uint8_t* row = f.rgb + static_cast<std::ptrdiff_t>(y) * f.stride;
    std::uint8_t* out = g.data() + static_cast<std::ptrdiff_t>(y) * f.width;
    for (int x = 0; x < f.width; ++x) {
      const int v = (77 * row[3 * x] + 150 * row[3 * x + 1] + 29 * row[3 * x + 2] + 128) >> 8;
      out[x] = static_cast<std::uint8_t>(v);
    }
  }
  return g;
}

// The text signature (header rule): mean gradient magnitude in square cells of width/24.
struct Signature {
  int cols = 0, rows = 0;
  std::vector<float> cells;
  float max_cell = 0;
};

Signature signature(const std::vector<std::uint8_t>& g, int w, int h) {
  Signature s;
  const int cell = std::max(2, w / 24);
  s.cols = std::max(1, w / cell);
  s.rows = std::max(1, h / cell);
  s.cells.assign(static_cast<std::size_t>(s.cols) * s.rows, 0.0f);
  std::vector<double> acc(s.cells.size(), 0.0);
  for (int y = 0; y + 1 < h; ++y) {
    const int cy = std::min(s.rows - 1, y / cell);
    const std::uint8_t* r0 = g.data() + static_cast<std::ptrdiff_t>(y) * w;
    const std::uint8_t* r1 = r0 + w;
    for (int x = 0; x + 1 < w; ++x) {
      const int cx = std::min(s.cols - 1, x / cell);
      acc[static_cast<std::size_t>(cy) * s.cols + cx] += std::abs(r0[x + 1] - r0[x]) + std::abs(r1[x] - r0[x]);
    }
  }
  const double per_cell = static_cast<double>(cell) * cell;
  for (std::size_t i = 0; i < acc.size(); ++i) {
    s.cells[i] = static_cast<float>(acc[i] / per_cell);
    s.max_cell = std::max(s.max_cell, s.cells[i]);
  }
  return s;
}

// How many cells of two signatures differ by more than `cell_change`; every cell when their
// grids differ (a new size).
int changed_cells(const Signature& a, const Signature& b, double cell_change) {
  if (a.cols != b.cols || a.rows != b.rows || a.cells.empty()) return 1 << 30;
  int n = 0;
  for (std::size_t i = 0; i < a.cells.size(); ++i) n += std::abs(a.cells[i] - b.cells[i]) > cell_change ? 1 : 0;
  return n;
}

// The brightest and darkest tenths of a box's luma differ by this much (the contrast rule).
double box_contrast(const std::vector<std::uint8_t>& g, int w, int h, int x0, int y0, int x1, int y1) {
  x0 = std::clamp(x0, 0, w);
  x1 = std::clamp(x1, 0, w);
  y0 = std::clamp(y0, 0, h);
  y1 = std::clamp(y1, 0, h);
  std::array<std::int64_t, 256> hist{};
  std::int64_t n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      ++hist[g[static_cast<std::size_t>(y) * w + x]];
      ++n;
    }
  if (n == 0) return 0;
  const std::int64_t tenth = std::max<std::int64_t>(1, n / 10);
  auto mean_of = [&](bool from_dark) {
    std::int64_t left = tenth;
    double sum = 0;
    for (int k = 0; k < 256 && left > 0; ++k) {
      const int v = from_dark ? k : 255 - k;
      const std::int64_t take = std::min(left, hist[v]);
      sum += static_cast<double>(take) * v;
      left -= take;
    }
    return sum / static_cast<double>(tenth);
  };
  return mean_of(false) - mean_of(true);
}

struct Line {
  std::vector<std::string> words;
  std::vector<double> heights;
  std::vector<double> confs;
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
  double height() const { return median(heights); }
};

// An overlay being built (header rule: open while seen, one missed sample tolerated).
struct Track {
  double start_s = 0;
  double last_seen_s = 0;
  double end_guess = 0;  // where it ends if it is not seen again
  int missed = 0;
  std::map<std::string, int> readings;  // normalised -> count
  std::map<std::string, std::string> raw_of;
  std::vector<std::string> order;  // first-seen order of readings, for ties
  std::vector<double> rel_heights, cxs, cys, contrasts, confs;
  int sightings = 0;
  std::string current;  // the latest reading, for matching
};

}  // namespace

std::string normalise_text(std::string_view raw) {
  std::string out;
  bool space = false;
  for (unsigned char c : raw) {
    if (is_alnum(c)) {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    } else if (c == '\'') {
      // "don't" stays one word
    } else {
      space = true;
    }
  }
  return out;
}

bool same_text(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a == b;
  if (a == b) return true;
  const std::size_t longer = std::max(a.size(), b.size());
  if (4 * levenshtein(a, b) <= longer) return true;
  const auto wa = split_words(a), wb = split_words(b);
  const std::set<std::string> sa(wa.begin(), wa.end()), sb(wb.begin(), wb.end());
  std::size_t common = 0;
  for (const auto& w : sa) common += sb.count(w);
  const std::size_t most = std::max(sa.size(), sb.size());
  return most > 0 && 10 * common >= 6 * most;
}

std::string cta_type(std::string_view text) {
  // Phrases on word boundaries, most specific first; each with RumiAI's ctaType.
  static const std::vector<std::pair<std::string, std::string>> kPhrases = {
      {"link in bio", "link"},  {"link in my bio", "link"}, {"link below", "link"},    {"link", "link"},
      {"shop now", "shop"},     {"shop the", "shop"},       {"shop", "shop"},          {"buy now", "buy"},
      {"buy", "buy"},           {"click", "click"},         {"tap the link", "click"}, {"follow for more", "follow"},
      {"follow", "follow"},     {"subscribe", "subscribe"}, {"comment", "comment"},    {"share", "share"},
      {"order now", "order"},   {"order yours", "order"},   {"order today", "order"},  {"get yours", "get"},
      {"get it now", "get"},    {"get it here", "get"},     {"get yours now", "get"},  {"use code", "get"},
      {"discount code", "get"}, {"swipe up", "click"},
  };
  std::string padded = " ";
  padded.append(text);
  padded.push_back(' ');
  std::size_t best_pos = std::string::npos;
  std::string best;
  for (const auto& [phrase, type] : kPhrases) {
    std::string needle = " ";
    needle += phrase;
    needle.push_back(' ');
    const std::size_t p = padded.find(needle);
    if (p != std::string::npos && p < best_pos) {
      best_pos = p;
      best = type;
    }
  }
  return best;
}

fs::path locate_tessdata(const std::string& language, const std::string& hint) {
  const std::string file = language + ".traineddata";
  std::vector<fs::path> candidates;
  if (!hint.empty()) {
    candidates.push_back(hint);
  } else {
    if (const char* env = std::getenv("TESSDATA_PREFIX"); env && *env) {
      candidates.push_back(fs::path(env));
      candidates.push_back(fs::path(env) / "tessdata");
    }
    for (const char* d : {"/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                          "/usr/share/tessdata", "/usr/local/share/tessdata"})
      candidates.emplace_back(d);
  }
  std::string looked;
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c / file, ec)) return c;
    if (!looked.empty()) looked += ", ";
    looked += c.string();
  }
  throw Error("on-screen text: tesseract model " + file + " not found (looked in " + looked +
              "); install Debian's tesseract-ocr-" + language + " or set TESSDATA_PREFIX");
}

std::string ocr_config_fingerprint(const OcrOptions& o) {
  const fs::path dir = locate_tessdata(o.language, o.tessdata_dir);
  const fs::path model = dir / (o.language + ".traineddata");
  std::error_code ec;
  const auto size = fs::file_size(model, ec);
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "ocr/v%d tesseract-%s lstm psm=auto model=%s bytes=%llu width=%d fps=%.6g threshold=%s "
                "light=%d/%d/%d/%d conf=%d/%d "
                "change=%.4g/%d edge=%.4g persist=%.4g contrast=%.4g height=%.4g/%.4g centre=%.4g corner=%.4g",
                kOcrRulesVersion, tesseract::TessBaseAPI::Version(), model.string().c_str(),
                static_cast<unsigned long long>(ec ? 0 : size), o.analysis_width, o.sample_fps,
                o.threshold == OcrOptions::Threshold::otsu ? "otsu" : "sauvola", o.light_text_pass ? 1 : 0, o.light_min,
                o.light_max_chroma, o.min_light_ink, o.min_confidence, o.min_confidence_short, o.cell_change,
                o.min_changed_cells, o.min_cell_edge, o.min_persistence_s, o.min_caption_contrast, o.min_caption_height,
                o.large_caption_height, o.centre_tolerance, o.corner_fraction);
  return buf;
}

namespace {

int alnum_count(std::string_view s) {
  // Both the word filter and the block filter count letters and digits only.
  int n = 0;
  for (unsigned char c : s) n += is_alnum(c) ? 1 : 0;
  return n;
}

// Appends one recognised word to its line if it is real text read confidently enough
// (a lone character needs the stricter short-word confidence).
void add_word(const tesseract::ResultIterator& it, const OcrOptions& o, Line& cur) {
  std::unique_ptr<char[]> word(it.GetUTF8Text(tesseract::RIL_WORD));
  if (!word) return;
  const std::string text(word.get());
  const float conf = it.Confidence(tesseract::RIL_WORD);
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  if (!it.BoundingBox(tesseract::RIL_WORD, &x0, &y0, &x1, &y1)) return;
  const int alnum = alnum_count(text);
  if (alnum == 0) return;
  const int need = alnum == 1 && text.size() == 1 ? o.min_confidence_short : o.min_confidence;
  if (conf < static_cast<float>(need)) return;
  cur.words.push_back(text);
  cur.heights.push_back(y1 - y0);
  cur.confs.push_back(conf);
  cur.x0 = std::min(cur.x0, x0);
  cur.y0 = std::min(cur.y0, y0);
  cur.x1 = std::max(cur.x1, x1);
  cur.y1 = std::max(cur.y1, y1);
}

// Walks the words of a recognised page, cutting lines where tesseract starts a text line.
std::vector<Line> recognised_lines(tesseract::TessBaseAPI& api, const OcrOptions& o) {
  std::vector<Line> lines;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (!it) return lines;
  Line cur;
  auto flush = [&] {
    if (!cur.words.empty()) lines.push_back(cur);
    cur = Line{};
  };
  do {
    if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) flush();
    add_word(*it, o, cur);
  } while (it->Next(tesseract::RIL_WORD));
  flush();
  return lines;
}

// Stacked lines of similar height that overlap across and sit close below become one block
// (header rule), so a two-line caption is one overlay.
bool stacks_under(const Line& b, const Line& l) {
  const double hb = b.height(), hl = l.height();
  const bool similar = hb > 0 && hl > 0 && std::max(hb, hl) <= 1.6 * std::min(hb, hl);
  const bool overlap_x = std::min(b.x1, l.x1) > std::max(b.x0, l.x0);
  const double gap = l.y0 - b.y1;
  return similar && overlap_x && gap < std::max(hb, hl) && gap > -0.5 * hl;
}

void append_line(Line& b, const Line& l) {
  // Words stay in reading order: the block's lines are taken top to bottom.
  b.words.insert(b.words.end(), l.words.begin(), l.words.end());
  b.heights.insert(b.heights.end(), l.heights.begin(), l.heights.end());
  b.confs.insert(b.confs.end(), l.confs.begin(), l.confs.end());
  b.x0 = std::min(b.x0, l.x0);
  b.y0 = std::min(b.y0, l.y0);
  b.x1 = std::max(b.x1, l.x1);
  b.y1 = std::max(b.y1, l.y1);
}

// Lines top to bottom, each joined to the first block it stacks under.
std::vector<Line> stack_lines(std::vector<Line> lines) {
  std::sort(lines.begin(), lines.end(),
            [](const Line& a, const Line& b) { return a.y0 < b.y0 || (a.y0 == b.y0 && a.x0 < b.x0); });
  std::vector<Line> blocks;
  for (const auto& l : lines) {
    auto into = std::find_if(blocks.begin(), blocks.end(), [&](const Line& b) { return stacks_under(b, l); });
    if (into != blocks.end())
      append_line(*into, l);
    else
      blocks.push_back(l);
  }
  return blocks;
}

// Blocks as the detector reports them; fewer than two letters or digits is noise, not text.
std::vector<TextBlock> readable_blocks(const std::vector<Line>& blocks) {
  std::vector<TextBlock> out;
  for (const auto& b : blocks) {
    TextBlock tb;
    for (const auto& word : b.words) {
      if (!tb.raw.empty()) tb.raw.push_back(' ');
      tb.raw += word;
    }
    tb.text = normalise_text(tb.raw);
    if (alnum_count(tb.text) < 2) continue;
    tb.x0 = b.x0;
    tb.y0 = b.y0;
    tb.x1 = b.x1;
    tb.y1 = b.y1;
    tb.word_height = b.height();
    double cs = 0;
    for (double c : b.confs) cs += c;
    tb.confidence = cs / static_cast<double>(b.confs.size());
    out.push_back(std::move(tb));
  }
  return out;
}

}  // namespace

struct TextDetector::Impl {
  OcrOptions o;
  tesseract::TessBaseAPI api;
  // Change test state.
  std::optional<Signature> last_read_sig;
  std::vector<TextBlock> last_blocks;
  int last_w = 0, last_h = 0;
  // Merging state.
  std::vector<Track> open;
  std::vector<TextOverlay> done;
  double prev_t = 0;
  bool any_frame = false;
  std::int64_t sampled = 0, read = 0;
  double ocr_s = 0;

  explicit Impl(const OcrOptions& opts) : o(opts) {
    const fs::path dir = locate_tessdata(o.language, o.tessdata_dir);
    // debug_file is a non-init variable but only takes effect when given at Init: tesseract
    // prints its setup messages before SetVariable could run.
    std::vector<std::string> names = {"debug_file"};
    std::vector<std::string> values = {"/dev/null"};
    if (api.Init(dir.string().c_str(), o.language.c_str(), tesseract::OEM_LSTM_ONLY, nullptr, 0, &names, &values,
                 false) != 0)
      throw Error("on-screen text: tesseract could not load " + (dir / (o.language + ".traineddata")).string());
    api.SetPageSegMode(tesseract::PSM_AUTO);
    api.SetVariable("thresholding_method", o.threshold == OcrOptions::Threshold::otsu ? "0" : "2");
  }

  // One tesseract pass over a grey image: recognise, group stacked lines, keep readable blocks.
  std::vector<TextBlock> ocr_image(const std::vector<std::uint8_t>& g, int w, int h) {
    const double t0 = thread_cpu();
    const SerialOpenMp one_thread(o.single_thread);
    api.SetImage(g.data(), w, h, 1, w);
    api.SetSourceResolution(72);
    std::vector<Line> lines;
    if (api.Recognize(nullptr) == 0) lines = recognised_lines(api, o);
    api.Clear();
    std::vector<TextBlock> out = readable_blocks(stack_lines(std::move(lines)));
    ocr_s += thread_cpu() - t0;
    return out;
  }

  // Both passes (header rule), the better reading of each place kept, contrast from the luma.
  std::vector<TextBlock> read_frame(const FrameView& f, const std::vector<std::uint8_t>& g) {
    std::vector<TextBlock> blocks = ocr_image(g, f.width, f.height);
    if (o.light_text_pass) {
      std::vector<std::uint8_t> m(g.size(), 255);
      std::size_t ink = 0;
      for (int y = 0; y < f.height; ++y) {
        const std::uint8_t* row = f.rgb + static_cast<std::ptrdiff_t>(y) * f.stride;
        for (int x = 0; x < f.width; ++x) {
          const std::uint8_t* p = row + 3 * x;
          const int mx = std::max({p[0], p[1], p[2]}), mn = std::min({p[0], p[1], p[2]});
          if (mn >= o.light_min && mx - mn <= o.light_max_chroma) {
            m[static_cast<std::size_t>(y) * f.width + x] = 0;
            ++ink;
          }
        }
      }
      // A frame that is mostly light (a white wall, an overexposed sky) is better read as luma; a
      // mask with fewer light pixels than a word has (a few highlights) is not read
      // (OcrOptions::min_light_ink).
      if (ink >= static_cast<std::size_t>(std::max(1, o.min_light_ink)) && ink < m.size() / 3) {
        for (auto& b : ocr_image(m, f.width, f.height)) {
          bool replaced = false, worse = false;
          for (auto& a : blocks) {
            const int ix = std::min(a.x1, b.x1) - std::max(a.x0, b.x0);
            const int iy = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
            if (ix <= 0 || iy <= 0) continue;
            const double inter = static_cast<double>(ix) * iy;
            const double smaller = std::min(static_cast<double>(a.x1 - a.x0) * (a.y1 - a.y0),
                                            static_cast<double>(b.x1 - b.x0) * (b.y1 - b.y0));
            if (inter < 0.3 * smaller) continue;
            if (b.confidence > a.confidence && !replaced) {
              a = b;
              replaced = true;
            } else {
              worse = true;
            }
          }
          if (!replaced && !worse) blocks.push_back(b);
        }
      }
    }
    for (auto& b : blocks) b.contrast = box_contrast(g, f.width, f.height, b.x0, b.y0, b.x1, b.y1);
    std::sort(blocks.begin(), blocks.end(),
              [](const TextBlock& a, const TextBlock& b) { return a.y0 < b.y0 || (a.y0 == b.y0 && a.x0 < b.x0); });
    return blocks;
  }

  void close(Track& tr, double end_s) {
    TextOverlay ov;
    ov.start_s = tr.start_s;
    ov.end_s = std::max(end_s, tr.start_s);
    int best = -1;
    for (const auto& r : tr.order) {
      if (tr.readings[r] > best) {
        best = tr.readings[r];
        ov.text = r;
      }
    }
    ov.raw = tr.raw_of[ov.text];
    ov.sightings = tr.sightings;
    ov.rel_height = median(tr.rel_heights);
    ov.centre_x = median(tr.cxs);
    ov.centre_y = median(tr.cys);
    ov.contrast = median(tr.contrasts);
    ov.confidence = median(tr.confs);
    const bool persistent = ov.duration() >= o.min_persistence_s - 1e-9;
    const bool contrasty = ov.contrast >= o.min_caption_contrast;
    const bool large = ov.rel_height >= o.large_caption_height;
    const bool centred = std::abs(ov.centre_x - 0.5) <= o.centre_tolerance;
    const bool in_x_edge = ov.centre_x <= o.corner_fraction || ov.centre_x >= 1 - o.corner_fraction;
    const bool in_y_edge = ov.centre_y <= o.corner_fraction || ov.centre_y >= 1 - o.corner_fraction;
    const bool corner = in_x_edge && in_y_edge;
    ov.caption = persistent && contrasty && (large || (ov.rel_height >= o.min_caption_height && centred && !corner));
    done.push_back(std::move(ov));
  }

  void merge(double t, const std::vector<TextBlock>& blocks, int w, int h) {
    const double start = any_frame ? 0.5 * (prev_t + t) : 0.0;
    std::vector<bool> matched(open.size(), false);
    for (const auto& b : blocks) {
      Track* hit = nullptr;
      for (std::size_t i = 0; i < open.size(); ++i) {
        if (matched[i]) continue;
        if (same_text(open[i].current, b.text)) {
          hit = &open[i];
          matched[i] = true;
          break;
        }
      }
      if (!hit) {
        open.push_back(Track{});
        matched.push_back(true);
        hit = &open.back();
        hit->start_s = start;
      }
      hit->last_seen_s = t;
      hit->missed = 0;
      hit->current = b.text;
      if (!hit->readings.count(b.text)) {
        hit->order.push_back(b.text);
        hit->raw_of[b.text] = b.raw;
      }
      ++hit->readings[b.text];
      ++hit->sightings;
      hit->rel_heights.push_back(h > 0 ? b.word_height / h : 0);
      hit->cxs.push_back(w > 0 ? 0.5 * (b.x0 + b.x1) / w : 0);
      hit->cys.push_back(h > 0 ? 0.5 * (b.y0 + b.y1) / h : 0);
      hit->contrasts.push_back(b.contrast);
      hit->confs.push_back(b.confidence);
    }
    // Unseen overlays: one missed sample is tolerated, two end them (at the midpoint after the
    // last sighting, which is where the first miss began).
    std::vector<Track> still;
    for (std::size_t i = 0; i < open.size(); ++i) {
      if (!matched[i]) ++open[i].missed;
      if (open[i].missed >= 2) {
        close(open[i], open[i].end_guess);
      } else {
        if (!matched[i] && open[i].missed == 1) open[i].end_guess = start;
        still.push_back(std::move(open[i]));
      }
    }
    open = std::move(still);
    prev_t = t;
    any_frame = true;
  }
};

TextDetector::TextDetector(const OcrOptions& options) : impl_(std::make_unique<Impl>(options)) {}
TextDetector::~TextDetector() = default;

std::vector<TextBlock> TextDetector::read(const FrameView& f) { return impl_->read_frame(f, to_gray(f)); }

void TextDetector::add_frame(const FrameView& f) {
  Impl& m = *impl_;
  if (f.width <= 0 || f.height <= 0 || !f.rgb) return;
  if (m.any_frame && f.t <= m.prev_t) return;  // time must advance
  ++m.sampled;
  const std::vector<std::uint8_t> g = to_gray(f);
  Signature sig = signature(g, f.width, f.height);
  std::vector<TextBlock> blocks;
  if (sig.max_cell < m.o.min_cell_edge) {
    // Nothing sharp anywhere: no text to read. Forget the last reading so a return of the
    // same frame is read again rather than compared with a blank.
    m.last_read_sig.reset();
    m.last_blocks.clear();
  } else if (m.last_read_sig && f.width == m.last_w && f.height == m.last_h &&
             changed_cells(sig, *m.last_read_sig, m.o.cell_change) < m.o.min_changed_cells) {
    blocks = m.last_blocks;
  } else {
    blocks = m.read_frame(f, g);
    ++m.read;
    m.last_read_sig = std::move(sig);
    m.last_blocks = blocks;
    m.last_w = f.width;
    m.last_h = f.height;
  }
  m.merge(f.t, blocks, f.width, f.height);
}

OcrResult TextDetector::finish(double duration_s) {
  Impl& m = *impl_;
  const double end = std::max(duration_s, m.prev_t);
  for (auto& tr : m.open) m.close(tr, tr.missed == 0 ? end : tr.end_guess);
  m.open.clear();
  OcrResult r;
  r.duration_s = duration_s;
  r.overlays = std::move(m.done);
  m.done.clear();
  std::stable_sort(r.overlays.begin(), r.overlays.end(), [](const TextOverlay& a, const TextOverlay& b) {
    return a.start_s < b.start_s || (a.start_s == b.start_s && a.centre_y < b.centre_y);
  });
  r.frames_sampled = m.sampled;
  r.frames_read = m.read;
  r.ocr_cpu_s = m.ocr_s;
  // Seconds with text: captions cover more than half of the second's part of the video.
  const int n = duration_s > 0 ? static_cast<int>(std::ceil(duration_s - 1e-9)) : 0;
  r.captions_per_second.assign(static_cast<std::size_t>(n), 0);
  r.text_per_second.assign(static_cast<std::size_t>(n), "");
  std::vector<const TextOverlay*> caps = r.captions();
  std::sort(caps.begin(), caps.end(),
            [](const TextOverlay* a, const TextOverlay* b) { return a->centre_y < b->centre_y; });
  for (int s = 0; s < n; ++s) {
    const double a = s, b = std::min<double>(s + 1, duration_s);
    if (b <= a) continue;
    // Union of the captions over [a, b).
    std::vector<std::pair<double, double>> spans;
    std::string text;
    int count = 0;
    for (const TextOverlay* ov : caps) {
      const double lo = std::max(a, ov->start_s), hi = std::min(b, ov->end_s);
      if (hi <= lo) continue;
      spans.emplace_back(lo, hi);
      if (hi - lo > 0.5 * (b - a) + 1e-9) {
        ++count;
        if (!text.empty()) text += " / ";
        text += ov->text;
      }
    }
    std::sort(spans.begin(), spans.end());
    double covered = 0, cur_lo = 0, cur_hi = -1;
    for (const auto& [lo, hi] : spans) {
      if (lo > cur_hi) {
        if (cur_hi > cur_lo) covered += cur_hi - cur_lo;
        cur_lo = lo;
        cur_hi = hi;
      } else {
        cur_hi = std::max(cur_hi, hi);
      }
    }
    if (cur_hi > cur_lo) covered += cur_hi - cur_lo;
    if (covered > 0.5 * (b - a) + 1e-9) {
      // Text in this second even when no single caption covers half of it (one replaces
      // another mid-second): it counts once, with the longest one's text.
      if (count == 0) {
        const TextOverlay* longest = nullptr;
        double best = -1;
        for (const TextOverlay* ov : caps) {
          const double d = std::min(b, ov->end_s) - std::max(a, ov->start_s);
          if (d > best) {
            best = d;
            longest = ov;
          }
        }
        count = 1;
        text = longest->text;
      }
      r.captions_per_second[static_cast<std::size_t>(s)] = count;
      r.text_per_second[static_cast<std::size_t>(s)] = text;
    }
  }
  return r;
}

std::vector<const TextOverlay*> OcrResult::captions() const {
  std::vector<const TextOverlay*> out;
  for (const auto& o : overlays)
    if (o.caption) out.push_back(&o);
  return out;
}

double OcrResult::time_to_first_text() const {
  for (const auto& o : overlays)
    if (o.caption) return o.start_s;
  return duration_s;
}

int OcrResult::seconds_with_text() const {
  int n = 0;
  for (int c : captions_per_second) n += c > 0 ? 1 : 0;
  return n;
}

namespace {

std::string span_stamp(int a, int b) { return std::to_string(a) + "-" + std::to_string(b) + "s"; }

double sample_stdev(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  double m = 0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

double mean_of(const std::vector<double>& v) {
  if (v.empty()) return 0;
  double m = 0;
  for (double x : v) m += x;
  return m / static_cast<double>(v.size());
}

}  // namespace

namespace {

using Appearances = std::vector<std::pair<int, std::string>>;

// An appearance is a second with caption text (RumiAI's text timeline is keyed per second).
Appearances caption_appearances(const OcrResult& r) {
  Appearances appearances;
  for (std::size_t s = 0; s < r.captions_per_second.size(); ++s)
    if (r.captions_per_second[s] > 0) appearances.emplace_back(static_cast<int>(s), r.text_per_second[s]);
  return appearances;
}

// The counts every section of the flow reads, computed once.
struct OverlaySummary {
  int total = 0;
  int n_unique = 0;
  double density = 0;
  double first = 0;
  double avg_duration = 0;
};

// Unique by the sameness rule, not by exact string: OCR jitter is not a new overlay.
OverlaySummary summarise_overlays(const OcrResult& r, const Appearances& appearances, double duration) {
  const auto caps = r.captions();
  std::set<std::string> unique;
  double dur_sum = 0;
  for (const TextOverlay* c : caps) {
    bool seen = false;
    for (const auto& u : unique) seen = seen || same_text(u, c->text);
    if (!seen) unique.insert(c->text);
    dur_sum += c->duration();
  }
  OverlaySummary m;
  m.total = static_cast<int>(appearances.size());
  m.n_unique = static_cast<int>(unique.size());
  m.density = duration > 0 ? m.total / duration : 0;
  m.first = r.time_to_first_text();
  m.avg_duration = caps.empty() ? 0.0 : round_to(dur_sum / static_cast<double>(caps.size()), 2);
  return m;
}

// CoreMetrics: RumiAI counts each caption second as an overlay, so both totals agree.
Json core_metrics(const OverlaySummary& m, double duration) {
  Json core = {{"totalOverlays", m.total},
               {"totalTextOverlays", m.total},
               {"uniqueOverlayCount", m.n_unique},
               {"overlayDensity", round_to(m.density, 3)},
               {"uniqueOverlayRatio", m.total > 0 ? round_to(static_cast<double>(m.n_unique) / m.total, 3) : 0.0},
               {"timeToFirstOverlay", round_to(m.first, 2)},
               {"avgOverlayDuration", m.avg_duration},
               {"overlayFrequency", duration > 0 ? round_to(m.total / (duration / 60.0), 2) : 0.0}};
  return core;
}

// Per-window caption counts, shared by the progression, peaks and quiet moments.
struct Windows {
  std::vector<int> counts;
  std::vector<std::string> stamps;
  Json progression = Json::array();
};

// Ten windows of (int(duration) + 1) / 10 seconds (at least 1).
Windows overlay_windows(const Appearances& appearances, double duration) {
  const int seconds = static_cast<int>(duration) + 1;
  const int win = std::max(1, seconds / 10);
  Windows w;
  for (int a = 0; a < seconds; a += win) {
    const int b = std::min(a + win, seconds);
    int c = 0;
    for (const auto& ap : appearances) c += ap.first >= a && ap.first < b ? 1 : 0;
    w.counts.push_back(c);
    w.stamps.push_back(span_stamp(a, b));
    w.progression.push_back({{"timestamp", w.stamps.back()},
                             {"overlayCount", c},
                             {"density", b > a ? round_to(static_cast<double>(c) / (b - a), 3) : 0.0}});
  }
  return w;
}

// Second half of the windows against the first: more than 30% busier or quieter is a trend.
std::string overlay_acceleration(const std::vector<int>& counts) {
  if (counts.size() < 2) return "stable";
  const std::size_t half = counts.size() / 2;
  double a = 0, b = 0;
  for (std::size_t i = 0; i < half; ++i) a += counts[i];
  for (std::size_t i = half; i < counts.size(); ++i) b += counts[i];
  a /= static_cast<double>(half);
  b /= static_cast<double>(counts.size() - half);
  if (b > a * 1.3) return "accelerating";
  if (b < a * 0.7) return "decelerating";
  return "stable";
}

// Dynamics: rhythm from the gaps between caption seconds, bursts are gaps under two seconds.
Json overlay_dynamics(const Appearances& appearances, const Windows& w, const std::string& accel, double first,
                      double duration) {
  std::vector<double> intervals;
  for (std::size_t i = 1; i < appearances.size(); ++i)
    intervals.push_back(appearances[i].first - appearances[i - 1].first);
  const double mi = mean_of(intervals);
  const double rhythm = !intervals.empty() && mi > 0 ? 1 - sample_stdev(intervals) / mi : 0;
  int bursts = 0;
  for (double iv : intervals) bursts += iv < 2 ? 1 : 0;
  Json dynamics = {{"overlayProgression", w.progression},
                   {"rhythmConsistency", round_to(rhythm, 3)},
                   {"overlayAcceleration", accel},
                   {"temporalDistribution", first < duration * 0.3 ? "front_loaded" : "balanced"},
                   {"burstPatterns", bursts}};
  return dynamics;
}

// Peaks are windows over 1.5x the mean count; the climax is the first of the most intense.
void peaks_and_quiet(const Windows& w, Json& key) {
  double mean_count = 0;
  int max_count = 0;
  for (int c : w.counts) {
    mean_count += c;
    max_count = std::max(max_count, c);
  }
  mean_count = w.counts.empty() ? 0 : mean_count / static_cast<double>(w.counts.size());
  Json peaks = Json::array(), quiet = Json::array();
  Json climax = nullptr;
  double best_intensity = -1;
  for (std::size_t i = 0; i < w.counts.size(); ++i) {
    if (w.counts[i] == 0) quiet.push_back(w.stamps[i]);
    if (w.counts[i] > 0 && w.counts[i] > 1.5 * mean_count) {
      const double intensity = round_to(static_cast<double>(w.counts[i]) / max_count, 2);
      peaks.push_back({{"timestamp", w.stamps[i]}, {"overlayCount", w.counts[i]}, {"intensity", intensity}});
      if (intensity > best_intensity) {
        best_intensity = intensity;
        climax = w.stamps[i];
      }
    }
  }
  key["overlayPeaks"] = peaks;
  key["climaxMoment"] = climax;
  key["quietMoments"] = quiet;
}

// Every caption second with a call to action counts; only the first three are listed.
Json cta_moments(const Appearances& appearances, int& n_cta) {
  Json ctas = Json::array();
  n_cta = 0;
  for (const auto& [s, text] : appearances) {
    const std::string type = cta_type(text);
    if (type.empty()) continue;
    ++n_cta;
    if (ctas.size() < 3)
      ctas.push_back({{"timestamp", std::to_string(s) + "s"}, {"ctaType", type}, {"textContent", text}});
  }
  return ctas;
}

// Patterns: RumiAI's labels from density and the number of calls to action.
Json overlay_patterns(const OverlaySummary& m, int n_cta, const std::string& accel) {
  Json patterns = {{"overlayStrategy", m.density > 1.0   ? "heavy"
                                       : m.density > 0.5 ? "moderate"
                                                         : "minimal"},
                   {"engagementArchetype", n_cta > 2         ? "conversion_focused"
                                           : m.density > 0.8 ? "attention_grabbing"
                                                             : "informational"},
                   {"pacingPattern", accel},
                   {"contentFocus", n_cta > 1 ? "product_focused" : "informational"}};
  return patterns;
}

// Quality: what is missing, and how much of the video had caption text.
Json overlay_quality(const OverlaySummary& m, double duration) {
  Json missing = Json::array();
  if (m.total == 0)
    missing.push_back("no_overlays_detected");
  else if (m.n_unique < m.total * 0.1)
    missing.push_back("low_text_variety");
  Json quality = {{"analysisReliability", m.total > 0 ? "high" : "low"},
                  {"missingDataPoints", missing},
                  {"timelineCoverage", round_to(m.total / std::max(1.0, duration), 2)}};
  return quality;
}

}  // namespace

Json visual_overlay_flow(const OcrResult& r, double duration) {
  const Appearances appearances = caption_appearances(r);
  const OverlaySummary m = summarise_overlays(r, appearances, duration);
  const Windows w = overlay_windows(appearances, duration);
  const std::string accel = overlay_acceleration(w.counts);
  Json key = Json::object();
  peaks_and_quiet(w, key);
  int n_cta = 0;
  const Json ctas = cta_moments(appearances, n_cta);
  key["ctaMoments"] = ctas;
  return {{"CoreMetrics", core_metrics(m, duration)},
          {"Dynamics", overlay_dynamics(appearances, w, accel, m.first, duration)},
          {"Interactions", Json::object()},
          {"KeyEvents", key},
          {"Patterns", overlay_patterns(m, n_cta, accel)},
          {"Quality", overlay_quality(m, duration)}};
}

}  // namespace rumi::native
