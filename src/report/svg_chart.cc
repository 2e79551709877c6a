#include "report/svg_chart.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "report/html_index.h"

namespace rumi::report {

namespace {

// Geometry in viewBox units; the page scales the whole chart to its column width.
constexpr double kBarWidth = 330, kBarLeft = 6, kBarValueSpace = 100, kBarRow = 40, kBarHeight = 16;
constexpr double kStripWidth = 480, kStripLabel = 100, kStripRight = 14, kStripRow = 46;

std::string num(double v) { return svg_number(v, 1); }

double axis_end(double given, double largest) {
  if (given > 0) return given;
  return nice_ticks(largest).back();
}

// The axis line, its ticks and tick labels, and the axis label under them.
std::string axis(double x0, double x1, double y, double end, int decimals, std::string_view label) {
  std::string s =
      fmt::format("<line class=\"ax\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", num(x0), num(y), num(x1), num(y));
  for (double t : nice_ticks(end)) {
    if (t > end + 1e-9) break;
    const double x = x0 + (x1 - x0) * t / end;
    s += fmt::format("<line class=\"tk\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", num(x), num(y), num(y + 4));
    s += fmt::format("<text class=\"tl\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", num(x), num(y + 15),
                     svg_number(t, t == std::floor(t) ? 0 : decimals));
  }
  s += fmt::format("<text class=\"al\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", num((x0 + x1) / 2),
                   num(y + 30), html_escape(label));
  return s;
}

std::string open_svg(std::string_view id, double w, double h, std::string_view title, std::string_view desc) {
  const std::string eid = html_escape(id);
  return fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-labelledby=\"{2}-t {2}-d\">"
      "<title id=\"{2}-t\">{3}</title><desc id=\"{2}-d\">{4}</desc>",
      num(w), num(h), eid, html_escape(title), html_escape(desc));
}

}  // namespace

std::string svg_number(double v, int decimals) {
  if (!std::isfinite(v)) v = 0;
  decimals = std::clamp(decimals, 0, 6);
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);  // "-0.0"
  return s;
}

