// Fixtures of the RS-2 and RS-3 tests: the generated history as a history
// store, and the comparison of a sweep's ranked decisions with an RS oracle's
// (tests/oracles/rs2_reference.h, rs3_reference.h). Header-only.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "engine/decide/campaign.h"
#include "engine/decide/sweep.h"
#include "engine/history/history.h"
#include "io/gen/rs2_generator.h"
#include "io/gen/rs3_generator.h"
#include "tests/oracles/rs_reference_common.h"

namespace nudge::test {

// Every generated contact and response (io/gen's rs2_records, rs3_records) in a history store.
inline history::History history_of(const Rs2Data& d) {
  std::vector<history::ContactRecord> cs;
  std::vector<history::ResponseRecord> rs;
  rs2_records(d, cs, rs);
  return history::build_history(std::move(cs), std::move(rs));
}
inline history::History history_of(const Rs3Data& d) {
  std::vector<history::ContactRecord> cs;
  std::vector<history::ResponseRecord> rs;
  rs3_records(d, cs, rs);
  return history::build_history(std::move(cs), std::move(rs));
}

// Same length, then rank for rank the same customer, action name, priority and
// budget left, exactly. Fails through gtest's fatal assertions (wrap the call
// in ASSERT_NO_FATAL_FAILURE to stop the test).
inline void expect_same_ranking(const decide::Campaign& campaign, const std::vector<decide::Decision>& ranked,
                                const std::vector<RsDecision>& ref) {
  ASSERT_EQ(ranked.size(), ref.size());
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const auto& s = ranked[i];
    const auto& e = ref[i];
    ASSERT_EQ(s.customer_id, e.customer_id) << "rank " << i + 1;
    ASSERT_EQ(campaign.actions[s.action].name, e.action) << "rank " << i + 1;
    ASSERT_EQ(s.priority, e.priority) << "rank " << i + 1;
    ASSERT_EQ(s.budget_left, e.budget_left) << "rank " << i + 1;
  }
}

}  // namespace nudge::test
