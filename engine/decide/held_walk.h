// Action-level holdouts in [arbitration] mode = "optimise" (the sweep with a
// MemberSink, engine/decide/member_sink.h): a member held out of action a
// (its own share or its dialogue's, engine/holdout/campaign_holdout.h) keeps
// a's candidate as a control decision, walked ALONE against the member's
// gates (basket, max_decisions_per_member, frequency caps as they stood
// before the walk); the member's other candidates go to the optimiser as if
// a were not there. The control decision costs no capacity, volume or money
// and is never priced (engine/optimise/README.md "Holdouts").
//
//   std::size_t k = split_held(cands, n, held, [&](uint32_t a) { return h.action_held(a, id); });
//   n -= k;  // cands[0..n): priced; held[0..k): walked by walk_alone
//
// Thread-safety: pure functions on the caller's buffers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "engine/decide/arbitration.h"

namespace nudge::decide {

// Moves the candidates of c[0..n) whose action is held (is_held(action)) to
// held[0..k) and compacts the others to c[0..n-k), both in walk order;
// returns k. `held` has room for n.
template <class IsHeld>
std::size_t split_held(Candidate* c, std::size_t n, Candidate* held, IsHeld&& is_held) {
  std::size_t kept = 0, k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (is_held(c[i].action)) held[k++] = c[i];
    else c[kept++] = c[i];
  }
  return k;
}

// The gate of candidate `c` walked as the member's only candidate: Kept,
// FrequencyCap, Budget or MemberMax (walk_budget's rules); *left is the budget
// after it when kept. `allowance` (caps entries) is not changed; `scratch`
// has room for caps entries.
inline Gate walk_alone(const Candidate& c, double budget, std::size_t max_kept, const int64_t* allowance,
                       std::size_t caps, int64_t* scratch, double* left) noexcept {
  std::copy(allowance, allowance + caps, scratch);
  Gate g = Gate::Kept;
  walk_budget(&c, 1, budget, max_kept, scratch, &g, left);
  return g;
}

}  // namespace nudge::decide
