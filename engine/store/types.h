// Column data types of the population store and date helpers.
//
// Physical layout of each logical type (one value per row, little-endian):
//   Bool      uint8_t   0 or 1
//   Int32     int32_t
//   Int64     int64_t
//   UInt64    uint64_t  (customer ids)
//   Float32   float     (may hold NaN and +-inf)
//   Float64   double
//   Category  int32_t   code into the column's dictionary (0..dict.size()-1)
//   Date      int32_t   days since 1970-01-01 (proleptic Gregorian)
// NULL is not a value of any type: it is the absence of a validity bit.
//
// Thread-safety: all functions are pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/base/names.h"

namespace nudge {

enum class DataType : uint8_t { Bool, Int32, Int64, UInt64, Float32, Float64, Category, Date };

// Bytes per value of the physical type.
constexpr std::size_t type_width(DataType t) noexcept {
  switch (t) {
    case DataType::Bool: return 1;
    case DataType::Int64:
    case DataType::UInt64:
    case DataType::Float64: return 8;
    default: return 4;
  }
}

// Lower-case name used in schema files and messages: "bool", "int32", "int64",
// "uint64", "float32", "float64", "category", "date".
std::string_view type_name(DataType t) noexcept;
// Inverse of type_name; also accepts "float" (float64), "double", "int", "string" (category).
std::optional<DataType> parse_type_name(std::string_view name) noexcept;

bool is_numeric(DataType t) noexcept;  // Int32, Int64, UInt64, Float32, Float64 (not Bool/Date/Category)

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's
// days_from_civil algorithm, http://howardhinnant.github.io/date_algorithms.html).
int32_t days_from_civil(int y, unsigned m, unsigned d) noexcept;
// Inverse of days_from_civil.
void civil_from_days(int32_t days, int& y, unsigned& m, unsigned& d) noexcept;
// Parses YYYY-MM-DD (strict: 4-digit year, 2-digit month and day, valid day of month).
std::optional<int32_t> parse_iso_date(std::string_view s) noexcept;
// Formats days since epoch as YYYY-MM-DD.
std::string format_iso_date(int32_t days);

}  // namespace nudge
