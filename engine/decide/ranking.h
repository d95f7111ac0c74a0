// Ranking: global channel capacity and the top-K cut over all decisions of a
// sweep (RS-1, shared/WORKLOAD.md "Arbitration" steps 3-4).
//
//   1. Channel capacity: for each channel with a capacity C, the decisions on
//      that channel are ordered by ranks_before (decision.h: priority desc,
//      customer_id, action index) and all after the first C are dropped. A
//      dropped decision is not replaced by another candidate of that member,
//      and the member's other decision keeps the budget_left the walk gave it.
//   2. Top-K: the remaining decisions in ranks_before order, first K (all
//      when K is not given).
// Both steps only select and order by a strict total order, so the result is
// the same for any split of the decisions into parts (threads, batches).
// Work: one nth_element per capacity channel over that channel's decisions,
// one nth_element per part in parallel (oneTBB) down to K, one over the
// concatenated survivors, then a parallel sort of the final K.
//
// Thread-safety: rank_decisions uses the calling thread's oneTBB arena; the
// parts are modified (dropped decisions removed, cut to K) and owned by the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/decide/decision.h"

namespace nudge::decide {

struct RankingInput {
  std::vector<std::optional<uint64_t>> channel_capacity;  // per channel
  std::vector<uint16_t> action_channel;                   // channel index per action
  std::optional<std::size_t> top_k;                       // nullopt = every decision
};

struct RankingResult {
  std::vector<Decision> ranked;                    // first K decisions in rank order
  uint64_t decisions = 0;                          // decisions after channel capacity (before the K cut)
  std::vector<uint64_t> dropped_by_capacity;       // per action
  std::vector<uint64_t> in_top_k;                  // per action: decisions in `ranked`
  // Per channel with a capacity that was reached: the last decision it kept
  // (a decision on that channel survived iff it is not ranked after this one).
  std::vector<std::optional<Decision>> capacity_cutoff;
};

RankingResult rank_decisions(std::vector<std::vector<Decision>>& parts, const RankingInput& in);

}  // namespace nudge::decide
