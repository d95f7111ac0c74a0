// One member's best set of decisions at given prices: the exact solution of
// the member's part of the Lagrangian relaxation (engine/optimise/README.md).
//
// Given the member's candidates c[0..n) (n <= 64), best_set() finds the set S
// maximising  sum_{i in S} (c[i].priority - shift[c[i].action])  subject to
// the member's own rules (RS-1, shared/WORKLOAD.md "Arbitration" step 2, for a
// set instead of a walk):
//   - |S| <= max_kept (max_decisions_per_member);
//   - budget > 0 and sum of costs <= budget (points; a NaN budget fits
//     nothing). Any such S can be kept by a walk: zero-cost ones first;
//   - for every frequency cap j, the members of S on its channels <= allowance[j];
//   - only candidates in `allowed` (bit i = c[i]) may be used; `forced` (if
//     >= 0) must be in S (value -inf when no feasible S holds it).
// Items of value <= 0 are never taken (unless forced): they cannot raise the sum.
//
// Exact: a depth-first search over the items of positive value in the order
// (value desc, index), pruned by value + the best `slots left` values still
// to come. Deterministic: the search order and the order of every sum are
// fixed by the input, and a set replaces the best one only when strictly
// better, so equal inputs give the same set on any thread.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/decide/arbitration.h"

namespace nudge::optimise {

struct MemberProblem {
  const decide::Candidate* c = nullptr;
  std::size_t n = 0;
  double budget = 0;  // points; NaN = unknown
  std::size_t max_kept = 1;
  const int64_t* allowance = nullptr;  // per frequency cap
  std::size_t caps = 0;
};

struct MemberChoice {
  uint64_t set = 0;  // bit i: c[i] kept
  double value = 0;  // sum of (priority - shift) over the set; -inf when infeasible (forced)
};

MemberChoice best_set(const MemberProblem& p, const double* shift, uint64_t allowed = ~uint64_t{0},
                      int forced = -1) noexcept;

}  // namespace nudge::optimise
