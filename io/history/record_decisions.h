// Recording a sweep's decisions as contacts (`nudge sweep ... --record HIST`),
// for teams that send everything they decide.
//
// Each ranked decision (what the decisions file holds) becomes one contact:
// customer_id, sent_on, action, channel, message_type, cost (base cost x
// channel factor, as the decisions file writes it), brand and control (a
// held-out decision, Decision::control, becomes a control contact, which
// every policy ignores); no campaign or dialogue, so recording a sweep and
// later adding its decisions file (its `control` column included) with
// `history add --contacts FILE --sent-on DAY` give the same contacts (the
// second counts as repeats).
// The batch's source is "sweep <campaign name>"; like any add it is one
// atomic batch (io/history/history_store.h), and recording the same
// decisions twice is detected.
// A decision that is already a contact of the history (same customer_id,
// action name and sent_on day: a second same-day sweep re-proposes what the
// first recorded) is refused: sending that decisions file would contact the
// member twice. refuse_recorded_contacts says so before anything is written
// (the CLI calls it before writing the decisions file), and record_decisions
// checks again before its add.
// Errors: Error(InvalidInput) (exit 1) for decisions already recorded, giving
// their count and the first in rank order (customer_id, action, day, and the
// history batch holding it); otherwise as add_batch and open_history.
// Thread-safety: reentrant (add_batch takes the folder's LOCK; a contact
// recorded by another process between the check and the add is counted as a
// repeat by add_batch, as before).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "engine/decide/campaign.h"
#include "engine/decide/decision.h"
#include "io/history/history_store.h"

namespace nudge::history {

// Throws Error(InvalidInput) when any of `ranked` is a contact `dir` already
// holds (customer_id, action name, `sent_on`); nothing when `dir` has no
// MANIFEST (a new history). Reads only.
void refuse_recorded_contacts(const std::filesystem::path& dir, const decide::Campaign& campaign,
                              const std::vector<decide::Decision>& ranked, int32_t sent_on);

AddResult record_decisions(const std::filesystem::path& dir, const decide::Campaign& campaign,
                           const std::vector<decide::Decision>& ranked, int32_t sent_on,
                           const AddOptions& options = {});

}  // namespace nudge::history
