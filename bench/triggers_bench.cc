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

#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "bench/stream_read/stream_read.h"
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

std::vector<nudge::expr::Source> chosen() {
  const char* env = std::getenv("NUDGE_TRIGGERS");
  if (!env) return rs1_triggers();
  std::vector<nudge::expr::Source> r;
  for (const char* p = env; *p; ++p)
    if (*p >= '0' && *p <= '9') r.push_back(rs1_triggers()[*p - '0']);
  return r;
}

std::size_t members() {
  const char* env = std::getenv("NUDGE_BENCH_MEMBERS");
  return env ? std::strtoull(env, nullptr, 10) : 10'000'000;
}

struct Fixture {
  nudge::Population pop;
  nudge::expr::CompiledSet set;
  std::vector<std::span<const uint64_t>> regions;  // the column bytes the set reads
  std::size_t bytes = 0;
  std::vector<std::size_t> counts;  // members selected per trigger
  std::string error;                // non-empty when the check failed

  Fixture() : pop(nudge::generate_rs1(members(), 42)), set(nudge::expr::CompiledSet::compile(pop, chosen())) {
    for (std::size_t c : set.columns_read()) {
      const nudge::Column& col = pop.column(c);
      regions.emplace_back(col.values_buffer().as<uint64_t>(), col.values_buffer().size() / 8);
      if (col.has_validity()) regions.emplace_back(col.validity(), col.validity_buffer().size() / 8);
    }
    for (auto& r : regions) bytes += r.size() * 8;
    check();
  }

  // Selections equal the reference on every 101st row; counts are recorded.
  void check() {
    auto bits = nudge::expr::select_all(pop, set);
    for (std::size_t i = 0; i < bits.size(); ++i) {
      std::size_t n = 0;
      for (uint64_t w : bits[i]) n += static_cast<std::size_t>(__builtin_popcountll(w));
      counts.push_back(n);
      for (std::size_t r = 0; r < pop.rows(); r += 101) {
        bool fast = (bits[i][r / 64] >> (r % 64)) & 1;
        if (fast != (set.reference_predicate(pop, i, r) == 1))
          error = "trigger " + rs1_triggers()[i].origin + " differs from the reference on row " + std::to_string(r);
      }
    }
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_Rs1TriggersOnePass(benchmark::State& state) {
  Fixture& f = fixture();
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  auto isa = static_cast<nudge::simd::Isa>(state.range(0));
  if (!nudge::simd::cpu_supports(isa)) return state.SkipWithError("instruction set not supported here");
  nudge::simd::ScopedIsa scoped(isa);
  std::size_t selected = 0;
  for (auto _ : state) {
    auto bits = nudge::expr::select_all(f.pop, f.set);
    benchmark::DoNotOptimize(bits.data());
    selected = bits.size();
  }
  state.SetLabel(std::string(nudge::simd::isa_name(isa)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
  state.counters["triggers"] = static_cast<double>(selected);
  state.counters["column_MB"] = static_cast<double>(f.bytes) / 1e6;
  for (std::size_t i = 0; i < f.counts.size(); ++i)
    state.counters["t" + std::to_string(i) + "_pct"] =
        100.0 * static_cast<double>(f.counts[i]) / static_cast<double>(f.pop.rows());
}

// What the sweep does: evaluate() per batch from its own parallel loop, one
// Workspace per thread; here it only counts the selected members.
void BM_Rs1TriggersEvaluateAndCount(benchmark::State& state) {
  Fixture& f = fixture();
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
  Fixture& f = fixture();
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
  Fixture& f = fixture();
  for (auto _ : state)
    for (auto& r : f.regions) benchmark::DoNotOptimize(nudge::stream_sum(r.data(), r.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
}

void BM_StreamReadSameColumns(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) benchmark::DoNotOptimize(nudge::stream_sum_parallel(f.regions));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
  state.counters["column_MB"] = static_cast<double>(f.bytes) / 1e6;
}

}  // namespace

BENCHMARK(BM_StreamReadSameColumns)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->MinTime(1.0);
BENCHMARK(BM_StreamReadOneThread)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_Rs1TriggersOneThread)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_Rs1TriggersEvaluateAndCount)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->MinTime(1.0);
BENCHMARK(BM_Rs1TriggersOnePass)
    ->Arg(static_cast<int>(nudge::simd::Isa::Avx512))
    ->Arg(static_cast<int>(nudge::simd::Isa::Avx2))
    ->Arg(static_cast<int>(nudge::simd::Isa::Sse42))
    ->Arg(static_cast<int>(nudge::simd::Isa::Scalar))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->MinTime(1.0);
