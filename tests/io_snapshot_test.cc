// Snapshots: write -> open round trips equal value by value (every type,
// NULLs, dictionaries, series, id column, as_of; 0, 1, 63, 64, 65 rows and a
// generated RS-1 population), zero-copy opening, atomic writing.
// Corruption cases live in io_snapshot_corruption_test.cc.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "engine/base/error.h"
#include "io/csv/csv_import.h"
#include "io/csv/csv_writer.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "tests/io_snapshot_fixtures.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using nudge::test::expect_same_population;
using nudge::test::make_every_type_population;

TEST(Snapshot, RoundTripsEveryTypeWithNullsForAwkwardSizes) {
  const auto dir = test::make_temp_dir("snap_rt");
  for (std::size_t rows : {0ul, 1ul, 2ul, 63ul, 64ul, 65ul, 129ul, 1000ul}) {
    const Population pop = make_every_type_population(rows, 1000 + rows);
    const auto path = dir / (std::to_string(rows) + "_rows.snap");
    write_snapshot(pop, path);
    const Population back = open_snapshot(path);
    SCOPED_TRACE("rows=" + std::to_string(rows));
    expect_same_population(pop, back);
    SnapshotOpenOptions verify;
    verify.verify_data = true;
    expect_same_population(pop, open_snapshot(path, verify));
  }
}

TEST(Snapshot, OpenedColumnsPointIntoTheMappingAndOutliveIt) {
  const auto dir = test::make_temp_dir("snap_zero_copy");
  const auto path = dir / "p.snap";
  write_snapshot(make_every_type_population(100, 3), path);
  Column kept;
  {
    const Population p = open_snapshot(path);
    for (const Column& c : p.columns()) {
      EXPECT_FALSE(c.values_buffer().owned()) << c.name();  // a view, not a copy
      EXPECT_EQ(reinterpret_cast<uintptr_t>(c.values_buffer().data()) % kAlignment, 0u) << c.name();
    }
    kept = p.column("i32");
  }
  // The Population is gone; the column's buffer keeps the mapping alive.
  const Population fresh = make_every_type_population(100, 3);
  for (std::size_t i = 0; i < 100; ++i) ASSERT_EQ(kept.values<int32_t>()[i], fresh.column("i32").values<int32_t>()[i]);
}

TEST(Snapshot, RoundTripsAGeneratedRs1Population) {
  const auto dir = test::make_temp_dir("snap_rs1");
  const Population pop = generate_rs1(70000, 8, days_from_civil(2025, 3, 4));
  write_snapshot(pop, dir / "rs1.snap");
  const Population back = open_snapshot(dir / "rs1.snap");
  expect_same_population(pop, back);
  EXPECT_EQ(back.as_of(), days_from_civil(2025, 3, 4));
  EXPECT_EQ(back.id_column(), 0u);
  EXPECT_EQ(back.column("salary").null_count(), pop.column("salary").null_count());
  EXPECT_GT(back.column("salary").null_count(), 0u);
  const SnapshotFileInfo info = read_snapshot_info(dir / "rs1.snap");
  EXPECT_EQ(info.format_version, 1u);
  EXPECT_EQ(info.file_bytes, std::filesystem::file_size(dir / "rs1.snap"));
  EXPECT_EQ(info.writer, "nudge " NUDGE_VERSION);
  EXPECT_NO_THROW(verify_snapshot_data(dir / "rs1.snap"));
}

namespace {
// The import schema that reads back what write_csv wrote for `pop`.
ImportSchema schema_of(const Population& pop) {
  ImportSchema schema;
  schema.as_of = pop.as_of();
  if (auto id = pop.id_column()) schema.id_column = pop.column(*id).name();
  for (const Column& c : pop.columns()) {
    ColumnSpec spec;
    spec.name = c.name();
    spec.type = c.type();
    spec.categories = c.dictionary();
    schema.columns.push_back(spec);
  }
  return schema;
}
}  // namespace

