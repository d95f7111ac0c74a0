// Holdouts through the sweeps main gained after issue #15 was first built:
// sweeping in parts (engine/decide/sweep_parts.h) equals one sweep, control
// decisions included; the population optimiser ([arbitration] mode =
// "optimise") gives held-out members their own walk's decisions, outside
// every capacity (per-action holdouts in that mode: holdout_optimise_test.cc);
// explain marks a control decision.
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/explain.h"
#include "engine/decide/sweep.h"
#include "engine/decide/sweep_parts.h"
#include "engine/holdout/campaign_holdout.h"
#include "engine/optimise/optimise.h"
#include "io/gen/rs1_generator.h"
#include "tests/oracles/decide_reference.h"
#include "tests/support/campaign_files.h"
#include "tests/support/population_slice.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::decide;

namespace {

#if NUDGE_BATCH_ROWS < 256
constexpr std::size_t kMembers = 6'000;
#else
constexpr std::size_t kMembers = 30'000;
#endif

std::string file_text(const std::string& file) { return test::campaign_text(file); }
Campaign from_text(const std::string& t) { return test::campaign_from(t); }

using test::slice;  // tests/support/population_slice.h

}  // namespace

TEST(HoldoutSweep, PartsEqualTheWholeSweepAndTheReference) {
  Campaign c = load_campaign(test::source_dir() / "data/campaigns/rs1.toml");
  c.top_k = 700;
  for (auto& ch : c.channels)
    if (ch.capacity) ch.capacity = 90;
  c.holdout.campaign = 0.1;
  c.actions[0].holdout = 0.3;  // defection_call: on the capacity channel
  const Population pop = generate_rs1(kMembers, 21);
  const BoundCampaign b = BoundCampaign::bind(c, pop);
  const SweepResult whole = run_sweep(b, {});
  // The reference (tests/oracles/decide_reference.h) decides the same, control flags included.
  const test::RefResult ref = test::reference_sweep(c, pop, b.model(), c.top_k, [&](std::size_t a, std::size_t row) {
    return b.expressions().reference_predicate(pop, a, row) == 1;
  });
  ASSERT_EQ(whole.ranked.size(), ref.ranked.size());
  for (std::size_t i = 0; i < whole.ranked.size(); ++i) {
    ASSERT_EQ(whole.ranked[i].customer_id, ref.ranked[i].customer_id) << i;
    ASSERT_EQ(whole.ranked[i].action, ref.ranked[i].action) << i;
    ASSERT_EQ(bool(whole.ranked[i].control), ref.ranked[i].control) << i;
  }
  uint64_t controls = 0;
  for (std::size_t a = 0; a < c.actions.size(); ++a) {
    EXPECT_EQ(whole.funnel[a].control, ref.funnel[a].control) << c.actions[a].name;
    EXPECT_EQ(whole.funnel[a].capacity, ref.funnel[a].capacity) << c.actions[a].name;
    controls += whole.funnel[a].control;
  }
  EXPECT_GT(whole.funnel[0].control, 0u);
  EXPECT_GT(controls, 0u);

  const std::size_t n = pop.rows();
  std::vector<SweepPart> parts;
  for (auto [lo, hi] : {std::pair<std::size_t, std::size_t>{0, n / 3}, {n / 3, n / 3 + 50}, {n / 3 + 50, n}}) {
    Population p = slice(pop, lo, hi);
    const BoundCampaign pb = BoundCampaign::bind(c, p);
    parts.push_back(run_sweep_part(pb, {}));
  }
  const SweepResult m = merge_sweep_parts(c, parts, std::nullopt);
  ASSERT_EQ(m.ranked.size(), whole.ranked.size());
  for (std::size_t i = 0; i < m.ranked.size(); ++i) {
    ASSERT_EQ(m.ranked[i].customer_id, whole.ranked[i].customer_id) << i;
    ASSERT_EQ(m.ranked[i].action, whole.ranked[i].action) << i;
    ASSERT_EQ(m.ranked[i].control, whole.ranked[i].control) << i;
  }
  for (std::size_t a = 0; a < c.actions.size(); ++a) {
    EXPECT_EQ(m.funnel[a].kept, whole.funnel[a].kept) << c.actions[a].name;
    EXPECT_EQ(m.funnel[a].control, whole.funnel[a].control) << c.actions[a].name;
    EXPECT_EQ(m.funnel[a].capacity, whole.funnel[a].capacity) << c.actions[a].name;
  }
}

