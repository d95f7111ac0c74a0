// RS-3: RS-2 plus the defection_rescue dialogue's history (rs3_generator.h).
#include "io/gen/rs3_generator.h"

#include <fmt/format.h>

#include <string>

#include "engine/base/read_file.h"
#include "io/file/atomic_file.h"
#include "io/gen/gen_rng.h"

namespace nudge {

const Rs2HistoryAction kRs3Steps[3] = {{"rescue_email", "email", "commercial", 10},
                                       {"rescue_call", "call", "service", 4},
                                       {"rescue_reminder", "email", "service", 2}};

namespace {

using Rng = gen::SplitMix;

}  // namespace

Rs3Data generate_rs3(std::size_t members, uint64_t seed, int32_t D, double contacts_per_member) {
  Rs3Data d;
  d.rs2 = generate_rs2(members, seed, D, contacts_per_member);
  const Population& pop = d.rs2.population;
  const uint64_t* ids = pop.column("customer_id").values<uint64_t>();
  const int32_t* f3 = pop.column("flights_3m").values<int32_t>();
  const int32_t* fp = pop.column("flights_prev_3m").values<int32_t>();
  // Where the latest step lands relative to D: every edge of the rules.
  static constexpr int32_t kLatest[] = {0, 1, 3, 6, 7, 8, 10, 14, 20, 40, 60, 88, 89, 90, 91, 120};
  for (std::size_t row = 0; row < pop.rows(); ++row) {
    Rng r{seed * 0x9E3779B97F4A7C15ULL ^ (0xD1A1065EULL + row * 0x2545F4914F6CDD1DULL)};
    const bool entry = fp[row] >= 2 && f3[row] < 0.5 * fp[row];
    if (!r.chance(entry ? 0.7 : 0.03)) continue;
    const uint64_t id = ids[row];
    const int steps = 1 + static_cast<int>(r.below(3));
    int32_t latest = D - kLatest[r.below(std::size(kLatest))];
    if (r.chance(0.05)) latest = D + 1 + static_cast<int32_t>(r.below(5));  // after as_of
    // Earlier steps 7 days apart (sometimes more, sometimes the same day: a tie).
    std::vector<int32_t> on(static_cast<std::size_t>(steps));
    on.back() = latest;
    for (int k = steps - 2; k >= 0; --k) {
      const int64_t gap = r.chance(0.1) ? 0 : 7 + (r.chance(0.3) ? r.below(10) : 0);
      on[static_cast<std::size_t>(k)] = on[static_cast<std::size_t>(k) + 1] - static_cast<int32_t>(gap);
    }
    for (int k = 0; k < steps; ++k) {
      d.step_contacts.push_back({id, on[static_cast<std::size_t>(k)], static_cast<uint8_t>(k)});
      if (r.chance(0.05)) d.step_contacts.push_back(d.step_contacts.back());  // repeated row
    }
    // Responses: to the latest step, to an earlier one, of every type, some after D.
    const int n = static_cast<int>(r.below(4)) - 1;
    for (int j = 0; j < n; ++j) {
      const int k = r.chance(0.6) ? steps - 1 : static_cast<int>(r.below(steps));
      const int32_t sent = on[static_cast<std::size_t>(k)];
      const uint8_t type = static_cast<uint8_t>(r.below(5));
      const int32_t when = sent + static_cast<int32_t>(r.below(12)) - (r.chance(0.05) ? 2 : 0);
      d.step_responses.push_back({id, sent, when, static_cast<uint8_t>(k), type});
      if (r.chance(0.05)) d.step_responses.push_back(d.step_responses.back());
    }
  }
  return d;
}

void write_rs3_csv(const Rs3Data& d, const std::filesystem::path& dir) {
  write_rs2_csv(d.rs2, dir);
  // RS-2's files with the dialogue's rows appended (rewritten atomically).
  auto append = [&](const std::filesystem::path& p, const std::string& rows) {
    std::string text = read_file(p, "generated history");
    AtomicFile f(p);
    f.write(text);
    f.write(rows);
    f.commit();
  };
  std::string buf;
  for (const auto& c : d.step_contacts) {
    const auto& a = kRs3Steps[c.step];
    fmt::format_to(std::back_inserter(buf), "{},{},{},{},{},{}\n", c.customer_id, format_iso_date(c.sent_on), a.name,
                   a.channel, a.message_type, a.cost);
  }
  append(dir / "contacts.csv", buf);
  buf.clear();
  for (const auto& x : d.step_responses)
    fmt::format_to(std::back_inserter(buf), "{},{},{},{},{}\n", x.customer_id, kRs3Steps[x.step].name,
                   format_iso_date(x.sent_on), format_iso_date(x.responded_on), kRs2ResponseTypes[x.type]);
  append(dir / "responses.csv", buf);
}

void rs3_records(const Rs3Data& d, std::vector<history::ContactRecord>& contacts,
                 std::vector<history::ResponseRecord>& responses) {
  rs2_records(d.rs2, contacts, responses);
  for (const auto& c : d.step_contacts) rs2_add_contact(c.customer_id, c.sent_on, kRs3Steps[c.step], contacts);
  for (const auto& x : d.step_responses)
    rs2_add_response(x.customer_id, kRs3Steps[x.step], x.sent_on, x.responded_on, x.type, responses);
}

}  // namespace nudge
