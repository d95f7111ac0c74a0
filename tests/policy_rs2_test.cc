// RS-2: data/campaigns/rs2.toml swept with a generated adversarial history
// (io/gen/rs2_generator.h) equals the row-by-row reference of WORKLOAD.md
// (tests/oracles/rs2_reference.h) decision for decision, for every
// instruction set, 1 and 2 threads (and the build's batch size: 2048, or 64
// in the ASan build).
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include "engine/base/simd.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/history/history.h"
#include "engine/policy/history_policy.h"
#include "io/gen/rs2_generator.h"
#include "tests/oracles/rs2_reference.h"
#include "tests/support/rs_fixture.h"

namespace nudge {
namespace {

using decide::BoundCampaign;
using test::history_of;

decide::SweepResult sweep(const BoundCampaign& b, const policy::HistoryPolicy& hp, int threads) {
  tbb::task_arena arena(threads);
  decide::SweepResult r;
  decide::SweepOptions opt;
  opt.inputs = &hp;
  arena.execute([&] { r = decide::run_sweep(b, opt); });
  return r;
}

TEST(PolicyRs2, SweepEqualsRowByRowReferenceForEveryIsaAndThreadCount) {
  const int32_t D = rs2_as_of();
  // 20000 members: scale the call capacity and top-K down with the
  // population so that both cuts bind, as RS-1's do at 1M.
  const Rs2Data d = generate_rs2(20000, 5, D);
  auto campaign = decide::load_campaign(std::string(NUDGE_SOURCE_DIR) + "/data/campaigns/rs2.toml");
  for (auto& ch : campaign.channels)
    if (ch.name == "call") ch.capacity = 100;
  campaign.top_k = 2000;
  const history::History h = history_of(d);
  policy::HistoryPolicy hp(campaign, d.population, h, D);
  const auto bound = BoundCampaign::bind(campaign, hp.population());
  const auto ref = test::rs2_reference(
      d, D, [&](std::size_t row) { return bound.model_definition() ? bound.model()->reference_score(row) : 0.0; }, 100,
      2000);
  ASSERT_EQ(ref.ranked.size(), 2000u);
  EXPECT_EQ(h.count_skipped(D).total(), ref.skipped_responses);
  for (auto isa : simd::supported_isas()) {
    SCOPED_TRACE(std::string(simd::isa_name(isa)));
    simd::ScopedIsa scoped(isa);
    for (int threads : {1, 2}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      const auto r = sweep(bound, hp, threads);
      // Every history policy stops someone, so the comparison covers them all.
      uint64_t capped = 0, suppressed = 0, consent = 0, budget = 0, capacity = 0;
      for (const auto& f : r.funnel)
        capped += f.frequency_cap, suppressed += f.suppression, consent += f.consent, budget += f.budget,
            capacity += f.capacity;
      EXPECT_GT(capped, 100u);
      EXPECT_GT(suppressed, 20u);
      EXPECT_GT(budget, 100u);
      EXPECT_GT(capacity, 0u);
      EXPECT_GT(consent, 0u);
      ASSERT_NO_FATAL_FAILURE(test::expect_same_ranking(campaign, r.ranked, ref.ranked));
    }
  }
}

}  // namespace
}  // namespace nudge
