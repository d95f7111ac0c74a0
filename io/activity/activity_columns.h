// Internal to the activity import (io/activity/activity_import.cc and the reference
// tests/oracles/activity_reference.cc): the activity table's columns resolved against an
// ActivitySpec, and the per-row rules both paths share (rule 1 of
// io/activity/activity_import.h, the bucket of a row, exact row equality).
//
// Thread-safety: a resolved ActivityColumns is read-only; its functions may be
// called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/store/population.h"
#include "io/activity/activity_spec.h"

namespace nudge::activity {

struct ActivityColumns {
  const Population* table = nullptr;
  std::string source;
  const Column* member = nullptr;  // UInt64
  const Column* date = nullptr;    // Date (event rows)
  const Column* year = nullptr;    // Int32/Int64 (period rows)
  const Column* month = nullptr;
  std::vector<const Column*> metrics;  // in spec order; integer or float types
  std::vector<int> decimals;           // per metric (ActivityMetric::decimals)

  // Throws Error(InvalidInput) naming the source, the spec column and its type.
  static ActivityColumns resolve(const Population& table, const ActivitySpec& spec, std::string_view source);

  // "<source>: data row N" (N 1-based, header excluded).
  std::string row_label(std::size_t row) const;
  // The member id of `row`; nullopt when NULL.
  std::optional<uint64_t> member_id(std::size_t row) const noexcept;
  // The row's bucket (engine/store/series_calendar.h; negative = after as_of, also
  // for a day after as_of within bucket 0's month). On a rule-1 problem
  // (including a metric value with more decimals than its metric keeps)
  // returns nullopt and sets *why to the complete message.
  std::optional<int64_t> bucket(std::size_t row, const ActivitySpec& spec, int32_t as_of, std::string* why) const;
  // The first day of the row's period (date, or 1st of the month); nullopt on a rule-1 problem.
  std::optional<int32_t> first_day(std::size_t row, std::string* why) const;
  // True when rows a and b hold bitwise equal values and equal NULLs in every column.
  bool rows_equal(std::size_t a, std::size_t b) const noexcept;
  // A hash of every column of `row`, equal for rows_equal rows.
  uint64_t row_hash(std::size_t row) const noexcept;
};

// Metric value of a row as int64 times 10^decimals (integer or float
// columns; bucket() has checked that it is whole) or double; NULL reads as 0.
int64_t metric_int(const Column& c, std::size_t row, int decimals) noexcept;
// A float32 series cell from its double sum: rounded to nearest; beyond the
// float32 range +-inf (explicitly: the plain conversion would be undefined).
float to_float32(double sum) noexcept;
// value * 10^decimals as a whole number; nullopt when it is not one (or out of int64).
std::optional<int64_t> scaled_value(const Column& c, std::size_t row, int decimals) noexcept;
double metric_double(const Column& c, std::size_t row) noexcept;

// id -> row of the members table. Throws Error(InvalidInput) when the members
// have no id column or an id occurs twice.
std::unordered_map<uint64_t, uint32_t> member_index(const Population& members);

// The error for an int32 series sum out of range.
[[noreturn]] void throw_overflow(const Population& members, const ActivitySpec& spec, std::size_t metric,
                                 std::size_t member_row, std::size_t bucket, __int128 sum);
// The error for an unknown member (policy error).
[[noreturn]] void throw_unknown_member(const ActivityColumns& cols, std::size_t row, uint64_t id);
// The bytes of the bucket columns an import adds: members x buckets x
// metrics x 4 (int32 / float32 cells), saturating at UINT64_MAX.
uint64_t series_bytes(std::size_t members, const ActivitySpec& spec);
// Refuses (Error InvalidInput), before anything is allocated, an import whose
// series_bytes exceed `limit_bytes`: "the activity series need 23570 members x
// 100000 buckets x 3 metrics x 4 bytes = 28284000000 bytes (26.3 GiB) of
// columns, more than half of this machine's memory (11.5 GiB); use fewer
// buckets or a coarser unit (week, month)". add_activity_series passes half
// the machine's physical memory (sysconf).
void check_series_size(std::size_t members, const ActivitySpec& spec, uint64_t limit_bytes);
// Half the machine's physical memory in bytes (UINT64_MAX when unknown).
uint64_t half_physical_memory();

}  // namespace nudge::activity
