// RS-3: data/campaigns/rs3.toml swept with a generated adversarial history
// (io/gen/rs3_generator.h) equals the row-by-row reference of WORKLOAD.md
// (tests/oracles/rs3_reference.h) decision for decision, with the dialogue's
// due / waiting / left counts, for every instruction set, 1 and 2 threads
// (and the build's batch size: 2048, or 64 in the ASan build); every dialogue
// state occurs; `simulate` equals a plain day-by-day loop over the reference.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <map>

#include "engine/base/simd.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/dialogue/response_model.h"
#include "engine/dialogue/simulate.h"
#include "engine/history/history.h"
#include "engine/policy/history_policy.h"
#include "engine/score/model.h"
#include "io/gen/rs3_generator.h"
#include "tests/oracles/rs3_reference.h"
#include "tests/support/rs_fixture.h"

namespace nudge {
namespace {

using decide::BoundCampaign;
using test::history_of;

decide::Campaign rs3_campaign(std::size_t capacity, std::size_t top_k) {
  auto c = decide::load_campaign(std::string(NUDGE_SOURCE_DIR) + "/data/campaigns/rs3.toml");
  for (auto& ch : c.channels)
    if (ch.name == "call") ch.capacity = capacity;
  c.top_k = top_k;
  return c;
}

#if NUDGE_BATCH_ROWS < 256
constexpr std::size_t kMembers = 6000;  // simulate: 3,000
#else
constexpr std::size_t kMembers = 20000;
#endif

TEST(DialogueRs3, SweepEqualsRowByRowReferenceForEveryIsaAndThreadCount) {
  const int32_t D = rs2_as_of();
  const Rs3Data d = generate_rs3(kMembers, 5, D);
  const auto campaign = rs3_campaign(kMembers / 200, kMembers / 10);
  const history::History h = history_of(d);
  policy::HistoryPolicy hp(campaign, d.rs2.population, h, D);
  const auto bound = BoundCampaign::bind(campaign, hp.population());
  const auto dlg = dialogue::BoundDialogues::bind(bound, &h, hp.member_map().data(), D);
  const auto ref = test::rs3_reference(
      d, D, [&](std::size_t row) { return bound.model()->reference_score(row); }, kMembers / 200, kMembers / 10);
  ASSERT_EQ(ref.ranked.size(), kMembers / 10);
  const std::size_t step0 = campaign.actions.size() - 3;
  ASSERT_EQ(campaign.actions[step0].name, "rescue_email");
  for (auto isa : simd::supported_isas()) {
    SCOPED_TRACE(std::string(simd::isa_name(isa)));
    simd::ScopedIsa scoped(isa);
    for (int threads : {1, 2}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      tbb::task_arena arena(threads);
      decide::SweepResult r;
      decide::SweepOptions opt;
      opt.inputs = &hp;
      opt.dialogues = &dlg;
      arena.execute([&] { r = decide::run_sweep(bound, opt); });
      for (int k = 0; k < 3; ++k) EXPECT_EQ(r.funnel[step0 + k].fired, ref.due[k]) << "step " << k + 1;
      const auto& f = r.dialogues[0];
      EXPECT_EQ(f.in(dialogue::State::Waiting), ref.waiting);
      EXPECT_EQ(f.in(dialogue::State::Outside), ref.outside);
      EXPECT_EQ(f.in(dialogue::State::LeftExit) + f.in(dialogue::State::LeftResponse) +
                    f.in(dialogue::State::LeftGoal) + f.in(dialogue::State::LeftFinished),
                ref.left);
      uint64_t capacity = 0;
      for (const auto& x : r.funnel) capacity += x.capacity;
      EXPECT_GT(capacity, 0u);
      ASSERT_NO_FATAL_FAILURE(test::expect_same_ranking(campaign, r.ranked, ref.ranked));
    }
  }
}

TEST(DialogueRs3, GeneratedHistoryHoldsEveryDialogueState) {
  const int32_t D = rs2_as_of();
  const Rs3Data d = generate_rs3(kMembers, 6, D);
  const auto campaign = rs3_campaign(5000, 100000);
  const history::History h = history_of(d);
  policy::HistoryPolicy hp(campaign, d.rs2.population, h, D);
  const auto bound = BoundCampaign::bind(campaign, hp.population());
  const auto dlg = dialogue::BoundDialogues::bind(bound, &h, hp.member_map().data(), D);
  decide::SweepOptions opt;
  opt.inputs = &hp;
  opt.dialogues = &dlg;
  const auto r = decide::run_sweep(bound, opt);
  const auto& f = r.dialogues[0];
  using dialogue::State;
  for (std::size_t k = 0; k < 3; ++k) EXPECT_GT(f.at(State::Due, k), 10u) << "due step " << k + 1;
  for (std::size_t k = 1; k < 3; ++k) EXPECT_GT(f.at(State::Waiting, k), 10u) << "waiting for step " << k + 1;
  for (State s : {State::LeftExit, State::LeftResponse, State::LeftGoal, State::LeftFinished})
    EXPECT_GT(f.in(s), 10u) << dialogue::state_name(s);
  // The boundary day: members whose step is due exactly today (sent on D - 7).
  std::size_t due_today = 0, waiting_last_day = 0;
  for (std::size_t row = 0; row < d.rs2.population.rows(); ++row) {
    const auto p = dlg.explain(row, 0, false, false, nullptr);
    due_today += p.state == State::Due && p.step > 0 && p.due_on == D;
    waiting_last_day += p.state == State::Waiting && p.due_on == D + 1;
  }
  // About one member in 2,000 sits on each boundary day (10 at 20,000 members, 3 in the ASan build's 6,000).
  EXPECT_GT(due_today, kMembers / 2000);
  EXPECT_GT(waiting_last_day, kMembers / 2000);
}

// The response model's draw written again from its documentation (response_model.h).
uint64_t m(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
uint64_t fnv(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

const char* kModel = R"(
[[response]]
action = "rescue_email"
type = "open"
probability = 0.3
delay_days = [0, 9]
[[response]]
channel = "call"
type = "click"
probability = 0.2
delay_days = [0, 2]
[[response]]
channel = "email"
type = "convert"
probability = 0.05
delay_days = [1, 4]
[[response]]
channel = "email"
type = "unsubscribe"
probability = 0.03
[[response]]
type = "open"
probability = 0.1
delay_days = [0, 1]
)";

TEST(DialogueRs3, SimulateEqualsAPlainDailyLoopOverTheReference) {
  const int32_t D0 = rs2_as_of() + 11;  // after the generated history's last contact (D + 10)
  const int days = 6;
  const uint64_t seed = 9;
  const Rs3Data start = generate_rs3(kMembers / 2, 8, rs2_as_of());  // 10,000 members (3,000 in the ASan build)
  const auto campaign = rs3_campaign(40, 100000);
  const auto model = dialogue::parse_response_model(kModel, "model.toml");
  dialogue::SimulateOptions opt;
  opt.from = D0, opt.days = days, opt.seed = seed;
  dialogue::SimulateResult sim;
  {
    tbb::task_arena arena(2);
    arena.execute([&] { sim = dialogue::simulate(campaign, start.rs2.population, history_of(start), model, opt); });
  }
  ASSERT_EQ(sim.days.size(), std::size_t(days));

  // The plain loop: the reference on raw rows, the day's output appended as rows.
  Rs3Data d = start;
  auto churn_model = score::load_model(*campaign.model_path);
  auto bound_model = churn_model->bind(d.rs2.population);
  auto index_of = [](const std::string& name, auto& table, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      if (table[i].name == name) return i;
    return n;
  };
  uint64_t total = 0;
  for (int i = 0; i < days; ++i) {
    const int32_t D = D0 + i;
    SCOPED_TRACE("day " + format_iso_date(D));
    const auto ref = test::rs3_reference(
        d, D, [&](std::size_t row) { return bound_model->reference_score(row); }, 40, 100000);
    std::map<std::string, uint64_t> sent;
    for (const auto& x : ref.ranked) {
      ++sent[x.action];
      const std::size_t step = index_of(x.action, kRs3Steps, 3);
      const std::size_t act = index_of(x.action, kRs2HistoryActions, 15);
      if (step < 3) d.step_contacts.push_back({x.customer_id, D, uint8_t(step)});
      else d.rs2.contacts.push_back({x.customer_id, D, uint8_t(act)});
      const std::string channel(step < 3 ? kRs3Steps[step].channel : kRs2HistoryActions[act].channel);
      std::map<std::string, bool> decided;  // the first matching rule of a type decides
      for (std::size_t rule = 0; rule < model.rules.size(); ++rule) {
        const auto& r = model.rules[rule];
        if ((r.action && *r.action != x.action) || (r.channel && *r.channel != channel)) continue;
        if (decided[r.type]) continue;
        decided[r.type] = true;
        const uint64_t h = m(m(m(m(m(seed) ^ x.customer_id) ^ fnv(x.action)) ^ uint64_t(uint32_t(D))) ^ rule);
        if (double(h >> 11) * 0x1.0p-53 >= r.probability) continue;
        const int32_t on = D + r.delay_min + int32_t(m(h) % uint64_t(r.delay_max - r.delay_min + 1));
        uint8_t type = 0;
        while (kRs2ResponseTypes[type] != r.type) ++type;
        if (step < 3) d.step_responses.push_back({x.customer_id, D, on, uint8_t(step), type});
        else d.rs2.responses.push_back({x.customer_id, D, on, uint8_t(act), type});
      }
    }
    const auto& day = sim.days[std::size_t(i)];
    for (std::size_t a = 0; a < campaign.actions.size(); ++a)
      EXPECT_EQ(day.sent[a], sent[campaign.actions[a].name]) << campaign.actions[a].name;
    for (int k = 0; k < 3; ++k) EXPECT_EQ(day.funnel[campaign.actions.size() - 3 + k].fired, ref.due[k]);
    EXPECT_EQ(day.dialogues[0].in(dialogue::State::Waiting), ref.waiting);
    for (const auto& [a, n] : sent) total += n;
  }
  EXPECT_GT(total, 300u);
  // The in-memory appends equal a history built from all the rows at once.
  const history::History all = history_of(d);
  const history::History& got = sim.history;
  ASSERT_EQ(got.members(), all.members());
  ASSERT_EQ(got.contacts(), all.contacts());
  ASSERT_EQ(got.responses(), all.responses());
  for (std::size_t c = 0; c < all.contacts(); ++c) {
    ASSERT_EQ(got.sent_on()[c], all.sent_on()[c]) << c;
    ASSERT_EQ(got.actions().name(got.profile_of(uint32_t(c)).action),
              all.actions().name(all.profile_of(uint32_t(c)).action))
        << c;
  }
  for (std::size_t r = 0; r < all.responses(); ++r) {
    ASSERT_EQ(got.responded_on()[r], all.responded_on()[r]) << r;
    ASSERT_EQ(got.response_contact()[r], all.response_contact()[r]) << r;
    ASSERT_EQ(got.response_types().name(got.response_type()[r]), all.response_types().name(all.response_type()[r]));
  }
}

// A dialogue's control group in the daily loop (data/campaigns/README.md
// "Dialogues"): held-out step decisions are recorded as control contacts,
// not counted as sent and answered by no drawn response; since dialogues
// ignore control contacts, a held-out member stays due for the same step and
// is decided (as a control) again the next day.
TEST(DialogueRs3, SimulateRecordsHeldOutStepsAsControlContactsAndTheMemberStays) {
  const int32_t D0 = rs2_as_of() + 11;
  const Rs3Data start = generate_rs3(kMembers / 2, 8, rs2_as_of());
  auto campaign = rs3_campaign(40, 100000);
  campaign.dialogues[0].holdout = 0.5;
  const auto model = dialogue::parse_response_model(kModel, "model.toml");
  dialogue::SimulateOptions opt;
  opt.from = D0, opt.days = 3, opt.seed = 9;
  const history::History h0 = history_of(start);
  const dialogue::SimulateResult sim = dialogue::simulate(campaign, start.rs2.population, h0, model, opt);
  uint64_t control_decisions = 0, sent = 0;
  for (const auto& day : sim.days)
    for (std::size_t a = 0; a < campaign.actions.size(); ++a) {
      control_decisions += day.funnel[a].control, sent += day.sent[a];
      EXPECT_EQ(day.sent[a], day.funnel[a].kept - day.funnel[a].control) << campaign.actions[a].name;
    }
  ASSERT_GT(control_decisions, 0u);
  EXPECT_GT(sent, 0u);
  // The new control contacts are exactly the control decisions; no response attaches to them.
  const history::History& h = sim.history;
  uint64_t new_controls = 0, repeated = 0;
  for (uint32_t m = 0; m < h.members(); ++m) {
    std::map<int32_t, int32_t> control_on;  // day -> step action code
    for (uint32_t c : h.contacts_of(m)) {
      if (h.sent_on()[c] < D0 || !h.profile_of(c).control) continue;
      ++new_controls;
      if (auto it = control_on.find(h.sent_on()[c] - 1); it != control_on.end() && it->second == h.profile_of(c).action)
        ++repeated;
      control_on[h.sent_on()[c]] = h.profile_of(c).action;
    }
    for (uint32_t r : h.responses_of(m))
      EXPECT_FALSE(h.sent_on()[h.response_contact()[r]] >= D0 && h.profile_of(h.response_contact()[r]).control);
  }
  EXPECT_EQ(new_controls, control_decisions);
  EXPECT_GT(repeated, 0u);  // the same step, held out again the next day: the dialogue did not move
}

}  // namespace
}  // namespace nudge
