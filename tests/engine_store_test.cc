// Population store: types, dates, columns, validity, lookup by name and alias,
// memory accounting; the instruction-set dispatcher and the streaming-read
// baseline kernel against its scalar reference.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "bench/stream_read/stream_read.h"
#include "engine/base/error.h"
#include "engine/base/read_file.h"
#include "engine/base/simd.h"
#include "engine/store/population.h"
#include "io/file/atomic_file.h"
#include "tests/support/test_isas.h"
#include "tests/support/test_paths.h"

using namespace nudge;

TEST(Types, DaysFromCivilMatchesKnownDates) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2018, 12, 31), 17896);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  int y;
  unsigned m, d;
  civil_from_days(17896, y, m, d);
  EXPECT_EQ(y, 2018);
  EXPECT_EQ(m, 12u);
  EXPECT_EQ(d, 31u);
}

TEST(Types, ParseIsoDateRejectsImpossibleDays) {
  EXPECT_EQ(parse_iso_date("2024-02-29"), days_from_civil(2024, 2, 29));
  EXPECT_FALSE(parse_iso_date("2023-02-29"));
  EXPECT_FALSE(parse_iso_date("2023-13-01"));
  EXPECT_FALSE(parse_iso_date("2023-1-01"));
  EXPECT_EQ(format_iso_date(days_from_civil(2026, 11, 29)), "2026-11-29");
}

TEST(Types, NormalizeNameMakesSnakeCaseAlias) {
  EXPECT_EQ(normalize_name("Loyalty Number"), "loyalty_number");
  EXPECT_EQ(normalize_name("  Points  Accumulated (CAD) "), "points_accumulated_cad");
  EXPECT_EQ(normalize_name("clv"), "clv");
}

TEST(Column, IsZeroFilledAlignedAndPadded) {
  Column c("x", DataType::Float64, 100);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(c.values<double>()) % kAlignment, 0u);
  EXPECT_EQ(c.values_buffer().size(), padded_rows(100) * 8);
  for (std::size_t i = 0; i < padded_rows(100); ++i) EXPECT_EQ(c.values<double>()[i], 0.0);
  EXPECT_FALSE(c.has_validity());
  EXPECT_TRUE(c.is_valid(99));
}

TEST(Column, SetNullCreatesBitmapWithPaddingBitsClear) {
  Column c("x", DataType::Int32, 70);
  c.mutable_values<int32_t>()[5] = 42;
  c.set_null(5);
  c.set_null(5);  // idempotent
  c.set_null(69);
  ASSERT_TRUE(c.has_validity());
  EXPECT_EQ(c.null_count(), 2u);
  EXPECT_FALSE(c.is_valid(5));
  EXPECT_FALSE(c.is_valid(69));
  EXPECT_TRUE(c.is_valid(68));
  EXPECT_EQ(c.values<int32_t>()[5], 0);
  EXPECT_EQ(c.validity()[1] >> 6, 0u);       // rows 70..127 are padding: invalid
  EXPECT_EQ(c.validity()[1] & 0x3f, 0x1fu);  // rows 64..68 valid, 69 null
}

TEST(Population, FindsColumnsByNameOrAliasAndSuggestsNearest) {
  Population p(3, days_from_civil(2026, 11, 1));
  p.add_column(Column("Loyalty Number", DataType::UInt64, 3));
  p.add_column(Column("flights_3m", DataType::Int32, 3));
  EXPECT_EQ(p.find("Loyalty Number"), 0u);
  EXPECT_EQ(p.find("loyalty_number"), 0u);
  EXPECT_FALSE(p.find("nope"));
  try {
    p.column("flights_3n");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidInput);
    EXPECT_NE(std::string(e.what()).find("did you mean 'flights_3m'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(p.add_column(Column("loyalty number", DataType::Int32, 3)), Error);  // alias clash
  EXPECT_THROW(p.add_column(Column("short", DataType::Int32, 2)), Error);           // row count
}

TEST(Population, IdColumnDefaultsToCustomerId) {
  Population p(2, 0);
  EXPECT_FALSE(p.id_column());
  p.add_column(Column("customer_id", DataType::UInt64, 2));
  EXPECT_EQ(p.id_column(), 0u);
}

TEST(Simd, ScalarIsAlwaysSupportedAndSelectable) {
  auto isas = simd::supported_isas();
  ASSERT_FALSE(isas.empty());
  EXPECT_EQ(isas.front(), simd::Isa::Scalar);
  EXPECT_EQ(simd::best_isa(), isas.back());
  {
    simd::ScopedIsa s(simd::Isa::Scalar);
    EXPECT_EQ(simd::active_isa(), simd::Isa::Scalar);
  }
  EXPECT_EQ(simd::active_isa(), simd::best_isa());
  EXPECT_EQ(simd::parse_isa("avx2"), simd::Isa::Avx2);
  EXPECT_FALSE(simd::parse_isa("mmx"));
}

TEST(StreamRead, EveryIsaMatchesScalarOnOddLengths) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> v(10007);
  for (auto& x : v) x = rng();
  for (std::size_t n : {0ul, 1ul, 3ul, 7ul, 8ul, 9ul, 31ul, 33ul, 1000ul, 10007ul}) {
    const uint64_t want = stream_sum_scalar(v.data(), n);
    for (auto isa : test::test_isas()) {
      simd::ScopedIsa s(isa);
      EXPECT_EQ(stream_sum(v.data(), n), want) << simd::isa_name(isa) << " n=" << n;
    }
  }
  EXPECT_EQ(stream_sum_parallel({std::span<const uint64_t>(v)}), stream_sum_scalar(v.data(), v.size()));
}

TEST(AtomicFile, UncommittedWriteLeavesNothingBehind) {
  auto dir = test::make_temp_dir("atomic");
  {
    AtomicFile f(dir / "out.txt");
    f.write("half");
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  {
    AtomicFile f(dir / "out.txt");
    f.write("whole");
    f.commit();
  }
  EXPECT_EQ(read_file(dir / "out.txt"), "whole");
  EXPECT_THROW(read_file(dir / "missing"), Error);
}
