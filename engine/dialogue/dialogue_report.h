// Dialogue tables a marketer reads: the sweep's dialogue section (members
// per state and step, entered, advanced, left by reason) and one member's
// place with the history events it was read from (`nudge explain`).
//
// format_dialogue_report, per dialogue, one row per step:
//   waiting   members waiting for this step (its wait has not run out)
//   due       members for whom this step is a candidate (= the step's fired)
//   sent      treated decisions kept for it in this sweep (after channel capacity;
//             control decisions of held-out members are left out and counted
//             on a line of their own)
//   left after this step, by reason: response, exit (e.g. convert), goal,
//             finished (after the last step), expired (the next step stayed
//             due longer than its expiry)
// and a line: outside, entered (step 1 sent), advanced (later steps sent),
// left (all reasons), in the dialogue (waiting + due for a later step).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/sweep.h"
#include "engine/dialogue/dialogue_pass.h"

namespace nudge::dialogue {

// Empty when the campaign has no dialogue. r: a sweep of that campaign.
std::string format_dialogue_report(const decide::Campaign& c, const decide::SweepResult& r);

// One member's place in each dialogue and why: the entry and goal values,
// the dialogue contacts in the window with their responses (dates as
// YYYY-MM-DD), the latest one and the rule that decided.
std::string format_dialogue_explanation(const decide::BoundCampaign& bound, const BoundDialogues& dlg, std::size_t row);

}  // namespace nudge::dialogue
