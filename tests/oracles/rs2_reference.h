// RS-2 written out row by row from shared/WORKLOAD.md ("RS-1" and "RS-2"),
// straight from the raw history rows (io/gen/rs2_generator.h), sharing no
// code with the sweep, the campaign loader, the expression compiler or the
// history store: the oracle tests/policy_rs2_test.cc compares the sweep of
// data/campaigns/rs2.toml against. The history, consent, budget walk and
// rank-and-cap steps it shares with RS-3 are in rs_reference_common.h.
//
// Only the churn score comes from outside (a callback: the model's own
// reference_score), so that priorities can be compared exactly.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "io/gen/rs2_generator.h"
#include "tests/oracles/rs_reference_common.h"

namespace nudge::test {

using Rs2Decision = RsDecision;

struct Rs2Reference {
  std::vector<Rs2Decision> ranked;    // first K in rank order
  std::size_t skipped_responses = 0;  // responses dated <= D that attach to no contact dated <= D
};

inline Rs2Reference rs2_reference(const Rs2Data& d, int32_t D, const std::function<double(std::size_t row)>& churn_of,
                                  std::size_t capacity_call = 5000, std::size_t top_k = 100000) {
  RsHistory history(D);
  history.add_rs2(d);
  Rs2Reference out;
  out.skipped_responses = history.attach();

  const RsColumns cols{d.population};
  out.ranked = rs_decide(
      d.population, history, kRs1Actions, [&](std::size_t r, uint64_t, bool* fired) { cols.rs1_fired(r, fired); },
      churn_of, {"defection_call", "complaint_followup"}, capacity_call, top_k);
  return out;
}

}  // namespace nudge::test
