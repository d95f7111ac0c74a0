// The holdout levels of one campaign, resolved once for the sweep's walk
// (engine/decide/sweep.cc): which decisions of a member are control
// decisions (Decision::control; not to be sent).
//
//   const nudge::holdout::CampaignHoldout h(campaign);
//   const bool whole = h.member_held(id);            // global or campaign level
//   const bool ctl = whole || h.action_held(a, id);  // action a's own level too
//
// Levels and salts (holdout.h has the hash):
//   global    Campaign::holdout.global,   salt holdout.global_salt ("nudge:global")
//   campaign  Campaign::holdout.campaign, salt holdout.campaign_salt or "nudge:campaign:<campaign name>"
//   action    Action::holdout,            salt "nudge:action:<campaign name>:<action name>"
//   dialogue  Dialogue::holdout (its steps), salt "nudge:dialogue:<campaign name>:<dialogue name>"
// A member is held out of action a when any level holds it. Dialogue steps
// are actions: a step's own share holds a member out of that step, the
// dialogue's share out of every step of it (one control group per dialogue).
// Cost: one hash per active level and member (none when no share is > 0).
// Thread-safety: immutable after construction; shareable between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/decide/campaign.h"
#include "engine/holdout/holdout.h"

namespace nudge::holdout {

class CampaignHoldout {
 public:
  explicit CampaignHoldout(const decide::Campaign& c)
      : global_(make_level(c.holdout.global_salt, c.holdout.global)),
        campaign_(make_level(c.holdout.campaign_salt.empty() ? "nudge:campaign:" + c.name : c.holdout.campaign_salt,
                             c.holdout.campaign)) {
    for (const decide::Action& a : c.actions) {
      action_.push_back(make_level("nudge:action:" + c.name + ":" + a.name, a.holdout));
      const double ds = a.dialogue ? c.dialogues[*a.dialogue].holdout : 0;
      dialogue_.push_back(
          make_level("nudge:dialogue:" + c.name + ":" + (a.dialogue ? c.dialogues[*a.dialogue].name : ""), ds));
      any_action_ = any_action_ || a.holdout > 0 || ds > 0;
    }
  }

  // True when some share is > 0 (otherwise no decision is ever a control).
  bool any() const noexcept { return any_action_ || global_.active() || campaign_.active(); }
  // True when some action, dialogue step or dialogue has its own share > 0.
  bool any_action_level() const noexcept { return any_action_; }
  // Held out of every action of the campaign (global or campaign level).
  bool member_held(uint64_t customer_id) const noexcept {
    return global_.holds(customer_id) || campaign_.holds(customer_id);
  }
  // Held out of action a by its own share or its dialogue's (a < number of actions).
  bool action_held(std::size_t a, uint64_t customer_id) const noexcept {
    return any_action_ && (action_[a].holds(customer_id) || dialogue_[a].holds(customer_id));
  }

 private:
  Level global_, campaign_;
  std::vector<Level> action_, dialogue_;  // per action; dialogue_: its dialogue's level (share 0 for plain actions)
  bool any_action_ = false;
};

}  // namespace nudge::holdout
