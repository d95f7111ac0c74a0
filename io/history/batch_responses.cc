// sort_out_responses: an add's responses against the history already held (batch_responses.h).
#include "io/history/batch_responses.h"

#include <cmath>
#include <cstring>
#include <string>
#include <unordered_set>

#include "engine/base/error.h"
#include "engine/store/types.h"

namespace nudge::history {
namespace {

bool same_value(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

struct Triple {
  uint64_t id;
  int32_t action, sent_on;
  bool operator==(const Triple&) const = default;
};
struct TripleHash {
  std::size_t operator()(const Triple& t) const noexcept {
    return std::hash<uint64_t>{}(t.id * 0x9E3779B97F4A7C15ull ^ (uint64_t(uint32_t(t.action)) << 32) ^
                                 uint32_t(t.sent_on));
  }
};

// The contact of `existing` that response `r` attaches to (kNoMember: none), with its member.
struct Held {
  uint32_t member = kNoMember, contact = 0;
};
Held held_contact(const History& existing, const RawResponse& r, int32_t action) {
  if (action < 0 || r.responded_on < r.sent_on) return {};
  const uint32_t m = existing.find_member(r.customer_id);
  if (m == kNoMember) return {};
  for (uint32_t j : existing.contacts_of(m))
    if (existing.sent_on()[j] == r.sent_on && existing.profile_of(j).action == action) return {m, j};
  return {};
}

// A skipped response's fields, hashed (the value by its bits, every NaN alike).
struct SkipKey {
  uint64_t id;
  int32_t action, sent_on, responded_on, type;
  uint64_t value_bits;
  bool operator==(const SkipKey&) const = default;
};
struct SkipKeyHash {
  std::size_t operator()(const SkipKey& k) const noexcept {
    uint64_t h = k.id * 0x9E3779B97F4A7C15ull;
    for (uint64_t x : {uint64_t(uint32_t(k.action)), uint64_t(uint32_t(k.sent_on)), uint64_t(uint32_t(k.responded_on)),
                       uint64_t(uint32_t(k.type)), k.value_bits})
      h = (h ^ x) * 0x100000001B3ull;
    return std::hash<uint64_t>{}(h);
  }
};
SkipKey skip_key(uint64_t id, int32_t action, int32_t sent_on, int32_t responded_on, int32_t type, double value) {
  uint64_t bits = 0x7FF8000000000000ull;
  if (!std::isnan(value)) std::memcpy(&bits, &value, sizeof bits);
  if (value == 0) bits = 0;  // -0 == 0
  return {id, action, sent_on, responded_on, type, bits};
}

// Whether `existing` holds `r` already: as a response of contact `h`, or (no contact) as a skipped one.
bool already_held(const History& existing, const RawResponse& r, const Held& h, int32_t action, int32_t type,
                  std::unordered_set<SkipKey, SkipKeyHash>& skipped) {
  if (type < 0) return false;  // a response type the history does not know
  if (h.member != kNoMember) {
    const IndexRange contacts = existing.contacts_of(h.member);
    for (uint32_t k : existing.responses_of(h.member))
      if (existing.contact_of_response(k, contacts) == h.contact && existing.responded_on()[k] == r.responded_on &&
          existing.type_code(k) == type && same_value(existing.response_value()[k], r.value))
        return true;
    return false;
  }
  if (action < 0 || existing.skipped().empty()) return false;
  if (skipped.empty())  // built on first use: O(skipped) once
    for (const SkippedResponse& s : existing.skipped())
      skipped.insert(skip_key(s.customer_id, s.action, s.sent_on, s.responded_on, s.type, s.value));
  return skipped.count(skip_key(r.customer_id, action, r.sent_on, r.responded_on, type, r.value)) > 0;
}

}  // namespace

ResponseCounts sort_out_responses(EventTable& events, const History& existing, const DictCodes& codes, bool strict) {
  ResponseCounts out;
  if (events.responses.empty()) return out;
  std::unordered_set<Triple, TripleHash> fresh;
  for (const RawContact& c : events.contacts)
    fresh.insert({c.customer_id, events.profiles()[c.profile].action, c.sent_on});
  const auto& action_code = codes[static_cast<std::size_t>(Dict::Action)];
  const auto& type_code = codes[static_cast<std::size_t>(Dict::ResponseType)];
  std::unordered_set<SkipKey, SkipKeyHash> skipped;
  std::size_t kept = 0;
  const RawResponse* first_bad = nullptr;
  std::vector<RawResponse>& rs = events.responses;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    const RawResponse r = rs[i];
    const int32_t action = action_code[static_cast<std::size_t>(r.action)];
    const bool attaches_fresh = r.responded_on >= r.sent_on && fresh.count({r.customer_id, r.action, r.sent_on});
    const Held h = attaches_fresh ? Held{} : held_contact(existing, r, action);
    // A response to a new contact is new; one to a held contact (or to none) may be held already.
    if (!attaches_fresh && already_held(existing, r, h, action, type_code[static_cast<std::size_t>(r.type)], skipped)) {
      ++out.already_held;
      continue;
    }
    rs[kept++] = r;
    if (!attaches_fresh && h.member == kNoMember) {
      ++out.skipped;
      if (!first_bad || r.origin < first_bad->origin) first_bad = &rs[kept - 1];
    }
  }
  rs.resize(kept);
  if (first_bad && strict)
    throw_invalid_input(events.describe(first_bad->origin) + ": response to contact (customer_id " +
                        std::to_string(first_bad->customer_id) + ", action '" +
                        events.names(Dict::Action)[first_bad->action] + "', sent_on " +
                        format_iso_date(first_bad->sent_on) + ") " +
                        (first_bad->responded_on < first_bad->sent_on
                             ? "is dated " + format_iso_date(first_bad->responded_on) + ", before the contact"
                             : std::string("names a contact the history does not hold")) +
                        " (--strict; without it such responses are kept, skipped and counted)");
  return out;
}

}  // namespace nudge::history
