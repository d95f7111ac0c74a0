// Adding one simulated day to a history view (history_append.h).
#include "engine/dialogue/history_append.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <set>

#include "engine/base/error.h"
#include "engine/store/types.h"

namespace nudge::dialogue {
namespace {

using history::ContactProfile;
using history::Dictionary;

// Sorted union of a dictionary and new names; old code -> new code.
Dictionary merged(const Dictionary& d, const std::vector<std::string>& add, std::vector<int32_t>& remap) {
  std::set<std::string> all(d.names().begin(), d.names().end());
  for (const auto& s : add)
    if (!s.empty()) all.insert(s);
  Dictionary out(std::vector<std::string>(all.begin(), all.end()));
  remap.resize(d.size());
  for (std::size_t i = 0; i < d.size(); ++i) remap[i] = out.find(d.names()[i]);
  return out;
}

int32_t code_or_none(const Dictionary& d, const std::string& s) { return s.empty() ? -1 : d.find(s); }
int32_t remapped(const std::vector<int32_t>& m, int32_t c) { return c < 0 ? c : m[static_cast<std::size_t>(c)]; }

}  // namespace

// Owner of a view's columns; cleared and refilled when DayAppender reuses it.
struct DayAppender::Columns {
  std::vector<uint64_t> ids;
  std::vector<uint32_t> coff, roff, profile, batch, rcontact;
  std::vector<int32_t> sent_on, responded_on;
  std::vector<uint16_t> rtype;
  std::vector<double> rvalue;
  void clear() {
    ids.clear(), coff.clear(), roff.clear(), profile.clear(), batch.clear(), rcontact.clear();
    sent_on.clear(), responded_on.clear(), rtype.clear(), rvalue.clear();
  }
};

DayAppender::DayAppender() = default;
DayAppender::~DayAppender() = default;

history::History append_day(const history::History& h, int32_t day, const std::vector<DayContact>& contacts,
                            const std::vector<DayResponse>& responses) {
  DayAppender once;
  return once.append(h, day, contacts, responses);
}

history::History DayAppender::append(const history::History& h, int32_t day, const std::vector<DayContact>& contacts,
                                     const std::vector<DayResponse>& responses) {
  h.check_events();  // every event is copied through its codes (free after the first day: in memory)
  for (int32_t s : h.sent_on())
    if (s >= day)
      throw_invalid_input(  // a data condition (exit 1), not a wrong option
          fmt::format("the history holds contacts dated on or after the simulated day {}: simulate days "
                      "after the history's last contact",
                      format_iso_date(day)));
  const history::HistoryStorage& old = h.storage();
  auto st = std::make_shared<history::HistoryStorage>();
  // Columns no view holds any more are refilled: their memory is mapped
  // already (fresh pages cost a fault each, most of a day's append on a VM).
  std::shared_ptr<Columns> cols;
  for (auto& p : pool_)
    if (p.use_count() == 1) {
      cols = p;
      break;
    }
  if (!cols) {
    cols = std::make_shared<Columns>();
    pool_.push_back(cols);
  }
  cols->clear();

  // Dictionaries.
  std::vector<std::string> acts, chans, types, camps, dlgs, rtypes;
  for (const auto& c : contacts)
    acts.push_back(c.action), chans.push_back(c.channel), types.push_back(c.message_type), camps.push_back(c.campaign),
        dlgs.push_back(c.dialogue);
  std::vector<int32_t> m_act, m_chan, m_type, m_camp, m_brand, m_dlg;
  st->actions = merged(old.actions, acts, m_act);
  st->channels = merged(old.channels, chans, m_chan);
  st->message_types = merged(old.message_types, types, m_type);
  st->campaigns = merged(old.campaigns, camps, m_camp);
  st->brands = merged(old.brands, {}, m_brand);
  st->dialogues = merged(old.dialogues, dlgs, m_dlg);
  {  // response types: the built-ins keep codes 0..4, user-defined ones follow by name
    std::set<std::string> user;
    const std::size_t builtins = std::size(history::kBuiltinResponseTypes);
    for (std::size_t i = builtins; i < old.response_types.size(); ++i) user.insert(old.response_types.names()[i]);
    for (const auto& r : responses)
      if (std::find(std::begin(history::kBuiltinResponseTypes), std::end(history::kBuiltinResponseTypes), r.type) ==
          std::end(history::kBuiltinResponseTypes))
        user.insert(r.type);
    std::vector<std::string> names(std::begin(history::kBuiltinResponseTypes),
                                   std::end(history::kBuiltinResponseTypes));
    names.insert(names.end(), user.begin(), user.end());
    st->response_types = Dictionary(std::move(names));
  }
  std::vector<int32_t> m_rtype(old.response_types.size());
  for (std::size_t i = 0; i < old.response_types.size(); ++i)
    m_rtype[i] = st->response_types.find(old.response_types.names()[i]);

  // Profiles: the old ones with new codes, then the day's distinct ones.
  for (ContactProfile p : old.profiles) {
    p.action = remapped(m_act, p.action), p.channel = remapped(m_chan, p.channel);
    p.message_type = remapped(m_type, p.message_type), p.campaign = remapped(m_camp, p.campaign);
    p.brand = remapped(m_brand, p.brand), p.dialogue = remapped(m_dlg, p.dialogue);
    st->profiles.push_back(p);
  }
  const std::size_t n = contacts.size();
  std::vector<uint32_t> new_profile(n);
  std::vector<int32_t> new_action(n);
  for (std::size_t i = 0; i < n; ++i) {
    const DayContact& c = contacts[i];
    ContactProfile p;
    p.action = st->actions.find(c.action), p.channel = st->channels.find(c.channel);
    p.message_type = st->message_types.find(c.message_type), p.campaign = code_or_none(st->campaigns, c.campaign);
    p.dialogue = code_or_none(st->dialogues, c.dialogue), p.step = c.step, p.cost = c.cost, p.control = c.control;
    new_action[i] = p.action;
    auto it = std::find(st->profiles.begin() + static_cast<std::ptrdiff_t>(old.profiles.size()), st->profiles.end(), p);
    new_profile[i] = static_cast<uint32_t>(it - st->profiles.begin());
    if (it == st->profiles.end()) st->profiles.push_back(p);
  }
  uint32_t batch = 0;
  for (uint32_t b : old.contact_batch) batch = std::max(batch, b);
  ++batch;

  // The day's contacts by (customer_id, action name).
  std::vector<uint32_t> order(n);
  for (uint32_t i = 0; i < n; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (contacts[a].customer_id != contacts[b].customer_id) return contacts[a].customer_id < contacts[b].customer_id;
    return new_action[a] < new_action[b];
  });
  for (std::size_t k = 1; k < n; ++k)
    if (contacts[order[k]].customer_id == contacts[order[k - 1]].customer_id &&
        new_action[order[k]] == new_action[order[k - 1]])
      throw_usage(fmt::format("member {} has two contacts of action {} on {}", contacts[order[k]].customer_id,
                              contacts[order[k]].action, format_iso_date(day)));
  // The day's responses per new contact.
  std::vector<std::vector<std::size_t>> resp_of(n);
  for (std::size_t j = 0; j < responses.size(); ++j) {
    if (responses[j].contact >= n || responses[j].responded_on < day)
      throw_usage("append_day: a response names no contact of the day or is dated before it");
    resp_of[responses[j].contact].push_back(j);
  }

