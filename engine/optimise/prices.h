// Dual prices for the global constraints: a few passes over the active
// members (engine/optimise/README.md "Prices").
//
// A pass at prices (lambda, nu):
//   1. every active member takes its exact best set at those prices
//      (member_choice.h), which gives the Lagrangian dual function
//        L(lambda, nu) = sum_members V_m(lambda, nu) + sum_k lambda_k limit_k - sum_l nu_l limit_l,
//      an upper bound on the best total priority of any feasible set of
//      decisions (weak duality: every member problem is solved exactly);
//   2. each member bids for each upper constraint k its candidates use: the
//      value it loses if k is closed to it, with k free and every other
//      price as it is, per unit of k it would use; for each lower
//      constraint (min_volume of action a), the value it loses if forced to
//      take a;
//   3. every price moves, at once, to the price that clears its constraint
//      given those bids: lambda_k = the bid at which the units bidding more
//      first exceed limit_k (0 when all bids fit); nu_l = just above the
//      limit_l-th smallest loss (everyone's, when fewer members can take a).
// Passes stop when the prices repeat (to 1e-9 relative), when 5 passes in a
// row did not lower L, or after max_passes. The
// solution uses the prices of the pass with the lowest L (the tightest bound),
// the bound reported is that lowest L.
//
// Determinism: bids are a multiset (the clearing price does not depend on
// their order) and totals are summed chunk by chunk (problem.h).
// Thread-safety: uses the caller's oneTBB arena.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/optimise/problem.h"

namespace nudge::optimise {

struct PassLog {
  double dual = 0;  // L at this pass's prices
  std::vector<double> lambda, nu;
  double seconds = 0;
};

struct Prices {
  std::vector<double> lambda, nu;  // the solution's prices
  double dual_bound = 0;           // min over passes of L
  std::size_t passes = 0;          // pricing passes (each with bids)
  bool converged = false;          // prices repeated (to 1e-9 relative)
  bool stalled = false;            // stopped because L stopped falling
  std::vector<PassLog> log;
};

// Every member's best set at the given prices into set[m] (members()
// entries); returns L(lambda, nu).
double solve_at(const Problem& p, const std::vector<double>& lambda, const std::vector<double>& nu,
                std::vector<uint64_t>& set);

// Finds the prices and leaves in set[m] each member's best set at them.
Prices find_prices(const Problem& p, std::size_t max_passes, std::vector<uint64_t>& set);

}  // namespace nudge::optimise
