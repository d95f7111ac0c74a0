// A plain, row-by-row reference of the optimised walk at fixed prices
// (engine/optimise/README.md, member_choice.h), written independently of
// engine/optimise: candidates straight from the campaign rules with the
// expression compiler's row-at-a-time evaluator and the model's
// reference_score, prices turned into per-decision charges straight from the
// campaign (channel capacity, max_volume, money_budget, min_volume), and every
// subset of each member's candidates tried (2^n).
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "engine/decide/campaign.h"
#include "engine/expr/program.h"
#include "engine/score/model.h"
#include "engine/store/population.h"
#include "tests/oracles/decide_reference.h"

namespace nudge::test {

struct RefCandidate {
  std::size_t action;
  double priority, cost;
};

struct RefMember {
  std::size_t row;
  uint64_t customer_id;
  double budget;  // NaN: unknown
  std::vector<RefCandidate> cands;
  std::vector<double> cap_left;  // per frequency cap
};

// Members with at least one candidate of finite priority, in row order.
inline std::vector<RefMember> reference_candidates(const decide::Campaign& c, const Population& pop,
                                                   const score::BoundModel* model) {
  using namespace decide;
  const std::size_t A = c.actions.size();
  const RefRules rules = ref_rules(c, pop);
  const auto& set = rules.set;
  const uint64_t* ids = pop.column(*pop.id_column()).values<uint64_t>();
  auto allowance = [&](const FrequencyCap& f, std::size_t row) { return ref_allowance(f, pop, row); };
  std::vector<RefMember> out;
  for (std::size_t row = 0; row < pop.rows(); ++row) {
    std::vector<std::size_t> cands;
    bool exclusive = false;
    for (std::size_t a = 0; a < A; ++a) {
      const Action& act = c.actions[a];
      if (set.reference_predicate(pop, a, row) != 1) continue;
      const Column& consent = pop.column(c.channels[act.channel].consent.name);
      if (consent.is_null(row) || consent.values<uint8_t>()[row] == 0) continue;
      bool blocked = false;
      for (std::size_t s = 0; s < c.suppressions.size(); ++s)
        blocked |= ref_covers(c.suppressions[s].message_types, act.message_type) &&
                   ref_covers(c.suppressions[s].channels, act.channel) && set.reference_predicate(pop, A + s, row) == 1;
      for (auto& f : c.frequency_caps) blocked |= ref_covers(f.channels, act.channel) && allowance(f, row) <= 0;
      if (blocked) continue;
      cands.push_back(a);
      exclusive |= c.message_types[act.message_type].exclusive;
    }
    if (exclusive)
      cands.erase(std::remove_if(cands.begin(), cands.end(),
                                 [&](std::size_t a) { return !c.message_types[c.actions[a].message_type].exclusive; }),
                  cands.end());
    if (cands.empty()) continue;
    const double churn = model ? model->reference_score(row) : std::nan("");
    RefMember m{row, ids[row], std::nan(""), {}, {}};
    for (auto a : cands) {
      const double p = ref_priority(c, rules, pop, a, row, churn);
      if (std::isfinite(p)) m.cands.push_back({a, p, c.cost(c.actions[a])});
    }
    if (m.cands.empty()) continue;
    auto used = ref_number(pop.column(c.basket.used.name), row);
    if (used) m.budget = c.basket.points_per_period - *used;
    for (auto& f : c.frequency_caps) m.cap_left.push_back(allowance(f, row));
    out.push_back(std::move(m));
  }
  return out;
}

// What one decision of action a is charged at the prices: the price of its
// channel's capacity, of its max_volume, money_cost x the money price, minus
// the price of its min_volume. `prices` are in this order: channel capacities
// (channel order), max_volume (action order), money_budget (if any action has
// a money_cost), then min_volume (action order).
inline std::vector<double> reference_charges(const decide::Campaign& c, std::size_t members,
                                             const std::vector<double>& prices) {
  std::vector<double> charge(c.actions.size(), 0.0);
  std::size_t k = 0;
  for (std::size_t ch = 0; ch < c.channels.size(); ++ch) {
    if (!decide::capacity_for(c.channels[ch], members)) continue;
    for (std::size_t a = 0; a < c.actions.size(); ++a)
      if (c.actions[a].channel == ch) charge[a] += prices.at(k);
    ++k;
  }
  for (std::size_t a = 0; a < c.actions.size(); ++a)
    if (c.actions[a].max_volume) charge[a] += prices.at(k++);
  bool money = false;
  for (auto& a : c.actions) money |= a.money_cost > 0;
  if (money && c.arbitration.money_budget) {
    for (std::size_t a = 0; a < c.actions.size(); ++a) charge[a] += c.actions[a].money_cost * prices.at(k);
    ++k;
  }
  for (std::size_t a = 0; a < c.actions.size(); ++a)
    if (c.actions[a].min_volume) charge[a] -= prices.at(k++);
  return charge;
}

struct RefChoice {
  std::vector<std::size_t> actions;  // the best set (ascending action)
  double value = 0;                  // sum of priority - charge
  double runner_up = -1e300;         // the best value of any other feasible set
};

// Every subset of m's candidates: the feasible one of highest value (the empty set is worth 0).
inline RefChoice reference_best(const decide::Campaign& c, const RefMember& m, const std::vector<double>& charge) {
  RefChoice best;
  best.value = 0;
  const std::size_t n = m.cands.size();
  for (uint64_t s = 1; s < (uint64_t{1} << n); ++s) {
    if (static_cast<std::size_t>(__builtin_popcountll(s)) > c.max_decisions_per_member) continue;
    if (!(m.budget > 0)) continue;
    double cost = 0, value = 0;
    std::vector<double> caps(m.cap_left.size(), 0);
    std::vector<std::size_t> acts;
    for (std::size_t i = 0; i < n; ++i)
      if (s >> i & 1) {
        const auto& x = m.cands[i];
        cost += x.cost;
        value += x.priority - charge[x.action];
        acts.push_back(x.action);
        for (std::size_t j = 0; j < c.frequency_caps.size(); ++j) {
          const auto& ch = c.frequency_caps[j].channels;
          if (ch.empty() || std::find(ch.begin(), ch.end(), c.actions[x.action].channel) != ch.end()) caps[j] += 1;
        }
      }
    bool ok = cost <= m.budget;
    for (std::size_t j = 0; j < caps.size(); ++j) ok &= caps[j] == 0 || caps[j] <= m.cap_left[j];  // caps it counts
    if (!ok) continue;
    std::sort(acts.begin(), acts.end());
    if (value > best.value) {
      best.runner_up = std::max(best.runner_up, best.value);
      best.value = value, best.actions = acts;
    } else {
      best.runner_up = std::max(best.runner_up, value);
    }
  }
  if (best.actions.size()) best.runner_up = std::max(best.runner_up, 0.0);  // the empty set
  return best;
}

}  // namespace nudge::test