  Columns& c = *cols;
  const std::size_t M = old.customer_ids.size();
  std::size_t i = 0, k = 0;  // old member, position in order
  // Room for a few more days, so a reused set of columns is not reallocated.
  auto room = [](auto& v, std::size_t need) {
    if (v.capacity() < need) v.reserve(need + need / 8);
  };
  room(c.ids, M + n), room(c.coff, M + n + 1), room(c.roff, M + n + 1);
  room(c.sent_on, old.sent_on.size() + n), room(c.profile, old.sent_on.size() + n);
  room(c.batch, old.sent_on.size() + n);
  const std::size_t nr = old.responded_on.size() + responses.size();
  room(c.responded_on, nr), room(c.rcontact, nr), room(c.rtype, nr), room(c.rvalue, nr);
  c.coff.push_back(0), c.roff.push_back(0);
  // Old members [i0, i1) that get no contact today: their columns are copied
  // as ranges, with contact indexes shifted by where they now start (a
  // simulated day touches a few percent of the members, so this is most of
  // the work). Response order is kept: the type remap is monotone (built-ins
  // first, user-defined types by name), so (responded_on, contact, type)
  // orders them as before.
  bool types_same = true;
  for (std::size_t t = 0; t < m_rtype.size(); ++t) types_same = types_same && m_rtype[t] == static_cast<int32_t>(t);
  auto copy_members = [&](std::size_t i0, std::size_t i1) {
    if (i0 >= i1) return;
    const uint32_t cb = old.contact_offsets[i0], ce = old.contact_offsets[i1];
    const uint32_t rb = old.response_offsets[i0], re = old.response_offsets[i1];
    const uint32_t cshift = static_cast<uint32_t>(c.sent_on.size()) - cb;  // modular: exact for uint32 indexes
    const uint32_t rshift = static_cast<uint32_t>(c.responded_on.size()) - rb;
    c.ids.insert(c.ids.end(), old.customer_ids.begin() + i0, old.customer_ids.begin() + i1);
    for (std::size_t m = i0 + 1; m <= i1; ++m)
      c.coff.push_back(old.contact_offsets[m] + cshift), c.roff.push_back(old.response_offsets[m] + rshift);
    c.sent_on.insert(c.sent_on.end(), old.sent_on.begin() + cb, old.sent_on.begin() + ce);
    c.profile.insert(c.profile.end(), old.contact_profile.begin() + cb, old.contact_profile.begin() + ce);
    c.batch.insert(c.batch.end(), old.contact_batch.begin() + cb, old.contact_batch.begin() + ce);
    c.responded_on.insert(c.responded_on.end(), old.responded_on.begin() + rb, old.responded_on.begin() + re);
    c.rvalue.insert(c.rvalue.end(), old.response_value.begin() + rb, old.response_value.begin() + re);
    for (uint32_t y = rb; y < re; ++y) c.rcontact.push_back(old.response_contact[y] + cshift);
    if (types_same) c.rtype.insert(c.rtype.end(), old.response_type.begin() + rb, old.response_type.begin() + re);
    else
      for (uint32_t y = rb; y < re; ++y) c.rtype.push_back(static_cast<uint16_t>(m_rtype[old.response_type[y]]));
  };
  std::vector<uint32_t> new_index(n);
  struct R {
    int32_t on;
    uint32_t contact;
    uint16_t type;
    double value;
  };
  std::vector<R> rs;
  while (k < n) {
    const uint64_t id = contacts[order[k]].customer_id;
    const std::size_t at = static_cast<std::size_t>(
        std::lower_bound(old.customer_ids.begin() + i, old.customer_ids.end(), id) - old.customer_ids.begin());
    copy_members(i, at);
    i = at;
    c.ids.push_back(id);
    rs.clear();
    if (i < M && old.customer_ids[i] == id) {
      const uint32_t shift = static_cast<uint32_t>(c.sent_on.size()) - old.contact_offsets[i];
      for (uint32_t x = old.contact_offsets[i]; x < old.contact_offsets[i + 1]; ++x) {
        c.sent_on.push_back(old.sent_on[x]), c.profile.push_back(old.contact_profile[x]);
        c.batch.push_back(old.contact_batch[x]);
      }
      for (uint32_t y = old.response_offsets[i]; y < old.response_offsets[i + 1]; ++y)
        rs.push_back({old.responded_on[y], old.response_contact[y] + shift,
                      static_cast<uint16_t>(m_rtype[old.response_type[y]]), old.response_value[y]});
      ++i;
    }
    for (; k < n && contacts[order[k]].customer_id == id; ++k) {
      const uint32_t x = order[k];
      new_index[x] = static_cast<uint32_t>(c.sent_on.size());
      c.sent_on.push_back(day), c.profile.push_back(new_profile[x]), c.batch.push_back(batch);
      for (std::size_t j : resp_of[x])
        rs.push_back({responses[j].responded_on, new_index[x],
                      static_cast<uint16_t>(st->response_types.find(responses[j].type)),
                      std::numeric_limits<double>::quiet_NaN()});
    }
    // Old responses are in order already; the day's ones are to contacts no old response names.
    std::stable_sort(rs.begin(), rs.end(), [](const R& a, const R& b) {
      if (a.on != b.on) return a.on < b.on;
      if (a.contact != b.contact) return a.contact < b.contact;
      return a.type < b.type;
    });
    for (const R& r : rs)
      c.responded_on.push_back(r.on), c.rcontact.push_back(r.contact), c.rtype.push_back(r.type),
          c.rvalue.push_back(r.value);
    c.coff.push_back(static_cast<uint32_t>(c.sent_on.size()));
    c.roff.push_back(static_cast<uint32_t>(c.responded_on.size()));
  }
  copy_members(i, M);
  st->customer_ids = c.ids, st->contact_offsets = c.coff, st->response_offsets = c.roff;
  st->sent_on = c.sent_on, st->contact_profile = c.profile, st->contact_batch = c.batch;
  st->response_contact = c.rcontact, st->responded_on = c.responded_on, st->response_type = c.rtype;
  st->response_value = c.rvalue;
  st->skipped = old.skipped;
  for (auto& s : st->skipped) s.action = remapped(m_act, s.action), s.type = static_cast<uint16_t>(m_rtype[s.type]);
  st->keep_alive = cols;
  return history::History(std::move(st));
}

}  // namespace nudge::dialogue
