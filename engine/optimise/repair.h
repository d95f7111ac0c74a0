// From the members' best sets at the final prices to a feasible solution
// (engine/optimise/README.md "Repair"). Three deterministic steps:
//
//   1. Drop: for every upper constraint its sets exceed (two members bidding
//      exactly the price, or prices not yet settled), the decisions using
//      any exceeded constraint are taken in the order
//        reduced priority (priority - shift at the final prices) desc,
//        then customer_id, then action index
//      and kept while every upper constraint they use has room; the others
//      are dropped. Decisions using no exceeded constraint stay.
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
  uint64_t dropped = 0;                 // decisions removed in step 1
  uint64_t refilled = 0;                // decisions added in step 2
  uint64_t min_filled = 0;              // decisions added in step 3
  std::vector<double> upper_usage;      // per upper constraint, after repair
  std::vector<double> lower_usage;      // per lower constraint, after repair
};

// Usage of every upper and lower constraint by the sets (summed chunk by chunk).
void constraint_usage(const Problem& p, const std::vector<uint64_t>& set, std::vector<double>& upper,
                      std::vector<double>& lower);

RepairStats repair(const Problem& p, const std::vector<double>& shift, std::vector<uint64_t>& set);

}  // namespace nudge::optimise
