// The structural check of a segment's columns (io/history/segment_file.h):
// what a reader indexes with is in range, so that a damaged (bit-flipped,
// truncated, hand-edited) segment is an error naming its file, never a crash.
// Two parts, so that the open stays O(members):
//   - check_segment_members, on every open, O(M): contact_offsets strictly
//     increasing (every member has a contact) and response_offsets
//     non-decreasing, their ends 0 and C / R, so every member's ranges lie
//     inside the columns;
//   - check_segment_events, O(C + R), run once and lazily
//     (HistoryStorage::LazyCheck, History::check_events) by the readers that
//     scan every event, and at once by an open with verify_data: customer_ids
//     strictly ascending (a wrong member, never a read outside: not needed
//     sooner), contact profile codes < P, response types < the types' dictionary, every
//     response on one of its member's own contacts and not dated before it.
//     The readers of a few events a member (the sweep's policies and
//     dialogues, explain) check the codes they read instead
//     (History::profile_code, type_code, contact_of_response).
// Not checked (values, not indexes): dates, costs, response values, batch
// numbers; the data hash (verify_data) finds any change of those.
// Cost: the member part reads 8 bytes a member (the two offsets); the event
// part about 5.6 bytes a contact at RS-2's shape, in parallel (oneTBB);
// bench/README.md "Contact history" has the open figures.
// Errors: Error(InvalidInput) "<path>: damaged segment: <fault> (...)" naming
// `path` and pointing to `nudge history inspect DIR --verify`.
// Thread-safety: reentrant; reads `s` only.
#pragma once

#include <filesystem>
#include <string>

#include "engine/history/history.h"

namespace nudge::history {

// On every open, O(M): offsets monotone with their ends at 0 and C / R. Throws the fault as above.
void check_segment_members(const HistoryStorage& s, const std::filesystem::path& path);
// The codes, O(C + R) (HistoryStorage::LazyCheck runs it once, History::check_events; open with
// verify_data runs it at once): profile and response-type codes in range, every response on one of
// its member's contacts and not dated before it. Returns the fault's message, or "" when none. Needs
// check_segment_members' guarantees.
std::string check_segment_events(const HistoryStorage& s, const std::filesystem::path& path);

}  // namespace nudge::history
