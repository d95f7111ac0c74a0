// The optimiser's shared state: the members' candidates, the global
// constraints and each member's current set (engine/optimise/README.md).
//
// Members are numbered as in the CandidateStore (ascending row). A member is
// "active" when one of its candidates uses a global constraint: only active
// members can change their set when prices move, so the price passes walk
// only them. Work is split into fixed chunks of kChunk members (never by
// thread), and every floating-point total is summed chunk by chunk in chunk
// order, so results do not depend on the thread count.
//
// Thread-safety: Problem is read-only during a pass; `set` is written by one
// chunk per member.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/optimise/candidate_store.h"
#include "engine/optimise/constraints.h"
#include "engine/optimise/member_choice.h"

namespace nudge::optimise {

inline constexpr std::size_t kChunk = 2048;

struct Problem {
  const CandidateStore* store = nullptr;
  const ConstraintSet* cons = nullptr;
  std::size_t max_kept = 1;
  std::vector<uint32_t> active;  // member indices, ascending

  MemberProblem member(std::size_t m) const noexcept {
    const auto& s = *store;
    return {s.cand.data() + s.off[m], s.off[m + 1] - s.off[m], s.budget[m], max_kept, s.allowance(m), s.caps()};
  }
  // Usage of upper constraint k by member m's set.
  double usage(std::size_t m, uint64_t set, std::size_t k) const noexcept;
};

// Calls f(chunk_index, begin, end) for the chunks of [0, n), in parallel.
template <class F>
void for_chunks(std::size_t n, F&& f);

}  // namespace nudge::optimise

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace nudge::optimise {

template <class F>
void for_chunks(std::size_t n, F&& f) {
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t c = r.begin(); c != r.end(); ++c) f(c, c * kChunk, std::min(n, (c + 1) * kChunk));
  });
}

inline double Problem::usage(std::size_t m, uint64_t set, std::size_t k) const noexcept {
  double u = 0;
  const auto* c = store->cand.data() + store->off[m];
  for (; set; set &= set - 1) {
    const auto a = c[__builtin_ctzll(set)].action;
    for (const Use& x : cons->action_upper[a])
      if (x.k == k) u += x.w;
  }
  return u;
}

}  // namespace nudge::optimise
