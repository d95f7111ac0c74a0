// Population optimisation: the decisions of all members chosen together to
// maximise their total priority under every member's rules and every global
// constraint (channel capacities, min/max volume per action, a money budget),
// by dual prices (engine/optimise/README.md has the method and a file map).
//
//   auto bound = nudge::decide::BoundCampaign::bind(campaign, pop);
//   nudge::optimise::ArbitratedSweep r = nudge::optimise::run_arbitrated_sweep(bound, {});
//   // r.sweep: as decide::run_sweep's result (ranked decisions, funnel)
//   // r.optimise: objective, greedy objective, prices, passes, dual bound (mode "optimise" only)
//
// With [arbitration] mode = "greedy" (the default) this is exactly
// decide::run_sweep. With "optimise": one sweep (triggers, gates, scores,
// candidates) that settles every member no global constraint concerns and
// keeps the others' candidates (candidate_store.h), the greedy baseline
// (greedy.h), price passes (prices.h), repair (repair.h), then the output
// in the sweep's rank order (decision.h).
// Output per decision as the sweep's; budget_left is the member's budget
// after its kept decisions taken in walk order (priority desc, action) up to
// and including this one. Funnel in optimise mode: budget, per-member max and
// frequency cap count the candidates the final set leaves out for that reason
// (in that order of checks: max, budget, cap), "capacity" those left out
// although they fit the member (a global constraint or its price).
// Holdouts: a member held out of the whole campaign ([holdout] global or
// campaign) is not optimised: its decisions are its own walk's (every member
// rule, as greedy), written with control = true, and use no capacity,
// volume or money budget (no price sees them); per-action or per-dialogue
// holdouts are refused in mode "optimise" (Usage).
// The result is the same for any thread count, batch size and instruction set.
//
// Errors: as run_sweep; Error(InvalidInput) for more than 64 upper constraints;
// Error(Usage) for an action or dialogue holdout in mode "optimise".
// Thread-safety: uses the calling thread's oneTBB arena.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/decide/sweep.h"

namespace nudge::optimise {

struct ConstraintReport {
  std::string name;    // "capacity call", "max_volume x", "money_budget", "min_volume x"
  bool lower = false;  // a minimum (>=) rather than a maximum (<=)
  double limit = 0;    // decisions, or CAD for the money budget
  double price = 0;    // dual price, priority points per unit (per decision, or per CAD)
  double usage = 0;    // in the optimised decisions
  double greedy_usage = 0;
};

struct OptimiseReport {
  double objective = 0;         // total priority of the optimised decisions
  double greedy_objective = 0;  // total priority of RS-1's greedy decisions on the same population
  double dual_bound = 0;        // Lagrangian dual bound: no feasible set of decisions has a higher total
  std::size_t passes = 0;       // pricing passes
  bool converged = false;       // the prices repeated (to 1e-9 relative)
  bool stalled = false;         // stopped after 5 passes without a lower dual bound
  bool fixed_prices = false;    // prices given by the caller (no passes, no repair)
  std::vector<ConstraintReport> constraints;
  std::vector<double> pass_dual;     // L at each pass's prices
  std::vector<double> pass_seconds;  // wall-clock per pass
  std::size_t members_with_candidates = 0;
  std::size_t active_members = 0;  // members with a candidate under a global constraint
  uint64_t repair_dropped = 0, refilled = 0, min_filled = 0;
  double sweep_seconds = 0, greedy_seconds = 0, price_seconds = 0, repair_seconds = 0, output_seconds = 0;
};

struct OptimiseOptions {
  // Testing and what-if: use these prices (upper constraints, then lower
  // ones, in ConstraintReport order) instead of finding them; the output is
  // then every member's best set at those prices, without repair.
  std::optional<std::vector<double>> fixed_prices;
};

struct ArbitratedSweep {
  decide::SweepResult sweep;
  std::optional<OptimiseReport> optimise;  // set in mode "optimise"
};

ArbitratedSweep run_arbitrated_sweep(const decide::BoundCampaign& bound, const decide::SweepOptions& options,
                                     const OptimiseOptions& opt = {});

// The report as text (after the funnel in `nudge sweep`) and as JSON.
std::string format_optimise_report(const OptimiseReport& r);
std::string optimise_report_json(const OptimiseReport& r);

}  // namespace nudge::optimise
