// Explain one member: why the sweep did (or did not) contact them.
//
//   auto row = nudge::decide::find_customer(pop, 6000012345);        // nullopt if absent
//   nudge::decide::SweepOptions opt; opt.trace_row = *row;
//   auto result = nudge::decide::run_sweep(bound, opt);              // full sweep: capacity is global
//   std::string text = nudge::decide::format_explanation(bound, result);
//
// The text lists each action's trigger value (TRUE / FALSE / NULL, from the
// expression compiler's reference evaluator), the churn score, the basket,
// then the fired actions in candidate order (priority desc, action order)
// with the first gate that stopped each (consent, suppression, frequency cap,
// priority, budget, per-member max, channel capacity) or "kept", and why.
// Under each trigger: the values behind it (engine/explain/explain_values.h:
// every column it reads, both sides of each comparison); under each fired
// action: the terms of its priority. Multi-line triggers keep their layout.
// explanation_json gives the same as one JSON object (`--format json`):
//   {customer_id, row, campaign, churn, budget, basket: {points_per_period,
//    used_from (column name or "history"), used}, actions: [{action, trigger, trigger_value (true /
//    false / null), values: [{text, value}], and for fired actions: priority,
//    priority_terms, cost, gate, detail, budget_left and control (kept only)}]}
// A kept decision of a held-out member (holdout, sweep.h) is marked as a
// control decision (text: "as a CONTROL decision"; JSON: control = true).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/sweep.h"

namespace nudge::decide {

// Row of the member with this customer id, or nullopt when no row has it.
// Throws Error(InvalidInput) when the population has no customer id column, or
// when the id is on several rows ("customer 7 is on rows 0 and 1 of the
// population; explain needs a unique id": snapshots written by older code or
// other tools may repeat ids; explaining one row would contradict the sweep).
std::optional<std::size_t> find_customer(const Population& pop, uint64_t customer_id);

// Requires r.trace (run_sweep with SweepOptions::trace_row). With `inputs`
// (the sweep's history), the history events behind each gate follow.
std::string format_explanation(const BoundCampaign& bound, const SweepResult& r,
                               const MemberInputSource* inputs = nullptr);
nlohmann::json explanation_json(const BoundCampaign& bound, const SweepResult& r);
// "weight 1 * value 400 * churn 0.31", or an expression priority with its values.
std::string priority_terms(const BoundCampaign& bound, std::size_t action, const MemberTrace& t);

}  // namespace nudge::decide
