// History: the contact and response history (WORKLOAD.md RS-2), read side.
//
// An immutable, columnar view of every contact nudge (or another system) sent
// and every response that came back, grouped by member so that a sweep reads
// one member's events together. It comes from a history folder
// (io/history/history_store.h: open_history, memory-mapped, zero copy when the
// folder holds one segment) or from plain records in memory (build_history
// below; same rules, same view, for tests and for callers without files).
//
//   nudge::history::History h = nudge::history::open_history("hist");
//   std::vector<uint32_t> member = h.map_rows(ids);       // population row -> member
//   for (uint32_t i : h.contacts_of(member[row]))          // sorted by sent_on, action
//     if (h.sent_on()[i] > as_of - 30 && h.sent_on()[i] <= as_of && !h.profile_of(i).control) ...
//
// Shape (M members, C contacts, R responses; all spans are exactly that long):
//
//   members   customer_ids()       uint64[M]   ascending, unique; a member has >= 1 contact
//             contact_offsets()    uint32[M+1] CSR: member m's contacts are
//                                              [contact_offsets[m], contact_offsets[m+1])
//             response_offsets()   uint32[M+1] CSR: member m's (attached) responses
//   contacts  sent_on()            int32[C]    days since 1970-01-01
//             contact_profile()    uint32[C]   index into profiles(): action, channel,
//                                              message type, campaign, brand, dialogue,
//                                              step, cost (points), control flag
//             contact_batch()      uint32[C]   the batch (history add) it came in, 1-based
//   responses response_contact()   uint32[R]   the contact answered: an index into contacts,
//                                              always one of the same member
//             responded_on()       int32[R]    days since 1970-01-01, >= that contact's sent_on
//             response_type()      uint16[R]   code into response_types()
//             response_value()     float64[R]  e.g. spend in CAD; NaN = none
//
// Order: members by customer_id; a member's contacts by (sent_on, action
// name); its responses by (responded_on, contact index, type code, value).
// Dictionaries (actions(), channels(), ...) are sorted by name, so a code
// order is the name order and two views of the same events are equal
// column for column whatever order the events were added in (compaction
// relies on it). Response types are the exception: codes 0..4 are always
// open, click, convert, unsubscribe, complaint (ResponseType), user-defined
// types follow in name order. Campaign, brand and dialogue code -1 = none.
//
// Rules (RS-2, applied when the view is built, so every reader sees them):
//   - a contact is identified by (customer_id, action, sent_on); a repeated
//     triple is one contact (its other fields must be equal, else the build
//     or the add fails naming both sources); across batches too;
//   - a response attaches iff a contact with its (customer_id, action,
//     sent_on) exists and responded_on >= sent_on; judged over all batches,
//     so a response added before its contact attaches once the contact is
//     added. Others are kept in skipped() with the reason and counted, never
//     attached elsewhere;
//   - a repeated response (same contact, responded_on, type and value) counts
//     once.
// Dates are the events' own: nothing here filters by as_of; a sweep for day D
// ignores contacts with sent_on > D and responses with responded_on > D
// itself (a response to a contact dated <= D is dated >= it, so attachment
// never depends on D; count_skipped(D) gives RS-2's skip count for day D).
//
// Limits: fewer than 2^32 - 1 contacts and responses each (4e9; the design
// point is 250M); dictionaries below 2^31 entries.
// Errors: build_history throws Error(InvalidInput) for a conflicting repeated
// contact (naming both sources) or, with strict_responses, for the first
// response that does not attach (naming its source); Error(Usage) for a
// limit exceeded. Accessors do not throw (indexes are not checked beyond
// std::span's debug checks).
// Thread-safety: a History is immutable after it is built or opened; any
// number of threads may read it concurrently. Copies are cheap (shared
// storage) and keep the storage (and any mapping) alive.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nudge {
class Population;
}

