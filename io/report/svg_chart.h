// Small inline SVG charts for the HTML report (html_report.h): written by
// hand, no scripts, no external resources, so the page renders offline.
//
// Every bar is <rect class="bar" data-label="..." data-value="..."> and its
// number is printed beside it as text, so a test (or a reader with a text
// browser) finds the figures in the DOM. Values are plain doubles; negative
// values (uplift) are drawn left of a zero line. NaN values draw no bar and
// print "-".
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nudge::report {

struct Bar {
  Bar(std::string l, double v, std::string c = "bar") : label(std::move(l)), value(v), css(std::move(c)) {}
  Bar(std::string l, double v, std::optional<double> lo, std::optional<double> hi, std::string c = "bar")
      : label(std::move(l)), value(v), low(lo), high(hi), css(std::move(c)) {}
  std::string label;
  double value = 0;
  std::optional<double> low, high;  // a confidence interval drawn as a whisker
  std::string css = "bar";          // extra class, e.g. "bar kept"
};

// Horizontal bars, one row each; `limit` draws a dashed line (e.g. a capacity).
std::string svg_bars(std::string_view title, const std::vector<Bar>& bars, std::optional<double> limit = {},
                     std::string_view number_format = "{:.0f}");

// A histogram of `values` over `bins` equal bins between min and max (NaN skipped).
std::string svg_histogram(std::string_view title, const std::vector<double>& values, int bins = 20);

// Text escaped for HTML/SVG.
std::string html_escape(std::string_view s);

}  // namespace nudge::report
