#include "io/csv/csv_infer.h"

#include "io/csv/csv_number.h"

namespace nudge::csv {

void TypeGuess::observe(std::string_view text) noexcept {
  ++values_;
  if (possible_ & kBool) {
    uint8_t b;
    if (parse_bool(text, b) != ParseStatus::Ok) possible_ &= ~kBool;
  }
  if (possible_ & kInt32) {
    int32_t v;
    if (parse_int32(text, v) != ParseStatus::Ok) possible_ &= ~kInt32;
  }
  if (possible_ & kInt64) {
    int64_t v;
    if (parse_int64(text, v) != ParseStatus::Ok) possible_ &= ~kInt64;
  }
  if (possible_ & kUInt64) {
    uint64_t v;
    if (parse_uint64(text, v) != ParseStatus::Ok) possible_ &= ~kUInt64;
  }
  if (possible_ & kFloat) {
    double v;
    if (parse_float64(text, v) != ParseStatus::Ok) possible_ &= ~kFloat;
  }
  if (possible_ & kDate) {
    static const DateFormat iso;
    int32_t d;
    if (iso.parse(text, d) != ParseStatus::Ok) possible_ &= ~kDate;
  }
}

DataType TypeGuess::result(bool is_id) const noexcept {
  if (values_ == 0) return DataType::Category;
  if (is_id && (possible_ & kUInt64)) return DataType::UInt64;
  if (possible_ & kBool) return DataType::Bool;
  if (possible_ & kInt32) return DataType::Int32;
  if (possible_ & kInt64) return DataType::Int64;
  if (possible_ & kUInt64) return DataType::UInt64;
  if (possible_ & kFloat) return DataType::Float64;
  if (possible_ & kDate) return DataType::Date;
  return DataType::Category;
}

}  // namespace nudge::csv
