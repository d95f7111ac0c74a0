// `nudge diff` (engine/report/diff.h): the same campaign against itself
// changes nothing; a larger basket only adds contacts and spends more points;
// counts agree with two plain sweeps; movers come with reasons.
#include <gtest/gtest.h>

#include <regex>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/report/diff.h"
#include "io/gen/rs1_generator.h"
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
