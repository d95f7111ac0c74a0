// merge_views: the union of canonical views (the segments of a history
// folder) without a global sort (owned_history.h).
//
//   1. dictionaries: sorted union of names (response types: built-ins first);
//      per part, old code -> union code;
//   2. profiles: remapped, sorted, unique; per part, old index -> new;
//   3. members: k-way merge of the parts' ascending customer_ids; per member,
//      its contacts from every part that has it, sorted by (sent_on, action,
//      batch) (a few dozen rows), a repeated triple kept once;
//   4. responses: every part's attached and skipped responses, attached
//      anew by attach_responses (a skipped one may now find its contact).
#include <algorithm>
#include <cmath>
#include <tuple>

#include "engine/base/error.h"
#include "engine/history/owned_history.h"
#include "engine/store/types.h"

namespace nudge::history {
namespace {

struct DictUnion {
  std::vector<std::string> names;
  std::vector<std::vector<int32_t>> remap;  // per part
};

DictUnion unite(const std::vector<const Dictionary*>& dicts, bool response_types) {
  DictUnion u;
  const std::size_t fixed = response_types ? std::size(kBuiltinResponseTypes) : 0;
  std::vector<std::string> rest;
  for (const Dictionary* d : dicts)
    for (std::size_t i = fixed; i < d->size(); ++i) rest.push_back(d->names()[i]);
  std::sort(rest.begin(), rest.end());
  rest.erase(std::unique(rest.begin(), rest.end()), rest.end());
  u.names.assign(std::begin(kBuiltinResponseTypes), std::begin(kBuiltinResponseTypes) + static_cast<long>(fixed));
  u.names.insert(u.names.end(), rest.begin(), rest.end());
  for (const Dictionary* d : dicts) {
    std::vector<int32_t> m(d->size());
    for (std::size_t i = 0; i < d->size(); ++i) {
      if (i < fixed) {
        m[i] = static_cast<int32_t>(i);
        continue;
      }
      const auto it = std::lower_bound(u.names.begin() + static_cast<long>(fixed), u.names.end(), d->names()[i]);
      m[i] = static_cast<int32_t>(it - u.names.begin());
    }
    u.remap.push_back(std::move(m));
  }
  return u;
}

auto profile_key(const ContactProfile& p) {
  return std::tuple(p.action, p.channel, p.message_type, p.campaign, p.brand, p.dialogue, p.step, p.cost, p.control);
}

}  // namespace

History merge_views(const std::vector<History>& parts) {
  const std::size_t k = parts.size();
  for (const History& p : parts) p.check_events();  // every event is merged through its codes
  auto out = std::make_shared<OwnedHistory>();
  OwnedHistory& h = *out;

  // 1. Dictionaries.
  auto dicts = [&](auto get) {
    std::vector<const Dictionary*> v;
    for (const History& p : parts) v.push_back(&get(p));
    return v;
  };
  DictUnion act = unite(dicts([](const History& p) -> const Dictionary& { return p.actions(); }), false);
  DictUnion ch = unite(dicts([](const History& p) -> const Dictionary& { return p.channels(); }), false);
  DictUnion mt = unite(dicts([](const History& p) -> const Dictionary& { return p.message_types(); }), false);
  DictUnion cp = unite(dicts([](const History& p) -> const Dictionary& { return p.campaigns(); }), false);
  DictUnion br = unite(dicts([](const History& p) -> const Dictionary& { return p.brands(); }), false);
  DictUnion dl = unite(dicts([](const History& p) -> const Dictionary& { return p.dialogues(); }), false);
  DictUnion ty = unite(dicts([](const History& p) -> const Dictionary& { return p.response_types(); }), true);

  // 2. Profiles.
  std::vector<std::vector<ContactProfile>> remapped(k);
  std::vector<ContactProfile> all;
  auto opt = [](const std::vector<int32_t>& m, int32_t c) { return c < 0 ? -1 : m[static_cast<std::size_t>(c)]; };
  for (std::size_t p = 0; p < k; ++p) {
    for (ContactProfile x : parts[p].profiles()) {
      x.action = act.remap[p][static_cast<std::size_t>(x.action)];
      x.channel = ch.remap[p][static_cast<std::size_t>(x.channel)];
      x.message_type = mt.remap[p][static_cast<std::size_t>(x.message_type)];
      x.campaign = opt(cp.remap[p], x.campaign);
      x.brand = opt(br.remap[p], x.brand);
      x.dialogue = opt(dl.remap[p], x.dialogue);
      remapped[p].push_back(x);
      all.push_back(x);
    }
  }
  auto less = [](const ContactProfile& a, const ContactProfile& b) { return profile_key(a) < profile_key(b); };
  std::sort(all.begin(), all.end(), less);
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::vector<std::vector<uint32_t>> pmap(k);
  for (std::size_t p = 0; p < k; ++p)
    for (const ContactProfile& x : remapped[p])
      pmap[p].push_back(static_cast<uint32_t>(std::lower_bound(all.begin(), all.end(), x, less) - all.begin()));

  // 3. Members and contacts.
  std::size_t total = 0;
  for (const History& p : parts) total += p.contacts();
  h.sent.reserve(total);
  h.cprof.reserve(total);
  h.cbatch.reserve(total);
  h.coff.push_back(0);
  std::vector<std::size_t> pos(k, 0);
  struct Row {
    int32_t sent_on, action;
    uint32_t batch, profile;
  };
  std::vector<Row> rows;
  std::vector<uint8_t> used(all.size(), 0);
  for (;;) {
    uint64_t id = ~uint64_t{0};
    bool any = false;
    for (std::size_t p = 0; p < k; ++p)
      if (pos[p] < parts[p].members() && (!any || parts[p].customer_ids()[pos[p]] < id)) {
        id = parts[p].customer_ids()[pos[p]];
        any = true;
      }
    if (!any) break;
    rows.clear();
    for (std::size_t p = 0; p < k; ++p) {
      if (pos[p] >= parts[p].members() || parts[p].customer_ids()[pos[p]] != id) continue;
      for (uint32_t c : parts[p].contacts_of(static_cast<uint32_t>(pos[p]))) {
        const uint32_t prof = pmap[p][parts[p].contact_profile()[c]];
        rows.push_back({parts[p].sent_on()[c], all[prof].action, parts[p].contact_batch()[c], prof});
      }
      ++pos[p];
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      return std::tie(a.sent_on, a.action, a.batch, a.profile) < std::tie(b.sent_on, b.action, b.batch, b.profile);
    });
    const std::size_t first = h.sent.size();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::size_t last = h.sent.size();
      if (last > first && h.sent[last - 1] == rows[i].sent_on && all[h.cprof[last - 1]].action == rows[i].action) {
        if (!(all[h.cprof[last - 1]] == all[rows[i].profile]))
          throw_invalid_input("history: contact (customer_id " + std::to_string(id) + ", action '" +
                              act.names[static_cast<std::size_t>(rows[i].action)] + "', sent_on " +
                              format_iso_date(rows[i].sent_on) + ") is in batch " + std::to_string(h.cbatch[last - 1]) +
                              " and batch " + std::to_string(rows[i].batch) + " with other fields");
        continue;
      }
      h.sent.push_back(rows[i].sent_on);
      h.cprof.push_back(rows[i].profile);
      h.cbatch.push_back(rows[i].batch);
      used[rows[i].profile] = 1;
    }
    h.ids.push_back(id);
    h.coff.push_back(static_cast<uint32_t>(h.sent.size()));
  }
  // Profiles no kept contact uses are dropped, as build() does.
  std::vector<uint32_t> keep(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    keep[i] = static_cast<uint32_t>(h.profiles.size());
    if (used[i]) h.profiles.push_back(all[i]);
  }
  for (uint32_t& p : h.cprof) p = keep[p];

  h.actions = Dictionary(std::move(act.names));
  h.channels = Dictionary(std::move(ch.names));
  h.message_types = Dictionary(std::move(mt.names));
  h.campaigns = Dictionary(std::move(cp.names));
  h.brands = Dictionary(std::move(br.names));
  h.dialogues = Dictionary(std::move(dl.names));
  h.response_types = Dictionary(std::move(ty.names));
  h.point();

  // 4. Responses, attached anew.
  std::vector<RawResponse> rr;
  for (std::size_t p = 0; p < k; ++p) {
    const History& v = parts[p];
    for (uint32_t m = 0; m < v.members(); ++m)
      for (uint32_t r : v.responses_of(m)) {
        const uint32_t c = v.response_contact()[r];
        rr.push_back({v.customer_ids()[m], act.remap[p][static_cast<std::size_t>(v.profile_of(c).action)],
                      v.sent_on()[c], v.responded_on()[r], ty.remap[p][v.response_type()[r]], v.response_value()[r],
                      0});
      }
    for (const SkippedResponse& s : v.skipped())
      rr.push_back({s.customer_id, act.remap[p][static_cast<std::size_t>(s.action)], s.sent_on, s.responded_on,
                    ty.remap[p][s.type], s.value, 0});
  }
  return attach_responses(out, rr, nullptr, BuildOptions{});
}

}  // namespace nudge::history
