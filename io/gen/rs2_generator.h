// RS-2 generator: an RS-2 population (RS-1's columns without pressure_used,
// contacts_30d, days_since_last_contact and days_since_calamity) plus a
// realistic, adversarial contact and response history in WORKLOAD.md's RS-2
// formats (shared/WORKLOAD.md "RS-2: Inputs").
//
//   nudge::Rs2Data d = nudge::generate_rs2(20000, /*seed=*/7);   // as_of 2026-11-15
//   nudge::write_rs2_csv(d, "rs2/");   // population.csv, contacts.csv, responses.csv
//
// The history (per member, from an xoshiro-free splitmix64 stream keyed by
// (seed, row), so it does not depend on the thread count):
//   - about 90% of members have contacts: on average `contacts_per_member`
//     over the 365 days up to as_of, from RS-1's ten actions and five actions
//     of other campaigns (newsletter, partner_offer, service_push and two
//     calamity messages: flight_disruption by sms, safety_notice by e-mail);
//     cost = base(type) x factor(channel) as in RS-1;
//   - adversarial dates on purpose: contacts exactly on every window edge
//     (D, D-6 | D-7 for calamity suppression, D-13 | D-14 for the call cap,
//     D-29 | D-30 for the 30-day cap, the 1st of D's month | the last day of
//     the month before), and after as_of (D+1 .. D+10);
//   - exact repeated contact rows (the same contact twice: counts once);
//   - responses of every type to contacts of every channel: open, click,
//     convert, complaint and unsubscribe, dated 0-12 days after the contact
//     (so some after as_of); repeated response rows; orphan responses (to a
//     contact that does not exist) and responses dated before their contact
//     (both must be skipped, never attached elsewhere).
// No control contacts (RS-2's data has none).
//
// Event rows keep codes into kRs2HistoryActions / kRs2ResponseTypes, not strings.
// Errors: std::bad_alloc only; write_rs2_csv throws Error(Io) naming the file.
// Thread-safety: reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "engine/history/history.h"
#include "engine/store/population.h"
#include "engine/store/types.h"

namespace nudge {

struct Rs2HistoryAction {
  std::string_view name, channel, message_type;
  double cost;  // points
};
// RS-1's ten actions (in RS-1's order), then five of other campaigns.
extern const Rs2HistoryAction kRs2HistoryActions[15];
inline constexpr std::string_view kRs2ResponseTypes[5] = {"open", "click", "convert", "unsubscribe", "complaint"};

struct Rs2ContactRow {
  uint64_t customer_id;
  int32_t sent_on;  // days since 1970-01-01
  uint8_t action;   // into kRs2HistoryActions
};
struct Rs2ResponseRow {
  uint64_t customer_id;
  int32_t sent_on, responded_on;
  uint8_t action, type;  // into kRs2HistoryActions, kRs2ResponseTypes
};

struct Rs2Data {
  Population population;
  std::vector<Rs2ContactRow> contacts;  // CSV row order
  std::vector<Rs2ResponseRow> responses;
};

inline int32_t rs2_as_of() noexcept { return days_from_civil(2026, 11, 15); }

Rs2Data generate_rs2(std::size_t members, uint64_t seed, int32_t as_of = rs2_as_of(), double contacts_per_member = 25);

// DIR/population.csv (RS-2 columns), DIR/contacts.csv
// (customer_id,sent_on,action,channel,message_type,cost) and DIR/responses.csv
// (customer_id,action,sent_on,responded_on,type); DIR is created if needed.
void write_rs2_csv(const Rs2Data& d, const std::filesystem::path& dir);

// Every contact and response as history records, in row order (appended).
void rs2_records(const Rs2Data& d, std::vector<history::ContactRecord>& contacts,
                 std::vector<history::ResponseRecord>& responses);
// One contact of action a (its channel, message type and cost) as a history record, appended.
void rs2_add_contact(uint64_t id, int32_t sent_on, const Rs2HistoryAction& a,
                     std::vector<history::ContactRecord>& contacts);
// One response (type: into kRs2ResponseTypes) to a contact of action a as a history record, appended.
void rs2_add_response(uint64_t id, const Rs2HistoryAction& a, int32_t sent_on, int32_t responded_on, uint8_t type,
                      std::vector<history::ResponseRecord>& responses);

}  // namespace nudge
