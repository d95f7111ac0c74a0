// CandidateStore: the members' candidates as the sweep priced them, kept in
// memory so the population optimiser can walk the members many times without
// evaluating triggers or scoring again (engine/optimise/README.md).
//
// Filled through the sweep's MemberSink hook (engine/decide/member_sink.h),
// then finish() puts the members in ascending row order, so the store (and
// everything computed from it) is the same for any thread count and batch size.
//
// Only "priced" members are stored: those with a candidate under a global
// constraint (constraints.h: an upper one, or a min_volume). Every other
// member's best set does not depend on the prices (its candidates' shifts are
// 0): the sweep's worker settles it at once (best_set at zero prices,
// member_choice.h), counts its funnel (outcome.h) and its kept priorities
// (final set and greedy walk, exactly: exact_sum.h), and keeps of its
// decisions only those that can still reach the top K (decide::DecisionBuffer,
// one lane of K); see `settled`.
//
// Shapes: stored member m (0 <= m < members()) has candidates cand[off[m] ..
// off[m+1]) in the walk's order (priority desc, action); allowance(m)[j] is
// frequency cap j's allowance before the walk (caps() per member). Memory:
// about 40 bytes per stored member plus 32 bytes per candidate.
//
// Held-out members (holdouts, engine/decide/member_sink.h) are neither
// stored nor settled: only their walk's decisions and counts are kept
// (control). A member held out of single actions is stored or settled
// without those actions' candidates; their control decisions are in
// `control` too.
//
// Thread-safety: worker() from the sweep's threads (MemberSink); after
// finish(), read-only and shareable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/decide/member_sink.h"
#include "engine/decide/ranking.h"
#include "engine/decide/sweep.h"
#include "engine/optimise/constraints.h"
#include "engine/optimise/exact_sum.h"

namespace nudge::optimise {

using decide::Candidate;

class CandidateStore final : public decide::MemberSink {
 public:
  // `top_k`: the output's top K (channel capacities are ignored: a settled
  // member uses none). `cons` must outlive the store.
  CandidateStore(std::size_t caps, const ConstraintSet& cons, std::size_t max_kept, const decide::RankingInput& top_k);
  ~CandidateStore() override;

  decide::MemberSinkWorker* worker() override;
  // Merges the workers' members into ascending row order. Call once, after the sweep.
  void finish();

  std::size_t members() const noexcept { return row.size(); }
  std::size_t caps() const noexcept { return caps_; }
  const int64_t* allowance(std::size_t m) const noexcept { return allowance_.data() + m * caps_; }

  std::vector<uint32_t> row;
  std::vector<uint64_t> customer_id;
  std::vector<double> budget;  // points; NaN = unknown basket
  std::vector<double> churn;
  std::vector<uint32_t> off;  // members() + 1 offsets into cand
  std::vector<Candidate> cand;
  // Control decisions (member_sink.h add_control): of members held out of the
  // whole campaign, their walk's kept decisions; of members held out of single
  // actions, those actions' candidates kept when walked alone (control = 1, in
  // row, action order); per action, the counts of kept, budget and member-max gates.
  std::vector<decide::Decision> control;
  std::vector<uint64_t> control_kept, control_budget, control_member_max;

  // Members settled during the sweep (no candidate under a global constraint).
  struct Settled {
    uint64_t members = 0;
    uint64_t decisions = 0;                    // in their final sets
    std::vector<decide::ActionFunnel> funnel;  // per action: kept, member_max, budget, frequency_cap, capacity
    std::vector<uint64_t> walk_capped;         // per action: candidates the greedy walk stopped at a frequency cap
    ExactSum objective;                        // priorities of their final sets (= their part of the dual bound)
    ExactSum greedy;                           // priorities the greedy walk kept (no capacity touches them)
    std::vector<decide::Decision> top;         // of their decisions, those that can reach the top K; unordered
  } settled;

 private:
  struct Part;
  struct Worker;
  std::size_t caps_;
  const ConstraintSet* cons_;
  std::size_t max_kept_;
  decide::RankingInput top_k_;
  std::vector<double> zero_shift_;  // per action
  std::vector<int64_t> allowance_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace nudge::optimise
