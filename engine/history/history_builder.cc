// build(): EventTable -> History, applying RS-2's rules (history.h).
//
//   1. dictionaries sorted by name (response types: the 5 built-ins first),
//      profiles remapped, then sorted, unused ones dropped: the view is
//      canonical, whatever order the events came in;
//   2. contacts sorted by (customer_id, sent_on, action), ties in input
//      order (a radix sort: contact_sort.h); a
//      repeated (customer_id, action, sent_on) keeps its first (lowest batch)
//      row when the profiles are equal, and is an error naming both origins
//      when they differ;
//   3. responses looked up by (customer_id, action, sent_on): attached when
//      found and responded_on >= sent_on, else kept as skipped (or, strict,
//      an error naming the first such row by origin); attached and skipped
//      rows are sorted and repeats dropped.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "engine/base/error.h"
#include "engine/history/event_table.h"
#include "engine/history/owned_history.h"
#include "engine/store/types.h"

namespace nudge::history {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Value order for sorting and equality: NaN first and equal to NaN.
bool value_less(double a, double b) noexcept {
  const bool na = std::isnan(a), nb = std::isnan(b);
  if (na || nb) return na && !nb;
  return a < b;
}
bool value_equal(double a, double b) noexcept { return (std::isnan(a) && std::isnan(b)) || a == b; }

// old code -> canonical code for one dictionary, and the canonical names.
struct Canon {
  std::vector<int32_t> remap;
  std::vector<std::string> names;
};
Canon canonical(const std::vector<std::string>& names, std::size_t fixed_prefix) {
  std::vector<int32_t> order(names.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin() + static_cast<std::ptrdiff_t>(fixed_prefix), order.end(),
            [&](int32_t a, int32_t b) { return names[a] < names[b]; });
  Canon c;
  c.remap.resize(names.size());
  c.names.reserve(names.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    c.remap[order[i]] = static_cast<int32_t>(i);
    c.names.push_back(names[order[i]]);
  }
  return c;
}

bool profile_less(const ContactProfile& a, const ContactProfile& b) noexcept {
  auto t = [](const ContactProfile& p) {
    return std::tuple(p.action, p.channel, p.message_type, p.campaign, p.brand, p.dialogue, p.step, p.cost, p.control);
  };
  return t(a) < t(b);
}

std::string describe_difference(const ContactProfile& a, const ContactProfile& b, const HistoryStorage& s) {
  auto opt = [](const Dictionary& d, int32_t c) { return c < 0 ? std::string("none") : d.name(c); };
  auto diff = [](const char* what, const std::string& x, const std::string& y) {
    return std::string("a different ") + what + " ('" + x + "' vs '" + y + "')";
  };
  if (a.channel != b.channel) return diff("channel", s.channels.name(a.channel), s.channels.name(b.channel));
  if (a.message_type != b.message_type)
    return diff("message_type", s.message_types.name(a.message_type), s.message_types.name(b.message_type));
  if (a.cost != b.cost) return diff("cost", fmt::format("{}", a.cost), fmt::format("{}", b.cost));
  if (a.campaign != b.campaign) return diff("campaign", opt(s.campaigns, a.campaign), opt(s.campaigns, b.campaign));
  if (a.brand != b.brand) return diff("brand", opt(s.brands, a.brand), opt(s.brands, b.brand));
  if (a.dialogue != b.dialogue) return diff("dialogue", opt(s.dialogues, a.dialogue), opt(s.dialogues, b.dialogue));
  if (a.step != b.step) return diff("step", std::to_string(a.step), std::to_string(b.step));
  return diff("control", a.control ? "true" : "false", b.control ? "true" : "false");
}

}  // namespace

