// Every member's basket use before a sweep, whether the basket is a column of
// the population or computed from the contact history (`nudge diff`, the HTML
// report's pressure and remaining-budget histograms).
//
//   std::vector<double> used = nudge::report::basket_used(bound, hp.get());
//
// Shape: one value per population row, in points; NaN where the basket is
// unknown (a NULL used column, or a history basket without `inputs`).
// With a history basket, `inputs` (the sweep's SweepOptions::inputs) is filled
// batch by batch (expr::kBatchRows rows), as the sweep does.
// Thread-safety: calls inputs->fill from the calling thread only.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/member_inputs.h"
#include "engine/expr/program.h"

namespace nudge::report {

inline std::vector<double> basket_used(const decide::BoundCampaign& b, const decide::MemberInputSource* inputs) {
  const std::size_t n = b.population().rows();
  std::vector<double> out(n, NAN);
  if (b.basket_used().column) {
    for (std::size_t row = 0; row < n; ++row)
      if (auto u = b.basket_used().used_at(row)) out[row] = *u;
  } else if (inputs) {
    decide::MemberInputs in;
    for (std::size_t begin = 0; begin < n; begin += expr::kBatchRows) {
      const std::size_t count = std::min(expr::kBatchRows, n - begin);
      inputs->fill(begin, count, in);
      std::copy(in.basket_used.begin(), in.basket_used.begin() + static_cast<std::ptrdiff_t>(count),
                out.begin() + static_cast<std::ptrdiff_t>(begin));
    }
  }
  return out;
}

}  // namespace nudge::report
