// OwnedHistory: History storage that owns its columns (vectors), and the
// response stage of the builder, shared by build() (history_builder.cc) and
// merge_views() (history_merge.cc). Internal to engine/history.
// Thread-safety: built single-threaded (inside: oneTBB), then immutable.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "engine/base/huge_alloc.h"
#include "engine/history/event_table.h"
#include "engine/history/history.h"

namespace nudge::history {

// Storage whose spans point into its own vectors (HugeVector: resize does
// not zero; large columns prefer 2 MiB pages).
struct OwnedHistory : HistoryStorage {
  HugeVector<uint64_t> ids;
  HugeVector<uint32_t> coff, roff, cprof, cbatch, rcontact;
  HugeVector<int32_t> sent, resp_on;
  HugeVector<uint16_t> rtype;
  HugeVector<double> rvalue;
  void point() {
    customer_ids = ids;
    contact_offsets = coff;
    response_offsets = roff;
    sent_on = sent;
    contact_profile = cprof;
    contact_batch = cbatch;
    response_contact = rcontact;
    responded_on = resp_on;
    response_type = rtype;
    response_value = rvalue;
  }
};

// The contact stage of build(): sorts `rc` (profiles `prof`, codes already
// canonical) by (customer_id, sent_on, action) and keeps one row per triple
// (the lowest (batch, origin)), writing h.ids, coff, sent, cprof (indexes
// into `prof`) and cbatch. A repeated triple whose profiles differ calls
// `conflict(row, kept row)`, which must throw (the first such triple in sorted
// order). history_contacts.cc.
void build_contacts(OwnedHistory& h, const std::vector<RawContact>& rc, const std::vector<ContactProfile>& prof,
                    const std::function<void(const RawContact&, const RawContact&)>& conflict);

// Attaches `rr` (action and type codes already those of `out`'s
// dictionaries) to `out`'s contacts or keeps them as skipped, sorts and
// dedupes; `t` names origins in strict-mode errors (may be null when
// options.strict_responses is false). Returns the finished view.
History attach_responses(const std::shared_ptr<OwnedHistory>& out, std::vector<RawResponse>& rr, const EventTable* t,
                         const BuildOptions& options);

// The union of `parts` (each a canonical view, e.g. the segments of a
// history folder) as one canonical view, equal to build() of all their
// events: a k-way merge of the members, each member's contacts merged and
// deduplicated (a repeated triple keeps the lowest batch; other fields must
// agree), then the responses of all parts attached anew (a skipped response
// of one part may attach to a contact of another). O(events); no global sort.
History merge_views(const std::vector<History>& parts);

}  // namespace nudge::history
