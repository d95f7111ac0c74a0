// record_decisions: a sweep's ranked decisions -> one history batch.
#include "io/history/record_decisions.h"

namespace nudge::history {

AddResult record_decisions(const std::filesystem::path& dir, const decide::Campaign& campaign,
                           const std::vector<decide::Decision>& ranked, int32_t sent_on, const AddOptions& options) {
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
