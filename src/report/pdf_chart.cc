#include "report/pdf_chart.h"

#include <algorithm>
#include <cmath>

#include "report/svg_chart.h"

namespace rumi::report {

namespace {

constexpr Rgb kMutedFill{0.83, 0.84, 0.86};
constexpr Rgb kLightFill{0.72, 0.77, 0.84};
constexpr Rgb kOutline{0.35, 0.38, 0.42};
constexpr double kBarThickness = 10;
constexpr double kAxisGap = 3, kTickLength = 3, kTickLabelHeight = 10, kAxisTitleHeight = 11;
constexpr double kPairBar = 8, kPairGap = 3;

const TextStyle kLabel{.size = 8, .bold = true, .max_lines = 1, .space_after = 0};
const TextStyle kValue{.size = 7.5, .max_lines = 1, .space_after = 0};
const TextStyle kTick{.size = 6.5, .color = kBrandSecondary, .max_lines = 1, .space_after = 0};
const TextStyle kAxisTitle{.size = 7, .color = kBrandSecondary, .max_lines = 1, .space_after = 0};

double finite_or_zero(double v) { return std::isfinite(v) ? v : 0; }

// A single line of text with its top at (x, y), vertically centred on a row of height h.
void show_line(cairo_t* cr, const std::string& text, const TextStyle& style, double x, double y, double width,
               double h = 0, PangoAlignment align = PANGO_ALIGN_LEFT) {
  if (width <= 1) return;
  auto l = make_layout(cr, text, style, width);
  pango_layout_set_alignment(l.get(), align);
  const double lh = layout_height_pt(l.get());
  set_color(cr, style.color);
  cairo_move_to(cr, x, h > 0 ? y + (h - lh) / 2 : y);
  pango_cairo_show_layout(cr, l.get());
}

void bar(cairo_t* cr, double x, double y, double len, double thickness, BarShade shade) {
  cairo_rectangle(cr, x, y, len, thickness);
  set_color(cr, bar_shade_color(shade));
  if (shade == BarShade::muted || shade == BarShade::light) {
    cairo_fill_preserve(cr);
    set_color(cr, kOutline);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
  } else {
    cairo_fill(cr);
  }
}

// Length of a bar of `value` on an axis [0, end] drawn `width` long; at least a sliver, so a
// zero is still visibly a bar of zero, and never past the axis end.
double bar_length(double value, double end, double width) {
  const double v = std::clamp(finite_or_zero(value), 0.0, end);
  return std::max(1.0, width * v / end);
}

}  // namespace

Rgb bar_shade_color(BarShade s) {
  switch (s) {
    case BarShade::normal: return kBrandPrimary;
    case BarShade::highlight: return kBrandAccent;
    case BarShade::muted: return kMutedFill;
    case BarShade::light: return kLightFill;
  }
  return kBrandPrimary;
}

double luma(Rgb c) { return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b; }

double bar_chart_axis_end(const PdfBarChart& c) {
  if (c.max_value > 0) return c.max_value;
  double largest = 0;
  for (const auto& b : c.bars) largest = std::max(largest, finite_or_zero(b.value));
  return nice_ticks(largest).back();
}

double bar_chart_height(const PdfBarChart& c) {
  return c.row_height * static_cast<double>(c.bars.size()) + kAxisGap + kTickLength + kTickLabelHeight +
         kAxisTitleHeight;
}

void draw_bar_chart(cairo_t* cr, const PdfBarChart& c, double x, double y, double w) {
  const double end = bar_chart_axis_end(c);
  const double x0 = x + c.label_width;
  const double plot_w = std::max(10.0, w - c.label_width - c.value_width);
  for (std::size_t i = 0; i < c.bars.size(); ++i) {
    const PdfBar& b = c.bars[i];
    const double top = y + c.row_height * static_cast<double>(i);
    TextStyle label = kLabel;
    if (b.shade == BarShade::muted) label.color = kBrandSecondary;
    show_line(cr, b.label, label, x, top, c.label_width - 4, c.row_height);
    const double len = bar_length(b.value, end, plot_w);
    bar(cr, x0, top + (c.row_height - kBarThickness) / 2, len, kBarThickness, b.shade);
    show_line(cr, b.value_label, kValue, x0 + len + 4, top, w - c.label_width - len - 4, c.row_height);
  }
  // The axis: a line from 0 to the end, ticks with their values, the measure's name under it.
  const double ay = y + c.row_height * static_cast<double>(c.bars.size()) + kAxisGap;
  set_color(cr, kBrandSecondary);
  cairo_set_line_width(cr, 0.6);
  cairo_move_to(cr, x0, ay);
  cairo_line_to(cr, x0 + plot_w, ay);
  cairo_stroke(cr);
  for (double t : nice_ticks(end)) {
    if (t > end + 1e-9) break;
    const double tx = x0 + plot_w * t / end;
    set_color(cr, kBrandSecondary);
    cairo_move_to(cr, tx, ay);
    cairo_line_to(cr, tx, ay + kTickLength);
    cairo_stroke(cr);
    const std::string label = svg_number(t, t == std::floor(t) ? 0 : 1) + c.unit;
    show_line(cr, label, kTick, tx - 20, ay + kTickLength, 40, 0, PANGO_ALIGN_CENTER);
  }
  show_line(cr, c.axis_label, kAxisTitle, x0, ay + kTickLength + kTickLabelHeight, plot_w + c.value_width / 2, 0);
}

double paired_bars_height() { return 2 * kPairBar + kPairGap; }

void draw_paired_bars(cairo_t* cr, const PairedBars& p, double x, double y, double w) {
  const double end =
      p.max_value > 0 ? p.max_value : std::max({finite_or_zero(p.with_value), finite_or_zero(p.without_value), 1e-9});
  const double x0 = x + p.label_width;
  const double plot_w = std::max(10.0, w - p.label_width - p.value_width);
  const TextStyle label{.size = 7, .color = kBrandSecondary, .max_lines = 1, .space_after = 0};
  const TextStyle value{.size = 7, .max_lines = 1, .space_after = 0};
  struct Row {
    const std::string& name;
    double v;
    const std::string& text;
    BarShade shade;
  };
  const Row rows[] = {{p.with_label, p.with_value, p.with_text, BarShade::normal},
                      {p.without_label, p.without_value, p.without_text, BarShade::light}};
  for (int i = 0; i < 2; ++i) {
    const double top = y + i * (kPairBar + kPairGap);
    show_line(cr, rows[i].name, label, x, top, p.label_width - 3, kPairBar);
    const double len = bar_length(rows[i].v, end, plot_w);
    bar(cr, x0, top + 1, len, kPairBar - 2, rows[i].shade);
    show_line(cr, rows[i].text, value, x0 + len + 3, top, w - p.label_width - len - 3, kPairBar);
  }
}

double pair_legend_height() { return 12; }

std::string draw_pair_legend(cairo_t* cr, double x, double y, double w, const std::string& with_name,
                             const std::string& without_name, const std::string& caption) {
  const TextStyle t{.size = 7.5, .color = kTextColor, .max_lines = 1, .space_after = 0};
  const double h = pair_legend_height();
  double cx = x;
  auto swatch_and_name = [&](BarShade shade, const std::string& name) {
    bar(cr, cx, y + (h - 7) / 2, 12, 7, shade);
    cx += 15;
    auto l = make_layout(cr, name, t, std::max(1.0, x + w - cx));
    int lw = 0, lh = 0;
    pango_layout_get_size(l.get(), &lw, &lh);
    show_line(cr, name, t, cx, y, x + w - cx, h);
    cx += static_cast<double>(lw) / PANGO_SCALE + 10;
  };
  swatch_and_name(BarShade::normal, with_name);
  swatch_and_name(BarShade::light, without_name);
  TextStyle c = t;
  c.color = kBrandSecondary;
  show_line(cr, caption, c, cx, y, x + w - cx, h);
  return with_name + "; " + without_name + ": " + caption;
}

}  // namespace rumi::report
