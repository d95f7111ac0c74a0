// Column: one typed column of the population store.
//
// Memory: values in a Buffer of padded_rows(rows) * type_width(type) bytes
// (engine/store/buffer.h: 64-byte aligned, zero padding). NULLs live in an optional
// validity bitmap of padded_rows(rows) / 64 little-endian uint64 words: bit
// (row % 64) of word (row / 64) is 1 when the row holds a value (Arrow's
// convention). The bitmap exists only when the column has at least one NULL
// (`has_validity()`); padding bits are 0. The value slot of a NULL row is 0.
//
// Category columns store int32 codes into `dictionary()`, which keeps the
// strings in first-seen (or schema-declared) order.
//
// Thread-safety: const methods may be called concurrently; mutation is
// single-writer (during import or generation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store/buffer.h"
#include "engine/store/types.h"

namespace nudge {

class Column {
 public:
  Column() = default;
  // A column of `rows` zero values, no NULLs. Throws std::bad_alloc.
  Column(std::string name, DataType type, std::size_t rows);

  // Wraps existing buffers (zero copy, e.g. from a snapshot). `values` must
  // hold padded_rows(rows) * type_width(type) bytes; `validity`, when not
  // empty, padded_rows(rows) / 8 bytes. Throws Error(InvalidInput) when sizes
  // disagree, naming the column.
  static Column from_buffers(std::string name, DataType type, std::size_t rows, Buffer values, Buffer validity,
                             std::vector<std::string> dictionary, std::size_t null_count);

  const std::string& name() const noexcept { return name_; }    // as written in the source file
  const std::string& alias() const noexcept { return alias_; }  // normalize_name(name())
  void rename(std::string name);
  DataType type() const noexcept { return type_; }
  std::size_t rows() const noexcept { return rows_; }

  template <class T>
  const T* values() const noexcept {
    return values_.as<T>();
  }
  template <class T>
  T* mutable_values() {
    return values_.mutable_as<T>();
  }
  const Buffer& values_buffer() const noexcept { return values_; }

  bool has_validity() const noexcept { return !validity_.empty(); }
  // nullptr when the column has no NULLs.
  const uint64_t* validity() const noexcept { return has_validity() ? validity_.as<uint64_t>() : nullptr; }
  const Buffer& validity_buffer() const noexcept { return validity_; }
  bool is_valid(std::size_t row) const noexcept {
    return !has_validity() || ((validity_.as<uint64_t>()[row >> 6] >> (row & 63)) & 1u);
  }
  bool is_null(std::size_t row) const noexcept { return !is_valid(row); }
  // Marks `row` NULL and zeroes its value; creates the bitmap on first use.
  void set_null(std::size_t row);
  std::size_t null_count() const noexcept { return null_count_; }

  // Category dictionary (empty for other types).
  const std::vector<std::string>& dictionary() const noexcept { return dictionary_; }
  void set_dictionary(std::vector<std::string> dict) { dictionary_ = std::move(dict); }
  // Code of `value` in the dictionary, or nullopt when absent. O(dictionary size).
  std::optional<int32_t> find_code(std::string_view value) const noexcept;

  // Bytes held in memory by values, validity and dictionary.
  std::size_t memory_bytes() const noexcept;

 private:
  std::string name_, alias_;
  DataType type_ = DataType::Int32;
  std::size_t rows_ = 0;
  Buffer values_;
  Buffer validity_;
  std::size_t null_count_ = 0;
  std::vector<std::string> dictionary_;
};

// The one type switch over a column's values: calls f(const T* values) with T
// the physical C++ type of `c` (Bool: uint8_t 0/1; Int32, Category codes and
// Date days: int32_t; Int64: int64_t; UInt64: uint64_t; Float32: float;
// Float64: double), so per-row loops are compiled once per type with no
// switch inside. f must accept every T (if constexpr picks per type).
template <class F>
decltype(auto) visit_values(const Column& c, F&& f) {
  switch (c.type()) {
    case DataType::Bool: return f(c.values<uint8_t>());
    case DataType::Int32:
    case DataType::Category:
    case DataType::Date: return f(c.values<int32_t>());
    case DataType::Int64: return f(c.values<int64_t>());
    case DataType::UInt64: return f(c.values<uint64_t>());
    case DataType::Float32: return f(c.values<float>());
    case DataType::Float64: break;
  }
  return f(c.values<double>());
}

}  // namespace nudge
