// record_decisions: a sweep's ranked decisions -> one history batch.
#include "io/history/record_decisions.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <system_error>

#include "engine/base/error.h"
#include "engine/store/types.h"

namespace nudge::history {

void refuse_recorded_contacts(const std::filesystem::path& dir, const decide::Campaign& campaign,
                              const std::vector<decide::Decision>& ranked, int32_t sent_on) {
  std::error_code ec;
  if (ranked.empty() || !std::filesystem::exists(dir / "MANIFEST", ec)) return;
  const History h = open_history(dir);
  if (h.contacts() == 0) return;
  const auto& names = h.actions().names();  // sorted by name
  std::vector<int32_t> code(campaign.actions.size(), -1);
  for (std::size_t a = 0; a < campaign.actions.size(); ++a) {
    const auto it = std::lower_bound(names.begin(), names.end(), campaign.actions[a].name);
    if (it != names.end() && *it == campaign.actions[a].name) code[a] = static_cast<int32_t>(it - names.begin());
  }
  std::size_t count = 0;
  std::optional<std::pair<std::size_t, uint32_t>> first;  // (decision, batch)
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const int32_t action = code[ranked[i].action];
    if (action < 0) continue;
    const uint32_t m = h.find_member(ranked[i].customer_id);
    if (m == kNoMember) continue;
    for (uint32_t j : h.contacts_of(m)) {
      if (h.sent_on()[j] != sent_on || h.profile_of(j).action != action) continue;
      if (!first) first.emplace(i, h.contact_batch()[j]);
      ++count;
      break;
    }
  }
  if (!count) return;
  const decide::Decision& d = ranked[first->first];
  throw_invalid_input(fmt::format(
      "{}: {} of the {} decisions to record are contacts the history already holds for the same day (for "
      "example customer_id {}, action '{}', sent_on {}, in batch {}): sending this decisions file would contact "
      "these members twice (a second sweep on the same day re-proposes what the first recorded); nothing written, "
      "neither the decisions file nor the history (send the first run's decisions file, or record on another "
      "--sent-on day)",
      dir.string(), count, ranked.size(), d.customer_id, campaign.actions[d.action].name, format_iso_date(sent_on),
      first->second));
}

AddResult record_decisions(const std::filesystem::path& dir, const decide::Campaign& campaign,
                           const std::vector<decide::Decision>& ranked, int32_t sent_on, const AddOptions& options) {
  refuse_recorded_contacts(dir, campaign, ranked, sent_on);
  EventTable t;
  const std::string source = "sweep " + campaign.name;
  const uint32_t src = t.add_source(source);
  std::vector<uint32_t> profile(campaign.actions.size()), control_profile(campaign.actions.size());
  for (std::size_t a = 0; a < campaign.actions.size(); ++a) {
    const decide::Action& act = campaign.actions[a];
    ContactProfile p;
    p.action = t.intern(Dict::Action, act.name);
    p.channel = t.intern(Dict::Channel, campaign.channels[act.channel].name);
    p.message_type = t.intern(Dict::MessageType, campaign.message_types[act.message_type].name);
    p.brand = t.intern(Dict::Brand, act.brand);
    p.cost = campaign.cost(act);
    if (p.cost == 0) p.cost = 0;  // -0 -> 0, as the CSV reader does
    profile[a] = t.intern_profile(p);
    p.control = true;  // a held-out decision (Decision::control): a control contact, ignored by every policy
    control_profile[a] = t.intern_profile(p);
  }
  t.contacts.reserve(ranked.size());
  for (std::size_t i = 0; i < ranked.size(); ++i)
    t.contacts.push_back({ranked[i].customer_id, sent_on,
                          (ranked[i].control ? control_profile : profile)[ranked[i].action], 0,
                          EventTable::origin(src, i + 1)});
  BatchInfo info;
  info.kind = "sweep";
  info.source = source;
  info.sent_on = sent_on;
  return add_batch(dir, std::move(t), info, options);
}

}  // namespace nudge::history
