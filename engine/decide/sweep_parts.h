// Sweeping a population in parts (shards, Dask partitions) and merging the
// parts exactly: the merged result equals run_sweep over the whole population,
// decision for decision, funnel counter for funnel counter.
//
//   // where each shard lives:
//   auto bound = nudge::decide::BoundCampaign::bind(campaign, shard);
//   nudge::decide::SweepPart part = nudge::decide::run_sweep_part(bound, {});
//   // anywhere, once every part is there (parts in shard order):
//   nudge::decide::SweepResult r = nudge::decide::merge_sweep_parts(campaign, parts, {});
//
// What a part holds (and so what a worker sends; sizes for RS-1):
//   - members and members_with_candidates (2 integers);
//   - the funnel's walk counters per action (fired ... kept and control
//     before channel capacity; capacity and in_top_k are 0): 11 x 8 bytes
//     per action;
//   - the decisions that can still reach the result: per channel with a
//     capacity C its first C decisions, of the other channels the first K
//     (ranking.h's lanes cut to their limits), so at most K + sum(C)
//     decisions of 40 bytes (sizeof(Decision)), whatever the shard's size:
//     RS-1 (K = 100,000, call capacity 5,000) sends at most 4.2 MB per part;
//     plus, with holdouts, the part's control decisions on capacity channels
//     (their own uncut lanes, ranking.h: a holdout share of them);
//   - its phase times.
// Why the merge is exact: the members' walks (candidates, budget, per-member
// max, frequency caps) only read the member's own row, so they are the same
// in any split; counters are sums; and a decision a part leaves out has at
// least `limit` decisions of its own lane, in its own part, ranked before it,
// which all reach the merge, so it could never be among the first C of its
// channel or the first K (the DecisionBuffer argument of ranking.h, one level
// up). merge_sweep_parts adds every part's decisions to one DecisionBuffer and
// ranks it with rank_decisions, as run_sweep does with its workers' buffers.
//
// Row numbers: Decision::row is the row within the part; the merge adds the
// rows of the parts before it (parts in shard order), so the last tie-break
// (the lower row, reached only when a customer id repeats) is that of the
// concatenated population.
// Capacity shares (campaign.h's capacity_share: a share of the population)
// are taken of the WHOLE population: give run_sweep_part its size in
// SweepPartOptions::population_members (required when a channel has a share);
// the merge then checks that it equals the sum of the parts' members.
// Dialogues: each part's dialogue funnels are summed (a member's dialogue
// state reads only its own history). Population optimisation ([arbitration]
// mode = "optimise") needs global prices and is not split: run_sweep_part
// refuses it (Usage) and the caller sweeps the whole population.
// Errors: merge_sweep_parts throws Error(Usage) when a part's funnel does not
// have one entry per action of `campaign`, a decision names an unknown action
// or row, or the parts disagree with the population size their capacities
// used; run_sweep_part as run_sweep, and a trace row, an optimise-mode
// campaign or a capacity share without population_members are refused (Usage).
// Thread-safety: pure functions; rank_decisions uses the caller's oneTBB arena.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "engine/decide/ranking.h"
#include "engine/decide/sweep.h"

namespace nudge::decide {

struct SweepPart {
  std::size_t members = 0;
  std::size_t members_with_candidates = 0;
  std::vector<ActionFunnel> funnel;                 // walk counters; capacity and in_top_k are 0
  std::vector<Decision> decisions;                  // unordered, rows within the part
  std::vector<dialogue::DialogueFunnel> dialogues;  // per dialogue of the campaign
  std::size_t capacity_members = 0;                 // SweepPartOptions::population_members (0: not given)
  SweepTimes times;                                 // rank_wall: cutting the part's decisions
};

struct SweepPartOptions {
  // The whole population's members (all parts); unset: this part's rows,
  // refused when a channel's capacity is a share of the population.
  std::optional<std::size_t> population_members;
};

// `options.top_k` must be the one the merge will use (it bounds what is kept).
SweepPart run_sweep_part(const BoundCampaign& bound, const SweepOptions& options, const SweepPartOptions& part = {});

// Parts in shard order. times: the parts' thread times summed, pass_wall the
// longest part's, rank_wall the merge's.
SweepResult merge_sweep_parts(const Campaign& campaign, const std::vector<SweepPart>& parts,
                              std::optional<std::size_t> top_k);

// Shared by sweep_run.cc and sweep_parts.cc. `members`: the population size
// capacity shares are taken of (campaign.h's capacity_for).
RankingInput ranking_input(const Campaign& c, std::optional<std::size_t> top_k, std::size_t members);
std::vector<uint64_t> walk_kept(const SweepResult& r);
// Per action, of walk_kept, the control decisions (held-out members; sweep.h).
std::vector<uint64_t> walk_control(const SweepResult& r);
// Channel capacity and top-K into r: funnel.capacity / kept / control / in_top_k, decisions, ranked,
// capacity_cutoff.
void apply_ranking(SweepResult& r, RankingResult rk);

}  // namespace nudge::decide
