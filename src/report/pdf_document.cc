#include "report/pdf_document.h"

#include <cairo/cairo-pdf.h>
#include <fmt/format.h>

#include "core/error.h"
#include "core/file_io.h"

namespace rumi::report {

void set_color(cairo_t* cr, Rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

PdfDocument::PdfDocument(double width_pt, double height_pt) : width_(width_pt), height_(height_pt) {
  surface_.reset(cairo_pdf_surface_create_for_stream(&PdfDocument::append, this, width_, height_));
  if (cairo_surface_status(surface_.get()) != CAIRO_STATUS_SUCCESS)
    throw Error(std::string("cannot create PDF surface: ") +
                cairo_status_to_string(cairo_surface_status(surface_.get())));
  cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATOR, "rumi");
  cr_.reset(cairo_create(surface_.get()));
}

void PdfDocument::set_dates(std::string_view date) {
  // Midnight UTC of the run date: the day is what the report is dated by, and a time of day
  // would make two runs of the same day differ.
  std::string iso(date);
  iso += "T00:00:00Z";
  cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_CREATE_DATE, iso.c_str());
  cairo_pdf_surface_set_metadata(surface_.get(), CAIRO_PDF_METADATA_MOD_DATE, iso.c_str());
}

cairo_status_t PdfDocument::append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<PdfDocument*>(closure)->bytes_.append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void PdfDocument::save(const std::string& path) {
  cr_.reset();
  cairo_surface_finish(surface_.get());
  const cairo_status_t st = cairo_surface_status(surface_.get());
  surface_.reset();
  if (st != CAIRO_STATUS_SUCCESS) throw Error(path + ": PDF rendering failed: " + cairo_status_to_string(st));
  write_file_atomic(path, bytes_);
}

