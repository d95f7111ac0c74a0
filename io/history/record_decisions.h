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
// Errors: as add_batch.
// Thread-safety: reentrant (add_batch takes the folder's LOCK).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "engine/decide/campaign.h"
#include "engine/decide/decision.h"
#include "io/history/history_store.h"

namespace nudge::history {

AddResult record_decisions(const std::filesystem::path& dir, const decide::Campaign& campaign,
                           const std::vector<decide::Decision>& ranked, int32_t sent_on,
                           const AddOptions& options = {});

}  // namespace nudge::history
