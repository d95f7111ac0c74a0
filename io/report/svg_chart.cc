// Inline SVG bars and histograms (svg_chart.h).
#include "io/report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace nudge::report {

std::string html_escape(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string svg_bars(std::string_view title, const std::vector<Bar>& bars, std::optional<double> limit,
                     std::string_view number_format) {
  constexpr double kLabelW = 190, kPlotW = 420, kRowH = 22, kTop = 26, kNumW = 150;
  double lo = 0, hi = 0;
  for (const Bar& b : bars) {
    for (double v : {b.value, b.low.value_or(0), b.high.value_or(0)})
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  if (limit) hi = std::max(hi, *limit);
  if (hi == lo) hi = lo + 1;
  auto x = [&](double v) { return kLabelW + (v - lo) / (hi - lo) * kPlotW; };
  const double height = kTop + kRowH * static_cast<double>(bars.size()) + 8;
  std::string s = fmt::format(
      "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\" "
      "aria-label=\"{}\"><text class=\"title\" x=\"4\" y=\"16\">{}</text>\n",
      kLabelW + kPlotW + kNumW, height, html_escape(title), html_escape(title));
  const double zero = x(0);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double y = kTop + kRowH * static_cast<double>(i);
    const std::string num = std::isfinite(b.value) ? fmt::format(fmt::runtime(number_format), b.value) : "-";
    s += fmt::format("<text class=\"label\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", kLabelW - 6, y + 15,
                     html_escape(b.label));
    if (std::isfinite(b.value)) {
      const double x0 = std::min(zero, x(b.value)), w = std::max(std::fabs(x(b.value) - zero), 0.5);
      s += fmt::format(
          "<rect class=\"{}\" data-label=\"{}\" data-value=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
          "height=\"{}\"/>",
          b.css, html_escape(b.label), b.value, x0, y + 3, w, kRowH - 6);
    }
    if (b.low && b.high && std::isfinite(*b.low) && std::isfinite(*b.high))
      s += fmt::format("<line class=\"ci\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>", x(*b.low),
                       x(*b.high), y + kRowH / 2, y + kRowH / 2);
    s += fmt::format("<text class=\"num\" x=\"{}\" y=\"{:.1f}\">{}</text>\n", kLabelW + kPlotW + 6, y + 15, num);
  }
  if (lo < 0)
    s += fmt::format("<line class=\"zero\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2:.1f}\"/>", zero, kTop - 2,
                     height - 6);
  if (limit)
    s += fmt::format(
        "<line class=\"limit\" data-value=\"{3}\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2:.1f}\"/>", x(*limit),
        kTop - 4, height - 4, *limit);
  return s + "</svg>\n";
}

std::string svg_histogram(std::string_view title, const std::vector<double>& values, int bins) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  std::vector<Bar> bars;
  if (!(lo <= hi)) return svg_bars(title, bars);
  if (hi == lo) hi = lo + 1;
  std::vector<double> count(static_cast<std::size_t>(bins), 0);
  const double w = (hi - lo) / bins;
  for (double v : values)
    if (std::isfinite(v)) ++count[std::min<std::size_t>(static_cast<std::size_t>((v - lo) / w), count.size() - 1)];
  for (int i = 0; i < bins; ++i)
    bars.push_back({fmt::format("[{:g}, {:g}{}", lo + i * w, lo + (i + 1) * w, i + 1 == bins ? "]" : ")"),
                    count[static_cast<std::size_t>(i)]});
  return svg_bars(title, bars);
}

}  // namespace nudge::report
