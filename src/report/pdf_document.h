#pragma once
// A small PDF toolkit on Cairo + Pango: RAII handles, brand colours, and a flow layout with a
// hard page budget. Reports for people must never overflow: every paragraph wraps to the
// column, long paragraphs are cut with an ellipsis at a line limit, content that no longer fits
// starts the next page, and beyond the last allowed page it is dropped with a visible note.
#include <cairo/cairo.h>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <pango/pangocairo.h>

namespace rumi::report {

struct Rgb {
  double r, g, b;
};
inline constexpr Rgb kBrandPrimary{0x1E / 255.0, 0x3A / 255.0, 0x8A / 255.0};    // #1E3A8A
inline constexpr Rgb kBrandSecondary{0x64 / 255.0, 0x74 / 255.0, 0x8B / 255.0};  // #64748B
inline constexpr Rgb kBrandAccent{0x10 / 255.0, 0xB9 / 255.0, 0x81 / 255.0};     // #10B981
inline constexpr Rgb kBrandWarning{0xF5 / 255.0, 0x9E / 255.0, 0x0B / 255.0};    // #F59E0B
inline constexpr Rgb kTextColor{0.12, 0.12, 0.14};
inline constexpr Rgb kWhite{1, 1, 1};

void set_color(cairo_t* cr, Rgb c);

struct CairoSurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct GObjectDeleter {
  void operator()(void* o) const { g_object_unref(o); }
};
struct FontDescriptionDeleter {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceDeleter>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectDeleter>;
using FontPtr = std::unique_ptr<PangoFontDescription, FontDescriptionDeleter>;

// A4 portrait in points.
inline constexpr double kPageWidth = 595.0;
inline constexpr double kPageHeight = 842.0;

// PDF rendered into memory, written atomically by save() (never a half-written file).
class PdfDocument {
 public:
  PdfDocument(double width_pt = kPageWidth, double height_pt = kPageHeight);
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;
  cairo_t* cr() const { return cr_.get(); }
  double width() const { return width_; }
  double height() const { return height_; }
  void show_page() { cairo_show_page(cr_.get()); }
  // The document's creation and modification dates (PDF /CreationDate, /ModDate). Cairo stamps
  // the current time otherwise, so the same inputs would give different bytes on every run;
  // reports pass their run date (YYYY-MM-DD) and come out byte-identical (issue 18 point 9).
  void set_dates(std::string_view date_yyyy_mm_dd);
  // Finishes the document and writes it; throws Error on a Cairo failure.
  void save(const std::string& path);

 private:
  static cairo_status_t append(void* closure, const unsigned char* data, unsigned int length);
  double width_, height_;
  std::string bytes_;
  SurfacePtr surface_;
  CairoPtr cr_;
};

struct TextStyle {
  double size = 9.5;
  bool bold = false;
  Rgb color = kTextColor;
  int max_lines = 6;  // longer text is cut with an ellipsis; 0 = no limit
  double indent = 0;
  double space_after = 4;
  bool monospace = false;
};

// A single text layout (wrapping, ellipsis) at a given width; used by the flow and by charts.
LayoutPtr make_layout(cairo_t* cr, std::string_view text, const TextStyle& style, double width_pt);
double layout_height_pt(PangoLayout* layout);

struct PageDecor {
  std::string title;     // header band text
  std::string subtitle;  // right side of the header
  std::string footer;    // confidentiality notice
};

class FlowLayout {
 public:
  FlowLayout(PdfDocument& doc, PageDecor decor, int max_pages = 2, double margin = 48);
  // Each returns false when the content was dropped or cut because the page budget is spent.
  bool text(std::string_view text, const TextStyle& style = {});
  bool heading(std::string_view text, Rgb color = kBrandPrimary);
  // A drawn block of fixed height; draw(cr, x, y, width).
  bool block(double height, const std::function<void(cairo_t*, double, double, double)>& draw);
  void space(double pt) { y_ += pt; }
  // Starts the next page now when there is one left (e.g. "page 2: testing roadmap").
  bool page_break();
  // Draws the last footer and the truncation note; call once before PdfDocument::save.
  void finish();
  int pages() const { return page_; }
  bool truncated() const { return truncated_; }
  // Every text and heading drawn, one block per line, in reading order (not the header and
  // footer bands): what a reader reads, for the readability measure (report/readability.h).
  const std::string& plain_text() const { return plain_text_; }
  // Texts drawn shorter than written: cut at their style's max_lines with an ellipsis. A report
  // whose sections keep to their budgets has none (tests/report check the fixtures' PDFs).
  const std::vector<std::string>& cut_short() const { return cut_short_; }
  // Adds text that a block() drew itself (a caption next to a QR code) to plain_text().
  void record_text(std::string_view t) {
    plain_text_.append(t);
    plain_text_ += '\n';
  }
  double column_width() const { return doc_.width() - 2 * margin_; }
  // Points left on the current page above the footer (and, on the last page, above the
  // truncation note). Sections with a page budget measure their items against it, so they are
  // cut at a whole item instead of mid-paragraph by the flow.
  double room() const { return bottom() - y_; }
  // The height text() / heading() would take, spacing included (what they advance the flow by).
  double measure_text(std::string_view text, const TextStyle& style = {}) const;
  double measure_heading(std::string_view text) const;

 private:
  void start_page();
  void end_page();
  double bottom() const;
  bool fits(double h) const { return y_ + h <= bottom(); }
  bool make_room(double h);

  PdfDocument& doc_;
  PageDecor decor_;
  int max_pages_;
  double margin_;
  int page_ = 0;
  double y_ = 0;
  bool truncated_ = false;
  bool finished_ = false;
  std::string plain_text_;
  std::vector<std::string> cut_short_;
};

}  // namespace rumi::report
