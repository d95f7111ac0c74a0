// MemberSink: a hook through which the sweep hands every member's candidates,
// ordered and priced, to another pass (the population optimiser,
// engine/optimise/README.md) just before the member's budget walk.
//
// For each member with at least one candidate of finite priority, the sweep
// calls worker()->add() once, on the worker thread that walks the member,
// just after the member's budget walk (walk_gate: the greedy walk's gate per
// candidate; cap_allowance as before the walk); worker() is called once per
// sweep worker thread, on that thread. Members of one batch arrive in
// ascending row order; batches arrive in any order.
// With a sink, the sweep adds no decision to its own ranking (run_sweep's
// ranked output is then empty, its funnel the walk's): the sink's owner
// decides and ranks them.
//
// Holdouts (sweep.h): a member held out of the whole campaign (global or
// campaign holdout) is NOT given to add(): the sweep walks it itself, as in
// greedy mode, and reports each of its candidates to add_control() with the
// walk's gate (d is the decision, control = 1, budget_left after the walk;
// it matters when gate is Kept). Its decisions so use no capacity, volume or
// money budget of the optimiser. A member held out of single actions (or
// dialogues, or steps) is given to add() without those actions' candidates;
// each of them is walked alone against the member's gates (held_walk.h) and
// reported to add_control() the same way. Default: ignored.
//
// Thread-safety: worker() may be called from several threads at once; each
// returned MemberSinkWorker is used by one thread only.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/decide/arbitration.h"
#include "engine/decide/decision.h"

namespace nudge::decide {

struct MemberCandidates {
  uint32_t row = 0;
  uint64_t customer_id = 0;
  double budget = 0;  // points: points_per_period - used; NaN when the basket is unknown (fits nothing)
  double churn = 0;   // NaN without a model
  const Candidate* candidates = nullptr;  // n, in the walk's order (priority desc, action)
  std::size_t n = 0;
  const int64_t* cap_allowance = nullptr;  // per frequency cap: contacts it still allows before the walk
  std::size_t caps = 0;
  const Gate* walk_gate = nullptr;  // n: the greedy walk's gate (Kept, FrequencyCap, Budget or MemberMax)
};

class MemberSinkWorker {
 public:
  virtual ~MemberSinkWorker() = default;
  virtual void add(const MemberCandidates& m) = 0;
  virtual void add_control(const Decision& d, Gate gate) {}
};

class MemberSink {
 public:
  virtual ~MemberSink() = default;
  virtual MemberSinkWorker* worker() = 0;
};

}  // namespace nudge::decide