TEST(Snapshot, CsvToStoreToSnapshotToStoreRoundTripsEqual) {
  const auto dir = test::make_temp_dir("snap_csv_rt");
  for (const Population& pop : {generate_rs1(3 * 8192 + 11, 21), test::make_every_type_population(200, 9)}) {
    write_csv(pop, dir / "p.csv");
    ImportOptions opt;
    opt.schema = schema_of(pop);
    ImportResult imported = import_csv(dir / "p.csv", opt);
    for (auto& s : pop.series()) imported.population.add_series(s);  // CSV has no series metadata
    test::expect_same_population(pop, imported.population);
    write_snapshot(imported.population, dir / "p.snap");
    test::expect_same_population(pop, open_snapshot(dir / "p.snap"));
  }
}

TEST(Snapshot, WritesCanonicalZerosForNullSlotsAndPadding) {
  // A store whose NULL slots and padding hold garbage (allowed in memory)
  // still writes a file that opens, with those slots 0.
  const std::size_t rows = 70;
  Buffer values = Buffer::allocate(padded_rows(rows) * 8);
  Buffer validity = Buffer::allocate(padded_rows(rows) / 8);
  auto* v = values.mutable_as<double>();
  for (std::size_t i = 0; i < padded_rows(rows); ++i) v[i] = 1.5 + static_cast<double>(i);
  auto* w = validity.mutable_as<uint64_t>();
  w[0] = ~uint64_t{0} & ~uint64_t{1 << 3};  // row 3 NULL
  w[1] = ~uint64_t{0};                      // bits beyond row 69 set too
  Population pop(rows, 0);
  pop.add_column(Column::from_buffers("x", DataType::Float64, rows, values, validity, {}, 1));
  const auto dir = test::make_temp_dir("snap_canon");
  write_snapshot(pop, dir / "c.snap");
  const Population back = open_snapshot(dir / "c.snap");
  const Column& x = back.column("x");
  EXPECT_EQ(x.null_count(), 1u);
  EXPECT_TRUE(x.is_null(3));
  EXPECT_EQ(x.values<double>()[3], 0.0);
  EXPECT_EQ(x.values<double>()[4], 5.5);
  EXPECT_EQ(x.values<double>()[69], 70.5);
  EXPECT_EQ(x.values<double>()[70], 0.0);         // padding row
  EXPECT_EQ(x.validity()[1] >> (rows % 64), 0u);  // padding bits
}

TEST(Snapshot, RefusesToWriteACategoryCodeOutsideItsDictionary) {
  Population pop(3, 0);
  Column c("tier", DataType::Category, 3);
  c.set_dictionary({"Star", "Nova"});
  c.mutable_values<int32_t>()[2] = 2;
  pop.add_column(std::move(c));
  const auto dir = test::make_temp_dir("snap_badcode");
  try {
    write_snapshot(pop, dir / "bad.snap");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Internal);
    EXPECT_NE(std::string(e.what()).find("row 2 holds code 2"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.snap"));
  EXPECT_TRUE(std::filesystem::is_empty(dir));  // no temporary file left behind
}

TEST(Snapshot, ReplacesAnExistingFileAtomically) {
  const auto dir = test::make_temp_dir("snap_replace");
  write_snapshot(make_every_type_population(10, 1), dir / "p.snap");
  const Population old_view = open_snapshot(dir / "p.snap");
  write_snapshot(make_every_type_population(20, 2), dir / "p.snap");
  EXPECT_EQ(open_snapshot(dir / "p.snap").rows(), 20u);
  expect_same_population(make_every_type_population(10, 1), old_view);  // old mapping still intact
}

TEST(Snapshot, MissingFileIsAnIoErrorNamingThePath) {
  try {
    open_snapshot("/nonexistent/dir/p.snap");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Io);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/p.snap"), std::string::npos) << e.what();
  }
}
