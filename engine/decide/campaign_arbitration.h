// The [arbitration] table of a campaign file and the per-action limits the
// population optimiser uses (min_volume, max_volume, money_cost); the format
// is documented in data/campaigns/README.md ("[arbitration]").
//
//   [arbitration]
//   mode = "greedy"        # or "optimise" (engine/optimise/README.md)
//   money_budget = 25000   # CAD, optimise only: sum of the kept decisions' money_cost
//   passes = 30            # optimise only: most price passes
//
// Errors: Error(InvalidInput) "file:line:col: message" for a wrong type, an
// unknown key or value, and for a limit (min_volume, max_volume, money_cost,
// money_budget) in a campaign whose mode is "greedy", which cannot honour it.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "engine/decide/campaign.h"
#include "engine/base/toml_reader.h"

namespace nudge::decide {

// Reads [arbitration] (if present) into c.arbitration. Call before the actions are read.
void read_arbitration(const TomlReader& r, const toml::table& root, Campaign& c);

// Reads an action's min_volume, max_volume and money_cost keys (if present)
// into a; refused when arb.mode is Greedy.
void read_action_limits(const TomlReader& r, const toml::table& t, Action& a, const std::string& where,
                        const Arbitration& arb);

}  // namespace nudge::decide
