// Sweeper: the pass's work on one batch of one campaign (evaluate, gates,
// score, walk: sweep.h's steps 1-4), shared read-only by the workers, each
// bringing its own Worker scratch (sweep_worker.h). Internal to engine/decide:
// run_passes (sweep_pass.cc) drives it; the batch's steps are in sweep.cc.
// Thread-safety: batch() runs concurrently on disjoint batches, one Worker per thread.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/member_inputs.h"
#include "engine/decide/member_sink.h"
#include "engine/decide/ranking.h"
#include "engine/decide/sweep.h"
#include "engine/decide/sweep_worker.h"
#include "engine/decide/trace.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/expr/program.h"
#include "engine/holdout/campaign_holdout.h"

namespace nudge::decide::detail {

class Sweeper {
 public:
  Sweeper(const BoundCampaign& b, const RankingInput& ranking, std::optional<std::size_t> trace_row,
          const MemberInputSource* inputs, const dialogue::BoundDialogues* dlg, MemberSink* sink)
      : bound_(b),
        campaign_(b.campaign()),
        ranking_(ranking),
        trace_row_(trace_row),
        inputs_(inputs),
        dlg_(dlg),
        sink_(sink),
        holdout_(campaign_) {
    actions_ = campaign_.actions.size();
    for (const BoundAction& ba : b.actions())
      plan_.push_back({ba.priority, ba.cost, ba.cap_mask, ba.priority_number ? *ba.priority_number : 0});
  }

  // The expressions of each batch (shared_expressions.h): evaluate `set`
  // (by default the campaign's own; a group leader's holds its members' too,
  // its own first), or, with set == null, copy predicate i from predicate
  // predicates[i] and number i from numbers[i] of the workspace batch() is
  // handed (the group leader's, holding this batch's results).
  void share(const expr::CompiledSet* set, std::vector<std::size_t> predicates, std::vector<std::size_t> numbers) {
    eval_ = set, copy_predicates_ = std::move(predicates), copy_numbers_ = std::move(numbers);
  }

  // This sweep's member summaries (prepare: member_inputs.h, dialogue_pass.h); null: none.
  const PreparedInputs* prepared_inputs = nullptr;
  const dialogue::PreparedDialogues* prepared_dlg = nullptr;

  void init(Worker& w) const {
    w.consent.assign(bound_.consent_columns().size() * kWords, 0);
    w.capped.assign(bound_.cap_counts().size() * kWords, 0);
    w.cand.assign(actions_ * kWords, 0);
    w.any.assign(kWords, 0);
    w.rows.reserve(expr::kBatchRows);
    w.row_masks.reserve(expr::kBatchRows);
    w.row_masks_word.assign(64, 0);
    w.churn.reserve(expr::kBatchRows);
    w.cands.resize(actions_);
    w.gates.resize(actions_);
    w.left.resize(actions_);
    w.allowance.resize(bound_.cap_counts().size());
    w.allowance_before.resize(bound_.cap_counts().size());
    w.held.resize(actions_);
    w.held_allowance.resize(bound_.cap_counts().size());
    w.funnel.assign(actions_, {});
    w.decisions.emplace(ranking_);
    dlg_->init(w.dlg);
    if (sink_) w.sink = sink_->worker();
  }

  // Rows [begin, begin + count) (sweep_pass.h's layout). `results`: with no
  // set to evaluate (share()), the workspace holding the batch's results.
  void batch(std::size_t begin, std::size_t count, Worker& w, TraceScratch* trace,
             const expr::Workspace* results = nullptr) const;

 private:
  void gates(std::size_t begin, std::size_t count, Worker& w, TraceScratch* trace) const;
  // The traced member's basket, cap counts and revoked channels as the gates see them.
  void record_inputs(std::size_t row, std::size_t off, const Worker& w, TraceScratch& t) const;
  void walk(std::size_t begin, Worker& w, TraceScratch* trace) const;

  // Per action, what the walk reads (copied out of BoundAction to keep it compact).
  struct Plan {
    PriorityRule rule;
    double cost;         // points
    uint64_t cap_mask;   // frequency caps covering the channel
    std::size_t number;  // number expression index (Expression priorities only)
  };
  // 64-row bitmap words per batch.
  static constexpr std::size_t kWords = expr::kBatchRows / 64;
  const BoundCampaign& bound_;
  const Campaign& campaign_;
  const RankingInput& ranking_;
  std::optional<std::size_t> trace_row_;
  const MemberInputSource* inputs_;
  const dialogue::BoundDialogues* dlg_;
  MemberSink* sink_;
  holdout::CampaignHoldout holdout_;  // control decisions (engine/holdout/campaign_holdout.h)
  std::vector<Plan> plan_;
  std::size_t actions_ = 0;  // number of actions in the campaign
  const expr::CompiledSet* eval_ = &bound_.expressions();
  std::vector<std::size_t> copy_predicates_, copy_numbers_;
};

}  // namespace nudge::decide::detail
