// Reading the [[dialogue]] tables of a campaign file (TOML, toml++); the keys
// are documented in data/campaigns/README.md "Dialogues".
//
//   [[dialogue]]
//   name = "defection_rescue"
//   entry = "flights_prev_3m >= 2 AND flights_3m < 0.5 * flights_prev_3m"
//   goal = "flights_3m >= flights_prev_3m"          # optional
//   reentry_days = 90                                # optional, default 90, 1..3660
//   response_types = ["open", "click", "convert"]    # optional (this default)
//   exit_response_types = ["convert"]                # optional (this default)
//   [[dialogue.step]]                                # one table per step, in order
//   name = "rescue_email"                            # an action name, unique in the campaign
//   message_type = "commercial"
//   channel = "email"
//   value = 150
//   priority = "weight * value * churn"
//   [[dialogue.step]]
//   name = "rescue_call"
//   wait_days = 7                                    # required on every later step, >= 1
//   expire_days = 14                                 # optional: due for at most this many days
//   ...
//
// Each step becomes an Action appended to Campaign::actions (after the plain
// actions, in file order), with Action::dialogue and Action::step set and the
// entry condition as its trigger.
//
// Errors: Error(InvalidInput) "file:line:col: message" at the key at fault:
// unknown keys, wrong types, a missing step, wait_days on the first step or
// missing on a later one, a wait not shorter than reentry_days (the step could
// never become due), more than kMaxSteps steps or kMaxDialogues dialogues,
// duplicate dialogue or action names, and every action-key error.
// Thread-safety: pure function.
#pragma once

#include <toml++/toml.h>

#include "engine/base/toml_reader.h"
#include "engine/decide/campaign.h"

namespace nudge::dialogue {

// Appends the dialogues of `root` (and their step actions) to `c`, whose
// message types, channels, model and plain actions are already read.
void read_dialogues(const TomlReader& r, const toml::table& root, decide::Campaign& c);

}  // namespace nudge::dialogue
