// Typed access to one numeric feature column for the scorers.
//
// Both model families read features the same way: a column of the population
// store (engine/store/column.h) is one of the numeric physical types or Bool, and a
// row either holds a value or is NULL (validity bit clear). The scorers read
// values through nudge::visit_values (engine/store/column.h), after binding
// has checked is_model_numeric().
//
// Thread-safety: pure functions over const columns.
#pragma once

#include <cstdint>

#include "engine/store/column.h"

namespace nudge::score {

// True for the column types a model may read as a number: Int32, Int64,
// UInt64, Float32, Float64 and Bool (0/1). Category and Date are not numbers.
inline bool is_model_numeric(DataType t) noexcept { return t == DataType::Bool || is_numeric(t); }

// Bit `row` of an Arrow-style validity bitmap (nullptr = no NULLs).
inline bool row_valid(const uint64_t* validity, std::size_t row) noexcept {
  return validity == nullptr || ((validity[row >> 6] >> (row & 63)) & 1u);
}

}  // namespace nudge::score
