// The dialogue rules (engine/dialogue/dialogue.h; shared/WORKLOAD.md RS-3)
// written row by row from the raw contact and response records, without the
// history view, the state machine or the sweep's batches: the oracle the
// dialogue tests compare the sweep against.
//
// For each dialogue and member: the member's contacts of the dialogue's step
// actions (by name), not control, D - reentry_days < sent_on <= D, a repeated
// (action, sent_on) counted once; a response counts when a record names that
// contact (customer_id, action, sent_on), responded_on <= D and responded_on
// >= sent_on; then the rules in the order the documentation gives them.
// Entry and goal come from the expression compiler's reference evaluator.
//
// Thread-safety: pure function. Cost: O(rows * events per member * log).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/decide/campaign.h"
#include "engine/dialogue/dialogue.h"
#include "engine/history/history.h"
#include "engine/store/population.h"

namespace nudge::test {

struct RefPlace {
  dialogue::State state = dialogue::State::Outside;
  int step = 0;  // as dialogue::Place::step
  bool operator==(const RefPlace&) const = default;
};

// [dialogue][row]
std::vector<std::vector<RefPlace>> reference_places(const decide::Campaign& c, const Population& pop,
                                                    const std::vector<history::ContactRecord>& contacts,
                                                    const std::vector<history::ResponseRecord>& responses,
                                                    int32_t as_of);

}  // namespace nudge::test
