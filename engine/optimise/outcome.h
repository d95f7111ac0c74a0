// One member's final set as output: its decisions and the funnel counts of
// the candidates it leaves out (optimise.h "Funnel in optimise mode"). Used
// for the members the sweep settles at once (candidate_store.h) and for the
// optimised ones (optimise.cc), so both are counted by the same rule.
//
// For each candidate c[i] in walk order (priority desc, action):
//   kept (bit i of `kept`): funnel kept + 1, and emit(candidate, budget_left)
//     with budget_left = budget minus the costs of the kept ones up to and
//     including it;
//   otherwise the first that holds of: the member has max_kept decisions
//     (member_max), it does not fit the budget next to the kept ones
//     (budget), a frequency cap has no allowance left after the kept ones
//     (frequency_cap), else capacity (left out although it fits the member).
// `funnel` is indexed by action. Thread-safety: pure, caller-owned arrays.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/decide/sweep.h"
#include "engine/optimise/member_choice.h"

namespace nudge::optimise {

template <class Emit>
void member_outcome(const MemberProblem& mp, uint64_t kept, decide::ActionFunnel* funnel, Emit&& emit) {
  double left = mp.budget, spent = 0;
  int64_t used[64];
  for (std::size_t j = 0; j < mp.caps; ++j) used[j] = 0;
  for (uint64_t k = kept; k; k &= k - 1) {
    const auto& cd = mp.c[__builtin_ctzll(k)];
    spent += cd.cost;
    for (uint64_t mk = cd.cap_mask; mk; mk &= mk - 1) ++used[__builtin_ctzll(mk)];
  }
  const std::size_t count = static_cast<std::size_t>(__builtin_popcountll(kept));
  for (std::size_t i = 0; i < mp.n; ++i) {
    const auto& cd = mp.c[i];
    auto& f = funnel[cd.action];
    if (kept >> i & 1) {
      left -= cd.cost;
      ++f.kept;
      emit(cd, left);
      continue;
    }
    bool capped = false;
    for (uint64_t mk = cd.cap_mask; mk; mk &= mk - 1)
      capped |= used[__builtin_ctzll(mk)] >= mp.allowance[__builtin_ctzll(mk)];
    if (count >= mp.max_kept) ++f.member_max;
    else if (!(mp.budget > 0) || spent + cd.cost > mp.budget) ++f.budget;
    else if (capped) ++f.frequency_cap;
    else ++f.capacity;
  }
}

}  // namespace nudge::optimise
