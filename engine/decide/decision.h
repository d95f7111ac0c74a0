// Decision: one contact the sweep keeps (member, action, priority, budget),
// the total order decisions are ranked by, and the gates that stop candidates.
//
// Ranking order (RS-1, shared/WORKLOAD.md "Arbitration" 3-4), used for channel
// capacity, top-K and output alike:
//   1. priority, highest first;
//   2. then the lower customer_id;
//   3. then the lower action index (action order in the campaign file);
//   4. then the lower row (only reached when a population repeats a customer id).
// This is a strict total order over a sweep's decisions (a member keeps an
// action at most once, priorities are never NaN), so the ranked output does not
// depend on the thread count, the batch size or the instruction set.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace nudge::decide {

struct Decision {
  double priority = 0;  // finite
  uint64_t customer_id = 0;
  double budget_left = 0;  // points left in the member's basket after this decision
  double churn = 0;        // churn score of the member (NaN when the campaign has no model)
  uint32_t row = 0;        // row of the member in the population
  uint16_t action = 0;     // index into Campaign::actions
  uint8_t dropped = 0;     // 1 once channel capacity dropped it (ranking-internal)
  uint8_t control = 0;     // 1: the member is held out (control group): decided, not to be sent
};

// True when a ranks before b (see the order above).
inline bool ranks_before(const Decision& a, const Decision& b) noexcept {
  if (a.priority != b.priority) return a.priority > b.priority;
  if (a.customer_id != b.customer_id) return a.customer_id < b.customer_id;
  if (a.action != b.action) return a.action < b.action;
  return a.row < b.row;
}

// The first gate that stopped a candidate (in the order they are applied), or Kept.
enum class Gate : uint8_t {
  Consent,          // the channel's consent column is FALSE or NULL
  Suppression,      // a suppression rule holds, or an exclusive (calamity) candidate suppresses it
  FrequencyCap,     // a frequency cap on its channel is reached (before or during this sweep)
  Priority,         // the priority is NULL, NaN or infinite (an expression priority on missing data)
  Budget,           // cost > remaining budget, or remaining budget <= 0
  MemberMax,        // the member already has max_decisions_per_member decisions
  ChannelCapacity,  // dropped by the global channel capacity
  Kept,             // a decision
};
inline constexpr int kGateCount = 8;

// "consent", "suppression", "frequency cap", "priority", "budget",
// "per-member max", "channel capacity", "kept".
std::string_view gate_name(Gate g) noexcept;

}  // namespace nudge::decide
