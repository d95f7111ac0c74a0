// The structural check of a segment's columns (io/history/segment_file.h),
// run on every open: what a reader indexes with is in range, so that a
// damaged (bit-flipped, truncated, hand-edited) segment is an error naming
// its file, never a crash.
//
// Checks, for M members, C contacts, R responses and P profiles:
//   - customer_ids strictly ascending;
//   - contact_offsets strictly increasing (every member has a contact) and
//     response_offsets non-decreasing (their ends, 0 and C or R, are checked
//     by open_segment), so every member's ranges lie inside the columns;
//   - contact_profile < P, response_type < the response types' dictionary;
//   - response_contact one of the member's own contacts, and responded_on on
//     or after that contact's sent_on.
// Not checked (values, not indexes): dates, costs, response values, batch
// numbers; the data hash (verify_data) finds any change of those.
// Cost: one pass over the offsets, profiles and response columns, O(M + C + R)
// reads (about 5.6 bytes a contact at RS-2's shape), in parallel (oneTBB);
// bench/README.md "Contact history" has the open figures with it.
// Errors: Error(InvalidInput) "<path>: damaged segment: <fault>; ..." naming
// `path` and pointing to `nudge history inspect DIR --verify`.
// Thread-safety: reentrant; reads `s` only.
#pragma once

#include <filesystem>

#include "engine/history/history.h"

namespace nudge::history {

void check_segment_columns(const HistoryStorage& s, const std::filesystem::path& path);

}  // namespace nudge::history