namespace nudge::history {

inline constexpr uint32_t kNoMember = std::numeric_limits<uint32_t>::max();

// Fixed codes of the built-in response types; user-defined types get 5, 6, ...
enum ResponseType : uint16_t { kOpen = 0, kClick = 1, kConvert = 2, kUnsubscribe = 3, kComplaint = 4 };
inline constexpr std::string_view kBuiltinResponseTypes[] = {"open", "click", "convert", "unsubscribe", "complaint"};

// Everything about a contact besides member, date and batch. Many contacts
// share one profile (same action, channel, cost ...), so the contact columns
// hold a 4-byte profile index instead of nine columns.
struct ContactProfile {
  int32_t action = 0;        // code into actions()
  int32_t channel = 0;       // code into channels()
  int32_t message_type = 0;  // code into message_types()
  int32_t campaign = -1;     // code into campaigns(); -1 = none
  int32_t brand = -1;        // code into brands(); -1 = none
  int32_t dialogue = -1;     // code into dialogues(); -1 = none
  int32_t step = 0;          // dialogue step, 1-based; 0 = none
  double cost = 0;           // contact-pressure points it cost
  bool control = false;      // held out: decided, not sent (policies ignore it)
  bool operator==(const ContactProfile&) const = default;
};

// A sorted dictionary: code = position. find() is a binary search.
class Dictionary {
 public:
  Dictionary() = default;
  explicit Dictionary(std::vector<std::string> names) : names_(std::move(names)) {}
  std::size_t size() const noexcept { return names_.size(); }
  const std::string& name(int32_t code) const { return names_.at(static_cast<std::size_t>(code)); }
  const std::vector<std::string>& names() const noexcept { return names_; }
  // Code of `name`, or -1. O(log n) (response types: O(n) over the built-ins first).
  int32_t find(std::string_view name) const noexcept;

 private:
  std::vector<std::string> names_;
};

enum class SkipReason : uint8_t {
  NoContact,      // no contact with the response's (customer_id, action, sent_on)
  BeforeContact,  // the contact exists but responded_on < sent_on
};

// A response that did not attach (kept so that a later add can attach it,
// and so that skips can be counted per day).
struct SkippedResponse {
  uint64_t customer_id = 0;
  int32_t action = 0;  // code into actions()
  int32_t sent_on = 0;
  int32_t responded_on = 0;
  uint16_t type = 0;  // code into response_types()
  double value = std::numeric_limits<double>::quiet_NaN();
  SkipReason reason = SkipReason::NoContact;
};

struct SkipCounts {
  std::size_t no_contact = 0;
  std::size_t before_contact = 0;
  std::size_t total() const noexcept { return no_contact + before_contact; }
};

// A range of indexes (contacts or responses) for range-for.
struct IndexRange {
  uint32_t first = 0, last = 0;
  struct It {
    uint32_t i;
    uint32_t operator*() const noexcept { return i; }
    It& operator++() noexcept {
      ++i;
      return *this;
    }
    bool operator!=(const It& o) const noexcept { return i != o.i; }
  };
  It begin() const noexcept { return {first}; }
  It end() const noexcept { return {last}; }
  uint32_t size() const noexcept { return last - first; }
  bool empty() const noexcept { return first == last; }
};

// Where the column spans point; owned vectors (build_history) or a mapping
// (open_history). Filled by the builder and the file reader only.
struct HistoryStorage {
  std::span<const uint64_t> customer_ids;
  std::span<const uint32_t> contact_offsets, response_offsets;
  std::span<const int32_t> sent_on;
  std::span<const uint32_t> contact_profile, contact_batch;
  std::span<const uint32_t> response_contact;
  std::span<const int32_t> responded_on;
  std::span<const uint16_t> response_type;
  std::span<const double> response_value;
  std::vector<ContactProfile> profiles;
  Dictionary actions, channels, message_types, campaigns, brands, dialogues, response_types;
  std::vector<SkippedResponse> skipped;
  std::shared_ptr<const void> keep_alive;  // owner of the bytes the spans point to
  // An opened segment (io/history/segment_file.h) checks its members' offsets on open, O(M), and its
  // codes (contact profiles, response types, response contacts) lazily, O(C + R), once: on the first
  // History::check_events() (the readers that scan every event), while the readers of a few events a
  // member (the sweep's policies and dialogues, explain) check the codes they use (profile_code,
  // type_code, contact_of_response). Null: nothing to check (built in memory).
  struct LazyCheck {
    std::once_flag once;
    std::string error;                                    // empty: the codes are in range
    std::function<std::string(const HistoryStorage&)> run;  // the check: its error text, or empty
  };
  std::shared_ptr<LazyCheck> events_check;
  std::string origin;  // the segment file the spans map (empty: built in memory), named by damaged()
};

class History {
 public:
  History();  // empty: no members, no events
  explicit History(std::shared_ptr<const HistoryStorage> storage);

