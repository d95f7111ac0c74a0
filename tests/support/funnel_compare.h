// Expects two per-action funnels equal gate for gate: the engine's
// decide::ActionFunnel against another sweep's or against the oracle's
// test::RefFunnel (tests/oracles/decide_reference.h); any type with the nine
// counters fired, consent, suppression, frequency_cap, priority, budget,
// member_max, capacity and kept, and `control` (held-out decisions) when both
// have it. Non-fatal gtest expectations. Header-only.
#pragma once

#include <gtest/gtest.h>

namespace nudge::test {

template <class F, class G>
void expect_same_gates(const F& f, const G& g) {
  EXPECT_EQ(f.fired, g.fired);
  EXPECT_EQ(f.consent, g.consent);
  EXPECT_EQ(f.suppression, g.suppression);
  EXPECT_EQ(f.frequency_cap, g.frequency_cap);
  EXPECT_EQ(f.priority, g.priority);
  EXPECT_EQ(f.budget, g.budget);
  EXPECT_EQ(f.member_max, g.member_max);
  EXPECT_EQ(f.capacity, g.capacity);
  EXPECT_EQ(f.kept, g.kept);
  // Of kept, the control decisions (holdouts), where both funnels count them.
  if constexpr (requires { f.control + g.control; }) EXPECT_EQ(f.control, g.control);
}

}  // namespace nudge::test