// Stage 2 of build(): attaches `rr` (codes already canonical) to the final
// contacts of `out`, or keeps them as skipped; sorts and dedupes both.
History attach_responses(const std::shared_ptr<OwnedHistory>& out, std::vector<RawResponse>& rr, const EventTable* t,
                         const BuildOptions& options) {
  OwnedHistory& h = *out;
  if (rr.size() >= kNoMember) throw_usage("history: more than 4e9 responses");
  const History view(out);  // contacts are final: lookups go through the view
  constexpr uint32_t kSkipNoContact = kNoMember, kSkipBefore = kNoMember - 1;
  std::vector<uint32_t> target(rr.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rr.size(), 8192), [&](const auto& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      const RawResponse& r = rr[i];
      uint32_t result = kSkipNoContact;
      const uint32_t m = view.find_member(r.customer_id);
      if (m != kNoMember) {
        const IndexRange cs = view.contacts_of(m);
        const int32_t* sent = h.sent.data();
        const uint32_t* first =
            std::lower_bound(h.cprof.data() + cs.first, h.cprof.data() + cs.last, 0u, [&](const uint32_t& p, uint32_t) {
              const auto idx = static_cast<std::size_t>(&p - h.cprof.data());
              return std::pair(sent[idx], h.profiles[p].action) < std::pair(r.sent_on, r.action);
            });
        const auto c = static_cast<uint32_t>(first - h.cprof.data());
        if (c < cs.last && sent[c] == r.sent_on && h.profiles[h.cprof[c]].action == r.action)
          result = r.responded_on >= r.sent_on ? c : kSkipBefore;
      }
      target[i] = result;
    }
  });
  if (options.strict_responses) {
    std::size_t worst = rr.size();
    for (std::size_t i = 0; i < rr.size(); ++i)
      if (target[i] >= kSkipBefore && (worst == rr.size() || rr[i].origin < rr[worst].origin)) worst = i;
    if (worst != rr.size()) {
      const RawResponse& r = rr[worst];
      throw_invalid_input((t ? t->describe(r.origin) : std::string("history")) + ": response to contact (customer_id " +
                          std::to_string(r.customer_id) + ", action '" + h.actions.name(r.action) + "', sent_on " +
                          format_iso_date(r.sent_on) + ") " +
                          (target[worst] == kSkipBefore
                               ? "is dated " + format_iso_date(r.responded_on) + ", before the contact"
                               : std::string("names a contact the history does not hold")) +
                          " (strict mode; without it such responses are skipped and counted)");
    }
  }

  struct Attached {
    uint32_t member, contact;
    int32_t responded_on;
    uint16_t type;
    double value;
  };
  std::vector<Attached> att;
  att.reserve(rr.size());
  for (std::size_t i = 0; i < rr.size(); ++i) {
    const RawResponse& r = rr[i];
    if (target[i] < kSkipBefore) {
      att.push_back(
          {view.member_of_contact(target[i]), target[i], r.responded_on, static_cast<uint16_t>(r.type), r.value});
    } else {
      h.skipped.push_back({r.customer_id, r.action, r.sent_on, r.responded_on, static_cast<uint16_t>(r.type), r.value,
                           target[i] == kSkipBefore ? SkipReason::BeforeContact : SkipReason::NoContact});
    }
  }
  std::vector<RawResponse>().swap(rr);
  if (h.response_types.size() > 65535) throw_usage("history: more than 65535 response types");

  tbb::parallel_sort(att.begin(), att.end(), [](const Attached& a, const Attached& b) {
    if (a.member != b.member) return a.member < b.member;
    if (a.responded_on != b.responded_on) return a.responded_on < b.responded_on;
    if (a.contact != b.contact) return a.contact < b.contact;
    if (a.type != b.type) return a.type < b.type;
    return value_less(a.value, b.value);
  });
  att.erase(std::unique(att.begin(), att.end(),
                        [](const Attached& a, const Attached& b) {
                          return a.contact == b.contact && a.responded_on == b.responded_on && a.type == b.type &&
                                 value_equal(a.value, b.value);
                        }),
            att.end());
  h.roff.assign(h.ids.size() + 1, 0);
  h.rcontact.resize(att.size());
  h.resp_on.resize(att.size());
  h.rtype.resize(att.size());
  h.rvalue.resize(att.size());
  for (std::size_t i = 0; i < att.size(); ++i) {
    ++h.roff[att[i].member + 1];
    h.rcontact[i] = att[i].contact;
    h.resp_on[i] = att[i].responded_on;
    h.rtype[i] = att[i].type;
    h.rvalue[i] = att[i].value;
  }
  for (std::size_t m = 0; m < h.ids.size(); ++m) h.roff[m + 1] += h.roff[m];
  if (h.ids.empty()) h.coff.assign(1, 0);

  auto skey = [](const SkippedResponse& s) {
    return std::tuple(s.customer_id, s.action, s.sent_on, s.responded_on, s.type);
  };
  std::sort(h.skipped.begin(), h.skipped.end(), [&](const SkippedResponse& a, const SkippedResponse& b) {
    if (skey(a) != skey(b)) return skey(a) < skey(b);
    return value_less(a.value, b.value);
  });
  h.skipped.erase(std::unique(h.skipped.begin(), h.skipped.end(),
                              [&](const SkippedResponse& a, const SkippedResponse& b) {
                                return skey(a) == skey(b) && value_equal(a.value, b.value);
                              }),
                  h.skipped.end());
  h.point();
  return History(out);
}

