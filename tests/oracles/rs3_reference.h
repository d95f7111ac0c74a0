// RS-3 written out row by row from shared/WORKLOAD.md ("RS-1", "RS-2" and
// "RS-3"), straight from the raw history rows (io/gen/rs3_generator.h),
// sharing no code with the sweep, the campaign loader, the expression
// compiler, the history store or engine/dialogue: the oracle
// tests/dialogue_rs3_test.cc compares the sweep of data/campaigns/rs3.toml
// against. It is tests/oracles/rs2_reference.h with actions 0 and 1 replaced
// by the defection_rescue dialogue (steps = actions 10, 11, 12 for ties); the
// steps both share are in rs_reference_common.h.
//
// Only the churn score comes from outside (a callback: the model's own
// reference_score), so that priorities can be compared exactly.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "io/gen/rs3_generator.h"
#include "tests/oracles/rs2_reference.h"
#include "tests/oracles/rs_reference_common.h"

namespace nudge::test {

using Rs3Decision = RsDecision;

// RS-2's answer, plus the dialogue's places.
struct Rs3Reference : Rs2Reference {
  uint64_t due[3] = {0, 0, 0};  // members for whom step k is a candidate ("fired")
  uint64_t waiting = 0, left = 0, outside = 0;
};

// RS-1's actions (0, 1: not in RS-3), then the dialogue's three steps.
inline constexpr RsAction kRs3Actions[13] = {kRs1Actions[0],
                                             kRs1Actions[1],
                                             kRs1Actions[2],
                                             kRs1Actions[3],
                                             kRs1Actions[4],
                                             kRs1Actions[5],
                                             kRs1Actions[6],
                                             kRs1Actions[7],
                                             kRs1Actions[8],
                                             kRs1Actions[9],
                                             {"rescue_email", "commercial", "email", 150, 1.0, true},
                                             {"rescue_call", "service", "call", 400, 1.0, true},
                                             {"rescue_reminder", "service", "email", 40, 1.0, false}};

inline Rs3Reference rs3_reference(const Rs3Data& d3, int32_t D, const std::function<double(std::size_t row)>& churn_of,
                                  std::size_t capacity_call = 5000, std::size_t top_k = 100000) {
  const Rs2Data& d = d3.rs2;
  RsHistory history(D);
  history.add_rs2(d);
  for (const auto& c : d3.step_contacts) history.add_contact(c.customer_id, c.sent_on, kRs3Steps[c.step]);
  for (const auto& r : d3.step_responses)
    history.add_response(r.customer_id, kRs3Steps[r.step].name, r.sent_on, r.responded_on, r.type);
  Rs3Reference out;
  out.skipped_responses = history.attach();

  const RsColumns cols{d.population};
  auto fired_of = [&](std::size_t r, uint64_t id, bool* fired) {
    const double fp = cols.fp(r), f3 = cols.f3(r);
    // RS-3's dialogue: the place from the latest rescue contact in D - 90 < sent_on <= D.
    const bool entry = fp >= 2 && f3 < 0.5 * fp, goal = f3 >= fp;
    int latest_step = -1;
    int32_t latest_on = 0;
    bool converted = false;
    for (const auto& [key, c] : history.contacts(id))
      for (int k = 0; k < 3; ++k)
        if (c.action == kRs3Steps[k].name && c.sent_on > D - 90 && c.sent_on <= D) {
          if (history.answered(id, c.action, c.sent_on).count("convert")) converted = true;
          if (latest_step < 0 || c.sent_on > latest_on || (c.sent_on == latest_on && k > latest_step))
            latest_step = k, latest_on = c.sent_on;
        }
    bool step_due[3] = {false, false, false};
    if (latest_step < 0) {
      step_due[0] = entry && !goal;  // outside: enters where the entry condition holds
      if (!step_due[0]) ++out.outside;
    } else {
      const auto& types = history.answered(id, std::string(kRs3Steps[latest_step].name), latest_on);
      const bool response = types.count("open") || types.count("click") || types.count("convert");
      if (response || latest_step == 2 || goal || converted) ++out.left;
      else if (latest_on <= D - 7) step_due[latest_step + 1] = true;
      else ++out.waiting;
    }
    for (int k = 0; k < 3; ++k) out.due[k] += step_due[k];
    cols.rs1_fired(r, fired);
    fired[0] = fired[1] = false;
    std::copy(step_due, step_due + 3, fired + 10);
  };
  out.ranked = rs_decide(d.population, history, kRs3Actions, fired_of, churn_of, {"rescue_call", "complaint_followup"},
                         capacity_call, top_k);
  return out;
}

}  // namespace nudge::test
