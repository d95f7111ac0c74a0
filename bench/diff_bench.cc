// `nudge diff`'s pass: RS-1 (A) and RS-1 with a 30-point basket (B, every
// trigger and the suppression rule the same: the usual what-if) swept
// together by decide::run_sweeps with no top-K, as report::diff_campaigns
// does, over an open snapshot of generated members.
//
// Run (10M members by default; NUDGE_BENCH_MEMBERS overrides):
//   build/release/bench/diff_bench --benchmark_counters_tabular=true
// Arguments: shared/threads.
//   shared 0: B bound to a second opening of the same snapshot (another
//             Population object), so each campaign evaluates its own
//             expressions (what run_sweeps did before it shared them);
//   shared 1: B bound to A's population: B's 11 expressions evaluated once
//             for both (engine/decide/shared_expressions.h).
// Before timing, the two ways are checked to give the same decisions and
// funnels; a mismatch aborts the benchmark. Counters: evaluate_s = A's + B's
// expression thread-seconds per pass (B's: copying the shared results),
// pass_s = the pass's wall time, cpu_s = CPU seconds of all threads per
// run_sweeps (pass and ranking), shared = B's expressions evaluated once.
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "bench/support/bench_env.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"

namespace {

using namespace nudge;
using namespace nudge::decide;

[[noreturn]] void die(const std::string& m) { bench::die("diff_bench", m); }

bool same(const SweepResult& x, const SweepResult& y) {
  if (x.ranked.size() != y.ranked.size() || x.funnel.size() != y.funnel.size()) return false;
  for (std::size_t i = 0; i < x.ranked.size(); ++i)
    if (x.ranked[i].customer_id != y.ranked[i].customer_id || x.ranked[i].action != y.ranked[i].action ||
        x.ranked[i].priority != y.ranked[i].priority)
      return false;
  for (std::size_t a = 0; a < x.funnel.size(); ++a)
    if (x.funnel[a].fired != y.funnel[a].fired || x.funnel[a].kept != y.funnel[a].kept) return false;
  return true;
}

struct Fixture {
  Campaign a_campaign, b_campaign;
  Population pop, other;  // the same snapshot opened twice
  std::unique_ptr<BoundCampaign> a, b_shared, b_apart;
  std::vector<SweepOptions> options;

  Fixture()
      : a_campaign(load_campaign(std::filesystem::path(NUDGE_SOURCE_DIR) / "data/campaigns/rs1.toml")),
        b_campaign(a_campaign) {
    b_campaign.basket.points_per_period = 30;
    pop = bench::rs1_snapshot(bench::bench_members());
    other = bench::rs1_snapshot(bench::bench_members());
    a = std::make_unique<BoundCampaign>(BoundCampaign::bind(a_campaign, pop));
    b_shared = std::make_unique<BoundCampaign>(BoundCampaign::bind(b_campaign, pop));
    b_apart = std::make_unique<BoundCampaign>(BoundCampaign::bind(b_campaign, other));
    options.resize(2);
    for (auto& o : options) o.top_k = SIZE_MAX;
    const auto x = run_sweeps({a.get(), b_shared.get()}, options);
    const auto y = run_sweeps({a.get(), b_apart.get()}, options);
    if (x[1].expressions_shared != x[1].expressions || y[1].expressions_shared != 0)
      die("expected B's expressions all shared on one population, none on two");
    if (!same(x[0], y[0]) || !same(x[1], y[1])) die("shared and unshared expressions give different sweeps");
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_Rs1DiffPass(benchmark::State& state) {
  Fixture& f = fixture();
  const bool shared = state.range(0) != 0;
  tbb::task_arena arena(static_cast<int>(state.range(1)));
  const std::vector<const BoundCampaign*> bounds = {f.a.get(), shared ? f.b_shared.get() : f.b_apart.get()};
  std::vector<SweepResult> r;
  double cpu = 0, eval = 0, pass = 0;
  for (auto _ : state) {
    const double c0 = bench::process_cpu_seconds();
    arena.execute([&] { r = run_sweeps(bounds, f.options); });
    cpu += bench::process_cpu_seconds() - c0;
    eval += r[0].times.evaluate_cpu + r[1].times.evaluate_cpu;
    pass += r[0].times.pass_wall;
    benchmark::DoNotOptimize(r[1].ranked.data());
  }
  const double it = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
  state.counters["evaluate_s"] = eval / it;
  state.counters["pass_s"] = pass / it;
  state.counters["cpu_s"] = cpu / it;
  state.counters["shared"] = static_cast<double>(r[1].expressions_shared);
}
BENCHMARK(BM_Rs1DiffPass)
    ->ArgNames({"shared", "threads"})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Args({0, 2})
    ->Args({1, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace
