// Snapshot and generator speed: open (verified, zero copy), open with data
// checksums, write, and RS-1 generation, at 1M and 10M members.
// Run: build/bench/snapshot_bench --benchmark_counters_tabular=true
// The RS-1 snapshot files are generated once into /tmp
// (nudge_bench_rs1_<members>.snap) and reused while they open cleanly.
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <string>

#include "engine/base/error.h"
#include "io/csv/csv_writer.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"

namespace {

constexpr uint64_t kSeed = 1;

// The snapshot of generate_rs1(members, kSeed), created on first use; the
// answer check: it opens, holds `members` rows, and its columns equal a
// freshly generated population's (checked on a sample of rows).
const std::filesystem::path& rs1_snapshot(std::size_t members) {
  static std::map<std::size_t, std::filesystem::path> files;
  auto it = files.find(members);
  if (it != files.end()) return it->second;
  const auto path = std::filesystem::temp_directory_path() / ("nudge_bench_rs1_" + std::to_string(members) + ".snap");
  const nudge::Population pop = nudge::generate_rs1(members, kSeed);
  bool reuse = false;
  try {
    reuse = std::filesystem::exists(path) && nudge::open_snapshot(path).rows() == members;
  } catch (const nudge::Error&) {}
  if (!reuse) nudge::write_snapshot(pop, path);
  const nudge::Population back = nudge::open_snapshot(path);
  for (std::size_t c = 0; c < pop.num_columns(); ++c)
    for (std::size_t r = 0; r < members; r += 9973)
      if (std::memcmp(pop.column(c).values_buffer().data() + r * nudge::type_width(pop.column(c).type()),
                      back.column(c).values_buffer().data() + r * nudge::type_width(pop.column(c).type()),
                      nudge::type_width(pop.column(c).type())) != 0)
        throw std::runtime_error("snapshot " + path.string() + " differs from the generator's output");
  return files.emplace(members, path).first->second;
}

void BM_OpenSnapshot(benchmark::State& state) {
  const auto members = static_cast<std::size_t>(state.range(0));
  const auto& path = rs1_snapshot(members);
  const auto bytes = std::filesystem::file_size(path);
  for (auto _ : state) {
    nudge::Population p = nudge::open_snapshot(path);
    if (p.rows() != members) state.SkipWithError("wrong row count");
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * members));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_OpenSnapshot)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_OpenSnapshotVerifyData(benchmark::State& state) {
  const auto members = static_cast<std::size_t>(state.range(0));
  const auto& path = rs1_snapshot(members);
  const auto bytes = std::filesystem::file_size(path);
  nudge::SnapshotOpenOptions opts;
  opts.verify_data = true;
  for (auto _ : state) benchmark::DoNotOptimize(nudge::open_snapshot(path, opts));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * members));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_OpenSnapshotVerifyData)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// Writes an RS-1 population of state.range(0) members to the temporary file
// `name` with `write` in each iteration, then calls `check(path, members)`
// on the last file before removing it; reports members and bytes per second.
template <class Write, class Check>
void time_writes(benchmark::State& state, const char* name, Write write, Check check) {
  const auto members = static_cast<std::size_t>(state.range(0));
  const nudge::Population pop = nudge::generate_rs1(members, kSeed);
  const auto path = std::filesystem::temp_directory_path() / name;
  for (auto _ : state) write(pop, path);
  const auto bytes = std::filesystem::file_size(path);
  check(path, members);
  std::filesystem::remove(path);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * members));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void BM_WriteSnapshot(benchmark::State& state) {
  time_writes(
      state, "nudge_bench_write.snap",
      [](const nudge::Population& pop, const std::filesystem::path& path) { nudge::write_snapshot(pop, path); },
      [&](const std::filesystem::path& path, std::size_t members) {
        if (nudge::open_snapshot(path).rows() != members) state.SkipWithError("written snapshot does not reopen");
      });
}
BENCHMARK(BM_WriteSnapshot)
    ->ArgsProduct({{1'000'000, 10'000'000}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

void BM_GenerateRs1(benchmark::State& state) {
  const auto members = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    nudge::Population p = nudge::generate_rs1(members, kSeed);
    if (p.rows() != members) state.SkipWithError("wrong row count");
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * members));
}
BENCHMARK(BM_GenerateRs1)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

void BM_WriteCsv(benchmark::State& state) {
  time_writes(
      state, "nudge_bench_write.csv",
      [](const nudge::Population& pop, const std::filesystem::path& path) { nudge::write_csv(pop, path); },
      [](const std::filesystem::path&, std::size_t) {});
}
BENCHMARK(BM_WriteCsv)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
