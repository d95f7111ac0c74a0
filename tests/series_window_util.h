// Helpers for the windowed-aggregate tests (tests/series_window_test.cc,
// tests/series_window_fused_test.cc): series built from values, a random
// population with three 24-bucket series, and a generator of random windowed
// expressions over them.
//
// random_population(rng, rows, unfusable): "flights" (int32), "spend"
// (float32: zeros, amounts, +-inf, NaN, -0.0, 3.4e38) and "amount" (float64);
// members are inactive, sparse, busy or extreme (int32 limits), and about one
// bucket cell in 40 is NULL. With `unfusable`, each series gets a 25th bucket
// column of another storage (int64, float64, int32): no window of the
// generator reaches it, so every expression binds to the same trees, but no
// series qualifies for the fused Code::Window pass (engine/expr/window_plan.h).
// The same rng state gives the same values with or without it.
#pragma once

#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/store/population.h"

namespace nudge::test {

inline constexpr std::size_t kWindowBuckets = 24;

// Adds a series of `buckets` columns "<name>@<k>" with values[row][k] (k = 0:
// as_of's bucket); nulls[row][k] (when given) marks NULL cells; `extra` (when
// given) appends one more bucket column of that type, all zeros.
template <class T>
void add_series(Population& p, const std::string& name, DataType t, const std::vector<std::vector<T>>& values,
                std::size_t buckets, BucketUnit unit = BucketUnit::Month,
                const std::vector<std::vector<char>>* nulls = nullptr, std::optional<DataType> extra = std::nullopt) {
  Series s;
  s.name = name;
  s.unit = unit;
  for (std::size_t k = 0; k < buckets; ++k) {
    Column c(name + "@" + std::to_string(k), t, p.rows());
    for (std::size_t r = 0; r < p.rows(); ++r) {
      c.mutable_values<T>()[r] = values[r][k];
      if (nulls && (*nulls)[r][k]) c.set_null(r);
    }
    s.bucket_columns.push_back(p.add_column(std::move(c)));
  }
  if (extra) s.bucket_columns.push_back(p.add_column(Column(name + "@" + std::to_string(buckets), *extra, p.rows())));
  p.add_series(std::move(s));
}

inline Population random_population(std::mt19937_64& rng, std::size_t rows, bool unfusable = false) {
  constexpr std::size_t kB = kWindowBuckets;
  Population p(rows, days_from_civil(2018, 12, 31));
  std::vector<std::vector<int32_t>> f(rows, std::vector<int32_t>(kB));
  std::vector<std::vector<float>> s(rows, std::vector<float>(kB));
  std::vector<std::vector<double>> a(rows, std::vector<double>(kB));
  std::vector<std::vector<char>> fn(rows, std::vector<char>(kB)), sn = fn, an = fn;
  for (std::size_t r = 0; r < rows; ++r) {
    const int mode = static_cast<int>(rng() % 4);  // 0: inactive member, 1: sparse, 2: busy, 3: extremes
    for (std::size_t k = 0; k < kB; ++k) {
      int32_t v = 0;
      if (mode == 1 && rng() % 4 == 0) v = static_cast<int32_t>(rng() % 5);
      if (mode == 2) v = static_cast<int32_t>(rng() % 12);
      if (mode == 3) {
        const int32_t ext[] = {0, 1, -1, INT32_MAX, INT32_MIN, 0};
        v = ext[rng() % 6];
      }
      f[r][k] = v;
      float x = v == 0 ? 0.0f : static_cast<float>(rng() % 100000) / 100.0f;
      if (mode == 3 && rng() % 5 == 0) {
        const float fx[] = {INFINITY, -INFINITY, NAN, -0.0f, 3.4e38f};
        x = fx[rng() % 5];
      }
      s[r][k] = x;
      a[r][k] = mode == 3 && rng() % 7 == 0 ? -std::nan("") : static_cast<double>(x) * 1.5 - v;
      fn[r][k] = rng() % 40 == 0;
      sn[r][k] = rng() % 40 == 0;
      an[r][k] = rng() % 40 == 0;
    }
  }
  // Unfusable: a 25th bucket of another storage per series.
  auto extra = [&](DataType t) { return unfusable ? std::optional(t) : std::nullopt; };
  add_series<int32_t>(p, "flights", DataType::Int32, f, kB, BucketUnit::Month, &fn, extra(DataType::Int64));
  add_series<float>(p, "spend", DataType::Float32, s, kB, BucketUnit::Month, &sn, extra(DataType::Float64));
  add_series<double>(p, "amount", DataType::Float64, a, kB, BucketUnit::Month, &an, extra(DataType::Int32));
  return p;
}

class WindowGen {
 public:
  explicit WindowGen(uint64_t seed) : rng_(seed) {}
  std::string window() {
    const int b = static_cast<int>(kWindowBuckets);
    const int a = 1 + pick(b);
    if (pick(2)) return "last " + std::to_string(a) + (a == 1 ? " month" : " months");
    const int e = a + pick(b - a + 1);
    return "months " + std::to_string(a) + " to " + std::to_string(e) + " ago";
  }
  std::string aggregate() {
    const char* fn[] = {"sum", "avg", "min", "max", "count", "last_active", "trend"};
    const char* series[] = {"flights", "spend", "amount"};
    std::string f = fn[pick(7)];
    std::string w = window();
    const int b = static_cast<int>(kWindowBuckets);
    if (f == "trend" && w.find(" 1 month") != std::string::npos) w = "last 2 months";
    if (f == "trend" && w.rfind("months", 0) == 0) {  // need >= 2 buckets
      const int a = 1 + pick(b - 1);
      w = "months " + std::to_string(a) + " to " + std::to_string(a + 1 + pick(b - a)) + " ago";
    }
    return f + "(" + series[pick(3)] + ", " + w + ")";
  }
  std::string number() {
    switch (pick(4)) {
      case 0: return aggregate();
      case 1: return aggregate() + " - " + aggregate();
      case 2: return "0.5 * " + aggregate();
      default: return "coalesce(" + aggregate() + ", -1)";
    }
  }
  std::string predicate() {
    const char* cmp[] = {"<", "<=", ">", ">=", "=", "<>"};
    switch (pick(4)) {
      case 0: return number() + " " + cmp[pick(6)] + " " + number();
      case 1: return aggregate() + " " + cmp[pick(6)] + " " + std::to_string(pick(10));
      case 2: return aggregate() + " IS NULL";
      default: return "(" + predicate() + ") " + (pick(2) ? "AND" : "OR") + " NOT (" + predicate() + ")";
    }
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  std::mt19937_64 rng_;
};

}  // namespace nudge::test
