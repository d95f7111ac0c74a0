// Arbitration of one member: order the member's candidates and walk the
// contact-pressure basket (RS-1, shared/WORKLOAD.md "Arbitration" step 2).
//
// A candidate is an action whose trigger is TRUE for the member and which
// consent, suppression and the frequency caps (as they stand before the
// sweep) allow. arbitrate_member():
//   1. orders the candidates by priority, highest first; ties by the lower
//      action index (action order in the campaign file);
//   2. walks them in that order and, for each, applies the first gate that
//      stops it, in this order:
//        - FrequencyCap: a frequency cap covering its channel has no
//          allowance left (decisions kept earlier in this walk count);
//        - Budget: the remaining budget is <= 0, or cost > remaining budget
//          (a candidate that does not fit is skipped; a cheaper later one may
//          still fit);
//        - MemberMax: max_kept decisions are already kept;
//      otherwise it is Kept: the remaining budget drops by its cost and every
//      cap covering its channel loses one contact of allowance.
// Costs and budgets are points in double; the comparison cost <= remaining is
// exact double arithmetic (RS-1's costs and pressure values are multiples of
// 0.5, so every subtraction is exact).
//
// This is the one implementation the sweep and `nudge explain` both use; the
// tests hold an independent one (tests/oracles/decide_reference.h).
//
// Thread-safety: pure functions over caller-owned arrays.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/decide/decision.h"

namespace nudge::decide {

inline constexpr std::size_t kMaxFrequencyCaps = 64;  // caps per campaign (one bit each)

struct Candidate {
  double priority = 0;    // finite
  double cost = 0;        // points, >= 0
  uint32_t action = 0;    // index into Campaign::actions
  uint64_t cap_mask = 0;  // bit j: frequency cap j covers this candidate's channel
};

// Sorts c[0..n) by priority (highest first), then action index. n is small
// (at most the number of actions): insertion sort.
void order_candidates(Candidate* c, std::size_t n) noexcept;

// Walks c[0..n) (already ordered) against `budget` points and `max_kept`.
// cap_allowance[j] is the contacts cap j still allows (updated in place for
// kept candidates). Writes gate[i] (Kept, FrequencyCap, Budget or MemberMax)
// and, for kept ones, budget_left[i] = the budget remaining after it.
// Returns the number kept.
std::size_t walk_budget(const Candidate* c, std::size_t n, double budget, std::size_t max_kept, int64_t* cap_allowance,
                        Gate* gate, double* budget_left) noexcept;

}  // namespace nudge::decide
