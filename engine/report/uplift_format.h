// An UpliftReport (uplift.h) as JSON and as a terminal table.
//
// JSON (`nudge report --json FILE`), numbers in shortest round-trip form,
// NaN (an empty side, or a mean of fewer than 2 members) as null:
//   { "attribution_days": 14, "as_of": "2026-11-15" | null,
//     "methods": { "rate_ci": "...", "value_ci": "..." },
//     "response_types": ["open", ...],
//     "actions":        [ GROUP, ... ],   "campaigns": [...],
//     "channels":       [...],             "dialogue_steps": [...] }
//   GROUP = { "name", "treated", "control" (members),
//             "treated_contacts", "control_contacts", "cost_points",
//             "responses": { TYPE: { "treated_rate", "control_rate", "uplift",
//                                    "ci_low", "ci_high", "treated_responders",
//                                    "control_responders", "incremental" } },
//             "value_per_member": { "treated", "control", "uplift", "ci_low",
//                                   "ci_high" },
//             "incremental_value" }
// Table: one block per group kind, one row per group and response type.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/report/uplift.h"

namespace nudge::report {

nlohmann::json uplift_json(const UpliftReport& r);
std::string format_uplift_table(const UpliftReport& r);

// "YYYY-MM-DD" of days since 1970-01-01.
std::string format_day(int32_t days);

}  // namespace nudge::report
