// RS-1's greedy arbitration recomputed from the CandidateStore, as the
// baseline the optimiser reports against: each member's budget walk
// (engine/decide/arbitration.h walk_budget), then every channel with a
// capacity keeps its first C decisions in rank order (priority desc,
// customer_id, action: decision.h ranks_before), with no replacement. It is
// the decision set `mode = "greedy"` outputs (tests check they agree).
// min_volume, max_volume and money_budget are not part of the greedy rule;
// the report shows the greedy usage of each.
//
// Thread-safety: uses the caller's oneTBB arena.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/optimise/problem.h"

namespace nudge::optimise {

struct Greedy {
  std::vector<uint64_t> set;          // per member: the decisions kept after channel capacity
  std::vector<uint64_t> walk_capped;  // per action: candidates the walk stopped at a frequency cap
  double objective = 0;               // sum of the kept priorities
};

Greedy greedy_baseline(const Problem& p, std::size_t actions, const std::vector<std::optional<uint64_t>>& capacity,
                       const std::vector<std::size_t>& action_channel);

// Sum of the priorities in each member's set, summed chunk by chunk (problem.h).
double objective_of(const Problem& p, const std::vector<uint64_t>& set);

}  // namespace nudge::optimise
