// Test helpers for the snapshot and CSV writer suites: a population holding
// every column type with adversarial values and NULLs, and a value-by-value
// comparison of two populations. Header-only (each test is its own binary).
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "engine/store/population.h"

namespace nudge::test {

// `rows` rows; columns: customer_id (uint64 id), flag (bool, NULLs), i32
// (INT32_MIN/MAX), i64, f32 (NaN, +-inf, -0, denormal, NULLs), f64, tier
// (category with awkward strings, NULLs), day (date, NULLs), visits@0 and
// visits@1 (int32 bucket columns of series "visits", unit week),
// as_of 2026-11-01.
inline Population make_every_type_population(std::size_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Population p(rows, 20758);  // 2026-11-01
  Column id("customer_id", DataType::UInt64, rows), flag("flag", DataType::Bool, rows),
      i32("i32", DataType::Int32, rows), i64("i64", DataType::Int64, rows), f32("f32", DataType::Float32, rows),
      f64("f64", DataType::Float64, rows), tier("tier", DataType::Category, rows), day("day", DataType::Date, rows),
      v0("visits@0", DataType::Int32, rows), v1("visits@1", DataType::Int32, rows);
  tier.set_dictionary({"Star", "Nova, \"the\" middle", "", "Aurora\nborealis"});
  const float f32_special[] = {std::numeric_limits<float>::quiet_NaN(),
                               std::numeric_limits<float>::infinity(),
                               -std::numeric_limits<float>::infinity(),
                               -0.0f,
                               1e-45f,
                               5000.0f,
                               15.5f};
  const int32_t i32_special[] = {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(), 0, -1};
  for (std::size_t i = 0; i < rows; ++i) {
    id.mutable_values<uint64_t>()[i] = 6'000'000'000ULL + rng() % 1'000'000'000ULL;
    flag.mutable_values<uint8_t>()[i] = rng() & 1;
    i32.mutable_values<int32_t>()[i] = i % 5 == 0 ? i32_special[(i / 5) % 4] : static_cast<int32_t>(rng());
    i64.mutable_values<int64_t>()[i] = static_cast<int64_t>(rng());
    f32.mutable_values<float>()[i] = i % 3 == 0
                                         ? f32_special[(i / 3) % 7]
                                         : static_cast<float>(static_cast<int64_t>(rng() % 2000001) - 1000000) / 100;
    f64.mutable_values<double>()[i] =
        std::ldexp(static_cast<double>(rng() % 1000000), static_cast<int>(rng() % 80) - 40);
    tier.mutable_values<int32_t>()[i] = static_cast<int32_t>(rng() % 4);
    day.mutable_values<int32_t>()[i] = static_cast<int32_t>(rng() % 40000) - 5000;
    v0.mutable_values<int32_t>()[i] = static_cast<int32_t>(rng() % 10);
    v1.mutable_values<int32_t>()[i] = static_cast<int32_t>(rng() % 10);
  }
  for (std::size_t i = 0; i < rows; ++i) {
    if ((i + seed) % 7 == 0) flag.set_null(i);
    if ((i + seed) % 4 == 1) f32.set_null(i);
    if ((i + seed) % 5 == 2) tier.set_null(i);
    if (i % 64 == 63) day.set_null(i);
  }
  for (Column* c : {&id, &flag, &i32, &i64, &f32, &f64, &tier, &day, &v0, &v1}) p.add_column(std::move(*c));
  p.set_id_column(0);
  p.add_series(Series{"visits", BucketUnit::Week, {8, 9}});
  return p;
}

// Same rows, as_of, id column, series, and per column: name, type, null
// count, dictionary, validity of each row and the bytes of each valid value.
inline void expect_same_population(const Population& a, const Population& b) {
  ASSERT_EQ(a.rows(), b.rows());
  EXPECT_EQ(a.as_of(), b.as_of());
  EXPECT_EQ(a.id_column(), b.id_column());
  ASSERT_EQ(a.num_columns(), b.num_columns());
  for (std::size_t c = 0; c < a.num_columns(); ++c) {
    const Column &x = a.column(c), &y = b.column(c);
    SCOPED_TRACE("column " + x.name());
    EXPECT_EQ(x.name(), y.name());
    ASSERT_EQ(x.type(), y.type());
    EXPECT_EQ(x.null_count(), y.null_count());
    EXPECT_EQ(x.dictionary(), y.dictionary());
    const std::size_t w = type_width(x.type());
    for (std::size_t r = 0; r < a.rows(); ++r) {
      ASSERT_EQ(x.is_valid(r), y.is_valid(r)) << "row " << r;
      if (x.is_valid(r)) {
        ASSERT_EQ(std::memcmp(x.values_buffer().data() + r * w, y.values_buffer().data() + r * w, w), 0) << "row " << r;
      }
    }
  }
  ASSERT_EQ(a.series().size(), b.series().size());
  for (std::size_t s = 0; s < a.series().size(); ++s) {
    EXPECT_EQ(a.series()[s].name, b.series()[s].name);
    EXPECT_EQ(a.series()[s].unit, b.series()[s].unit);
    EXPECT_EQ(a.series()[s].bucket_columns, b.series()[s].bucket_columns);
  }
}

}  // namespace nudge::test
