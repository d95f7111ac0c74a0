// RS-1 end to end: the whole sweep (triggers, gates, churn scores, budget
// walk, channel capacity, top-K) over an open snapshot of generated members,
// beside a plain streaming read of the same column bytes in the same run.
//
// Run (10M members by default; NUDGE_BENCH_MEMBERS overrides):
//   build/bench/sweep_bench --benchmark_counters_tabular=true
// Before timing, the sweep's output on a 200k-member population of the same
// generator is checked against the plain reference (tests/oracles/decide_reference.h),
// and the 10M run against itself on 1 thread; a mismatch aborts the benchmark.
// Counters: members/s (items), column bytes/s, the pass phases (thread
// seconds per sweep, wall-clock per thread), cpu_s = CPU seconds of all
// threads per sweep (what the sweep costs when no other process competes for
// the cores), and ratio_to_stream = sweep time / stream time.
#include <benchmark/benchmark.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <span>

#include "bench/stream_read/stream_read.h"
#include "bench/support/bench_env.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "tests/oracles/decide_reference.h"

namespace {

using namespace nudge;
using bench::process_cpu_seconds;
using namespace nudge::decide;

std::filesystem::path campaign_path() { return std::filesystem::path(NUDGE_SOURCE_DIR) / "data/campaigns/rs1.toml"; }

[[noreturn]] void die(const std::string& m) { bench::die("sweep_bench", m); }

bool same(const SweepResult& a, const SweepResult& b) {
  if (a.ranked.size() != b.ranked.size()) return false;
  for (std::size_t i = 0; i < a.ranked.size(); ++i)
    if (a.ranked[i].customer_id != b.ranked[i].customer_id || a.ranked[i].action != b.ranked[i].action ||
        a.ranked[i].priority != b.ranked[i].priority)
      return false;
  return true;
}

// The sweep equals the reference on a smaller population of the same generator.
void check_against_reference(const Campaign& c) {
  Population pop = generate_rs1(200'000, 42);
  BoundCampaign b = BoundCampaign::bind(c, pop);
  SweepResult r = run_sweep(b, {});
  test::RefResult ref = test::reference_sweep(c, pop, b.model(), c.top_k);
  if (r.ranked.size() != ref.ranked.size()) die("sweep and reference disagree on the number of decisions");
  for (std::size_t i = 0; i < r.ranked.size(); ++i)
    if (r.ranked[i].customer_id != ref.ranked[i].customer_id || r.ranked[i].action != ref.ranked[i].action ||
        r.ranked[i].priority != ref.ranked[i].priority)
      die("sweep and reference disagree at rank " + std::to_string(i + 1));
}

struct Fixture {
  Campaign campaign;
  Population pop;
  std::unique_ptr<BoundCampaign> bound;
  std::vector<std::span<const uint64_t>> regions;  // the bytes of every column the sweep reads
  std::size_t bytes = 0;
  SweepResult expected;  // 1-thread answer

  Fixture() : campaign(load_campaign(campaign_path())) {
    check_against_reference(campaign);
    pop = bench::rs1_snapshot(bench::bench_members());
    bound = std::make_unique<BoundCampaign>(BoundCampaign::bind(campaign, pop));
    for (std::size_t i : bound->columns_read()) {
      const Column& c = pop.column(i);
      regions.push_back({c.values_buffer().as<uint64_t>(), c.values_buffer().size() / 8});
      bytes += c.values_buffer().size();
      if (c.has_validity()) {
        regions.push_back({c.validity_buffer().as<uint64_t>(), c.validity_buffer().size() / 8});
        bytes += c.validity_buffer().size();
      }
    }
    tbb::task_arena one(1);
    one.execute([&] { expected = run_sweep(*bound, {}); });
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

double stream_seconds(const Fixture& f, int threads) {
  tbb::task_arena arena(threads);
  double best = 1e9;
  for (int i = 0; i < 5; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    arena.execute([&] { benchmark::DoNotOptimize(stream_sum_parallel(f.regions)); });
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

void BM_Rs1Sweep(benchmark::State& state) {
  Fixture& f = fixture();
  const int threads = static_cast<int>(state.range(0));
  tbb::task_arena arena(threads);
  SweepResult r;
  arena.execute([&] { r = run_sweep(*f.bound, {}); });
  if (!same(r, f.expected)) die("the sweep on " + std::to_string(threads) + " threads differs from 1 thread");
  const double stream = stream_seconds(f, threads);
  double total = 0, cpu = 0, eval = 0, gates = 0, score = 0, walk = 0, rank = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    const double c0 = process_cpu_seconds();
    arena.execute([&] { r = run_sweep(*f.bound, {}); });
    cpu += process_cpu_seconds() - c0;
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    eval += r.times.evaluate_cpu, gates += r.times.gates_cpu, score += r.times.score_cpu, walk += r.times.walk_cpu;
    rank += r.times.rank_wall;
    benchmark::DoNotOptimize(r.ranked.data());
  }
  const double it = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
  state.counters["evaluate_s"] = eval / it;
  state.counters["gates_s"] = gates / it;
  state.counters["score_s"] = score / it;
  state.counters["walk_s"] = walk / it;
  state.counters["rank_s"] = rank / it;
  state.counters["stream_s"] = stream;
  state.counters["cpu_s"] = cpu / it;  // all threads' CPU seconds per sweep
  state.counters["ratio_to_stream"] = total / it / stream;
  state.counters["decisions"] = static_cast<double>(r.decisions);
}
BENCHMARK(BM_Rs1Sweep)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2.0);

// The baseline: the same column bytes read once (bench/stream_read/stream_read.h).
void BM_StreamSameColumns(benchmark::State& state) {
  Fixture& f = fixture();
  tbb::task_arena arena(static_cast<int>(state.range(0)));
  for (auto _ : state) arena.execute([&] { benchmark::DoNotOptimize(stream_sum_parallel(f.regions)); });
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
}
BENCHMARK(BM_StreamSameColumns)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
