// RS-3 generator: an RS-2 population and history (rs2_generator.h) plus the
// defection_rescue dialogue's contacts and responses (shared/WORKLOAD.md
// "RS-3"), placed so that members hold every dialogue state at as_of D:
// waiting (step 1 or 2 sent D-6 .. D), due on the boundary day (D-7) and
// after, responded (open / click / convert to the latest step, some dated
// after D so not yet seen), converted to an earlier step, goal reached (the
// generator does not touch the population, so members whose flights
// recovered are in the goal state when they hold dialogue contacts), finished
// (step 3 sent), re-entry at 89 / 90 / 91 days, two steps on one day (ties),
// contacts after D, unsubscribes and complaints (no response in RS-3's
// sense), repeated rows.
//
//   nudge::Rs3Data d = nudge::generate_rs3(20000, /*seed=*/7);   // as_of 2026-11-15
//   nudge::write_rs3_csv(d, "rs3/");   // population.csv, contacts.csv, responses.csv
//
// Per member, from a splitmix64 stream keyed by (seed, row) independent of the
// RS-2 part: about 70% of the members whose entry condition holds and 3% of
// the others get a dialogue history. The CSVs are RS-2's files with the
// dialogue rows appended (same columns; RS-3's steps are ordinary actions).
// Errors: std::bad_alloc only; write_rs3_csv throws Error(Io) naming the file.
// Thread-safety: reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "engine/history/history.h"
#include "io/gen/rs2_generator.h"

namespace nudge {

// RS-3's steps in order: rescue_email, rescue_call, rescue_reminder.
extern const Rs2HistoryAction kRs3Steps[3];

struct Rs3StepContact {
  uint64_t customer_id;
  int32_t sent_on;
  uint8_t step;  // 0..2 into kRs3Steps
};
struct Rs3StepResponse {
  uint64_t customer_id;
  int32_t sent_on, responded_on;
  uint8_t step, type;  // into kRs3Steps, kRs2ResponseTypes
};

struct Rs3Data {
  Rs2Data rs2;
  std::vector<Rs3StepContact> step_contacts;
  std::vector<Rs3StepResponse> step_responses;
};

Rs3Data generate_rs3(std::size_t members, uint64_t seed, int32_t as_of = rs2_as_of(), double contacts_per_member = 25);

void write_rs3_csv(const Rs3Data& d, const std::filesystem::path& dir);

// Every contact and response as history records (RS-2's rows, then the dialogue's).
void rs3_records(const Rs3Data& d, std::vector<history::ContactRecord>& contacts,
                 std::vector<history::ResponseRecord>& responses);

}  // namespace nudge
