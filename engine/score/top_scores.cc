#include "engine/score/top_scores.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nudge::score {

std::vector<uint32_t> top_scores(const std::vector<double>& scores, const uint64_t* ids, std::size_t n) {
  std::vector<uint32_t> rows(scores.size());
  std::iota(rows.begin(), rows.end(), 0u);
  auto better = [&](uint32_t a, uint32_t b) {
    const double x = scores[a], y = scores[b];
    if (std::isnan(x) != std::isnan(y)) return std::isnan(y);  // numbers before NaN
    if (x != y && !std::isnan(x)) return x > y;
    if (ids && ids[a] != ids[b]) return ids[a] < ids[b];
    return a < b;
  };
  n = std::min(n, rows.size());
  std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n), rows.end(), better);
  rows.resize(n);
  return rows;
}

}  // namespace nudge::score
