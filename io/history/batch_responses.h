// Internal to add_batch (history_store.cc): the responses of one add sorted
// out against the history already held.
// Thread-safety: pure function of its arguments (`events` is changed).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/history/event_table.h"
#include "engine/history/history.h"

namespace nudge::history {

// Per dictionary (Dict order), the history's code of each of the add's names; -2: a name it lacks.
using DictCodes = std::array<std::vector<int32_t>, kDictCount>;

struct ResponseCounts {
  uint64_t skipped = 0;       // will attach to no contact (kept, skipped and counted)
  uint64_t already_held = 0;  // dropped: the history holds them already
};

// Drops from events.responses (order kept) those `existing` already holds:
// one that attaches to a contact of `existing` with a response of the same
// responded_on, type and value (NaN equals NaN), or one equal to a response
// `existing` keeps as skipped. Then counts those of the rest that attach to
// no contact (of events.contacts, the add's new contacts, or of `existing`)
// or are dated before theirs. strict: throws Error(InvalidInput) naming the
// first such response (file:line) instead.
ResponseCounts sort_out_responses(EventTable& events, const History& existing, const DictCodes& codes, bool strict);

}  // namespace nudge::history
