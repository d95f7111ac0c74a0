// RS-1 with [arbitration] mode = "optimise" (engine/optimise) against the
// greedy sweep (mode "greedy", RS-1's rule) on the same open snapshot, in the
// same run, on the same threads: the budget is optimise <= 5x greedy.
//
// Run (10M members by default; NUDGE_BENCH_MEMBERS overrides):
//   build/bench/optimise_bench --benchmark_counters_tabular=true
// The snapshot is sweep_bench's (/tmp/nudge_sweep_bench_<members>.snap,
// generated with seed 42 if absent). Before timing, the optimised answer on
// 2 threads is checked against 1 thread; a mismatch aborts the benchmark.
// Counters (per run): passes, pass_s (wall per price pass), sweep_s (the
// sweep that also keeps every member's candidates), greedy_s (the greedy
// baseline from the store), prices_s, repair_s, output_s, gain_pct (objective
// over greedy), gap_pct (to the dual bound); BM_Rs1Optimise's ratio_to_greedy
// = its wall time / BM_Rs1Greedy's (measured first, same threads), and
// cpu_ratio_to_greedy the same for the CPU seconds of all threads (cpu_s).
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "bench/support/bench_env.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/optimise/optimise.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"

namespace {

using namespace nudge;
using bench::process_cpu_seconds;
using namespace nudge::decide;

[[noreturn]] void die(const std::string& m) { bench::die("optimise_bench", m); }

Campaign rs1(bool optimise) {
  const auto dir = std::filesystem::path(NUDGE_SOURCE_DIR) / "data/campaigns";
  std::ifstream in(dir / "rs1.toml");
  std::stringstream s;
  s << in.rdbuf();
  return parse_campaign(s.str() + (optimise ? "\n[arbitration]\nmode = \"optimise\"\n" : ""), "rs1.toml", dir);
}

struct Fixture {
  Campaign greedy = rs1(false), optimise = rs1(true);
  Population pop;
  std::unique_ptr<BoundCampaign> bound_greedy, bound_optimise;
  optimise::ArbitratedSweep expected;  // 1 thread
  std::map<int, double> greedy_seconds, greedy_cpu;

  Fixture() {
    pop = bench::rs1_snapshot(bench::bench_members());
    bound_greedy = std::make_unique<BoundCampaign>(BoundCampaign::bind(greedy, pop));
    bound_optimise = std::make_unique<BoundCampaign>(BoundCampaign::bind(optimise, pop));
    tbb::task_arena one(1);
    one.execute([&] { expected = optimise::run_arbitrated_sweep(*bound_optimise, {}); });
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void BM_Rs1Greedy(benchmark::State& state) {
  Fixture& f = fixture();
  const int threads = static_cast<int>(state.range(0));
  tbb::task_arena arena(threads);
  double total = 0, cpu = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = process_cpu_seconds();
    SweepResult r;
    arena.execute([&] { r = run_sweep(*f.bound_greedy, {}); });
    cpu += process_cpu_seconds() - c0;
    total += seconds_since(t0);
    benchmark::DoNotOptimize(r.ranked.data());
  }
  f.greedy_seconds[threads] = total / static_cast<double>(state.iterations());
  f.greedy_cpu[threads] = cpu / static_cast<double>(state.iterations());
  state.counters["cpu_s"] = f.greedy_cpu[threads];
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
}
BENCHMARK(BM_Rs1Greedy)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

void BM_Rs1Optimise(benchmark::State& state) {
  Fixture& f = fixture();
  const int threads = static_cast<int>(state.range(0));
  tbb::task_arena arena(threads);
  optimise::ArbitratedSweep r;
  arena.execute([&] { r = optimise::run_arbitrated_sweep(*f.bound_optimise, {}); });
  if (r.sweep.ranked.size() != f.expected.sweep.ranked.size() ||
      r.optimise->objective != f.expected.optimise->objective)
    die("the optimised sweep on " + std::to_string(threads) + " threads differs from 1 thread");
  for (std::size_t i = 0; i < r.sweep.ranked.size(); ++i)
    if (r.sweep.ranked[i].customer_id != f.expected.sweep.ranked[i].customer_id ||
        r.sweep.ranked[i].action != f.expected.sweep.ranked[i].action)
      die("the optimised decisions on " + std::to_string(threads) + " threads differ from 1 thread");
  double total = 0, cpu = 0, sweep = 0, greedy = 0, prices = 0, repair = 0, output = 0, pass = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = process_cpu_seconds();
    arena.execute([&] { r = optimise::run_arbitrated_sweep(*f.bound_optimise, {}); });
    cpu += process_cpu_seconds() - c0;
    total += seconds_since(t0);
    const auto& o = *r.optimise;
    sweep += o.sweep_seconds, greedy += o.greedy_seconds, prices += o.price_seconds;
    repair += o.repair_seconds, output += o.output_seconds;
    double p = 0;
    for (double s : o.pass_seconds) p += s;
    pass += p / static_cast<double>(std::max<std::size_t>(1, o.pass_seconds.size()));
    benchmark::DoNotOptimize(r.sweep.ranked.data());
  }
  const double it = static_cast<double>(state.iterations());
  const auto& o = *r.optimise;
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
  state.counters["passes"] = static_cast<double>(o.passes);
  state.counters["pass_s"] = pass / it;
  state.counters["sweep_s"] = sweep / it;
  state.counters["greedy_s"] = greedy / it;
  state.counters["prices_s"] = prices / it;
  state.counters["repair_s"] = repair / it;
  state.counters["output_s"] = output / it;
  state.counters["gain_pct"] = 100.0 * (o.objective - o.greedy_objective) / o.greedy_objective;
  state.counters["gap_pct"] = 100.0 * (o.dual_bound - o.objective) / o.dual_bound;
  state.counters["cpu_s"] = cpu / it;
  if (f.greedy_seconds.count(threads)) {
    state.counters["ratio_to_greedy"] = total / it / f.greedy_seconds[threads];
    state.counters["cpu_ratio_to_greedy"] = cpu / it / f.greedy_cpu[threads];
  }
}
BENCHMARK(BM_Rs1Optimise)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

}  // namespace
