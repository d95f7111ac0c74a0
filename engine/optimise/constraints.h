// The global constraints of a population optimisation, built from a campaign
// (data/campaigns/README.md "[arbitration]"):
//
//   upper (<=) constraints, each with a dual price lambda >= 0:
//     channel capacity   decisions on the channel <= capacity (capacity or capacity_share of N)
//     action max volume  decisions of the action  <= max_volume
//     money budget       sum of money_cost (CAD)  <= [arbitration] money_budget
//   lower (>=) constraints, each with a dual price nu >= 0:
//     action min volume  decisions of the action  >= min_volume
//
// Every constraint's usage is a sum over decisions of a per-action weight (1,
// or money_cost for the budget), so a decision of action a is worth, at prices
// (lambda, nu), its priority minus shift[a] = sum_k lambda_k w_ka - nu_a.
//
// Thread-safety: immutable after build.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/decide/campaign.h"

namespace nudge::optimise {

enum class ConstraintKind : uint8_t { ChannelCapacity, ActionMax, MoneyBudget, ActionMin };

struct GlobalConstraint {
  ConstraintKind kind;
  std::size_t index = 0;  // channel (capacity) or action (volumes); 0 for the money budget
  double limit = 0;       // decisions, or CAD for the money budget
  std::string name;       // "capacity call", "max_volume premium_call", "money_budget", "min_volume tier_nudge"
  bool unit = true;       // every weight is 1 (counts of decisions)
};

struct Use {
  uint32_t k;  // constraint index
  double w;    // usage per decision
};

struct ConstraintSet {
  std::vector<GlobalConstraint> upper;
  std::vector<GlobalConstraint> lower;
  std::vector<std::vector<Use>> action_upper;  // per action: the upper constraints it uses
  std::vector<int> action_lower;               // per action: its lower constraint, or -1
  std::vector<uint64_t> action_upper_mask;     // per action: bit k = uses upper constraint k (k < 64)

  static ConstraintSet build(const decide::Campaign& c, std::size_t members);
  bool empty() const noexcept { return upper.empty() && lower.empty(); }

  // shift[a] for prices lambda (upper.size()) and nu (lower.size()).
  void shifts(const std::vector<double>& lambda, const std::vector<double>& nu, std::vector<double>& shift) const;
};

inline constexpr std::size_t kMaxUpperConstraints = 64;

}  // namespace nudge::optimise
