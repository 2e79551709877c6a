#pragma once
// Small inline SVG charts for the HTML dashboards: a horizontal bar chart and a strip plot with
// a box per row. Pure functions from numbers to markup.
//
// Rules, and why:
// * Inline and self-contained: no xmlns URL, no script, no external font or stylesheet; the
//   page's CSS sizes the chart (width 100 %, fixed aspect ratio from the viewBox), so one chart
//   reads on a 390 px phone and a 1280 px laptop.
// * Accessible: role="img", a <title> and a <desc> that state every value in words, and text
//   labels on every bar and row, so the numbers do not depend on seeing colours.
// * Deterministic: numbers are printed with a fixed number of decimals (no locale, no "-0"),
//   dots of a strip plot are spread by their rank, not at random: same inputs, same bytes.
// * Every string is HTML-escaped here; callers pass plain text.
#include <string>
#include <string_view>
#include <vector>

namespace rumi::report {

// Fixed-point text with `decimals` digits; "-0.0" is printed as "0.0"; non-finite as "0".
std::string svg_number(double v, int decimals = 1);

// Round tick values 0, step, 2*step, ... covering [0, max_value] with about `target` steps
// (step 1, 2 or 5 times a power of ten). At least {0, 1} for a non-positive max.
std::vector<double> nice_ticks(double max_value, int target = 5);

// Linear-interpolation quantile (type 7) of ascending values; q in [0, 1]; 0 for an empty set.
double quantile_sorted(const std::vector<double>& sorted, double q);

struct ChartBar {
  std::string label;        // left of / above the bar ("with the element")
  double value = 0;         // bar length, in the axis unit
  std::string value_label;  // printed at the bar's end ("11.7 % (n 24)"); empty = the value
  bool highlight = false;   // drawn in the accent colour
};

struct BarChart {
  std::string id;          // unique in the page (for aria-labelledby)
  std::string title;       // <title>, also the visible caption inside the chart
  std::string axis_label;  // under the axis, e.g. "median engagement rate (%)"
  std::vector<ChartBar> bars;
  double max_value = 0;  // axis end; 0 = the largest bar's nice tick
  int decimals = 1;      // of the default value labels and the ticks
};

// Horizontal bars, one row per bar, label above the bar, value at its end, an axis with ticks.
std::string svg_bar_chart(const BarChart& c);

struct StripRow {
  std::string label;           // "0-15s"
  std::vector<double> values;  // any order; non-finite values are dropped
  std::string note;            // after the label, e.g. "66 videos"
  bool muted = false;          // e.g. a bucket with insufficient data: drawn grey
};

struct StripPlot {
  std::string id;
  std::string title;
  std::string axis_label;  // "engagement rate (%)"
  std::vector<StripRow> rows;
  std::string unit = " %";  // after numbers in the description ("median 6.5 %")
  double max_value = 0;     // axis end; 0 = the largest value's nice tick; larger values sit at the end
  int max_dots = 300;       // per row; beyond it every k-th value (by rank) is drawn
};

// One row per series: every value a dot (spread vertically by rank), a box from the first to
// the third quartile with the median marked, whiskers to the smallest and largest value.
std::string svg_strip_plot(const StripPlot& p);

}  // namespace rumi::report
