// From the members' best sets at the final prices to a feasible solution
// (engine/optimise/README.md "Repair"). Deterministic steps:
//
//   0. Minimums: for each action below its min_volume (action order), the
//      members that can take it are ranked by their loss (best value at the
//      final prices minus best value with the action forced in) asc, then
//      customer_id; the first ones are made to take it, up to the minimum.
//   1. Close: while an upper constraint k is exceeded (members bidding
//      exactly its price, or prices not yet settled), its users are ranked
//      by their loss (the member's best value at the final prices minus its
//      best value with k closed to it) desc, then customer_id; users are
//      kept in that order while k has room, and every other user has k
//      closed and re-chooses its best set at the final prices without it
//      (which may move it onto another constraint: rounds repeat until no
//      constraint is exceeded; each closes one constraint for one member,
//      so they end). Decisions forced by step 0 are ranked first.
//   2. Refill: every active member's candidates not in its set, of positive
//      priority, that fit the member (count, budget, frequency caps), in the
//      order priority desc, customer_id, action index, are added while the
//      member still has room and every upper constraint they use has room.
//   3. Min volumes: for each action below its min_volume, in action order,
//      its candidates that fit as in step 2, in the same order, are added
//      until the minimum is met; what is still missing is reported.
// The order is total (a member holds an action at most once), so the
// result does not depend on the thread count.
//
// Thread-safety: uses the caller's oneTBB arena.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/optimise/problem.h"

namespace nudge::optimise {

struct RepairStats {
  uint64_t dropped = 0;             // decisions members gave up in step 1
  uint64_t refilled = 0;            // decisions added in step 2
  uint64_t min_filled = 0;          // decisions added in step 3
  std::vector<double> upper_usage;  // per upper constraint, after repair
  std::vector<double> lower_usage;  // per lower constraint, after repair
};

// Usage of every upper and lower constraint by the sets (summed chunk by chunk).
void constraint_usage(const Problem& p, const std::vector<uint64_t>& set, std::vector<double>& upper,
                      std::vector<double>& lower);

RepairStats repair(const Problem& p, const std::vector<double>& shift, std::vector<uint64_t>& set);

}  // namespace nudge::optimise
