// Helpers for the trigger-expression tests: a small population builder with
// NULLs, and evaluation helpers that check the vectorised path (every
// supported instruction set, select_all) against the reference evaluator
// before returning an answer.
#pragma once

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <algorithm>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/simd.h"
#include "engine/expr/program.h"
#include "engine/store/population.h"
#include "tests/support/test_isas.h"

namespace nudge::test {

class PopBuilder {
 public:
  explicit PopBuilder(std::size_t rows, int32_t as_of = days_from_civil(2026, 11, 1)) : pop_(rows, as_of) {}

  template <class T>
  PopBuilder& add(const std::string& name, DataType type, const std::vector<std::optional<T>>& v) {
    Column c(name, type, pop_.rows());
    for (std::size_t r = 0; r < v.size() && r < pop_.rows(); ++r) {
      if (v[r]) c.mutable_values<T>()[r] = *v[r];
      else c.set_null(r);
    }
    pop_.add_column(std::move(c));
    return *this;
  }
  PopBuilder& i32(const std::string& n, const std::vector<std::optional<int32_t>>& v) {
    return add(n, DataType::Int32, v);
  }
  PopBuilder& i64(const std::string& n, const std::vector<std::optional<int64_t>>& v) {
    return add(n, DataType::Int64, v);
  }
  PopBuilder& u64(const std::string& n, const std::vector<std::optional<uint64_t>>& v) {
    return add(n, DataType::UInt64, v);
  }
  PopBuilder& f32(const std::string& n, const std::vector<std::optional<float>>& v) {
    return add(n, DataType::Float32, v);
  }
  PopBuilder& f64(const std::string& n, const std::vector<std::optional<double>>& v) {
    return add(n, DataType::Float64, v);
  }
  PopBuilder& date(const std::string& n, const std::vector<std::optional<int32_t>>& v) {
    return add(n, DataType::Date, v);
  }
  PopBuilder& boolean(const std::string& n, const std::vector<std::optional<uint8_t>>& v) {
    return add(n, DataType::Bool, v);
  }
  PopBuilder& category(const std::string& n, std::vector<std::string> dict,
                       const std::vector<std::optional<int32_t>>& codes) {
    add(n, DataType::Category, codes);
    pop_.mutable_column(pop_.num_columns() - 1).set_dictionary(std::move(dict));
    return *this;
  }
  Population build() { return std::move(pop_); }

 private:
  Population pop_;
};

// Rows where predicate i of `set` is TRUE, per select_all under `isa`.
inline std::vector<std::size_t> selected_rows(const Population& pop, const expr::CompiledSet& set, std::size_t i) {
  auto bits = expr::select_all(pop, set);
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < pop.rows(); ++r)
    if ((bits[i][r / 64] >> (r % 64)) & 1) rows.push_back(r);
  return rows;
}

// Rows where the reference evaluator says TRUE.
inline std::vector<std::size_t> reference_rows(const Population& pop, const expr::CompiledSet& set, std::size_t i) {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < pop.rows(); ++r)
    if (set.reference_predicate(pop, i, r) == 1) rows.push_back(r);
  return rows;
}

// Rows where `predicate` is TRUE; fails the test if any instruction set or
// the reference disagrees.
inline std::vector<std::size_t> rows_where(const Population& pop, const std::string& predicate) {
  auto set = expr::CompiledSet::compile(pop, {{predicate, "test"}});
  auto want = reference_rows(pop, set, 0);
  for (auto isa : test::test_isas()) {
    simd::ScopedIsa scoped(isa);
    EXPECT_EQ(selected_rows(pop, set, 0), want) << predicate << " under " << simd::isa_name(isa);
  }
  return want;
}

