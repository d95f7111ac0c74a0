// What-if: campaign A against campaign B over the same population
// (`nudge diff POP --campaign A.toml --campaign-b B.toml`).
//
//   auto a = BoundCampaign::bind(ca, pop), b = BoundCampaign::bind(cb, pop);
//   nudge::report::CampaignDiff d = nudge::report::diff_campaigns(a, b, {});
//
// Both campaigns are swept over every member with no top-K cut (every
// decision counts; channel capacities apply as in each campaign). Compared:
//   - per action name (the union of both campaigns' actions, A's order first)
//     and per channel name: decisions (after capacity) in A and in B, control
//     decisions among them, and each channel's capacity;
//   - members: with decisions in A only (lose), in B only (gain), in both
//     with a different set of actions (change), the same set (same);
//   - points spent: the summed cost of treated decisions (control ones cost
//     nothing, engine/decide/sweep.h);
//   - remaining budget per member (basket minus used minus this sweep's
//     treated costs; members with an unknown basket are left out): mean and
//     quantiles 0, 10, 50, 90, 100% in A and B (nearest rank);
//   - top movers: the members whose action set changed, ordered by the
//     largest priority among the decisions they gained or lost (then
//     customer_id), first `movers`; for each, both campaigns' explain-style
//     trace (engine/decide/explain.h): every fired action's gate and detail.
// Actions are matched by name, channels by name.
// Cost: both campaigns swept in one pass over the population
// (decide::run_sweeps: one parallel loop, each batch swept for A then B on the
// same thread), plus one sweep per mover and campaign for the traces (the
// traces need the global capacity cut, so each is a full sweep). When both
// are bound to the same population object and swept with history sources of
// the same columns_key() (none; or with --history, B's policy sharing A's
// population, engine/policy/history_policy.h "Two campaigns"), A's and B's
// expressions are compiled into one set and each expression or
// subexpression they have in common is evaluated once per batch
// (engine/decide/shared_expressions.h); b_expressions_shared of
// b_expressions counts B's triggers, suppression conditions, goals and
// priority expressions that are the same expression as one of A's (equal
// after binding and simplification): all of them in the usual what-if (B = A
// with another basket, cost or capacity). The CLI prints it on stderr
// ("expressions evaluated once for both: N of M"), so the comparison on
// stdout and the JSON are the same as without sharing.
// With a history (DiffOptions::a_sweep / b_sweep inputs and dialogues), each
// campaign reads its own policies from it; the two bound populations may
// differ (two independent policies: nothing shared) but hold the same members.
// Errors: Error(Usage) when the two campaigns are bound to populations with
// different members (row count or customer ids); as run_sweep otherwise.
// Thread-safety: uses the calling thread's oneTBB arena.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/sweep.h"

namespace nudge::report {

struct DiffOptions {
  std::size_t movers = 5;
  // Each campaign's sweep: its history inputs and dialogues (`--history`);
  // top_k and trace_row are set by the diff.
  decide::SweepOptions a_sweep, b_sweep;
};

struct DiffCount {
  std::string name;
  uint64_t a = 0, b = 0;                           // decisions
  uint64_t a_control = 0, b_control = 0;           // of those, control
  std::optional<uint64_t> a_capacity, b_capacity;  // channels only
};

struct BudgetStats {
  uint64_t members = 0;
  double mean = 0;
  double q[5] = {0, 0, 0, 0, 0};  // 0, 10, 50, 90, 100%
};

struct Mover {
  uint64_t customer_id = 0;
  std::size_t row = 0;
  std::vector<std::string> a_actions, b_actions;  // decisions (action names, rank order)
  double key = 0;                                 // largest priority gained or lost
  std::string a_reason, b_reason;                 // explain-style lines per fired action
};

struct CampaignDiff {
  std::string a_name, b_name;
  std::size_t members = 0;
  std::vector<DiffCount> actions, channels;
  uint64_t gain = 0, lose = 0, change = 0, same = 0;  // members; `same` counts members with decisions in both
  double a_points = 0, b_points = 0;
  BudgetStats a_budget, b_budget;
  std::vector<double> a_remaining, b_remaining;  // per member (NaN: unknown basket), for histograms
  std::vector<Mover> movers;
  // B's expressions, and how many of them were evaluated once for both
  // campaigns (decide::SweepResult::expressions_shared). Not in diff_json or
  // format_diff.
  std::size_t b_expressions = 0, b_expressions_shared = 0;
};

CampaignDiff diff_campaigns(const decide::BoundCampaign& a, const decide::BoundCampaign& b, const DiffOptions& options);

nlohmann::json diff_json(const CampaignDiff& d);
std::string format_diff(const CampaignDiff& d);

}  // namespace nudge::report