std::vector<double> nice_ticks(double max_value, int target) {
  if (!std::isfinite(max_value) || max_value <= 0) return {0, 1};
  target = std::max(target, 1);
  const double raw = max_value / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * mag;
  for (double m : {1.0, 2.0, 5.0})
    if (m * mag >= raw - 1e-12 * raw) {
      step = m * mag;
      break;
    }
  std::vector<double> t;
  const int n = static_cast<int>(std::ceil(max_value / step - 1e-9));
  for (int i = 0; i <= std::max(n, 1); ++i) t.push_back(i * step);
  return t;
}

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const double h = (static_cast<double>(sorted.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::string svg_bar_chart(const BarChart& c) {
  double largest = 0;
  for (const auto& b : c.bars)
    if (std::isfinite(b.value)) largest = std::max(largest, b.value);
  const double end = axis_end(c.max_value, largest);
  const double x0 = kBarLeft, x1 = kBarWidth - kBarValueSpace;
  const double top = 22;
  const double axis_y = top + static_cast<double>(c.bars.size()) * kBarRow + 4;
  const double h = axis_y + 38;

  std::string desc;
  for (const auto& b : c.bars) {
    if (!desc.empty()) desc += "; ";
    desc += b.label + ": " + (b.value_label.empty() ? svg_number(b.value, c.decimals) : b.value_label);
  }
  std::string s = open_svg(c.id, kBarWidth, h, c.title, desc);
  s += fmt::format("<text class=\"ct\" x=\"{}\" y=\"14\">{}</text>", num(x0), html_escape(c.title));
  for (std::size_t i = 0; i < c.bars.size(); ++i) {
    const ChartBar& b = c.bars[i];
    const double y = top + static_cast<double>(i) * kBarRow;
    const double v = std::isfinite(b.value) ? std::clamp(b.value, 0.0, end) : 0;
    const double w = (x1 - x0) * v / end;
    s += fmt::format("<text class=\"bl\" x=\"{}\" y=\"{}\">{}</text>", num(x0), num(y + 11), html_escape(b.label));
    s += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", b.highlight ? "b1" : "b0",
                     num(x0), num(y + 15), num(w), num(kBarHeight));
    s += fmt::format("<text class=\"bv\" x=\"{}\" y=\"{}\">{}</text>", num(x0 + w + 5), num(y + 27),
                     html_escape(b.value_label.empty() ? svg_number(b.value, c.decimals) : b.value_label));
  }
  s += axis(x0, x1, axis_y, end, c.decimals, c.axis_label);
  s += "</svg>";
  return s;
}

std::string svg_strip_plot(const StripPlot& p) {
  std::vector<std::vector<double>> sorted;
  double largest = 0;
  for (const auto& r : p.rows) {
    std::vector<double> v;
    for (double x : r.values)
      if (std::isfinite(x)) v.push_back(x);
    std::sort(v.begin(), v.end());
    if (!v.empty()) largest = std::max(largest, v.back());
    sorted.push_back(std::move(v));
  }
  const double end = axis_end(p.max_value, largest);
  const double x0 = kStripLabel, x1 = kStripWidth - kStripRight;
  const double top = 24;
  const double axis_y = top + static_cast<double>(p.rows.size()) * kStripRow + 2;
  const double h = axis_y + 38;
  const auto xpos = [&](double v) { return x0 + (x1 - x0) * std::clamp(v, 0.0, end) / end; };

  std::string desc;
  for (std::size_t i = 0; i < p.rows.size(); ++i) {
    const auto& v = sorted[i];
    if (!desc.empty()) desc += "; ";
    desc += p.rows[i].label + ": ";
    if (v.empty()) {
      desc += "no values";
      continue;
    }
    desc += fmt::format("{} values, median {}{}, middle half {}{} to {}{}, range {}{} to {}{}", v.size(),
                        num(quantile_sorted(v, 0.5)), p.unit, num(quantile_sorted(v, 0.25)), p.unit,
                        num(quantile_sorted(v, 0.75)), p.unit, num(v.front()), p.unit, num(v.back()), p.unit);
  }
  std::string s = open_svg(p.id, kStripWidth, h, p.title, desc);
  s += fmt::format("<text class=\"ct\" x=\"4\" y=\"14\">{}</text>", html_escape(p.title));
  for (std::size_t i = 0; i < p.rows.size(); ++i) {
    const StripRow& r = p.rows[i];
    const auto& v = sorted[i];
    const double y = top + static_cast<double>(i) * kStripRow;
    const double mid = y + kStripRow / 2;
    s += fmt::format("<g class=\"{}\">", r.muted ? "row mu" : "row");
    s += fmt::format("<text class=\"rl\" x=\"4\" y=\"{}\">{}</text>", num(y + 17), html_escape(r.label));
    if (!r.note.empty())
      s += fmt::format("<text class=\"rn\" x=\"4\" y=\"{}\">{}</text>", num(y + 31), html_escape(r.note));
    if (!v.empty()) {
      const double q1 = quantile_sorted(v, 0.25), med = quantile_sorted(v, 0.5), q3 = quantile_sorted(v, 0.75);
      s += fmt::format("<line class=\"wh\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", num(xpos(v.front())), num(mid),
                       num(xpos(v.back())), num(mid));
      s += fmt::format("<rect class=\"bx\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"20\"/>", num(xpos(q1)),
                       num(mid - 10), num(xpos(q3) - xpos(q1)));
      // Every k-th value by rank keeps the shape of a large bucket without thousands of dots.
      const std::size_t step = p.max_dots > 0 ? std::max<std::size_t>(1, (v.size() + p.max_dots - 1) / p.max_dots) : 1;
      for (std::size_t k = 0; k < v.size(); k += step) {
        const double spread = std::fmod(static_cast<double>(k) * 0.6180339887, 1.0) - 0.5;  // golden-ratio spacing
        s += fmt::format("<circle class=\"dt\" cx=\"{}\" cy=\"{}\" r=\"2.2\"/>", num(xpos(v[k])),
                         num(mid + spread * (kStripRow - 14)));
      }
      s += fmt::format("<line class=\"md\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", num(xpos(med)),
                       num(mid - 13), num(mid + 13));
    }
    s += "</g>";
  }
  s += axis(x0, x1, axis_y, end, 1, p.axis_label);
  s += "</svg>";
  return s;
}

}  // namespace rumi::report