// Value of number expression `number` on `row` (nullopt = NULL), checked
// bit-for-bit against the vectorised path under every instruction set.
inline std::optional<double> value_at(const Population& pop, const std::string& number, std::size_t row) {
  auto set = expr::CompiledSet::compile(pop, {}, {{number, "test"}});
  auto want = set.reference_number(pop, 0, row);
  for (auto isa : test::test_isas()) {
    simd::ScopedIsa scoped(isa);
    expr::Workspace ws;
    std::size_t begin = row / expr::kBatchRows * expr::kBatchRows;
    std::size_t count = std::min(expr::kBatchRows, pop.rows() - begin);
    set.evaluate(pop, begin, count, ws);
    std::size_t r = row - begin;
    bool valid = (ws.number_validity(0)[r / 64] >> (r % 64)) & 1;
    EXPECT_EQ(valid, want.has_value()) << number << " row " << row << " under " << simd::isa_name(isa);
    if (valid && want) {
      double got = ws.number_values(0)[r];
      bool same = (got != got && *want != *want) || std::memcmp(&got, &*want, sizeof got) == 0;
      EXPECT_TRUE(same) << number << " row " << row << ": " << got << " vs reference " << *want << " under "
                        << simd::isa_name(isa);
    }
  }
  return want;
}

// NaN equals NaN; otherwise bit-identical (so -0.0 differs from 0.0).
inline bool same_double(double a, double b) { return (a != a && b != b) || std::memcmp(&a, &b, sizeof a) == 0; }

// Checks every predicate and number of `set` on `pop` against the reference.
// Differential check: select_all for every supported ISA with 1 and 2 threads,
// and evaluate() per batch for the number expressions, equal the row-at-a-time
// reference evaluator on every row (NULL number rows hold 0).
inline void check_set(const Population& pop, const expr::CompiledSet& set, const std::vector<expr::Source>& preds,
                      const std::vector<expr::Source>& nums) {
  std::vector<std::vector<uint64_t>> want(set.num_predicates(), std::vector<uint64_t>(padded_rows(pop.rows()) / 64));
  for (std::size_t i = 0; i < set.num_predicates(); ++i)
    for (std::size_t r = 0; r < pop.rows(); ++r)
      if (set.reference_predicate(pop, i, r) == 1) want[i][r / 64] |= uint64_t{1} << (r % 64);
  for (auto isa : test::test_isas()) {
    simd::ScopedIsa scoped(isa);
    for (int threads : {1, 2}) {
      tbb::task_arena arena(threads);
      std::vector<std::vector<uint64_t>> got;
      arena.execute([&] { got = expr::select_all(pop, set); });
      for (std::size_t i = 0; i < want.size(); ++i)
        for (std::size_t w = 0; w < want[i].size(); ++w)
          ASSERT_EQ(got[i][w], want[i][w])
              << "predicate " << preds[i].text << " rows " << w * 64 << ".. of " << pop.rows() << " under "
              << simd::isa_name(isa) << ", " << threads << " threads";
    }
    expr::Workspace ws;
    for (std::size_t begin = 0; begin < pop.rows(); begin += expr::kBatchRows) {
      std::size_t count = std::min(expr::kBatchRows, pop.rows() - begin);
      set.evaluate(pop, begin, count, ws);
      for (std::size_t i = 0; i < set.num_numbers(); ++i)
        for (std::size_t r = 0; r < count; ++r) {
          auto ref = set.reference_number(pop, i, begin + r);
          bool valid = (ws.number_validity(i)[r / 64] >> (r % 64)) & 1;
          ASSERT_EQ(valid, ref.has_value())
              << "number " << nums[i].text << " row " << begin + r << " under " << simd::isa_name(isa);
          if (valid)
            ASSERT_TRUE(same_double(ws.number_values(i)[r], *ref))
                << "number " << nums[i].text << " row " << begin + r << ": " << ws.number_values(i)[r]
                << " vs reference " << *ref << " under " << simd::isa_name(isa);
          else ASSERT_EQ(ws.number_values(i)[r], 0.0);
        }
    }
  }
}

using Rows = std::vector<std::size_t>;

}  // namespace nudge::test
