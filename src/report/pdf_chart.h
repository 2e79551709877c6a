#pragma once
// Vector bar charts for the PDFs, drawn with Cairo + Pango into a FlowLayout block: the bucket
// ranking (one bar per duration bucket) and the paired "with / without" bars of one creative
// element (median engagement rate of the videos that do it vs the others).
//
// Rules, and why:
// * Every number says what it measures: the ranking has an axis in % with a title under it; a
//   pair is read against a legend that names its measure (draw_pair_legend). Every bar carries
//   its value as text, so nothing depends on reading a bar's length or its colour.
// * Readable in greyscale print: the shades (kBarShade*) differ in lightness, not only in hue,
//   and light bars get a dark outline so they stay visible on white paper.
// * Deterministic: fixed sizes in points, ticks from nice_ticks (report/svg_chart.h), numbers
//   formatted by the caller (report/wording.h); same inputs, same PDF bytes.
// * Never overflows: labels are single lines cut with an ellipsis at their column, values
//   beyond the axis end are drawn at the end, and *_height() gives the exact block height so a
//   section can check its page budget before drawing.
#include <cairo/cairo.h>
#include <string>
#include <vector>

#include "report/pdf_document.h"

namespace rumi::report {

enum class BarShade {
  normal,     // dark (brand primary)
  highlight,  // mid (brand accent): the best bucket
  muted,      // light grey, outlined: unranked / too few videos
  light,      // light blue-grey, outlined: "the other videos" of a pair
};
Rgb bar_shade_color(BarShade s);
// Perceived lightness (Rec. 601 luma, 0 black .. 1 white): what a greyscale printer keeps.
double luma(Rgb c);

struct PdfBar {
  std::string label;        // left of the bar ("61-90s")
  double value = 0;         // in the axis unit (ER in percent)
  std::string value_label;  // right of the bar's end ("10.0 % · 42 videos")
  BarShade shade = BarShade::normal;
};

struct PdfBarChart {
  std::string axis_label;  // under the axis: "average engagement rate per video (%)"
  std::vector<PdfBar> bars;
  double max_value = 0;      // axis end; 0 = the largest bar's nice tick
  double label_width = 64;   // column of the bar labels
  double value_width = 170;  // room kept right of the longest bar for its value label
  double row_height = 15;
  std::string unit = " %";  // after the tick numbers
};

// Exact height the chart takes (bars, axis, ticks, axis title).
double bar_chart_height(const PdfBarChart& c);
// Draws at (x, y) in a column of width w.
void draw_bar_chart(cairo_t* cr, const PdfBarChart& c, double x, double y, double w);
// The axis end draw_bar_chart uses: max_value, or the smallest nice tick >= the largest bar.
double bar_chart_axis_end(const PdfBarChart& c);

// One element's comparison: two thin bars on a scale shared by every pair of the section, so
// pairs can be compared with each other.
struct PairedBars {
  double with_value = 0, without_value = 0;  // median ER (percent) of the videos that do it / the others
  std::string with_label = "do it", without_label = "others";
  std::string with_text, without_text;  // "9.4 % (n 27)"
  double max_value = 0;                 // shared scale end; 0 = the larger of the two
  double label_width = 40;
  double value_width = 62;
};
double paired_bars_height();
void draw_paired_bars(cairo_t* cr, const PairedBars& p, double x, double y, double w);

// A one-line key: dark swatch, `with_name`, light swatch, `without_name`, then `caption`.
// Returns the text drawn, for FlowLayout::record_text.
double pair_legend_height();
std::string draw_pair_legend(cairo_t* cr, double x, double y, double w, const std::string& with_name,
                             const std::string& without_name, const std::string& caption);

}  // namespace rumi::report
