// MemberSink: a hook through which the sweep hands every member's candidates,
// ordered and priced, to another pass (the population optimiser,
// engine/optimise/README.md) just before the member's budget walk.
//
// For each member with at least one candidate of finite priority, the sweep
// calls worker()->add() once, on the worker thread that walks the member;
// worker() is called once per sweep worker thread, on that thread. Members of
// one batch arrive in ascending row order; batches arrive in any order.
//
// Thread-safety: worker() may be called from several threads at once; each
// returned MemberSinkWorker is used by one thread only.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/decide/arbitration.h"

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
};

class MemberSinkWorker {
 public:
  virtual ~MemberSinkWorker() = default;
  virtual void add(const MemberCandidates& m) = 0;
};

class MemberSink {
 public:
  virtual ~MemberSink() = default;
  virtual MemberSinkWorker* worker() = 0;
};

}  // namespace nudge::decide
