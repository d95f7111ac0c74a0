// The sweep's parallel pass, before any global step (internal to engine/decide:
// run_sweep, run_sweep_part and the population optimiser build on it).
//
// run_pass walks every member of the bound population once, in parallel
// batches of expr::kBatchRows rows (sweep_pass.cc, sweep.cc), and returns the walk-level
// funnel counters (fired ... kept before channel capacity; capacity and
// in_top_k are 0), the dialogue funnels, members, phase times (pass_wall set,
// rank_wall 0) and one unranked DecisionBuffer per worker. `in` gives the
// channel capacities and top-K the buffers prune to (ranking.h); `trace` (may
// be null) receives the gate loop of options.trace_row.
// Errors: Error(Usage) for a trace row outside the population or a campaign
// that needs a history (basket or frequency caps from it) without one.
// Thread-safety: runs on the caller's oneTBB arena; the bound campaign is read only.
//
// At the pass's start (inside pass_wall) the history inputs' and dialogues'
// prepare() compute this sweep's member summaries (member_inputs.h,
// engine/dialogue/dialogue_pass.h); then, per worker, per batch of up to
// kBatchRows rows starting at `begin` (sweeper.h, sweep.cc):
//
//   ws (expr::Workspace)   trigger / suppression bits, priority numbers
//   consent[k][w]          bit r: consent column k TRUE on row begin+64w+r
//   capped[j][w]           bit r: frequency cap j allows no more contact
//   cand[a][w]             bit r: action a is a candidate for that member
//   any[w]                 OR of cand[.][w]
//   rows[]                 members with a candidate (ascending) -> churn[]
//
// then one walk per member in rows[], appending to the worker's decisions.
#pragma once

#include <vector>

#include "engine/decide/ranking.h"
#include "engine/decide/sweep.h"
#include "engine/decide/trace.h"

namespace nudge::decide {

struct Pass {
  SweepResult res;
  std::vector<DecisionBuffer> buffers;  // one per worker, unranked
};

Pass run_pass(const BoundCampaign& bound, const SweepOptions& options, const RankingInput& in, TraceScratch* trace);

// Several campaigns in one pass (run_sweeps, sweep.h): one parallel_for over
// the batches; each batch is swept for every job in turn on the same worker
// thread, each job with its own scratch. Jobs bound to the same population
// with the same history source evaluate their expressions once, in the
// first such job's batch; the others copy their results
// (shared_expressions.h). Jobs with the same history source (dialogues)
// share one prepare() summary, computed for the first of them (the others'
// history_prepare_wall / dialogue_prepare_wall are then about 0). Pass i
// equals run_pass of job i (pass_wall is the shared pass's;
// res.expressions_shared counts job i's shared expressions). Every job's
// population has the same row count (else Error(Internal)); errors as
// run_pass, for the first bad job.
struct PassJob {
  const BoundCampaign* bound = nullptr;
  const SweepOptions* options = nullptr;
  const RankingInput* in = nullptr;
  TraceScratch* trace = nullptr;  // may be null
};
std::vector<Pass> run_passes(const std::vector<PassJob>& jobs);

}  // namespace nudge::decide
