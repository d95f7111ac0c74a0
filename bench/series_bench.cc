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

#include <string>
#include <vector>

#include "bench/support/trigger_fixture.h"
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

nudge::bench::TriggerFixture& fixture() {
  static nudge::bench::TriggerFixture f(make_population(nudge::bench::bench_members()),
                                        nudge::bench::chosen_triggers(triggers()));
  return f;
}

const bool registered = nudge::bench::register_trigger_benchmarks("BM_WindowedTriggersOnePass", fixture);

}  // namespace
