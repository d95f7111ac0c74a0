// Population: the columnar in-memory store of one customer population.
//
// A Population is N rows (members) by a schema of named, typed Columns, plus
// the `as_of` date it describes (days since 1970-01-01). Columns are found by
// the name as written in the source ("Loyalty Number") or by its normalised
// alias ("loyalty_number"). One UInt64 column is the customer id column.
//
// Activity series (behaviour over time) are stored as ordinary columns, one
// per bucket, so windowed sums are plain SIMD additions across columns; a
// Series records which columns hold which bucket. Bucket 0 is the bucket that
// contains as_of, bucket k lies k buckets earlier.
//
// Usage:
//   nudge::Population pop(rows, nudge::days_from_civil(2026, 11, 1));
//   nudge::Column c("tier", nudge::DataType::Category, rows);
//   pop.add_column(std::move(c));
//   const nudge::Column& tier = pop.column("tier");   // throws if absent
//
// Thread-safety: const methods may be called concurrently (the sweep does);
// building (add_column, add_series, set_id_column) is single-writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/store/column.h"

namespace nudge {

enum class BucketUnit : uint8_t { Day, Week, Month };
std::string_view bucket_unit_name(BucketUnit u) noexcept;  // "day", "week", "month"

struct Series {
  std::string name;                     // metric name used in expressions, e.g. "flights"
  BucketUnit unit = BucketUnit::Month;  // bucket width
  // bucket_columns[k] = index in the population of the column holding bucket
  // k (0 = the bucket containing as_of). Columns are named "<name>@<k>".
  std::vector<std::size_t> bucket_columns;
  std::size_t buckets() const noexcept { return bucket_columns.size(); }
};

class Population {
 public:
  Population() = default;
  Population(std::size_t rows, int32_t as_of) : rows_(rows), as_of_(as_of) {}

  std::size_t rows() const noexcept { return rows_; }
  int32_t as_of() const noexcept { return as_of_; }
  void set_as_of(int32_t d) noexcept { as_of_ = d; }

  std::size_t num_columns() const noexcept { return columns_.size(); }
  const Column& column(std::size_t i) const { return columns_.at(i); }
  // For values and NULLs; renaming a column through it is not supported (names are indexed).
  Column& mutable_column(std::size_t i) { return columns_.at(i); }
  const std::vector<Column>& columns() const noexcept { return columns_; }

  // Index of the column whose name or alias equals `name` (exact name first).
  std::optional<std::size_t> find(std::string_view name) const noexcept;
  // The column named `name`; throws Error(InvalidInput) "no column 'x' in the
  // population (did you mean 'y'?)" when absent.
  const Column& column(std::string_view name) const;
  // The column whose name or alias is nearest to `name` (names.h), for
  // "did you mean" hints: nearest_column(name).hint().
  NearestName nearest_column(std::string_view name) const;

  // Appends a column; returns its index. Throws Error(InvalidInput) when its
  // row count differs or its name/alias is already taken.
  std::size_t add_column(Column c);

  // The customer id column (UInt64). Defaults to a column named
  // "customer_id" if set_id_column was not called; nullopt when none.
  std::optional<std::size_t> id_column() const noexcept;
  void set_id_column(std::size_t index);  // throws Usage if not UInt64

  const std::vector<Series>& series() const noexcept { return series_; }
  const Series* find_series(std::string_view name) const noexcept;
  void add_series(Series s);  // throws InvalidInput on a duplicate name or bad column index

  // Sum of Column::memory_bytes over all columns.
  std::size_t memory_bytes() const noexcept;

  // Anything that must outlive the columns' views (e.g. a snapshot's mmap).
  void set_backing(std::shared_ptr<const void> b) { backing_ = std::move(b); }

 private:
  std::size_t rows_ = 0;
  int32_t as_of_ = 0;
  std::vector<Column> columns_;
  std::unordered_map<std::string, std::size_t> by_name_, by_alias_;  // -> index in columns_
  std::optional<std::size_t> id_column_;
  std::vector<Series> series_;
  std::shared_ptr<const void> backing_;
};

}  // namespace nudge
