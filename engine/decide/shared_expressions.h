// Expressions that several campaigns swept in one pass evaluate once
// (run_sweeps, sweep.h; run_passes, sweep_pass.h). Internal to engine/decide.
//
// Campaigns bound to the SAME Population object and swept with history
// sources of the same MemberInputSource::columns_key() (SweepOptions::inputs
// both null, the same object, or two sources that write the same columns:
// the two history policies of `nudge diff --history`, one sharing the
// other's population, engine/policy/history_policy.h "Two campaigns") read
// the same columns holding the same values on every row, history-aggregate
// columns included (each campaign's source fills them, identically, before
// its batch). Such campaigns form a group. The group's first campaign
// (its leader) evaluates ONE expr::CompiledSet compiled from the expressions
// of every member (expression_sources, bound_campaign.h: the leader's first,
// then each other member's in job order). The expression simplifier merges
// equal expressions and subexpressions across them into one node
// (engine/expr/simplifier.h), so each is computed once per batch; the
// leader's own results keep their indices (its expressions come first). Each
// other member copies its results out of the leader's workspace into its own
// (expr::Workspace::assign_results) instead of evaluating, after the leader's
// batch on the same worker thread (run_passes sweeps each batch for every
// job in turn on one thread), and then gates, scores and walks as usual.
//
// Not grouped (each campaign evaluates its own set, as run_sweep does):
// campaigns bound to different Population objects, e.g. two campaigns each
// bound to its own independent history policy's population; and campaigns
// whose history sources have different keys (another source's columns).
//
// Counters, per job: `total` = its expressions (predicates + numbers);
// `shared` = those that are the same expression (equal after binding and
// simplification, expr::CompiledSet::same_predicate_as) as an expression of
// an earlier campaign of its group, so evaluated once for both. A leader or
// an ungrouped job has shared = 0.
//
// Errors: none beyond expr::CompiledSet::compile's (the members' expressions
// compiled against the same population when they were bound).
// Thread-safety: plan once before the pass; the result is then read only.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/member_inputs.h"
#include "engine/expr/program.h"

namespace nudge::decide {

struct SharedExpressions {
  struct Job {
    // The set this job evaluates into its own workspace each batch: its
    // BoundCampaign's, or its group's combined set (leader); null for a
    // member that copies its results from `leader`'s workspace.
    const expr::CompiledSet* evaluate = nullptr;
    std::size_t leader = 0;  // the job whose workspace holds its results (itself when evaluate)
    // Copying members: index of each of its predicates / numbers in the leader's results.
    std::vector<std::size_t> predicates, numbers;
    std::size_t shared = 0, total = 0;
  };
  std::vector<Job> jobs;
  std::vector<std::unique_ptr<expr::CompiledSet>> combined;  // one per group of two or more
};

// bounds[j] swept with the history source inputs[j] (may be null; grouped by columns_key()).
SharedExpressions share_expressions(const std::vector<const BoundCampaign*>& bounds,
                                    const std::vector<const MemberInputSource*>& inputs);

}  // namespace nudge::decide
