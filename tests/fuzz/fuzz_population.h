// Populations for the fuzz targets: a small random population with a column
// of every type (NULLs, NaN, +-inf, -0.0, integer extremes, uint64 beyond
// int64) and a monthly activity series, and a column-by-column equality check.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/store/population.h"

namespace nudge::fuzz {

namespace detail {
template <class T>
void add_column(Population& p, const std::string& name, DataType type, const std::vector<std::optional<T>>& v) {
  Column c(name, type, p.rows());
  for (std::size_t r = 0; r < p.rows(); ++r) {
    if (v[r]) c.mutable_values<T>()[r] = *v[r];
    else c.set_null(r);
  }
  p.add_column(std::move(c));
}
}  // namespace detail

// `rows` members (seeded, so every run is the same): columns i1 i2 (int32),
// l1 (int64), u1 (uint64), f1 f2 (float32), g1 (float64), b1 b2 (bool),
// c1 (category A B C), d1 (date), id (uint64, the id column), and the series
// `flights` (month buckets flights@0..flights@5, int32).
inline Population random_population(std::size_t rows, uint64_t seed = 42) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  auto null_or = [&](auto v, int null_pct) -> std::optional<decltype(v)> {
    if (pick(100) < null_pct) return std::nullopt;
    return v;
  };
  Population p(rows, days_from_civil(2026, 11, 1));
  std::vector<std::optional<int32_t>> i1, i2, c1, d1;
  std::vector<std::optional<int64_t>> l1;
  std::vector<std::optional<uint64_t>> u1, id;
  std::vector<std::optional<float>> f1, f2;
  std::vector<std::optional<double>> g1;
  std::vector<std::optional<uint8_t>> b1, b2;
  std::vector<std::vector<std::optional<int32_t>>> flights(6);
  const float fnan = std::numeric_limits<float>::quiet_NaN(), finf = std::numeric_limits<float>::infinity();
  for (std::size_t r = 0; r < rows; ++r) {
    int32_t small = pick(21) - 10;
    const int32_t i32s[] = {small, small, 0, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(),
                            1000,  -1,    7};
    i1.push_back(null_or(i32s[pick(8)], 20));
    i2.push_back(pick(8) - 3);
    const int64_t i64s[] = {small,
                            3,
                            std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max(),
                            int64_t{1} << 40,
                            -(int64_t{1} << 33)};
    l1.push_back(null_or(i64s[pick(6)], 15));
    const uint64_t u64s[] = {static_cast<uint64_t>(pick(10)), uint64_t{1} << 63, ~uint64_t{0}, 6000000000ull};
    u1.push_back(null_or(u64s[pick(4)], 10));
    float dec = static_cast<float>(pick(2001) - 1000) / 100.0f;  // two decimals
    const float f32s[] = {dec, dec, dec, 0.0f, -0.0f, fnan, finf, -finf, 0.7f, 10.0f};
    f1.push_back(null_or(f32s[pick(10)], 20));
    f2.push_back(static_cast<float>(pick(41) - 20) / 4.0f);
    const double f64s[] = {dec, dec * 3.0, 0.0, std::nan(""), -std::numeric_limits<double>::infinity(), 1e300, 2.5};
    g1.push_back(null_or(f64s[pick(7)], 15));
    b1.push_back(null_or(static_cast<uint8_t>(pick(2)), 25));
    b2.push_back(static_cast<uint8_t>(pick(2)));
    c1.push_back(null_or(pick(3), 15));
    d1.push_back(null_or(days_from_civil(2026, 11, 1) - pick(800) + 30, 15));
    id.push_back(1000 + r);
    for (auto& f : flights) f.push_back(null_or(pick(6), 10));
  }
  detail::add_column(p, "id", DataType::UInt64, id);
  p.set_id_column(0);
  detail::add_column(p, "i1", DataType::Int32, i1);
  detail::add_column(p, "i2", DataType::Int32, i2);
  detail::add_column(p, "l1", DataType::Int64, l1);
  detail::add_column(p, "u1", DataType::UInt64, u1);
  detail::add_column(p, "f1", DataType::Float32, f1);
  detail::add_column(p, "f2", DataType::Float32, f2);
  detail::add_column(p, "g1", DataType::Float64, g1);
  detail::add_column(p, "b1", DataType::Bool, b1);
  detail::add_column(p, "b2", DataType::Bool, b2);
  detail::add_column(p, "c1", DataType::Category, c1);
  p.mutable_column(p.num_columns() - 1).set_dictionary({"A", "B", "C"});
  detail::add_column(p, "d1", DataType::Date, d1);
  Series s{"flights", BucketUnit::Month, {}};
  for (std::size_t k = 0; k < flights.size(); ++k) {
    detail::add_column(p, "flights@" + std::to_string(k), DataType::Int32, flights[k]);
    s.bucket_columns.push_back(p.num_columns() - 1);
  }
  p.add_series(std::move(s));
  return p;
}

// Empty when `a` and `b` hold the same rows, as_of, id column and columns
// (name, type, NULLs, values of non-NULL rows bit for bit, dictionary);
// otherwise the first difference.
inline std::string population_difference(const Population& a, const Population& b) {
  if (a.rows() != b.rows()) return "rows " + std::to_string(a.rows()) + " vs " + std::to_string(b.rows());
  if (a.as_of() != b.as_of()) return "as_of differs";
  if (a.num_columns() != b.num_columns()) return "column count differs";
  if (a.id_column() != b.id_column()) return "id column differs";
  for (std::size_t c = 0; c < a.num_columns(); ++c) {
    const Column &x = a.column(c), &y = b.column(c);
    std::string at = "column " + std::to_string(c) + " '" + x.name() + "'";
    if (x.name() != y.name() || x.type() != y.type()) return at + ": name or type differs";
    if (x.dictionary() != y.dictionary()) return at + ": dictionary differs";
    if (x.null_count() != y.null_count()) return at + ": null count differs";
    std::size_t w = type_width(x.type());
    const auto* xv = reinterpret_cast<const unsigned char*>(x.values_buffer().data());
    const auto* yv = reinterpret_cast<const unsigned char*>(y.values_buffer().data());
    for (std::size_t r = 0; r < a.rows(); ++r) {
      if (x.is_null(r) != y.is_null(r)) return at + ": NULL differs at row " + std::to_string(r);
      if (!x.is_null(r) && std::memcmp(xv + r * w, yv + r * w, w) != 0)
        return at + ": value differs at row " + std::to_string(r);
    }
  }
  return "";
}

}  // namespace nudge::fuzz
