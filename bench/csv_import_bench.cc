// CSV import throughput on RS-1 populations (1M and 10M members, about
// 100 bytes per row) with data/schemas/rs1.toml: MB/s of CSV and rows/s.
//
// The CSV is written once per size from generate_rs1(n, 42) into the temp
// directory (write_csv from io/csv_writer.h when it is in the tree, else the
// small writer below), imported once and compared value by value with the
// generated population before anything is timed.
//
// Run (Release build):
//   build/bench/csv_import_bench --benchmark_counters_tabular=true
// BM_ImportCsv uses every hardware thread (2 here); BM_ImportCsvSerial is the
// serial driver (ImportOptions::threads = 1), the baseline.
#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "io/atomic_file.h"
#include "io/csv_import.h"
#include "io/rs1_generator.h"
#if __has_include("io/csv_writer.h")
#include "io/csv_writer.h"
#define NUDGE_HAVE_CSV_WRITER 1
#endif

namespace {

#ifndef NUDGE_HAVE_CSV_WRITER
// RS-1-shaped CSV: shortest round-trip text per value (std::to_chars), empty for NULL.
void write_rs1_csv(const nudge::Population& p, const std::filesystem::path& path) {
  nudge::AtomicFile out(path);
  std::string buf;
  for (std::size_t c = 0; c < p.num_columns(); ++c) buf += (c ? "," : "") + p.column(c).name();
  buf += '\n';
  char num[64];
  for (std::size_t r = 0; r < p.rows(); ++r) {
    for (std::size_t c = 0; c < p.num_columns(); ++c) {
      const nudge::Column& col = p.column(c);
      if (c) buf += ',';
      if (col.is_null(r)) continue;
      char* end = num;
      switch (col.type()) {
        case nudge::DataType::Bool: end = std::to_chars(num, num + 64, int{col.values<uint8_t>()[r]}).ptr; break;
        case nudge::DataType::Int32: end = std::to_chars(num, num + 64, col.values<int32_t>()[r]).ptr; break;
        case nudge::DataType::UInt64: end = std::to_chars(num, num + 64, col.values<uint64_t>()[r]).ptr; break;
        case nudge::DataType::Float32: end = std::to_chars(num, num + 64, col.values<float>()[r]).ptr; break;
        case nudge::DataType::Category: buf += col.dictionary()[static_cast<std::size_t>(col.values<int32_t>()[r])]; break;
        default: throw std::runtime_error("unexpected RS-1 column type");
      }
      buf.append(num, end);
    }
    buf += '\n';
    if (buf.size() > (1u << 20)) {
      out.write(buf);
      buf.clear();
    }
  }
  out.write(buf);
  out.commit();
}
#endif

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
  return nudge::load_import_schema(std::filesystem::path(__FILE__).parent_path().parent_path() / "data/schemas/rs1.toml");
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
#ifdef NUDGE_HAVE_CSV_WRITER
  nudge::write_csv(pop, f.csv);
#else
  write_rs1_csv(pop, f.csv);
#endif
  f.bytes = std::filesystem::file_size(f.csv);
  nudge::ImportOptions o;
  o.schema = rs1_schema();
  check_equal(pop, nudge::import_csv(f.csv, o).population);
  return cache.emplace(members, f).first->second;
}

void run(benchmark::State& state, int threads) {
  const std::size_t members = static_cast<std::size_t>(state.range(0));
  const Fixture& f = fixture(members);
  nudge::ImportOptions o;
  o.schema = rs1_schema();
  o.threads = threads;
  for (auto _ : state) {
    nudge::ImportResult r = nudge::import_csv(f.csv, o);
    if (r.population.rows() != members) state.SkipWithError("wrong row count");
    benchmark::DoNotOptimize(r.population.column(0).values<uint64_t>());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * members));
  state.counters["csv_MB"] = static_cast<double>(f.bytes) / 1e6;
}

void BM_ImportCsv(benchmark::State& state) { run(state, 0); }
void BM_ImportCsvSerial(benchmark::State& state) { run(state, 1); }

}  // namespace

BENCHMARK(BM_ImportCsvSerial)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ImportCsv)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