LayoutPtr make_layout(cairo_t* cr, std::string_view text, const TextStyle& style, double width_pt) {
  LayoutPtr layout(pango_cairo_create_layout(cr));
  FontPtr font(pango_font_description_new());
  pango_font_description_set_family(font.get(), style.monospace ? "DejaVu Sans Mono" : "DejaVu Sans");
  pango_font_description_set_weight(font.get(), style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(font.get(), style.size * PANGO_SCALE);
  pango_layout_set_font_description(layout.get(), font.get());
  pango_layout_set_width(layout.get(), static_cast<int>(width_pt * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  if (style.max_lines > 0) {
    pango_layout_set_height(layout.get(), -style.max_lines);
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
  }
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  return layout;
}

double layout_height_pt(PangoLayout* layout) {
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

namespace {
constexpr double kHeaderHeight = 40;
constexpr double kFooterHeight = 26;
constexpr double kNoteHeight = 14;
}  // namespace

FlowLayout::FlowLayout(PdfDocument& doc, PageDecor decor, int max_pages, double margin)
    : doc_(doc), decor_(std::move(decor)), max_pages_(max_pages), margin_(margin) {
  start_page();
}

double FlowLayout::bottom() const {
  // The last page keeps room for the "continued in ..." note.
  return doc_.height() - kFooterHeight - 10 - (page_ >= max_pages_ ? kNoteHeight : 0);
}

void FlowLayout::start_page() {
  ++page_;
  cairo_t* cr = doc_.cr();
  set_color(cr, kBrandPrimary);
  cairo_rectangle(cr, 0, 0, doc_.width(), kHeaderHeight);
  cairo_fill(cr);
  set_color(cr, kBrandAccent);
  cairo_rectangle(cr, 0, kHeaderHeight, doc_.width(), 3);
  cairo_fill(cr);
  TextStyle head{.size = 13, .bold = true, .color = kWhite, .max_lines = 1};
  auto l = make_layout(cr, decor_.title, head, doc_.width() * 0.55);
  set_color(cr, kWhite);
  cairo_move_to(cr, margin_, (kHeaderHeight - layout_height_pt(l.get())) / 2);
  pango_cairo_show_layout(cr, l.get());
  TextStyle sub{.size = 8.5, .color = kWhite, .max_lines = 2};
  auto r = make_layout(cr, decor_.subtitle, sub, doc_.width() * 0.38);
  pango_layout_set_alignment(r.get(), PANGO_ALIGN_RIGHT);
  cairo_move_to(cr, doc_.width() - margin_ - doc_.width() * 0.38, (kHeaderHeight - layout_height_pt(r.get())) / 2);
  pango_cairo_show_layout(cr, r.get());
  y_ = kHeaderHeight + 18;
}

void FlowLayout::end_page() {
  cairo_t* cr = doc_.cr();
  const double fy = doc_.height() - kFooterHeight;
  set_color(cr, kBrandSecondary);
  cairo_set_line_width(cr, 0.5);
  cairo_move_to(cr, margin_, fy);
  cairo_line_to(cr, doc_.width() - margin_, fy);
  cairo_stroke(cr);
  TextStyle foot{.size = 7.5, .color = kBrandSecondary, .max_lines = 1};
  auto l = make_layout(cr, decor_.footer, foot, column_width() - 60);
  cairo_move_to(cr, margin_, fy + 6);
  pango_cairo_show_layout(cr, l.get());
  auto n = make_layout(cr, fmt::format("Page {}", page_), foot, 60);
  pango_layout_set_alignment(n.get(), PANGO_ALIGN_RIGHT);
  cairo_move_to(cr, doc_.width() - margin_ - 60, fy + 6);
  pango_cairo_show_layout(cr, n.get());
}

bool FlowLayout::make_room(double h) {
  if (fits(h)) return true;
  if (page_ >= max_pages_) {
    truncated_ = true;
    return false;
  }
  end_page();
  doc_.show_page();
  start_page();
  return fits(h);
}

bool FlowLayout::page_break() {
  if (page_ >= max_pages_) return false;
  end_page();
  doc_.show_page();
  start_page();
  return true;
}

bool FlowLayout::text(std::string_view t, const TextStyle& style) {
  if (finished_ || truncated_) {
    truncated_ = true;
    return false;
  }
  cairo_t* cr = doc_.cr();
  const double width = column_width() - style.indent;
  auto layout = make_layout(cr, t, style, width);
  double h = layout_height_pt(layout.get());
  if (pango_layout_is_ellipsized(layout.get())) cut_short_.emplace_back(t);
  bool cut = false;
  if (!make_room(h)) {
    // Last page: keep what fits, ending in an ellipsis, if at least one line fits.
    const double room = bottom() - y_;
    TextStyle one = style;
    one.max_lines = 1;
    if (room < layout_height_pt(make_layout(cr, "Ag", one, width).get())) return false;
    pango_layout_set_height(layout.get(), static_cast<int>(room * PANGO_SCALE));
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    h = layout_height_pt(layout.get());
    if (h > room) return false;
    cut = true;
  }
  set_color(cr, style.color);
  cairo_move_to(cr, margin_ + style.indent, y_);
  pango_cairo_show_layout(cr, layout.get());
  y_ += h + style.space_after;
  plain_text_.append(t);
  plain_text_ += '\n';
  return !cut;
}

namespace {
constexpr double kHeadingAbove = 4, kHeadingRule = 6;
constexpr TextStyle heading_style(Rgb color) {
  return TextStyle{.size = 11.5, .bold = true, .color = color, .max_lines = 2, .space_after = 2};
}
}  // namespace

double FlowLayout::measure_text(std::string_view t, const TextStyle& style) const {
  auto layout = make_layout(doc_.cr(), t, style, column_width() - style.indent);
  return layout_height_pt(layout.get()) + style.space_after;
}

double FlowLayout::measure_heading(std::string_view t) const {
  return kHeadingAbove + measure_text(t, heading_style(kBrandPrimary)) + kHeadingRule;
}

bool FlowLayout::heading(std::string_view t, Rgb color) {
  // Keep a heading with at least two lines of what follows.
  if (!make_room(48)) return false;
  space(kHeadingAbove);
  const bool ok = text(t, heading_style(color));
  set_color(doc_.cr(), color);
  cairo_rectangle(doc_.cr(), margin_, y_, 28, 1.6);
  cairo_fill(doc_.cr());
  y_ += kHeadingRule;
  return ok;
}

bool FlowLayout::block(double height, const std::function<void(cairo_t*, double, double, double)>& draw) {
  if (finished_ || truncated_ || !make_room(height)) {
    truncated_ = true;
    return false;
  }
  cairo_save(doc_.cr());
  draw(doc_.cr(), margin_, y_, column_width());
  cairo_restore(doc_.cr());
  y_ += height;
  return true;
}

void FlowLayout::finish() {
  if (finished_) return;
  if (truncated_) {
    cairo_t* cr = doc_.cr();
    TextStyle note{.size = 7.5, .color = kBrandWarning, .max_lines = 1};
    auto l = make_layout(cr, "\u2026 more detail did not fit on two pages: see the Markdown / JSON report.", note,
                         column_width());
    set_color(cr, kBrandWarning);
    cairo_move_to(cr, margin_, doc_.height() - kFooterHeight - 4 - kNoteHeight);
    pango_cairo_show_layout(cr, l.get());
  }
  end_page();
  finished_ = true;
}

}  // namespace rumi::report