TEST(HoldoutSweep, OptimiserGivesHeldOutMembersTheirOwnWalkOutsideEveryCapacity) {
  std::string t = file_text("rs1_opt.toml");
  t += "\n[holdout]\ncampaign = 0.15\n";
  const Campaign c = from_text(t);
  ASSERT_EQ(c.arbitration.mode, ArbitrationMode::Optimise);
  const Population pop = generate_rs1(kMembers, 22);
  const BoundCampaign b = BoundCampaign::bind(c, pop);
  SweepOptions so;
  so.top_k = SIZE_MAX;
  const optimise::ArbitratedSweep r = optimise::run_arbitrated_sweep(b, so);
  ASSERT_TRUE(r.optimise);
  const holdout::CampaignHoldout h(c);
  // Treated decisions respect every capacity; control decisions are exactly the held-out members'.
  std::vector<uint64_t> treated_on(c.channels.size(), 0);
  std::map<uint64_t, std::set<std::size_t>> control_of;
  uint64_t controls = 0;
  for (const Decision& d : r.sweep.ranked) {
    EXPECT_EQ(bool(d.control), h.member_held(d.customer_id)) << d.customer_id;
    if (d.control) control_of[d.customer_id].insert(d.action), ++controls;
    else ++treated_on[c.actions[d.action].channel];
  }
  for (std::size_t ch = 0; ch < c.channels.size(); ++ch)
    if (auto cap = capacity_for(c.channels[ch], pop.rows())) { EXPECT_LE(treated_on[ch], *cap) << c.channels[ch].name; }
  ASSERT_GT(controls, 0u);
  std::vector<uint64_t> per_action(c.actions.size(), 0);
  for (const Decision& d : r.sweep.ranked) per_action[d.action] += d.control;
  for (std::size_t a = 0; a < c.actions.size(); ++a) EXPECT_EQ(r.sweep.funnel[a].control, per_action[a]);
  // Their decisions are their own walk's: the greedy walk with no capacity anywhere.
  Campaign greedy = c;
  greedy.arbitration.mode = ArbitrationMode::Greedy;
  for (auto& ch : greedy.channels) ch.capacity.reset(), ch.capacity_share.reset();
  for (auto& a : greedy.actions) a.min_volume.reset(), a.max_volume.reset(), a.money_cost = 0;
  greedy.arbitration.money_budget.reset();
  const BoundCampaign gb = BoundCampaign::bind(greedy, pop);
  const SweepResult g = run_sweep(gb, so);
  std::map<uint64_t, std::set<std::size_t>> walk_of;
  for (const Decision& d : g.ranked)
    if (d.control) walk_of[d.customer_id].insert(d.action);
  EXPECT_EQ(control_of, walk_of);
}

TEST(HoldoutSweep, ExplainMarksAControlDecision) {
  Campaign c = load_campaign(test::source_dir() / "data/campaigns/rs1.toml");
  c.holdout.campaign = 0.5;
  const Population pop = generate_rs1(3'000, 24);
  const BoundCampaign b = BoundCampaign::bind(c, pop);
  const SweepResult all = run_sweep(b, {});
  const Decision* ctl = nullptr;
  for (const Decision& d : all.ranked)
    if (d.control) ctl = &d;
  ASSERT_NE(ctl, nullptr);
  SweepOptions o;
  o.trace_row = ctl->row;
  const SweepResult r = run_sweep(b, o);
  EXPECT_NE(format_explanation(b, r).find("as a CONTROL decision"), std::string::npos);
  const auto j = explanation_json(b, r);
  bool marked = false;
  for (const auto& a : j["actions"])
    if (a.contains("control")) marked = marked || a["control"].get<bool>();
  EXPECT_TRUE(marked);
}
