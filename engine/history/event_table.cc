// EventTable: interning of names and profiles, sources, appending a History.
#include "engine/history/event_table.h"

#include <functional>

#include <fmt/format.h>

#include "engine/base/error.h"

namespace nudge::history {

std::string_view dict_name(Dict d) noexcept {
  static constexpr std::string_view kNames[] = {"action", "channel",  "message_type", "campaign",
                                                "brand",  "dialogue", "type"};
  return kNames[static_cast<std::size_t>(d)];
}

EventTable::EventTable() {
  for (std::string_view t : kBuiltinResponseTypes) intern(Dict::ResponseType, t);
}

int32_t EventTable::intern(Dict d, std::string_view name) {
  if (name.empty() && (d == Dict::Campaign || d == Dict::Brand || d == Dict::Dialogue)) return -1;
  DictState& s = dicts_[static_cast<std::size_t>(d)];
  // Heterogeneous lookup is C++20 for unordered_map only with a transparent
  // hash; a short string copy per lookup is cheap next to CSV parsing.
  auto it = s.codes.find(std::string(name));
  if (it != s.codes.end()) return it->second;
  if (s.names.size() >= static_cast<std::size_t>(INT32_MAX)) throw_usage("history: too many distinct names");
  const auto code = static_cast<int32_t>(s.names.size());
  s.names.emplace_back(name);
  s.codes.emplace(s.names.back(), code);
  return code;
}

std::size_t EventTable::ProfileHash::operator()(const ContactProfile& p) const noexcept {
  std::size_t h = std::hash<double>{}(p.cost);
  for (int32_t v :
       {p.action, p.channel, p.message_type, p.campaign, p.brand, p.dialogue, p.step, static_cast<int32_t>(p.control)})
    h = h * 1000003u ^ std::hash<int32_t>{}(v);
  return h;
}

uint32_t EventTable::intern_profile(const ContactProfile& p) {
  auto it = profile_codes_.find(p);
  if (it != profile_codes_.end()) return it->second;
  const auto code = static_cast<uint32_t>(profiles_.size());
  profiles_.push_back(p);
  profile_codes_.emplace(p, code);
  return code;
}

uint32_t EventTable::add_source(std::string name) {
  if (sources_.size() >= (1u << 23)) throw_usage("history: too many sources");
  sources_.push_back(std::move(name));
  return static_cast<uint32_t>(sources_.size() - 1);
}

static const std::string kUnknown = "(unknown source)";

std::string EventTable::describe(uint64_t origin) const {
  const auto src = static_cast<std::size_t>(origin >> 40);
  const uint64_t line = origin & ((uint64_t{1} << 40) - 1);
  const std::string& name = src < sources_.size() ? sources_[src] : kUnknown;
  return line ? fmt::format("{}:{}", name, line) : name;
}

void EventTable::append(const History& h, const std::string& label) {
  h.check_events();  // every event is re-coded through its codes
  // Re-intern h's dictionaries and profiles into this table's codes.
  auto remap = [&](Dict d, const Dictionary& dict) {
    std::vector<int32_t> m(dict.size());
    for (std::size_t i = 0; i < dict.size(); ++i) m[i] = intern(d, dict.names()[i]);
    return m;
  };
  const auto act = remap(Dict::Action, h.actions()), ch = remap(Dict::Channel, h.channels()),
             mt = remap(Dict::MessageType, h.message_types()), cp = remap(Dict::Campaign, h.campaigns()),
             br = remap(Dict::Brand, h.brands()), dl = remap(Dict::Dialogue, h.dialogues()),
             ty = remap(Dict::ResponseType, h.response_types());
  auto opt = [](const std::vector<int32_t>& m, int32_t c) { return c < 0 ? -1 : m[static_cast<std::size_t>(c)]; };
  std::vector<uint32_t> prof(h.profiles().size());
  for (std::size_t i = 0; i < prof.size(); ++i) {
    ContactProfile p = h.profiles()[i];
    p.action = act[static_cast<std::size_t>(p.action)];
    p.channel = ch[static_cast<std::size_t>(p.channel)];
    p.message_type = mt[static_cast<std::size_t>(p.message_type)];
    p.campaign = opt(cp, p.campaign);
    p.brand = opt(br, p.brand);
    p.dialogue = opt(dl, p.dialogue);
    prof[i] = intern_profile(p);
  }
  std::vector<uint32_t> batch_source;  // batch -> source index + 1 (0: not yet)
  const uint32_t response_source = add_source(label);
  const auto ids = h.customer_ids();
  const auto sent = h.sent_on();
  const auto cprof = h.contact_profile();
  const auto cbatch = h.contact_batch();
  contacts.reserve(contacts.size() + h.contacts());
  for (uint32_t m = 0; m < h.members(); ++m) {
    for (uint32_t i : h.contacts_of(m)) {
      const uint32_t b = cbatch[i];
      if (b >= batch_source.size()) batch_source.resize(b + 1, 0);
      if (!batch_source[b]) batch_source[b] = add_source(label + " batch " + std::to_string(b)) + 1;
      contacts.push_back({ids[m], sent[i], prof[cprof[i]], b, origin(batch_source[b] - 1, 0)});
    }
  }
  responses.reserve(responses.size() + h.responses() + h.skipped().size());
  for (uint32_t m = 0; m < h.members(); ++m) {
    for (uint32_t r : h.responses_of(m)) {
      const uint32_t c = h.response_contact()[r];
      responses.push_back({ids[m], act[static_cast<std::size_t>(h.profile_of(c).action)], sent[c], h.responded_on()[r],
                           ty[h.response_type()[r]], h.response_value()[r], origin(response_source, 0)});
    }
  }
  for (const SkippedResponse& s : h.skipped())
    responses.push_back({s.customer_id, act[static_cast<std::size_t>(s.action)], s.sent_on, s.responded_on, ty[s.type],
                         s.value, origin(response_source, 0)});
}

}  // namespace nudge::history
