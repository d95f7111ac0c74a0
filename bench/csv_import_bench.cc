// CSV import throughput on RS-1 populations (1M and 10M members, about
// 100 bytes per row) with data/schemas/rs1.toml: MB/s of CSV and rows/s.
//
// The CSV is written once per size from generate_rs1(n, 42) with write_csv
// (io/csv/csv_writer.h) into the temp directory, imported once and compared value by value with the
// generated population before anything is timed.
//
// Run (Release build):
//   build/bench/csv_import_bench --benchmark_counters_tabular=true
// BM_ImportCsv uses every hardware thread (2 here); BM_ImportCsvSerial is the
// serial driver (ImportOptions::threads = 1), the baseline. MB_per_cpu_s is
// CSV MB per CPU-second summed over threads (getrusage).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "io/csv/csv_import.h"
#include "io/csv/csv_writer.h"
#include "io/gen/rs1_generator.h"

namespace {

// Throws unless `b` holds exactly the rows, columns, values and NULLs of `a`.
void check_equal(const nudge::Population& a, const nudge::Population& b) {
  if (a.rows() != b.rows() || a.num_columns() != b.num_columns()) throw std::runtime_error("shape differs");
  for (std::size_t c = 0; c < a.num_columns(); ++c) {
    const nudge::Column& x = a.column(c);
    const nudge::Column& y = b.column(c);
    if (x.name() != y.name() || x.type() != y.type() || x.null_count() != y.null_count() ||
        x.dictionary() != y.dictionary() ||
        std::memcmp(x.values_buffer().data(), y.values_buffer().data(), x.rows() * nudge::type_width(x.type())) != 0)
      throw std::runtime_error("column " + x.name() + " differs after the CSV round trip");
    for (std::size_t r = 0; r < x.rows(); ++r)
      if (x.is_null(r) != y.is_null(r)) throw std::runtime_error("NULLs of " + x.name() + " differ");
  }
}

// data/schemas/rs1.toml in the source tree this file belongs to.
nudge::ImportSchema rs1_schema() {
  return nudge::load_import_schema(std::filesystem::path(__FILE__).parent_path().parent_path() /
                                   "data/schemas/rs1.toml");
}

struct Fixture {
  std::filesystem::path csv;
  std::size_t bytes = 0;
};

const Fixture& fixture(std::size_t members) {
  static std::map<std::size_t, Fixture> cache;
  auto it = cache.find(members);
  if (it != cache.end()) return it->second;
  Fixture f;
  f.csv = std::filesystem::temp_directory_path() / ("nudge-csv-bench-rs1-" + std::to_string(members) + ".csv");
  const nudge::Population pop = nudge::generate_rs1(members, 42);
  nudge::write_csv(pop, f.csv);
  f.bytes = std::filesystem::file_size(f.csv);
  nudge::ImportOptions o;
  o.schema = rs1_schema();
  check_equal(pop, nudge::import_csv(f.csv, o).population);
  return cache.emplace(members, f).first->second;
}

double process_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void run(benchmark::State& state, int threads) {
  const std::size_t members = static_cast<std::size_t>(state.range(0));
  const Fixture& f = fixture(members);
  nudge::ImportOptions o;
  o.schema = rs1_schema();
  o.threads = threads;
  const double cpu0 = process_cpu_seconds();
  for (auto _ : state) {
    nudge::ImportResult r = nudge::import_csv(f.csv, o);
    if (r.population.rows() != members) state.SkipWithError("wrong row count");
    benchmark::DoNotOptimize(r.population.column(0).values<uint64_t>());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * members));
  const double cpu = process_cpu_seconds() - cpu0;
  state.counters["csv_MB"] = static_cast<double>(f.bytes) / 1e6;
  // CSV MB per CPU-second over all threads (user + system): the per-core
  // rate, which a shared, loaded machine disturbs far less than wall time.
  state.counters["MB_per_cpu_s"] = cpu > 0 ? static_cast<double>(state.iterations() * f.bytes) / 1e6 / cpu : 0;
}

void BM_ImportCsv(benchmark::State& state) { run(state, 0); }
void BM_ImportCsvSerial(benchmark::State& state) { run(state, 1); }

}  // namespace

BENCHMARK(BM_ImportCsvSerial)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ImportCsv)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
