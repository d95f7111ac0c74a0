// RS-1's ten triggers (../shared/WORKLOAD.md) compiled as one CompiledSet and
// evaluated over a generated RS-1 population in one pass (select_all), beside
// the memory-bandwidth baseline: stream_sum_parallel over exactly the column
// bytes the triggers read (values and validity bitmaps), in the same run.
//
// Reports items/s = members per second and bytes/s = column bytes read per
// second. Before timing, each trigger's selection is checked against the
// reference evaluator on a sample of rows and against its count.
//
// Run (figures in bench/README.md):
//   build/bench/triggers_bench --benchmark_counters_tabular=true
// Members: NUDGE_BENCH_MEMBERS (default 10,000,000). "CPU" is the process's
// CPU time over all threads (robust when the machine is shared; wall time is
// "Time").
#include <benchmark/benchmark.h>
#include <tbb/blocked_range.h>
#include <tbb/combinable.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <span>
#include <string>
#include <vector>

#include "bench/stream_read/stream_read.h"
#include "bench/support/trigger_fixture.h"
#include "engine/base/simd.h"
#include "engine/expr/program.h"
#include "io/gen/rs1_generator.h"

namespace {

const std::vector<nudge::expr::Source>& rs1_triggers() {
  static const std::vector<nudge::expr::Source> t = {
      {"flights_prev_3m >= 4 AND flights_3m < 0.5 * flights_prev_3m AND tier IN ('Star', 'Nova')", "defection_call"},
      {"flights_prev_3m >= 2 AND flights_3m < 0.5 * flights_prev_3m", "defection_email"},
      {"points_to_next_tier > 0 AND points_to_next_tier <= 2000", "tier_nudge"},
      {"days_to_birthday <= 14", "birthday"},
      {"days_since_last_flight > 180 AND clv > 5000", "winback_mail"},
      {"days_since_last_flight > 120 AND days_since_last_flight <= 180", "winback_sms"},
      {"points_balance > 10000 AND days_since_last_flight > 300", "points_expiry"},
      {"complaints_12m >= 2", "complaint_followup"},
      {"opens_90d = 0 AND flights_12m >= 6", "engagement_push"},
      {"tier = 'Star' AND distance_12m > 50000 AND salary > 90000", "premium_upsell"},
  };
  return t;
}

nudge::bench::TriggerFixture& fixture() {
  static nudge::bench::TriggerFixture f(nudge::generate_rs1(nudge::bench::bench_members(), 42),
                                        nudge::bench::chosen_triggers(rs1_triggers()));
  return f;
}

// What the sweep does: evaluate() per batch from its own parallel loop, one
// Workspace per thread; here it only counts the selected members.
void BM_Rs1TriggersEvaluateAndCount(benchmark::State& state) {
  nudge::bench::TriggerFixture& f = fixture();
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  const std::size_t rows = f.pop.rows(), batches = (rows + nudge::expr::kBatchRows - 1) / nudge::expr::kBatchRows;
  tbb::enumerable_thread_specific<nudge::expr::Workspace> workspaces;
  for (auto _ : state) {
    tbb::combinable<std::vector<std::size_t>> counts([&] { return std::vector<std::size_t>(f.counts.size()); });
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batches, 4), [&](const tbb::blocked_range<std::size_t>& r) {
      auto& ws = workspaces.local();
      auto& n = counts.local();
      for (std::size_t b = r.begin(); b != r.end(); ++b) {
        const std::size_t begin = b * nudge::expr::kBatchRows;
        const std::size_t count = std::min(nudge::expr::kBatchRows, rows - begin);
        f.set.evaluate(f.pop, begin, count, ws);
        for (std::size_t i = 0; i < n.size(); ++i)
          for (std::size_t w = 0; w < (count + 63) / 64; ++w)
            n[i] += static_cast<std::size_t>(__builtin_popcountll(ws.predicate_bits(i)[w]));
      }
    });
    auto total = counts.combine([](auto a, const auto& b) {
      for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
      return a;
    });
    if (total != f.counts) return state.SkipWithError("counts differ from select_all");
  }
  state.SetLabel(std::string(nudge::simd::isa_name(nudge::simd::active_isa())));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
}

// One thread, evaluate() over every batch: CPU cost per member without any
// scheduling (the "CPU" column is this thread's time).
void BM_Rs1TriggersOneThread(benchmark::State& state) {
  nudge::bench::TriggerFixture& f = fixture();
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  nudge::expr::Workspace ws;
  const std::size_t rows = f.pop.rows();
  for (auto _ : state) {
    std::size_t n = 0;
    for (std::size_t begin = 0; begin < rows; begin += nudge::expr::kBatchRows) {
      f.set.evaluate(f.pop, begin, std::min(nudge::expr::kBatchRows, rows - begin), ws);
      n += ws.predicate_bits(0)[0];
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
}

void BM_StreamReadOneThread(benchmark::State& state) {
  nudge::bench::TriggerFixture& f = fixture();
  for (auto _ : state)
    for (auto& r : f.regions) benchmark::DoNotOptimize(nudge::stream_sum(r.data(), r.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
}

const bool registered = nudge::bench::register_trigger_benchmarks("BM_Rs1TriggersOnePass", fixture);

}  // namespace

BENCHMARK(BM_StreamReadOneThread)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_Rs1TriggersOneThread)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_Rs1TriggersEvaluateAndCount)->Apply([](benchmark::internal::Benchmark* b) {
  nudge::bench::parallel_timing(b);
});
