// CandidateStore: every member's candidates as the sweep priced them, kept in
// memory so the population optimiser can walk the members many times without
// evaluating triggers or scoring again (engine/optimise/README.md).
//
// Filled through the sweep's MemberSink hook (engine/decide/member_sink.h),
// then finish() puts the members in ascending row order, so the store (and
// everything computed from it) is the same for any thread count and batch size.
//
// Shapes: member m (0 <= m < members()) has candidates cand[off[m] .. off[m+1])
// in the walk's order (priority desc, action); allowance(m)[j] is frequency cap
// j's allowance before the walk (caps() per member). Memory: about 40 bytes per
// member with candidates plus 32 bytes per candidate.
//
// Held-out members (holdouts, engine/decide/member_sink.h) are not in the
// store's members: only their walk's decisions and counts are kept (control).
// A member held out of single actions is in the store without those actions'
// candidates; their control decisions are in `control` too.
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

namespace nudge::optimise {

using decide::Candidate;

class CandidateStore final : public decide::MemberSink {
 public:
  explicit CandidateStore(std::size_t caps);
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

 private:
  struct Part;
  struct Worker;
  std::size_t caps_;
  std::vector<int64_t> allowance_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace nudge::optimise
