// Per-member arbitration: candidate order and the budget walk (arbitration.h).
#include "engine/decide/arbitration.h"

namespace nudge::decide {

void order_candidates(Candidate* c, std::size_t n) noexcept {
  for (std::size_t i = 1; i < n; ++i) {
    Candidate x = c[i];
    std::size_t j = i;
    // Strictly "ranks before": equal priorities keep the lower action first.
    while (j > 0 &&
           (x.priority > c[j - 1].priority || (x.priority == c[j - 1].priority && x.action < c[j - 1].action))) {
      c[j] = c[j - 1];
      --j;
    }
    c[j] = x;
  }
}

std::size_t walk_budget(const Candidate* c, std::size_t n, double budget, std::size_t max_kept, int64_t* cap_allowance,
                        Gate* gate, double* budget_left) noexcept {
  std::size_t kept = 0;
  double remaining = budget;
  for (std::size_t i = 0; i < n; ++i) {
    bool capped = false;
    for (uint64_t m = c[i].cap_mask; m; m &= m - 1) capped |= cap_allowance[__builtin_ctzll(m)] <= 0;
    if (capped) {
      gate[i] = Gate::FrequencyCap;
    } else if (!(remaining > 0) || c[i].cost > remaining) {  // a budget of 0 or less fits nothing
      gate[i] = Gate::Budget;
    } else if (kept >= max_kept) {
      gate[i] = Gate::MemberMax;
    } else {
      gate[i] = Gate::Kept;
      remaining -= c[i].cost;
      budget_left[i] = remaining;
      for (uint64_t m = c[i].cap_mask; m; m &= m - 1) --cap_allowance[__builtin_ctzll(m)];
      ++kept;
    }
  }
  return kept;
}

}  // namespace nudge::decide
