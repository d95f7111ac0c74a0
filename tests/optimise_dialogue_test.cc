// The optimiser with dialogues ([arbitration] mode = "optimise" on RS-3):
// the dialogue rules are member rules the optimiser keeps. On a generated
// RS-3 population and history with a call capacity that binds, every kept
// dialogue step is the step the member is due for (the row-by-row reference
// of the rules, tests/oracles/dialogue_reference.h), a member gets at most one
// step of a dialogue, the capacity holds, the objective is at least greedy's
// and at most the dual bound, and 1 and 2 threads give the same decisions.
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <map>
#include <set>

#include "engine/decide/bound_campaign.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/optimise/optimise.h"
#include "engine/policy/history_policy.h"
#include "io/gen/rs3_generator.h"
#include "tests/oracles/dialogue_reference.h"
#include "tests/support/campaign_files.h"
#include "tests/support/rs_fixture.h"

using namespace nudge;

namespace {

#if NUDGE_BATCH_ROWS < 256
constexpr std::size_t kMembers = 12'000;
#else
constexpr std::size_t kMembers = 20'000;
#endif

TEST(OptimiseDialogue, StepsAreTheDueStepsAndTheCapacityHolds) {
  const int32_t D = rs2_as_of();
  const Rs3Data data = generate_rs3(kMembers, 9, D);
  std::vector<history::ContactRecord> contacts;
  std::vector<history::ResponseRecord> responses;
  rs3_records(data, contacts, responses);
  const history::History h = history::build_history(contacts, responses);
  const Population& pop = data.rs2.population;
  const std::size_t capacity = kMembers / 500;  // binds: fewer calls than members due for one
  std::string text = test::campaign_text("rs3.toml");
  text = test::replace(text, "capacity = 5000", "capacity = " + std::to_string(capacity));
  text += "\n[arbitration]\nmode = \"optimise\"\n";
  const decide::Campaign c = test::campaign_from(text);
  ASSERT_EQ(c.arbitration.mode, decide::ArbitrationMode::Optimise);
  ASSERT_FALSE(c.dialogues.empty());

  const policy::HistoryPolicy hp(c, pop, h, D);
  const auto bound = decide::BoundCampaign::bind(c, hp.population());
  const auto dlg = dialogue::BoundDialogues::bind(bound, &h, hp.member_map().data(), D);
  decide::SweepOptions so;
  so.inputs = &hp;
  so.dialogues = &dlg;
  auto run = [&](int threads) {
    tbb::task_arena arena(threads);
    optimise::ArbitratedSweep r;
    arena.execute([&] { r = optimise::run_arbitrated_sweep(bound, so, {}); });
    return r;
  };
  const optimise::ArbitratedSweep r = run(2);
  ASSERT_TRUE(r.optimise.has_value());

  const auto places = test::reference_places(c, pop, contacts, responses, D);
  const uint64_t* ids = pop.column(*pop.id_column()).values<uint64_t>();
  std::map<uint64_t, std::size_t> row_of;
  for (std::size_t row = 0; row < pop.rows(); ++row) row_of[ids[row]] = row;
  std::set<std::pair<uint64_t, std::size_t>> member_dialogue;
  std::size_t calls = 0, steps = 0;
  for (const decide::Decision& d : r.sweep.ranked) {
    const decide::Action& a = c.actions[d.action];
    if (!d.control && c.channels[a.channel].name == "call") ++calls;
    if (!a.dialogue) continue;
    ++steps;
    const test::RefPlace& p = places[*a.dialogue][row_of.at(d.customer_id)];
    EXPECT_EQ(p.state, dialogue::State::Due) << d.customer_id << " " << a.name;
    EXPECT_EQ(static_cast<std::size_t>(p.step), a.step) << d.customer_id << " " << a.name;
    EXPECT_TRUE(member_dialogue.insert({d.customer_id, *a.dialogue}).second)
        << d.customer_id << " got two steps of " << c.dialogues[*a.dialogue].name;
  }
  EXPECT_GT(steps, kMembers / 200);  // the dialogue is in play
  EXPECT_LE(calls, capacity);
  EXPECT_EQ(calls, capacity);  // the capacity binds on this population
  EXPECT_GE(r.optimise->objective, r.optimise->greedy_objective);
  EXPECT_LE(r.optimise->objective, r.optimise->dual_bound * (1 + 1e-12));

  const optimise::ArbitratedSweep one = run(1);
  ASSERT_EQ(one.sweep.ranked.size(), r.sweep.ranked.size());
  for (std::size_t i = 0; i < r.sweep.ranked.size(); ++i)
    ASSERT_TRUE(one.sweep.ranked[i].customer_id == r.sweep.ranked[i].customer_id &&
                one.sweep.ranked[i].action == r.sweep.ranked[i].action &&
                one.sweep.ranked[i].priority == r.sweep.ranked[i].priority)
        << "rank " << i + 1;
}

}  // namespace
