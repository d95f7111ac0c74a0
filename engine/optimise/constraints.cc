// Global constraints of a campaign (constraints.h).
#include "engine/optimise/constraints.h"

#include <fmt/format.h>

#include "engine/base/error.h"

namespace nudge::optimise {

ConstraintSet ConstraintSet::build(const decide::Campaign& c, std::size_t members) {
  ConstraintSet s;
  const std::size_t A = c.actions.size();
  s.action_upper.assign(A, {});
  s.action_lower.assign(A, -1);
  s.action_upper_mask.assign(A, 0);
  auto add_upper = [&](GlobalConstraint g) {
    if (s.upper.size() == kMaxUpperConstraints)
      throw_invalid_input(fmt::format("{}: at most {} capacities, max_volume limits and budgets together",
                                      c.source_path.string(), kMaxUpperConstraints));
    s.upper.push_back(std::move(g));
    return static_cast<uint32_t>(s.upper.size() - 1);
  };
  for (std::size_t ch = 0; ch < c.channels.size(); ++ch) {
    const auto cap = decide::capacity_for(c.channels[ch], members);
    if (!cap) continue;
    const uint32_t k = add_upper(
        {ConstraintKind::ChannelCapacity, ch, static_cast<double>(*cap), "capacity " + c.channels[ch].name, true});
    for (std::size_t a = 0; a < A; ++a)
      if (c.actions[a].channel == ch) s.action_upper[a].push_back({k, 1.0});
  }
  for (std::size_t a = 0; a < A; ++a) {
    if (c.actions[a].max_volume) {
      const uint32_t k = add_upper({ConstraintKind::ActionMax, a, static_cast<double>(*c.actions[a].max_volume),
                                    "max_volume " + c.actions[a].name, true});
      s.action_upper[a].push_back({k, 1.0});
    }
    if (c.actions[a].min_volume) {
      s.action_lower[a] = static_cast<int>(s.lower.size());
      s.lower.push_back({ConstraintKind::ActionMin, a, static_cast<double>(*c.actions[a].min_volume),
                         "min_volume " + c.actions[a].name, true});
    }
  }
  if (c.arbitration.money_budget) {
    bool any = false;
    for (const auto& a : c.actions) any |= a.money_cost > 0;
    if (any) {
      const uint32_t k =
          add_upper({ConstraintKind::MoneyBudget, 0, *c.arbitration.money_budget, "money_budget", false});
      for (std::size_t a = 0; a < A; ++a)
        if (c.actions[a].money_cost > 0) s.action_upper[a].push_back({k, c.actions[a].money_cost});
    }
  }
  for (std::size_t a = 0; a < A; ++a)
    for (const Use& u : s.action_upper[a]) s.action_upper_mask[a] |= uint64_t{1} << u.k;
  return s;
}

void ConstraintSet::shifts(const std::vector<double>& lambda, const std::vector<double>& nu,
                           std::vector<double>& shift) const {
  shift.assign(action_upper.size(), 0.0);
  for (std::size_t a = 0; a < action_upper.size(); ++a) {
    double s = 0;
    for (const Use& u : action_upper[a]) s += lambda[u.k] * u.w;
    if (action_lower[a] >= 0) s -= nu[static_cast<std::size_t>(action_lower[a])];
    shift[a] = s;
  }
}

}  // namespace nudge::optimise