History build(EventTable&& t, const BuildOptions& options) {
  auto out = std::make_shared<OwnedHistory>();
  OwnedHistory& h = *out;

  // 1. Canonical dictionaries and profiles.
  std::array<Canon, kDictCount> canon;
  for (std::size_t d = 0; d < kDictCount; ++d)
    canon[d] = canonical(t.names(static_cast<Dict>(d)),
                         static_cast<Dict>(d) == Dict::ResponseType ? std::size(kBuiltinResponseTypes) : 0);
  auto re = [&](Dict d, int32_t c) { return c < 0 ? -1 : canon[static_cast<std::size_t>(d)].remap[c]; };
  h.actions = Dictionary(canon[0].names);
  h.channels = Dictionary(canon[1].names);
  h.message_types = Dictionary(canon[2].names);
  h.campaigns = Dictionary(canon[3].names);
  h.brands = Dictionary(canon[4].names);
  h.dialogues = Dictionary(canon[5].names);
  h.response_types = Dictionary(canon[6].names);

  std::vector<ContactProfile> prof = t.profiles();
  for (ContactProfile& p : prof) {
    p.action = re(Dict::Action, p.action);
    p.channel = re(Dict::Channel, p.channel);
    p.message_type = re(Dict::MessageType, p.message_type);
    p.campaign = re(Dict::Campaign, p.campaign);
    p.brand = re(Dict::Brand, p.brand);
    p.dialogue = re(Dict::Dialogue, p.dialogue);
  }

  // 2. Contacts: sort (radix, contact_sort.h), dedupe on the triple; the
  // columns are written in place (sizes bounded by the input).
  std::vector<RawContact>& rc = t.contacts;
  if (rc.size() >= kNoMember) throw_usage("history: more than 4e9 contacts");
  build_contacts(h, rc, prof, [&](const RawContact& c, const RawContact& best) {
    throw_invalid_input(t.describe(std::max(c.origin, best.origin)) + ": contact (customer_id " +
                        std::to_string(c.customer_id) + ", action '" + h.actions.name(prof[c.profile].action) +
                        "', sent_on " + format_iso_date(c.sent_on) + ") repeats " +
                        t.describe(std::min(c.origin, best.origin)) + " with " +
                        describe_difference(prof[c.profile], prof[best.profile], h));
  });
  const std::size_t kept = h.sent.size();
  std::vector<RawContact>().swap(rc);
  std::vector<uint8_t> used(prof.size(), 0);
  for (uint32_t p : h.cprof) used[p] = 1;

  // Profiles in use, sorted: the canonical profile table.
  std::vector<uint32_t> porder;
  for (uint32_t p = 0; p < prof.size(); ++p)
    if (used[p]) porder.push_back(p);
  std::sort(porder.begin(), porder.end(), [&](uint32_t a, uint32_t b) { return profile_less(prof[a], prof[b]); });
  std::vector<uint32_t> prof_remap(prof.size(), 0);
  h.profiles.reserve(porder.size());
  for (uint32_t i = 0; i < porder.size(); ++i) {
    prof_remap[porder[i]] = i;
    h.profiles.push_back(prof[porder[i]]);
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, kept, 1 << 16), [&](const auto& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) h.cprof[i] = prof_remap[h.cprof[i]];
  });
  h.point();

  // 3. Responses: attach or skip.
  std::vector<RawResponse>& rr = t.responses;
  for (RawResponse& r : rr) {
    r.action = re(Dict::Action, r.action);
    r.type = re(Dict::ResponseType, r.type);
    if (std::isnan(r.value)) r.value = kNaN;
  }
  return attach_responses(out, rr, &t, options);
}

History build_history(std::vector<ContactRecord> contacts, std::vector<ResponseRecord> responses,
                      const BuildOptions& options) {
  EventTable t;
  std::unordered_map<std::string, uint32_t> sources;
  auto source = [&](const std::string& s) {
    auto [it, fresh] = sources.try_emplace(s, 0);
    if (fresh) it->second = t.add_source(s.empty() ? std::string("(record)") : s);
    return EventTable::origin(it->second, 0);
  };
  t.contacts.reserve(contacts.size());
  for (const ContactRecord& c : contacts) {
    if (std::isnan(c.cost)) throw_invalid_input(c.source + ": contact cost is NaN");
    ContactProfile p;
    p.action = t.intern(Dict::Action, c.action);
    p.channel = t.intern(Dict::Channel, c.channel);
    p.message_type = t.intern(Dict::MessageType, c.message_type);
    p.campaign = t.intern(Dict::Campaign, c.campaign);
    p.brand = t.intern(Dict::Brand, c.brand);
    p.dialogue = t.intern(Dict::Dialogue, c.dialogue);
    p.step = c.step;
    p.cost = c.cost;
    p.control = c.control;
    t.contacts.push_back({c.customer_id, c.sent_on, t.intern_profile(p), c.batch, source(c.source)});
  }
  t.responses.reserve(responses.size());
  for (const ResponseRecord& r : responses)
    t.responses.push_back({r.customer_id, t.intern(Dict::Action, r.action), r.sent_on, r.responded_on,
                           t.intern(Dict::ResponseType, r.type), r.value, source(r.source)});
  return build(std::move(t), options);
}

}  // namespace nudge::history
