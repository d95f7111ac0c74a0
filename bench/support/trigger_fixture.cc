// The shared trigger-benchmark fixture (trigger_fixture.h).
#include "bench/support/trigger_fixture.h"

#include <cstdlib>

#include "bench/stream_read/stream_read.h"
#include "engine/base/simd.h"

namespace nudge::bench {

std::vector<expr::Source> chosen_triggers(const std::vector<expr::Source>& all) {
  const char* env = std::getenv("NUDGE_TRIGGERS");
  if (!env) return all;
  std::vector<expr::Source> r;
  for (const char* p = env; *p; ++p)
    if (*p >= '0' && *p <= '9' && static_cast<std::size_t>(*p - '0') < all.size()) r.push_back(all[*p - '0']);
  return r;
}

TriggerFixture::TriggerFixture(Population population, const std::vector<expr::Source>& triggers)
    : pop(std::move(population)), set(expr::CompiledSet::compile(pop, triggers)) {
  for (std::size_t c : set.columns_read()) {
    const Column& col = pop.column(c);
    regions.emplace_back(col.values_buffer().as<uint64_t>(), col.values_buffer().size() / 8);
    if (col.has_validity()) regions.emplace_back(col.validity(), col.validity_buffer().size() / 8);
  }
  for (auto& r : regions) bytes += r.size() * 8;
  auto bits = expr::select_all(pop, set);
  for (std::size_t i = 0; i < bits.size(); ++i) {
    std::size_t n = 0;
    for (uint64_t w : bits[i]) n += static_cast<std::size_t>(__builtin_popcountll(w));
    counts.push_back(n);
    for (std::size_t r = 0; r < pop.rows(); r += 101)
      if ((((bits[i][r / 64] >> (r % 64)) & 1) != 0) != (set.reference_predicate(pop, i, r) == 1))
        error = "trigger " + triggers[i].origin + " differs from the reference on row " + std::to_string(r);
  }
}

void bench_one_pass(benchmark::State& state, const TriggerFixture& f) {
  if (!f.error.empty()) return state.SkipWithError(f.error.c_str());
  auto isa = static_cast<simd::Isa>(state.range(0));
  if (!simd::cpu_supports(isa)) return state.SkipWithError("instruction set not supported here");
  simd::ScopedIsa scoped(isa);
  for (auto _ : state) {
    auto bits = expr::select_all(f.pop, f.set);
    benchmark::DoNotOptimize(bits.data());
  }
  state.SetLabel(std::string(simd::isa_name(isa)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
  state.counters["triggers"] = static_cast<double>(f.counts.size());
  state.counters["column_MB"] = static_cast<double>(f.bytes) / 1e6;
  for (std::size_t i = 0; i < f.counts.size(); ++i)
    state.counters["t" + std::to_string(i) + "_pct"] =
        100.0 * static_cast<double>(f.counts[i]) / static_cast<double>(f.pop.rows());
}

void bench_stream_read_same_columns(benchmark::State& state, const TriggerFixture& f) {
  for (auto _ : state) benchmark::DoNotOptimize(stream_sum_parallel(f.regions));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.pop.rows()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
  state.counters["column_MB"] = static_cast<double>(f.bytes) / 1e6;
}

benchmark::internal::Benchmark* parallel_timing(benchmark::internal::Benchmark* b) {
  return b->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->MinTime(1.0);
}

bool register_trigger_benchmarks(const char* one_pass_name, TriggerFixture& (*fixture)()) {
  parallel_timing(benchmark::RegisterBenchmark("BM_StreamReadSameColumns", [fixture](benchmark::State& state) {
    bench_stream_read_same_columns(state, fixture());
  }));
  auto* b = benchmark::RegisterBenchmark(one_pass_name,
                                         [fixture](benchmark::State& state) { bench_one_pass(state, fixture()); });
  for (simd::Isa isa : {simd::Isa::Avx512, simd::Isa::Avx2, simd::Isa::Sse42, simd::Isa::Scalar})
    b->Arg(static_cast<int>(isa));
  parallel_timing(b);
  return true;
}

}  // namespace nudge::bench
