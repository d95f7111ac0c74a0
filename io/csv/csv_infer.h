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
// Thread-safety: a TypeGuess is single-threaded.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/store/types.h"

namespace nudge::csv {

class TypeGuess {
 public:
  // `text` is the unquoted field text of a non-NULL value.
  void observe(std::string_view text) noexcept;
  DataType result(bool is_id) const noexcept;
  std::size_t values() const noexcept { return values_; }

 private:
  enum : uint8_t { kBool = 1, kInt32 = 2, kInt64 = 4, kUInt64 = 8, kFloat = 16, kDate = 32 };
  uint8_t possible_ = kBool | kInt32 | kInt64 | kUInt64 | kFloat | kDate;
  std::size_t values_ = 0;
};

}  // namespace nudge::csv
