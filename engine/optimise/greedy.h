// RS-1's greedy arbitration recomputed from the CandidateStore's (priced)
// members, as the baseline the optimiser reports against (the settled
// members' part comes from the sweep's own walk, candidate_store.h): each member's budget walk
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

#include "engine/optimise/exact_sum.h"
#include "engine/optimise/problem.h"

namespace nudge::optimise {

struct Greedy {
  std::vector<uint64_t> set;          // per member: the decisions kept after channel capacity
  std::vector<uint64_t> walk_capped;  // per action: candidates the walk stopped at a frequency cap
  ExactSum objective;                 // the kept priorities, summed exactly
};

Greedy greedy_baseline(const Problem& p, std::size_t actions, const std::vector<std::optional<uint64_t>>& capacity,
                       const std::vector<std::size_t>& action_channel);

// The priorities in every stored member's set, summed exactly (exact_sum.h).
ExactSum objective_of(const Problem& p, const std::vector<uint64_t>& set);

}  // namespace nudge::optimise
