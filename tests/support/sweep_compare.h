// The comparison of two sweep results, field by field (ranked decisions,
// funnels, capacity cut-offs, traces), for the tests that check one way of
// sweeping against another (run_sweeps against run_sweep). Header-only;
// fails through gtest assertions (wrap in ASSERT_NO_FATAL_FAILURE to stop).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>

#include "engine/decide/sweep.h"

namespace nudge::test {

inline void expect_same_sweep(const decide::SweepResult& x, const decide::SweepResult& y, const std::string& what) {
  EXPECT_EQ(x.members, y.members) << what;
  EXPECT_EQ(x.members_with_candidates, y.members_with_candidates) << what;
  EXPECT_EQ(x.decisions, y.decisions) << what;
  ASSERT_EQ(x.ranked.size(), y.ranked.size()) << what;
  for (std::size_t i = 0; i < x.ranked.size(); ++i) {
    const auto &p = x.ranked[i], &q = y.ranked[i];
    ASSERT_EQ(p.customer_id, q.customer_id) << what << " " << i;
    ASSERT_EQ(p.action, q.action) << what << " " << i;
    ASSERT_EQ(p.priority, q.priority) << what << " " << i;
    ASSERT_EQ(p.control, q.control) << what << " " << i;
    ASSERT_TRUE(p.budget_left == q.budget_left || (std::isnan(p.budget_left) && std::isnan(q.budget_left)))
        << what << " " << i;
  }
  ASSERT_EQ(x.funnel.size(), y.funnel.size()) << what;
  for (std::size_t a = 0; a < x.funnel.size(); ++a) {
    const auto &f = x.funnel[a], &g = y.funnel[a];
    EXPECT_EQ(std::tie(f.fired, f.consent, f.suppression, f.frequency_cap, f.priority, f.budget, f.member_max,
                       f.capacity, f.kept, f.in_top_k, f.control),
              std::tie(g.fired, g.consent, g.suppression, g.frequency_cap, g.priority, g.budget, g.member_max,
                       g.capacity, g.kept, g.in_top_k, g.control))
        << what << " action " << a;
  }
  ASSERT_EQ(x.capacity_cutoff.size(), y.capacity_cutoff.size()) << what;
  for (std::size_t ch = 0; ch < x.capacity_cutoff.size(); ++ch) {
    ASSERT_EQ(x.capacity_cutoff[ch].has_value(), y.capacity_cutoff[ch].has_value()) << what;
    if (x.capacity_cutoff[ch]) {
      EXPECT_EQ(x.capacity_cutoff[ch]->customer_id, y.capacity_cutoff[ch]->customer_id) << what;
    }
  }
  ASSERT_EQ(x.trace.has_value(), y.trace.has_value()) << what;
  if (x.trace) {
    ASSERT_EQ(x.trace->entries.size(), y.trace->entries.size()) << what;
    for (std::size_t i = 0; i < x.trace->entries.size(); ++i) {
      EXPECT_EQ(x.trace->entries[i].action, y.trace->entries[i].action) << what;
      EXPECT_EQ(x.trace->entries[i].gate, y.trace->entries[i].gate) << what;
      EXPECT_EQ(x.trace->entries[i].detail, y.trace->entries[i].detail) << what;
    }
  }
}

}  // namespace nudge::test
