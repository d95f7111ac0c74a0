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
//   - the funnel's walk counters per action (fired ... kept before channel
//     capacity; capacity and in_top_k are 0): 10 x 8 bytes per action;
//   - the decisions that can still reach the result: per channel with a
//     capacity C its first C decisions, of the other channels the first K
//     (ranking.h's lanes cut to their limits), so at most K + sum(C)
//     decisions of 40 bytes (sizeof(Decision)), whatever the shard's size:
//     RS-1 (K = 100,000, call capacity 5,000) sends at most 4.2 MB per part;
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
// Errors: merge_sweep_parts throws Error(Usage) when a part's funnel does not
// have one entry per action of `campaign` or a decision names an unknown
// action; run_sweep_part as run_sweep (a trace row is refused: Usage).
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
  std::vector<ActionFunnel> funnel;  // walk counters; capacity and in_top_k are 0
  std::vector<Decision> decisions;   // unordered, rows within the part
  SweepTimes times;                  // rank_wall: cutting the part's decisions
};

// `options.top_k` must be the one the merge will use (it bounds what is kept).
SweepPart run_sweep_part(const BoundCampaign& bound, const SweepOptions& options);

// Parts in shard order. times: the parts' thread times summed, pass_wall the
// longest part's, rank_wall the merge's.
SweepResult merge_sweep_parts(const Campaign& campaign, const std::vector<SweepPart>& parts,
                              std::optional<std::size_t> top_k);

// Shared by sweep.cc and sweep_parts.cc.
RankingInput ranking_input(const Campaign& c, std::optional<std::size_t> top_k);
std::vector<uint64_t> walk_kept(const SweepResult& r);
// Channel capacity and top-K into r: funnel.capacity / kept / in_top_k, decisions, ranked, capacity_cutoff.
void apply_ranking(SweepResult& r, RankingResult rk);

}  // namespace nudge::decide
