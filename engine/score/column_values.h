// Typed access to one numeric feature column for the scorers.
//
// Both model families read features the same way: a column of the population
// store (engine/store/column.h) is one of the numeric physical types or Bool, and a
// row either holds a value or is NULL (validity bit clear). visit_values()
// hands the caller the column's raw value pointer with its C++ type, so the
// per-row loops are compiled once per type with no switch inside.
//
// Thread-safety: pure functions over const columns.
#pragma once

#include <cstdint>
#include <string>

#include "engine/base/error.h"
#include "engine/store/column.h"

namespace nudge::score {

// True for the column types a model may read as a number: Int32, Int64,
// UInt64, Float32, Float64 and Bool (0/1). Category and Date are not numbers.
inline bool is_model_numeric(DataType t) noexcept { return t == DataType::Bool || is_numeric(t); }

// Calls f(const T* values) with T the physical C++ type of `c`. Throws
// Error(Internal) for a type that is_model_numeric() rejects (binding checks first).
template <class F>
decltype(auto) visit_values(const Column& c, F&& f) {
  switch (c.type()) {
    case DataType::Bool: return f(c.values<uint8_t>());
    case DataType::Int32: return f(c.values<int32_t>());
    case DataType::Int64: return f(c.values<int64_t>());
    case DataType::UInt64: return f(c.values<uint64_t>());
    case DataType::Float32: return f(c.values<float>());
    case DataType::Float64: return f(c.values<double>());
    default: break;
  }
  throw_internal("column '" + c.name() + "' of type " + std::string(type_name(c.type())) + " read as a number");
}

// Bit `row` of an Arrow-style validity bitmap (nullptr = no NULLs).
inline bool row_valid(const uint64_t* validity, std::size_t row) noexcept {
  return validity == nullptr || ((validity[row >> 6] >> (row & 63)) & 1u);
}

}  // namespace nudge::score
