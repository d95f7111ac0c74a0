// Holdouts of single actions in [arbitration] mode = "optimise"
// (engine/decide/held_walk.h, engine/optimise/README.md "Holdouts"), against a
// plain reference on a small population:
//   - the treated decisions equal the optimised decisions of the same campaign
//     where the held-out members simply lack the held action (its trigger
//     ANDed with a column that is TRUE exactly for members not held out);
//   - the control decisions are exactly the held-out members whose candidate of
//     that action passes every member gate on its own (a greedy sweep, with no
//     capacity, of the campaign where only that action can fire);
//   - the same answer on 1 and 2 threads.
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <map>
#include <set>
#include <tuple>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/sweep.h"
#include "engine/holdout/campaign_holdout.h"
#include "engine/optimise/optimise.h"
#include "io/gen/rs1_generator.h"
#include "tests/support/campaign_files.h"

using namespace nudge;
using namespace nudge::decide;

namespace {

#if NUDGE_BATCH_ROWS < 256
constexpr std::size_t kMembers = 12'000;
#else
constexpr std::size_t kMembers = 20'000;
#endif
constexpr uint64_t kSeed = 31;
const std::size_t kHeld[] = {0, 1};  // defection_call (call: capacity), defection_email (e-mail: capacity)

Campaign held_campaign() {
  Campaign c = test::campaign_from(test::campaign_text("rs1_opt.toml"));
  c.actions[0].holdout = 0.3;
  c.actions[1].holdout = 0.2;
  return c;
}

// The population plus, per held action a, a Bool column "treated_<a>": TRUE
// when the member is not held out of a.
Population with_treated_columns(const Campaign& c) {
  Population pop = generate_rs1(kMembers, kSeed);
  const holdout::CampaignHoldout h(c);
  const Column& ids = pop.column(*pop.id_column());
  for (std::size_t a : kHeld) {
    Column col("treated_" + std::to_string(a), DataType::Bool, pop.rows());
    auto* v = col.mutable_values<uint8_t>();
    for (std::size_t r = 0; r < pop.rows(); ++r) v[r] = h.action_held(a, ids.values<uint64_t>()[r]) ? 0 : 1;
    pop.add_column(std::move(col));
  }
  return pop;
}

optimise::ArbitratedSweep optimise_on(const Campaign& c, const Population& pop, int threads) {
  const BoundCampaign b = BoundCampaign::bind(c, pop);
  SweepOptions so;
  so.top_k = SIZE_MAX;
  optimise::ArbitratedSweep r;
  tbb::task_arena(threads).execute([&] { r = optimise::run_arbitrated_sweep(b, so); });
  return r;
}

using Key = std::tuple<uint64_t, std::size_t, double>;  // customer_id, action, priority

}  // namespace

TEST(HoldoutOptimise, ActionHoldoutsEqualTheCampaignWithoutThoseActionsPlusTheirControls) {
  const Campaign c = held_campaign();
  ASSERT_EQ(c.arbitration.mode, ArbitrationMode::Optimise);
  const Population pop = generate_rs1(kMembers, kSeed);
  const holdout::CampaignHoldout h(c);

  // Reference 1: held-out members lack the held actions (no holdout left).
  Campaign lacking = c;
  for (std::size_t a : kHeld) {
    lacking.actions[a].holdout = 0;
    lacking.actions[a].trigger.text = "(" + lacking.actions[a].trigger.text + ") AND treated_" + std::to_string(a);
  }
  const Population marked = with_treated_columns(c);
  const optimise::ArbitratedSweep ref = optimise_on(lacking, marked, 2);
  ASSERT_TRUE(ref.optimise);

  // Reference 2: per held action, the members whose candidate passes every member gate alone.
  std::set<std::pair<uint64_t, std::size_t>> expected_controls;
  for (std::size_t a : kHeld) {
    Campaign alone = c;
    alone.arbitration.mode = ArbitrationMode::Greedy;
    for (auto& ch : alone.channels) ch.capacity.reset(), ch.capacity_share.reset();
    for (std::size_t k = 0; k < alone.actions.size(); ++k) {
      alone.actions[k].holdout = 0, alone.actions[k].min_volume.reset(), alone.actions[k].max_volume.reset();
      if (k != a) alone.actions[k].trigger.text = "FALSE";
    }
    alone.arbitration.money_budget.reset();
    const BoundCampaign b = BoundCampaign::bind(alone, pop);
    SweepOptions so;
    so.top_k = SIZE_MAX;
    for (const Decision& d : run_sweep(b, so).ranked)
      if (h.action_held(a, d.customer_id)) expected_controls.insert({d.customer_id, a});
  }
  ASSERT_GT(expected_controls.size(), 0u);

  std::vector<Decision> first;
  for (int threads : {1, 2}) {
    const optimise::ArbitratedSweep r = optimise_on(c, pop, threads);
    ASSERT_TRUE(r.optimise);
    std::vector<Key> treated, want;
    std::set<std::pair<uint64_t, std::size_t>> controls;
    for (const Decision& d : r.sweep.ranked) {
      if (d.control) {
        EXPECT_TRUE(h.action_held(d.action, d.customer_id)) << d.customer_id << " " << d.action;
        controls.insert({d.customer_id, d.action});
      } else {
        EXPECT_FALSE(h.action_held(d.action, d.customer_id)) << d.customer_id << " " << d.action;
        treated.emplace_back(d.customer_id, d.action, d.priority);
      }
    }
    for (const Decision& d : ref.sweep.ranked) want.emplace_back(d.customer_id, d.action, d.priority);
    ASSERT_EQ(treated.size(), want.size()) << threads << " threads";
    for (std::size_t i = 0; i < want.size(); ++i) ASSERT_EQ(treated[i], want[i]) << i << ", " << threads << " threads";
    EXPECT_EQ(r.optimise->objective, ref.optimise->objective);
    EXPECT_EQ(controls, expected_controls) << threads << " threads";
    // The funnel's control column counts the control decisions.
    std::map<std::size_t, uint64_t> per_action;
    for (const auto& [id, a] : controls) ++per_action[a];
    for (std::size_t a = 0; a < c.actions.size(); ++a) EXPECT_EQ(r.sweep.funnel[a].control, per_action[a]) << a;
    for (std::size_t a : kHeld) EXPECT_GT(per_action[a], 10u) << a;  // both held actions have a control group
    // Same decisions, flags and budgets left on 1 and 2 threads.
    if (first.empty()) {
      first = r.sweep.ranked;
      continue;
    }
    ASSERT_EQ(r.sweep.ranked.size(), first.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
      ASSERT_EQ(r.sweep.ranked[i].customer_id, first[i].customer_id) << i;
      ASSERT_EQ(r.sweep.ranked[i].action, first[i].action) << i;
      ASSERT_EQ(r.sweep.ranked[i].control, first[i].control) << i;
    }
  }
}
