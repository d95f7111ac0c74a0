// A plain, row-by-row implementation of the whole decision procedure
// (shared/WORKLOAD.md "Arbitration", generalised to nudge's campaign format
// in data/campaigns/README.md), written independently of engine/decide's
// bitmaps, walk and ranking: the oracle the sweep's tests compare against.
//
// It uses only the Campaign model, the expression compiler's row-at-a-time
// reference evaluator, the model's reference_score and std::sort.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "engine/decide/campaign.h"
#include "engine/expr/program.h"
#include "engine/holdout/holdout.h"
#include "engine/score/model.h"
#include "engine/store/population.h"

namespace nudge::test {

struct RefDecision {
  double priority;
  uint64_t customer_id;
  std::size_t action;
  double budget_left;
  double churn;
  std::size_t row;
  bool control = false;  // held out (any of global, campaign, action holdout)
};

// Counts per action, in the order of the gates.
struct RefFunnel {
  uint64_t fired = 0, consent = 0, suppression = 0, frequency_cap = 0, priority = 0, budget = 0, member_max = 0,
           capacity = 0, kept = 0, control = 0;
};

// Held out of action a (engine/holdout/holdout.h: u(id, salt) < share at any level: global, campaign,
// action, and for a dialogue step its dialogue).
inline bool ref_held_out(const decide::Campaign& c, std::size_t a, uint64_t id) {
  using holdout::fnv1a64, holdout::unit;
  const std::string camp_salt = c.holdout.campaign_salt.empty() ? "nudge:campaign:" + c.name : c.holdout.campaign_salt;
  return unit(id, fnv1a64(c.holdout.global_salt)) < c.holdout.global ||
         unit(id, fnv1a64(camp_salt)) < c.holdout.campaign ||
         unit(id, fnv1a64("nudge:action:" + c.name + ":" + c.actions[a].name)) < c.actions[a].holdout ||
         (c.actions[a].dialogue &&
          unit(id, fnv1a64("nudge:dialogue:" + c.name + ":" + c.dialogues[*c.actions[a].dialogue].name)) <
              c.dialogues[*c.actions[a].dialogue].holdout);
}

struct RefResult {
  std::vector<RefDecision> ranked;  // first K in rank order
  std::vector<RefFunnel> funnel;
  std::size_t members_with_candidates = 0;
};

inline std::optional<double> ref_number(const Column& c, std::size_t row) {
  if (c.is_null(row)) return std::nullopt;
  switch (c.type()) {
    case DataType::Int32: return c.values<int32_t>()[row];
    case DataType::Int64: return double(c.values<int64_t>()[row]);
    case DataType::UInt64: return double(c.values<uint64_t>()[row]);
    case DataType::Float32: return c.values<float>()[row];
    case DataType::Float64: return c.values<double>()[row];
    default: return std::nullopt;
  }
}

inline bool ref_less(const RefDecision& a, const RefDecision& b) {
  if (a.priority != b.priority) return a.priority > b.priority;
  if (a.customer_id != b.customer_id) return a.customer_id < b.customer_id;
  return a.action < b.action;
}

// The campaign's rules compiled for the row-at-a-time reference evaluator:
// predicates are the triggers (action order), then the suppressions' `when`;
// numbers are the expression priorities, num_of[a] (-1 for other kinds).
struct RefRules {
  expr::CompiledSet set;
  std::vector<int> num_of;
};

inline RefRules ref_rules(const decide::Campaign& c, const Population& pop) {
  using namespace decide;
  const std::size_t A = c.actions.size();
  std::vector<expr::Source> preds, nums;
  for (auto& a : c.actions) preds.push_back(a.trigger);
  for (auto& s : c.suppressions) preds.push_back(s.when);
  std::vector<int> num_of(A, -1);
  for (std::size_t a = 0; a < A; ++a)
    if (c.actions[a].priority_kind == PriorityKind::Expression) {
      num_of[a] = int(nums.size());
      nums.push_back(c.actions[a].priority_expression);
    }
  return RefRules{expr::CompiledSet::compile(pop, preds, nums), std::move(num_of)};
}

// Whether a rule's list covers x (an empty list covers all).
inline bool ref_covers(const std::vector<std::size_t>& v, std::size_t x) {
  return v.empty() || std::find(v.begin(), v.end(), x) != v.end();
}

// What frequency cap f allows on row as it stands: floor(max - count), 0 for a null or NaN count.
inline double ref_allowance(const decide::FrequencyCap& f, const Population& pop, std::size_t row) {
  auto v = ref_number(pop.column(f.count_column.name), row);
  if (!v || std::isnan(*v)) return 0;
  return std::floor(double(f.max) - *v);
}

// Action a's priority on row given the member's churn score (NaN where undefined).
inline double ref_priority(const decide::Campaign& c, const RefRules& rules, const Population& pop, std::size_t a,
                           std::size_t row, double churn) {
  using namespace decide;
  const Action& act = c.actions[a];
  if (act.priority_kind == PriorityKind::WeightValueChurn) return act.weight * act.value * churn;
  if (act.priority_kind == PriorityKind::WeightValue) return act.weight * act.value;
  auto v = rules.set.reference_number(pop, std::size_t(rules.num_of[a]), row);
  return !v ? std::nan("") : act.priority_times_churn ? *v * churn : *v;
}

// `fired`, when given, decides whether action a fires on row (dialogue steps,
// tests/oracles/dialogue_reference.h) instead of its trigger.
inline RefResult reference_sweep(const decide::Campaign& c, const Population& pop, const score::BoundModel* model,
                                 std::optional<std::size_t> top_k,
                                 const std::function<bool(std::size_t, std::size_t)>& fired = {}) {
  using namespace decide;
  const std::size_t A = c.actions.size();
  const RefRules rules = ref_rules(c, pop);
  const auto& set = rules.set;
  const uint64_t* ids = pop.column(*pop.id_column()).values<uint64_t>();
  const Column& used = pop.column(c.basket.used.name);
  auto allowance = [&](const FrequencyCap& f, std::size_t row) { return ref_allowance(f, pop, row); };

  RefResult r;
  r.funnel.assign(A, {});
  std::vector<RefDecision> all;
  for (std::size_t row = 0; row < pop.rows(); ++row) {
    // Gates before the walk: consent, suppression rules, caps as they stand.
    std::vector<std::size_t> cands;
    for (std::size_t a = 0; a < A; ++a) {
      const Action& act = c.actions[a];
      if (!(fired ? fired(a, row) : set.reference_predicate(pop, a, row) == 1)) continue;
      ++r.funnel[a].fired;
      const Column& consent = pop.column(c.channels[act.channel].consent.name);
      if (consent.is_null(row) || consent.values<uint8_t>()[row] == 0) {
        ++r.funnel[a].consent;
        continue;
      }
      bool suppressed = false;
      for (std::size_t s = 0; s < c.suppressions.size(); ++s)
        if (ref_covers(c.suppressions[s].message_types, act.message_type) &&
            ref_covers(c.suppressions[s].channels, act.channel) && set.reference_predicate(pop, A + s, row) == 1)
          suppressed = true;
      if (suppressed) {
        ++r.funnel[a].suppression;
        continue;
      }
      bool capped = false;
      for (auto& f : c.frequency_caps)
        if (ref_covers(f.channels, act.channel) && allowance(f, row) <= 0) capped = true;
      if (capped) {
        ++r.funnel[a].frequency_cap;
        continue;
      }
      cands.push_back(a);
    }
    // An exclusive (calamity) candidate suppresses the member's other candidates.
    bool has_exclusive = false;
    for (auto a : cands) has_exclusive |= c.message_types[c.actions[a].message_type].exclusive;
    if (has_exclusive) {
      std::vector<std::size_t> keep;
      for (auto a : cands) {
        if (c.message_types[c.actions[a].message_type].exclusive) keep.push_back(a);
        else ++r.funnel[a].suppression;
      }
      cands = keep;
    }
    if (cands.empty()) continue;
    ++r.members_with_candidates;
    const double churn = model ? model->reference_score(row) : std::nan("");
    std::vector<RefDecision> mine;
    for (auto a : cands) {
      const double p = ref_priority(c, rules, pop, a, row, churn);
      if (!std::isfinite(p)) {
        ++r.funnel[a].priority;
        continue;
      }
      mine.push_back({p, ids[row], a, 0, churn, row});
    }
    std::sort(mine.begin(), mine.end(), [](auto& x, auto& y) {
      return x.priority != y.priority ? x.priority > y.priority : x.action < y.action;
    });
    auto u = ref_number(used, row);  // NULL, NaN or -inf: an unknown basket, nothing fits
    if (u && *u == -std::numeric_limits<double>::infinity()) u.reset();
    double remaining = u ? c.basket.points_per_period - *u : std::nan("");
    std::vector<double> cap_left;
    for (auto& f : c.frequency_caps) cap_left.push_back(allowance(f, row));
    std::size_t kept = 0;
    for (auto& d : mine) {
      const Action& act = c.actions[d.action];
      bool capped = false;
      for (std::size_t j = 0; j < c.frequency_caps.size(); ++j)
        if (ref_covers(c.frequency_caps[j].channels, act.channel) && cap_left[j] <= 0) capped = true;
      double cost = c.cost(act);
      if (capped) ++r.funnel[d.action].frequency_cap;
      else if (!(remaining > 0) || cost > remaining) ++r.funnel[d.action].budget;
      else if (kept >= c.max_decisions_per_member) ++r.funnel[d.action].member_max;
      else {
        remaining -= cost;
        d.budget_left = remaining;
        for (std::size_t j = 0; j < c.frequency_caps.size(); ++j)
          if (ref_covers(c.frequency_caps[j].channels, act.channel)) cap_left[j] -= 1;
        ++kept;
        d.control = ref_held_out(c, d.action, d.customer_id);
        all.push_back(d);
      }
    }
  }
  // Channel capacity: a full sort, then count treated decisions per channel;
  // a control decision survives iff the channel's capacity was not exceeded
  // or it comes before the last treated decision the capacity kept.
  std::sort(all.begin(), all.end(), ref_less);
  std::vector<std::size_t> on_channel(c.channels.size(), 0);
  std::vector<std::optional<std::size_t>> last_kept(c.channels.size());
  std::vector<bool> exceeded(c.channels.size(), false);
  for (std::size_t i = 0; i < all.size(); ++i) {
    std::size_t ch = c.actions[all[i].action].channel;
    const auto cap = decide::capacity_for(c.channels[ch], pop.rows());
    if (all[i].control || !cap) continue;
    if (on_channel[ch]++ >= *cap) exceeded[ch] = true;
    else last_kept[ch] = i;
  }
  std::vector<RefDecision> kept;
  std::vector<std::size_t> treated_on(c.channels.size(), 0);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const RefDecision& d = all[i];
    std::size_t ch = c.actions[d.action].channel;
    const auto cap = decide::capacity_for(c.channels[ch], pop.rows());
    bool cut;
    if (!cap) cut = false;
    else if (!d.control) cut = treated_on[ch]++ >= *cap;
    else cut = exceeded[ch] && !(last_kept[ch] && i < *last_kept[ch]);
    if (cut) {
      ++r.funnel[d.action].capacity;
      continue;
    }
    ++r.funnel[d.action].kept;
    r.funnel[d.action].control += d.control;
    kept.push_back(d);
  }
  if (top_k && kept.size() > *top_k) kept.resize(*top_k);
  r.ranked = std::move(kept);
  return r;
}

}  // namespace nudge::test