  // --- members
  std::size_t members() const noexcept { return s_->customer_ids.size(); }
  std::span<const uint64_t> customer_ids() const noexcept { return s_->customer_ids; }
  std::span<const uint32_t> contact_offsets() const noexcept { return s_->contact_offsets; }
  std::span<const uint32_t> response_offsets() const noexcept { return s_->response_offsets; }
  IndexRange contacts_of(uint32_t member) const noexcept {
    return {s_->contact_offsets[member], s_->contact_offsets[member + 1]};
  }
  IndexRange responses_of(uint32_t member) const noexcept {
    return {s_->response_offsets[member], s_->response_offsets[member + 1]};
  }
  // Member index of `customer_id`, or kNoMember. O(log M), a binary search.
  uint32_t find_member(uint64_t customer_id) const noexcept;
  // The member a contact belongs to. O(log M).
  uint32_t member_of_contact(uint32_t contact) const noexcept;

  // Population rows -> member index (kNoMember: no history). One entry per
  // id. Cost: O(M + N) when `ids` ascend; otherwise O(M) to build a bucket
  // index over customer_ids (about M/8 buckets of the id range, 4 bytes each)
  // plus O(N * (1 + log b)) lookups, b the ids per bucket (about 8 for evenly
  // spread ids, at most M for adversarial ones), in parallel (oneTBB). Shuffled
  // ids make each lookup two dependent cache misses (the bucket, then its
  // members); a three-stage software pipeline (prefetch the bucket 32 rows
  // ahead, its first members 16 rows ahead) overlaps them. The same search
  // decides, so the result equals find_member per id.
  // Measured: 1M shuffled rows against 1M members, 22 ms CPU / 101 ms wall
  // under load 9 (before the pipeline 48.5 / 246 ms, same run;
  // bench/history_bench.cc BM_HistoryMapRows).
  std::vector<uint32_t> map_rows(std::span<const uint64_t> ids) const;
  // map_rows over the population's id column (Population::id_column()).
  // Throws Error(InvalidInput) when the population has no id column.
  std::vector<uint32_t> map_population(const Population& pop) const;

  // --- contacts
  std::size_t contacts() const noexcept { return s_->sent_on.size(); }
  std::span<const int32_t> sent_on() const noexcept { return s_->sent_on; }
  std::span<const uint32_t> contact_profile() const noexcept { return s_->contact_profile; }
  std::span<const uint32_t> contact_batch() const noexcept { return s_->contact_batch; }
  const std::vector<ContactProfile>& profiles() const noexcept { return s_->profiles; }
  // Contact `contact`'s profile code, checked: < profiles().size(), else damaged() throws.
  uint32_t profile_code(uint32_t contact) const {
    const uint32_t p = s_->contact_profile[contact];
    if (p >= s_->profiles.size()) [[unlikely]]
      damaged("a contact profile code out of range");
    return p;
  }
  const ContactProfile& profile_of(uint32_t contact) const { return s_->profiles[profile_code(contact)]; }

