// The fixture and benchmark bodies shared by the trigger benchmarks
// (triggers_bench.cc: RS-1's triggers on a generated RS-1 population;
// series_bench.cc: windowed triggers over an activity series).
//
// TriggerFixture compiles the triggers as one CompiledSet over a population,
// records the column bytes the set reads (values and validity bitmaps, the
// regions the stream-read baseline sums) and, before any timing, checks each
// trigger's selection against the reference evaluator on every 101st row and
// records its count; `error` is non-empty when a check failed (benchmarks
// then skip with it).
//
// Environment: NUDGE_BENCH_MEMBERS (members, default 10,000,000);
// NUDGE_TRIGGERS=025 keeps only triggers 0, 2 and 5 (to see what each costs).
// Thread-safety: a fixture is built once (a function-local static) and read.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bench/support/bench_env.h"
#include "engine/expr/program.h"
#include "engine/store/population.h"

namespace nudge::bench {

// The triggers NUDGE_TRIGGERS names (digits = indices into `all`), or all.
std::vector<expr::Source> chosen_triggers(const std::vector<expr::Source>& all);

struct TriggerFixture {
  Population pop;
  expr::CompiledSet set;
  std::vector<std::span<const uint64_t>> regions;  // the column bytes the set reads
  std::size_t bytes = 0;
  std::vector<std::size_t> counts;  // members selected per trigger
  std::string error;                // non-empty when the check failed

  TriggerFixture(Population population, const std::vector<expr::Source>& triggers);
};

// select_all over the fixture with the instruction set state.range(0)
// (a simd::Isa); counters: members selected per trigger (t<i>_pct), column MB.
void bench_one_pass(benchmark::State& state, const TriggerFixture& f);
// The memory-bandwidth floor: stream_sum_parallel over the same column bytes.
void bench_stream_read_same_columns(benchmark::State& state, const TriggerFixture& f);

// A parallel benchmark's timing: milliseconds, wall-clock ("Time") and the
// process's CPU time over all threads ("CPU"), at least 1 s.
benchmark::internal::Benchmark* parallel_timing(benchmark::internal::Benchmark* b);

// Registers BM_StreamReadSameColumns and `one_pass_name` (bench_one_pass for
// AVX-512, AVX2, SSE4.2 and scalar) over fixture(), both with parallel_timing.
// Returns true, so that a benchmark file can register at static initialisation:
//   const bool registered = register_trigger_benchmarks("BM_X", fixture);
bool register_trigger_benchmarks(const char* one_pass_name, TriggerFixture& (*fixture)());

}  // namespace nudge::bench
