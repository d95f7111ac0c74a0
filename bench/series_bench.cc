// RS-1-like triggers written with windowed aggregates over a 24-month
// activity series (engine/expr/window_functions.h), compiled as one
// CompiledSet and evaluated over 10M members in one pass (select_all), beside
// the memory-bandwidth baseline: stream_sum_parallel over exactly the column
// bytes the triggers read (24 int32 bucket columns + tier + clv), same run.
//
// The population is synthetic and deterministic (a hash per member and
// bucket): 20 % never fly, the rest fly 0..k times a month with a per-member
// k (1..9), and an eighth of them stop, another eighth halve, in the last 3
// months. Before timing, each trigger's
// selection is checked against the reference evaluator on every 101st row.
//
// Reports items/s = members per second and bytes/s = column bytes read per
// second. Run (figures in bench/README.md, "Activity series"):
//   build/bench/series_bench --benchmark_counters_tabular=true
// Members: NUDGE_BENCH_MEMBERS (default 10,000,000); NUDGE_TRIGGERS=025 runs
// only triggers 0, 2 and 5.
#include <benchmark/benchmark.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "bench/stream_read/stream_read.h"
#include "engine/base/simd.h"
#include "engine/expr/program.h"

namespace {

constexpr std::size_t kBuckets = 24;

const std::vector<nudge::expr::Source>& triggers() {
  static const std::vector<nudge::expr::Source> t = {
      {"sum(flights, months 4 to 6 ago) >= 4 AND sum(flights, last 3 months) < 0.5 * sum(flights, months 4 to 6 ago) "
       "AND tier IN ('Star', 'Nova')",
       "defection_call"},
      {"sum(flights, months 4 to 6 ago) >= 2 AND sum(flights, last 3 months) < 0.5 * sum(flights, months 4 to 6 ago)",
       "defection_email"},
      {"last_active(flights, last 24 months) >= 6 AND clv > 5000", "winback_mail"},
      {"last_active(flights, last 24 months) BETWEEN 4 AND 5", "winback_sms"},
      {"sum(flights, last 12 months) >= 6 AND count(flights, last 3 months) = 0", "engagement_push"},
      {"trend(flights, last 6 months) < -0.5 AND sum(flights, last 12 months) >= 4", "falling_trend"},
      {"max(flights, last 12 months) >= 8 AND tier = 'Aurora'", "tier_upgrade"},
      {"avg(flights, last 24 months) > 2 AND min(flights, last 3 months) = 0", "gap_in_habit"},
  };
  return t;
}

// NUDGE_TRIGGERS=025: only triggers 0, 2 and 5 (to see what each costs).
std::vector<nudge::expr::Source> chosen() {
  const char* env = std::getenv("NUDGE_TRIGGERS");
  if (!env) return triggers();
  std::vector<nudge::expr::Source> r;
  for (const char* p = env; *p; ++p)
    if (*p >= '0' && *p <= '9' && static_cast<std::size_t>(*p - '0') < triggers().size())
      r.push_back(triggers()[*p - '0']);
  return r;
}

std::size_t members() {
  const char* env = std::getenv("NUDGE_BENCH_MEMBERS");
  return env ? std::strtoull(env, nullptr, 10) : 10'000'000;
}

uint64_t mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

nudge::Population make_population(std::size_t n) {
  nudge::Population pop(n, nudge::days_from_civil(2026, 10, 31));
  nudge::Column id("customer_id", nudge::DataType::UInt64, n);
  nudge::Column tier("tier", nudge::DataType::Category, n);
  tier.set_dictionary({"Star", "Nova", "Aurora"});
  nudge::Column clv("clv", nudge::DataType::Float32, n);
  std::vector<nudge::Column> buckets;
  for (std::size_t k = 0; k < kBuckets; ++k)
    buckets.emplace_back("flights@" + std::to_string(k), nudge::DataType::Int32, n);
  std::vector<int32_t*> out;
  for (auto& b : buckets) out.push_back(b.mutable_values<int32_t>());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 16), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const uint64_t h = mix(i);
      id.mutable_values<uint64_t>()[i] = 1'000'000'000 + i;
      tier.mutable_values<int32_t>()[i] = static_cast<int32_t>(h % 3);
      clv.mutable_values<float>()[i] = static_cast<float>((h >> 8) % 1'200'000) / 100.0f;
      const int k = (h >> 32) % 5 == 0 ? 0 : 1 + static_cast<int>((h >> 36) % 9);  // most flights a month
      const int stop = static_cast<int>((h >> 44) % 8);                            // 0: stopped lately, 1: halved
      for (std::size_t b = 0; b < kBuckets; ++b) {
        int v = k == 0 ? 0 : static_cast<int>(mix(h + b) % static_cast<uint64_t>(k + 1));
        if (b < 3 && stop == 0) v = 0;
        if (b < 3 && stop == 1) v /= 2;
        out[b][i] = v;
      }
    }
  });
  pop.set_id_column(pop.add_column(std::move(id)));
  pop.add_column(std::move(tier));
  pop.add_column(std::move(clv));
  nudge::Series s;
  s.name = "flights";
  s.unit = nudge::BucketUnit::Month;
  for (auto& b : buckets) s.bucket_columns.push_back(pop.add_column(std::move(b)));
  pop.add_series(std::move(s));
  return pop;
}

