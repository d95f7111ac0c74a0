// Internal to the sweep: what it records about one member for `nudge explain`
// (SweepOptions::trace_row), and how that becomes a MemberTrace.
//
// The sweep's gate loop fills TraceScratch::gate for the traced member's
// actions before the walk (consent, suppression, frequency cap, or a
// candidate), the walk fills priorities, walk gates and budgets; after the
// ranking, build_trace adds channel capacity, scores the member when the
// sweep did not (no candidate), computes the priorities of actions stopped
// before the walk, orders the entries and writes the details.
// Thread-safety: used by the one worker whose batch holds the traced row.
#pragma once

#include <limits>
#include <optional>
#include <vector>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/sweep.h"

namespace nudge::decide {

struct TraceScratch {
  std::vector<std::optional<Gate>> gate;  // nullopt: not fired; Kept: candidate
  std::vector<double> priority;
  std::vector<double> budget_left;
  double churn = std::numeric_limits<double>::quiet_NaN();
  bool scored = false;
  // Inputs of the gates (recorded by the gate loop): basket used, cap counts
  // (NaN = NULL), channels whose consent a history unsubscribe revoked.
  double used = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> cap_counts;
  std::vector<bool> revoked;
};

MemberTrace build_trace(const BoundCampaign& b, std::size_t row, TraceScratch& t, const SweepResult& r);

}  // namespace nudge::decide
