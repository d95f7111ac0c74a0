// Memory-bandwidth baseline: read N bytes once with stream_sum_parallel.
// Run: build/bench/stream_read_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include "bench/stream_read/stream_read.h"
#include "engine/store/buffer.h"

static void BM_StreamRead(benchmark::State& state) {
  const std::size_t bytes = static_cast<std::size_t>(state.range(0)) << 20;
  nudge::Buffer b = nudge::Buffer::allocate(bytes);
  auto* w = b.mutable_as<uint64_t>();
  for (std::size_t i = 0; i < bytes / 8; ++i) w[i] = i;
  std::vector<std::span<const uint64_t>> regions{{b.as<uint64_t>(), bytes / 8}};
  for (auto _ : state) benchmark::DoNotOptimize(nudge::stream_sum_parallel(regions));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_StreamRead)->Arg(64)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();
