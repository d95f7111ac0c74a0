// Uplift from the contact and response history: treated vs control members
// per action, campaign, channel and dialogue step (`nudge report`).
//
//   nudge::report::UpliftOptions o;  o.attribution_days = 14;
//   nudge::report::UpliftReport r = nudge::report::compute_uplift(history, o);
//
// Definitions (per group G: one action, one campaign, one channel, or one
// (dialogue, step); a contact belongs to the group its profile names):
//   - a member is TREATED in G when it has at least one non-control contact of
//     G dated <= as_of, CONTROL in G when all its contacts of G (dated <=
//     as_of, at least one) are control contacts (held out, engine/holdout);
//   - a member RESPONDED with type T in G when some response of type T to one
//     of its G contacts has responded_on <= as_of and responded_on - sent_on
//     <= attribution_days (days; 0 = same day only): the attribution window.
//     Responses attach to the contact they answer (engine/history/history.h),
//     so nothing is attributed by guesswork;
//   - the member's VALUE in G is the sum of response values (NaN = none, not
//     counted) of those attributed responses, any type; 0 when none. Responses
//     of the member to several contacts of G with the same (responded_on,
//     type, value) are one event and count once in G (a purchase recorded
//     against two e-mails is one purchase for their campaign and channel);
//   - rate_T = members who responded with T / members; value per member =
//     mean value over the group's members (zeros included);
//   - uplift = treated rate - control rate, 95% CI by Newcombe's hybrid score
//     method; value uplift = difference of means, 95% CI by Welch
//     (engine/report/stats.h);
//   - incremental responses = uplift * treated members; incremental value =
//     value uplift * treated members;
//   - cost = sum of the points of G's treated contacts (control contacts cost
//     nothing: RS-2).
// Response types listed are those that occur in the history (built-in ones
// first, then user-defined ones in name order).
//
// Cost: one pass over the history's members, O(contacts + responses), memory
// O(groups * response types). Errors: none beyond std::bad_alloc.
// Thread-safety: pure function of an immutable History.
#pragma once

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/history/history.h"
#include "engine/report/stats.h"

namespace nudge::report {

struct UpliftOptions {
  int32_t attribution_days = 14;  // days after sent_on a response counts
  int32_t as_of = INT32_MAX;      // days since 1970-01-01; later events ignored
};

struct RateUplift {
  std::string type;  // response type
  uint64_t treated_responders = 0, control_responders = 0;
  double treated_rate = 0, control_rate = 0, uplift = 0;
  Interval ci;             // Newcombe, 95%
  double incremental = 0;  // uplift * treated members
};

struct GroupUplift {
  std::string kind;                   // "action", "campaign", "channel", "dialogue_step"
  std::string name;                   // action name, campaign name, channel name, "dialogue#step"
  uint64_t treated = 0, control = 0;  // members
  uint64_t treated_contacts = 0, control_contacts = 0;
  double cost_points = 0;         // treated contacts' points
  std::vector<RateUplift> rates;  // one per response type
  Moments treated_value, control_value;
  double value_uplift = 0;
  Interval value_ci;  // Welch, 95%
  double incremental_value = 0;
};

struct UpliftReport {
  UpliftOptions options;
  std::vector<std::string> response_types;
  std::vector<GroupUplift> groups;  // actions, then campaigns, channels, dialogue steps; each by name
};

UpliftReport compute_uplift(const history::History& h, const UpliftOptions& options);

}  // namespace nudge::report
