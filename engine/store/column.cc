#include "engine/store/column.h"

#include <cstring>

#include "engine/base/error.h"

namespace nudge {

Column::Column(std::string name, DataType type, std::size_t rows)
    : name_(std::move(name)),
      alias_(normalize_name(name_)),
      type_(type),
      rows_(rows),
      values_(Buffer::allocate(padded_rows(rows) * type_width(type))) {}

Column Column::from_buffers(std::string name, DataType type, std::size_t rows, Buffer values, Buffer validity,
                            std::vector<std::string> dictionary, std::size_t null_count) {
  const std::size_t want = padded_rows(rows) * type_width(type);
  if (values.size() < want)
    throw_invalid_input("column '" + name + "': value buffer holds " + std::to_string(values.size()) +
                        " bytes, expected " + std::to_string(want));
  if (!validity.empty() && validity.size() < padded_rows(rows) / 8)
    throw_invalid_input("column '" + name + "': validity bitmap holds " + std::to_string(validity.size()) +
                        " bytes, expected " + std::to_string(padded_rows(rows) / 8));
  Column c;
  c.name_ = std::move(name);
  c.alias_ = normalize_name(c.name_);
  c.type_ = type;
  c.rows_ = rows;
  c.values_ = std::move(values);
  c.validity_ = std::move(validity);
  c.null_count_ = null_count;
  c.dictionary_ = std::move(dictionary);
  return c;
}

void Column::rename(std::string name) {
  name_ = std::move(name);
  alias_ = normalize_name(name_);
}

void Column::set_null(std::size_t row) {
  if (row >= rows_) throw_internal("Column::set_null row out of range");
  if (validity_.empty()) {
    const std::size_t words = padded_rows(rows_) / 64;
    validity_ = Buffer::allocate(words * 8);
    uint64_t* w = validity_.mutable_as<uint64_t>();
    std::memset(w, 0xff, (rows_ / 64) * 8);
    if (rows_ % 64) w[rows_ / 64] = (uint64_t{1} << (rows_ % 64)) - 1;
  }
  uint64_t* w = validity_.mutable_as<uint64_t>();
  const uint64_t bit = uint64_t{1} << (row & 63);
  if (w[row >> 6] & bit) {
    w[row >> 6] &= ~bit;
    ++null_count_;
    std::memset(values_.mutable_data() + row * type_width(type_), 0, type_width(type_));
  }
}

std::optional<int32_t> Column::find_code(std::string_view value) const noexcept {
  for (std::size_t i = 0; i < dictionary_.size(); ++i)
    if (dictionary_[i] == value) return static_cast<int32_t>(i);
  return std::nullopt;
}

std::size_t Column::memory_bytes() const noexcept {
  std::size_t n = values_.size() + validity_.size();
  for (const auto& s : dictionary_) n += s.size() + sizeof(std::string);
  return n;
}

}  // namespace nudge