  // --- responses (attached ones only)
  std::size_t responses() const noexcept { return s_->response_contact.size(); }
  std::span<const uint32_t> response_contact() const noexcept { return s_->response_contact; }
  std::span<const int32_t> responded_on() const noexcept { return s_->responded_on; }
  std::span<const uint16_t> response_type() const noexcept { return s_->response_type; }
  std::span<const double> response_value() const noexcept { return s_->response_value; }
  // Response r's type code, checked: < response_types().size(), else damaged() throws.
  uint16_t type_code(uint32_t response) const {
    const uint16_t t = s_->response_type[response];
    if (t >= s_->response_types.size()) [[unlikely]]
      damaged("a response type code out of range");
    return t;
  }
  // The contact response r answers, checked to be one of `contacts` (its member's, contacts_of(m)),
  // else damaged() throws.
  uint32_t contact_of_response(uint32_t response, IndexRange contacts) const {
    const uint32_t c = s_->response_contact[response];
    if (c < contacts.first || c >= contacts.last) [[unlikely]]
      damaged("a response of another member's contact");
    return c;
  }

  // --- damage (an opened segment changed on disk after it was written; HistoryStorage::LazyCheck)
  // Checks every code of the event columns once (O(C + R), in parallel; later calls are free) and
  // throws the first fault as Error(InvalidInput) naming the segment, on every call after it. A reader
  // that indexes with raw codes of many members (contact_profile(), response_type(),
  // response_contact()) calls this first; one that reads a few events a member uses the checked
  // accessors above. Thread-safe (std::call_once).
  void check_events() const;
  // Throws Error(InvalidInput) "<segment>: damaged segment: <what> (...--verify...)".
  [[noreturn]] void damaged(std::string_view what) const;

  // --- responses that did not attach (any order: by customer_id, action, sent_on, responded_on)
  const std::vector<SkippedResponse>& skipped() const noexcept { return s_->skipped; }
  // RS-2's skip count for a sweep on day `as_of`: skipped responses with
  // responded_on <= as_of (a "before contact" one whose contact is dated
  // after as_of counts as no_contact, as the contact is not yet in the
  // history on that day). Pass INT32_MAX for all. O(skipped).
  SkipCounts count_skipped(int32_t as_of) const noexcept;

  // --- dictionaries
  const Dictionary& actions() const noexcept { return s_->actions; }
  const Dictionary& channels() const noexcept { return s_->channels; }
  const Dictionary& message_types() const noexcept { return s_->message_types; }
  const Dictionary& campaigns() const noexcept { return s_->campaigns; }
  const Dictionary& brands() const noexcept { return s_->brands; }
  const Dictionary& dialogues() const noexcept { return s_->dialogues; }
  const Dictionary& response_types() const noexcept { return s_->response_types; }

  // Bytes of the columns (not the dictionaries): what bytes-per-event measures.
  std::size_t column_bytes() const noexcept;
  const HistoryStorage& storage() const noexcept { return *s_; }

 private:
  std::shared_ptr<const HistoryStorage> s_;
};

// --- building a view from records (tests, and the add path)

struct ContactRecord {
  uint64_t customer_id = 0;
  int32_t sent_on = 0;  // days since 1970-01-01
  std::string action, channel, message_type;
  std::string campaign, brand, dialogue;  // "" = none
  int32_t step = 0;                       // 0 = none
  double cost = 0;                        // points
  bool control = false;
  uint32_t batch = 1;  // 1-based
  std::string source;  // where it came from, for errors ("file.csv:12"); may be empty
};

struct ResponseRecord {
  uint64_t customer_id = 0;
  std::string action;  // with sent_on: the contact answered
  int32_t sent_on = 0;
  int32_t responded_on = 0;
  std::string type;  // open, click, convert, unsubscribe, complaint, or a user-defined type
  double value = std::numeric_limits<double>::quiet_NaN();
  std::string source;
};

struct BuildOptions {
  // Refuse (Error InvalidInput) the first response that does not attach,
  // instead of keeping it in skipped().
  bool strict_responses = false;
};

// Applies the rules above to the records (any order) and returns the view.
// Parallel sorts (oneTBB). Throws as described at the top.
History build_history(std::vector<ContactRecord> contacts, std::vector<ResponseRecord> responses,
                      const BuildOptions& options = {});

}  // namespace nudge::history