struct Fixture {
  nudge::Population pop;
  nudge::expr::CompiledSet set;
  std::vector<std::span<const uint64_t>> regions;  // the column bytes the set reads
  std::size_t bytes = 0;
  std::vector<std::size_t> counts;
  std::string error;

  Fixture() : pop(make_population(members())), set(nudge::expr::CompiledSet::compile(pop, chosen())) {
    for (std::size_t c : set.columns_read()) {
      const nudge::Column& col = pop.column(c);
      regions.emplace_back(col.values_buffer().as<uint64_t>(), col.values_buffer().size() / 8);
      if (col.has_validity()) regions.emplace_back(col.validity(), col.validity_buffer().size() / 8);
    }
    for (auto& r : regions) bytes += r.size() * 8;
    auto bits = nudge::expr::select_all(pop, set);
    for (std::size_t i = 0; i < bits.size(); ++i) {
      std::size_t n = 0;
      for (uint64_t w : bits[i]) n += static_cast<std::size_t>(__builtin_popcountll(w));
      counts.push_back(n);
      for (std::size_t r = 0; r < pop.rows(); r += 101)
        if ((((bits[i][r / 64] >> (r % 64)) & 1) != 0) != (set.reference_predicate(pop, i, r) == 1))
          error = "trigger " + chosen()[i].origin + " differs from the reference on row " + std::to_string(r);
    }
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_WindowedTriggersOnePass(benchmark::State& state) {
  Fixture& f = fixture();
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  auto isa = static_cast<nudge::simd::Isa>(state.range(0));
  if (!nudge::simd::cpu_supports(isa)) return state.SkipWithError("instruction set not supported here");
  nudge::simd::ScopedIsa scoped(isa);
  for (auto _ : state) {
    auto bits = nudge::expr::select_all(f.pop, f.set);
    benchmark::DoNotOptimize(bits.data());
  }
  state.SetLabel(std::string(nudge::simd::isa_name(isa)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
  state.counters["column_MB"] = static_cast<double>(f.bytes) / 1e6;
  for (std::size_t i = 0; i < f.counts.size(); ++i)
    state.counters["t" + std::to_string(i) + "_pct"] =
        100.0 * static_cast<double>(f.counts[i]) / static_cast<double>(f.pop.rows());
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
BENCHMARK(BM_WindowedTriggersOnePass)
    ->Arg(static_cast<int>(nudge::simd::Isa::Avx512))
    ->Arg(static_cast<int>(nudge::simd::Isa::Avx2))
    ->Arg(static_cast<int>(nudge::simd::Isa::Sse42))
    ->Arg(static_cast<int>(nudge::simd::Isa::Scalar))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()
    ->MinTime(1.0);
