// History folders: the contact and response history on disk.
//
//   hist/
//     MANIFEST          JSON: format, next batch and segment numbers, the
//                       segment files that make up the history now, and one
//                       record per batch ever added (kind, source, content
//                       hash, counts, sent_on, time added)
//     seg-000001.nhs    segment files (io/history/segment_file.h): each an
//     seg-000002.nhs    immutable, memory-mapped History of the events
//     ...               one add brought in (or, after compact, all of them)
//     LOCK              flock'ed by add and compact (one writer at a time)
//
// Design (LevelDB's CURRENT/MANIFEST idea): segment files are written once
// and never changed; the MANIFEST says which ones are live. An add writes its
// new segment (temporary file, fsync, rename), then a new MANIFEST the same
// way; the rename is the commit. An add interrupted at any point leaves the
// old MANIFEST, so the history reads as before; the orphaned segment or
// temporary file is deleted by the next add or compact. Compact writes one
// segment holding the merged view, swaps the MANIFEST, then deletes the old
// segments (readers that mapped them keep their mapping).
//
// Reading: open_history maps every live segment. One segment: zero copy; the
// open hashes no data; it checks the members' offsets and ids (segment_check.h,
// O(members)), and the event codes are checked once by the first reader that
// scans every event, or where a sweep reads them (History::check_events,
// profile_code), so a damaged segment is an error, never a crash (figures in
// bench/README.md "Contact history"). Several: merged in memory into one
// view (merge_views, engine/history/owned_history.h: a k-way merge of the
// members, no global sort) with the rules of engine/history/history.h (a
// response in a later segment attaches to a contact in an earlier one); that
// costs O(events) (bench/README.md has the figure): run compact (or add
// --compact) after adds when opens must be fast.
//
// Errors: Error(InvalidInput) naming the file (and line for CSV inputs) for
// bad input, a conflicting repeated contact (naming the add's file:line and
// the history batch holding the other), a strict-mode orphan response, or a
// damaged MANIFEST/segment, or an add into an existing folder that is neither
// a history nor empty; Error(Io) when the file system refuses or when another
// process (add, compact, sweep --record) holds the LOCK (retry later).
// compact (and add with compact_after) verify every segment they merge
// (verify_data: hashes and invariants) and refuse a damaged one, naming its
// file, before writing or deleting anything.
// Thread-safety: functions are reentrant; add and compact exclude each
// other across processes through the LOCK; readers need no lock (they see
// the MANIFEST before or after a swap, never between).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/history/event_table.h"
#include "engine/history/history.h"

namespace nudge::history {

struct BatchInfo {
  uint32_t batch = 0;
  std::string kind;                // "contacts", "responses", "sweep"
  std::string source;              // the file added (or "sweep")
  std::string content_hash;        // XXH3 of the events as read (re-add detection)
  std::optional<int32_t> sent_on;  // --sent-on, when given
  std::string added_at;            // UTC, ISO 8601
  // contacts_read = contacts_added + contacts_repeated_in_file + contacts_repeated: rows read; contacts
  // new to the history; rows repeating a (customer_id, action, sent_on) of an earlier row of the same
  // input; rows the history already held.
  uint64_t contacts_read = 0, contacts_added = 0, contacts_repeated_in_file = 0, contacts_repeated = 0;
  uint64_t responses_read = 0, responses_skipped = 0;  // skipped: attach to no contact (so far)
  // Responses the history already held (same contact, responded_on, type and value), dropped before the
  // add; in memory only (not in the MANIFEST).
  uint64_t responses_repeated = 0;
};

struct Manifest {
  uint32_t next_batch = 1;
  uint32_t next_segment = 1;
  std::vector<std::string> segments;  // file names inside the folder
  std::vector<BatchInfo> batches;
};

// Reads `dir`/MANIFEST. Throws Error(InvalidInput) when `dir` is not a
// history folder or its MANIFEST is damaged.
Manifest read_manifest(const std::filesystem::path& dir);

struct HistoryOpenOptions {
  bool verify_data = false;  // hash every segment's data and check every invariant (O(events))
};
History open_history(const std::filesystem::path& dir, const HistoryOpenOptions& options = {});

struct AddOptions {
  bool strict_responses = false;  // refuse the add when a response attaches to no contact
  bool compact_after = false;     // merge all segments into one after the add
  // Test hook: called at "segment-written" and "manifest-written-to-temp"
  // (before the MANIFEST rename); a throw there simulates a crash.
  std::function<void(std::string_view stage)> on_stage;
};

struct AddResult {
  bool added = false;          // false: nothing was written
  bool already_added = false;  // the same events were added before as batch `batch`
  uint32_t batch = 0;
  BatchInfo info;
  std::string message;  // one line for the person who ran it
};

// Adds `events` (contacts and responses read from one source; their batch
// numbers are set here) as one atomic batch. Contacts already in the history
// (same triple, same fields) are dropped and counted, and so are responses
// it already holds (batch_responses.h); the same events added again are
// detected (content hash); an add with nothing new ("nothing new (N contacts
// / responses already in the history)") writes nothing. Creates `dir`
// when it does not exist; an existing folder must be a history or empty.
AddResult add_batch(const std::filesystem::path& dir, EventTable&& events, BatchInfo info,
                    const AddOptions& options = {});

// Merges every segment into one; every answer of the view stays the same.
// Returns the number of segments merged (0 or 1: nothing to do).
std::size_t compact_history(const std::filesystem::path& dir);

}  // namespace nudge::history
