// Type inference for CSV columns from a sample of their values.
//
// A TypeGuess watches the non-empty values of one column and keeps the set
// of types that can still hold all of them; result() picks the narrowest:
//
//   bool      only 0, 1, true, false (any case)
//   int32     integers in int32 range
//   int64     integers in int64 range
//   uint64    non-negative integers beyond int64 range, or any non-negative
//             integers when the column is the id column (`is_id`)
//   float64   any number fast_float reads (float32 is never guessed: its
//             rounding would be silent; declare it in a schema file)
//   date      only ISO dates YYYY-MM-DD
//   category  anything else, and columns with no value in the sample
//
// The guess is only as good as the sample: a later value that does not fit
// makes the import fail with an error naming the type, so inference never
// silently changes a value.
//
// What a guess cannot say with a type alone, it says in words (notes()):
// a float64 column holding an integer that float64 cannot hold exactly
// (beyond 2^53 in magnitude), and a category column whose values are mostly
// numbers or look like numbers with thousands separators ("12,500.00",
// "1.299,99"), naming the lines of the first such values; a category column
// whose values are mostly YYYY-MM-DD dates but some impossible ones
// ("2026-02-29"), naming their lines. And for the id
// column, the first line whose value is not a uint64 (id_fault()).
//
// Thread-safety: a TypeGuess is single-threaded.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store/types.h"

namespace nudge::csv {

class TypeGuess {
 public:
  // `text` is the unquoted field text of a non-NULL value on physical line `line`.
  void observe(std::string_view text, uint64_t line = 0);
  DataType result(bool is_id) const noexcept;
  std::size_t values() const noexcept { return values_; }
  // Findings about the guess of result(false), for column `name`, each a sentence; empty when there is nothing to say.
  std::vector<std::string> notes(std::string_view name) const;
  // For an id column: "line N: 'text'" of the first value that is not a uint64; "" when every value is one.
  const std::string& id_fault() const noexcept { return id_fault_; }

 private:
  enum : uint8_t { kBool = 1, kInt32 = 2, kInt64 = 4, kUInt64 = 8, kFloat = 16, kDate = 32 };
  uint8_t possible_ = kBool | kInt32 | kInt64 | kUInt64 | kFloat | kDate;
  std::size_t values_ = 0, numbers_ = 0;
  std::string id_fault_;
  std::vector<std::string> inexact_;      // integers float64 cannot hold exactly (first few)
  std::vector<std::string> not_numbers_;  // values that are not numbers (first few)
  std::size_t grouped_ = 0;               // values that look like numbers with separators
  std::size_t date_shaped_ = 0;           // values shaped YYYY-MM-DD
  std::vector<std::string> not_dates_;    // of those, the ones that are no date, e.g. 2026-02-29 (first few)
};

// "2026-02-29": four digits, '-', two, '-', two (a date or an impossible one).
bool looks_like_iso_date(std::string_view text) noexcept;

// "12,500.00", "1.299,99", "1 000", "-3'500": digits in groups with ',', '.',
// ' ' or '\'' between them, which a plain number parser does not read.
bool looks_like_grouped_number(std::string_view text) noexcept;

}  // namespace nudge::csv
