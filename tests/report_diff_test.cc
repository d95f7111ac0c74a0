// `nudge diff` (engine/report/diff.h): the same campaign against itself
// changes nothing; a larger basket only adds contacts and spends more points;
// counts agree with two plain sweeps; movers come with reasons.
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <cmath>
#include <map>
#include <optional>
#include <regex>
#include <tuple>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/expr/program.h"
#include "engine/report/diff.h"
#include "io/gen/rs1_generator.h"
#include "tests/support/sweep_compare.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {
decide::Campaign rs1() { return decide::load_campaign(test::source_dir() / "data/campaigns/rs1.toml"); }
}  // namespace

TEST(ReportDiff, SameCampaignChangesNothing) {
  Population pop = generate_rs1(20'000, 5);
  const auto c = rs1();
  const auto a = decide::BoundCampaign::bind(c, pop), b = decide::BoundCampaign::bind(c, pop);
  const auto d = report::diff_campaigns(a, b, {});
  EXPECT_EQ(d.gain + d.lose + d.change, 0u);
  EXPECT_GT(d.same, 0u);
  EXPECT_EQ(d.a_points, d.b_points);
  for (const auto& x : d.actions) EXPECT_EQ(x.a, x.b);
  EXPECT_TRUE(d.movers.empty());
}

TEST(ReportDiff, BiggerBasketAddsContactsAndCountsMatchPlainSweeps) {
  Population pop = generate_rs1(20'000, 6);
  auto ca = rs1(), cb = rs1();
  cb.basket.points_per_period = 30;
  cb.actions.push_back(cb.actions[3]);  // a new action: a copy of birthday under another name
  cb.actions.back().name = "birthday_again";
  const auto a = decide::BoundCampaign::bind(ca, pop), b = decide::BoundCampaign::bind(cb, pop);
  report::DiffOptions o;
  o.movers = 3;
  const auto d = report::diff_campaigns(a, b, o);
  decide::SweepOptions all;
  all.top_k = SIZE_MAX;
  const auto ra = decide::run_sweep(a, all), rb = decide::run_sweep(b, all);
  EXPECT_EQ(d.actions.size(), ca.actions.size() + 1);
  for (std::size_t i = 0; i < ca.actions.size(); ++i) {
    EXPECT_EQ(d.actions[i].a, ra.funnel[i].kept);
    EXPECT_EQ(d.actions[i].b, rb.funnel[i].kept);
  }
  EXPECT_EQ(d.actions.back().name, "birthday_again");
  EXPECT_EQ(d.actions.back().a, 0u);
  EXPECT_EQ(d.actions.back().b, rb.funnel.back().kept);
  EXPECT_GT(d.gain + d.change, 0u);
  EXPECT_GT(d.b_points, d.a_points);
  uint64_t a_total = 0;
  for (const auto& x : d.channels) a_total += x.a;
  EXPECT_EQ(a_total, ra.decisions);
  EXPECT_EQ(d.a_budget.members, 20'000u);
  EXPECT_LE(d.a_budget.q[0], d.a_budget.q[2]);
  ASSERT_EQ(d.movers.size(), 3u);
  for (const auto& m : d.movers) {
    EXPECT_NE(m.a_actions, m.b_actions);
    EXPECT_FALSE(m.b_reason.empty());
    EXPECT_TRUE(std::regex_search(m.b_reason, std::regex("kept|budget|capacity|per-member")));
  }
  const auto j = report::diff_json(d);
  EXPECT_EQ(j["members_gain"], d.gain);
  EXPECT_NE(report::format_diff(d).find("birthday_again"), std::string::npos);
}

// run_sweeps (one pass over the population, both campaigns per batch) equals
// two separate run_sweep calls, on 1 and 2 threads, with capacities, top-K,
// holdouts and a traced row; the diff's counts and points equal the
// separate sweeps'.
TEST(ReportDiff, OnePassOverBothCampaignsEqualsTwoSeparateSweeps) {
  // 3 batches and a part (not a whole number of batches).
  const std::size_t n = 3 * expr::kBatchRows + 77 > 20'000 ? 3 * expr::kBatchRows + 77 : 20'003;
  Population pop = generate_rs1(n, 8);
  auto ca = rs1(), cb = rs1();
  ca.holdout.campaign = 0.05;
  ca.actions[0].holdout = 0.2;
  cb.basket.points_per_period = 30;
  for (auto& ch : cb.channels)
    if (ch.capacity) *ch.capacity += 40;
  cb.top_k = 900;
  const auto a = decide::BoundCampaign::bind(ca, pop), b = decide::BoundCampaign::bind(cb, pop);
  decide::SweepOptions oa, ob;
  oa.top_k = SIZE_MAX;
  oa.trace_row = 17;
  ob.trace_row = n - 2;
  for (int threads : {1, 2}) {
    tbb::task_arena(threads).execute([&] {
      const auto both = decide::run_sweeps({&a, &b}, {oa, ob});
      ASSERT_EQ(both.size(), 2u);
      test::expect_same_sweep(both[0], decide::run_sweep(a, oa), "A, " + std::to_string(threads) + " threads");
      test::expect_same_sweep(both[1], decide::run_sweep(b, ob), "B, " + std::to_string(threads) + " threads");
      // The diff (one pass) against plain separate sweeps.
      report::DiffOptions o;
      o.movers = 2;
      const auto d = report::diff_campaigns(a, b, o);
      decide::SweepOptions all;
      all.top_k = SIZE_MAX;
      const auto ra = decide::run_sweep(a, all), rb = decide::run_sweep(b, all);
      double pa = 0, pb = 0;
      for (const auto& x : ra.ranked) pa += x.control ? 0 : ca.cost(ca.actions[x.action]);
      for (const auto& x : rb.ranked) pb += x.control ? 0 : cb.cost(cb.actions[x.action]);
      EXPECT_EQ(d.a_points, pa);
      EXPECT_EQ(d.b_points, pb);
      for (std::size_t i = 0; i < ca.actions.size(); ++i) {
        EXPECT_EQ(d.actions[i].a, ra.funnel[i].kept);
        EXPECT_EQ(d.actions[i].a_control, ra.funnel[i].control);
        EXPECT_EQ(d.actions[i].b, rb.funnel[i].kept);
      }
    });
  }
  EXPECT_THROW(decide::run_sweeps({&a}, {oa, ob}), Error);
}

// Third attack, finding 3: a channel capacity from capacity_share showed as "-" / null.
TEST(ReportDiff, CapacityShareIsShownAsTheComputedCapacity) {
  Population pop = generate_rs1(20'000, 42);
  const auto ca = decide::load_campaign(test::source_dir() / "data/campaigns/rs1_opt.toml");
  const auto cb = rs1();
  const auto a = decide::BoundCampaign::bind(ca, pop), b = decide::BoundCampaign::bind(cb, pop);
  const auto d = report::diff_campaigns(a, b, {});
  std::map<std::string, std::pair<std::optional<uint64_t>, std::optional<uint64_t>>> caps;
  for (const auto& x : d.channels) caps[x.name] = {x.a_capacity, x.b_capacity};
  // floor(share x 20000): email 0.06 -> 1200, sms 0.004 -> 80, call 0.002 -> 40; RS-1's call capacity 5000.
  EXPECT_EQ(caps["email"].first, std::optional<uint64_t>(1200));
  EXPECT_EQ(caps["sms"].first, std::optional<uint64_t>(80));
  EXPECT_EQ(caps["call"].first, std::optional<uint64_t>(40));
  EXPECT_EQ(caps["call"].second, std::optional<uint64_t>(5000));
  EXPECT_EQ(caps["email"].second, std::nullopt);
}
