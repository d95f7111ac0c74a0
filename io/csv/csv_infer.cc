#include "io/csv/csv_infer.h"

#include <cmath>

#include "io/csv/csv_number.h"

namespace nudge::csv {
namespace {

constexpr std::size_t kExamples = 3;

std::string at_line(uint64_t line, std::string_view text) {
  std::string t(text.substr(0, 40));
  if (text.size() > 40) t += "...";
  return "line " + std::to_string(line) + " '" + t + "'";
}

// [+-]digits: an integer literal, whatever its size.
bool is_integer_literal(std::string_view s) noexcept {
  s = trim_spaces(s);
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string join(const std::vector<std::string>& v) {
  std::string o;
  for (const auto& s : v) o += (o.empty() ? "" : ", ") + s;
  return o;
}

}  // namespace

bool looks_like_grouped_number(std::string_view s) noexcept {
  s = trim_spaces(s);
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  bool prev_digit = false, grouping = false;
  std::size_t dots = 0;
  for (char c : s) {
    const bool digit = c >= '0' && c <= '9';
    if (!digit) {
      if (!prev_digit || (c != ',' && c != '.' && c != ' ' && c != '\'')) return false;
      if (c == '.') ++dots;
      else grouping = true;
    }
    prev_digit = digit;
  }
  return prev_digit && (grouping || dots > 1);
}

bool looks_like_iso_date(std::string_view s) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

void TypeGuess::observe(std::string_view text, uint64_t line) {
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
  uint64_t u;
  if (parse_uint64(text, u) != ParseStatus::Ok) {
    possible_ &= ~kUInt64;
    if (id_fault_.empty()) id_fault_ = at_line(line, text);
  }
  double d;
  if (parse_float64(text, d) == ParseStatus::Ok) {
    ++numbers_;
    if (std::fabs(d) > 9007199254740992.0 && is_integer_literal(text) && inexact_.size() < kExamples)
      inexact_.push_back(at_line(line, text));
  } else {
    possible_ &= ~kFloat;
    if (not_numbers_.size() < kExamples) not_numbers_.push_back(at_line(line, text));
    if (looks_like_grouped_number(text)) ++grouped_;
  }
  static const DateFormat iso;
  int32_t days;
  const bool shaped = looks_like_iso_date(text);
  const bool date = ((possible_ & kDate) || shaped) && iso.parse(text, days) == ParseStatus::Ok;
  if (!date) possible_ &= ~kDate;
  if (shaped) {
    ++date_shaped_;
    if (!date && not_dates_.size() < kExamples) not_dates_.push_back(at_line(line, text));
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

std::vector<std::string> TypeGuess::notes(std::string_view name) const {
  std::vector<std::string> out;
  const std::string col = "column '" + std::string(name) + "'";
  const DataType t = result(false);
  if (t == DataType::Float64 && !inexact_.empty())
    out.push_back(col + ": inferred float64, which cannot hold every integer beyond 2^53 exactly: " + join(inexact_) +
                  " (declare int64, uint64 or category in a schema to keep them exact)");
  if (t == DataType::Category && numbers_ + grouped_ > 0 && (grouped_ > 0 || numbers_ * 2 >= values_)) {
    std::string why = col + ": inferred category, but " + std::to_string(numbers_) + " of " + std::to_string(values_) +
                      " sampled values are numbers";
    if (grouped_) why += " and " + std::to_string(grouped_) + " look like numbers with thousands separators";
    out.push_back(why + "; not plain numbers: " + join(not_numbers_) +
                  " (nudge reads numbers without separators, with '.' as the decimal point; clean these rows or "
                  "declare the type in a schema)");
  }
  if (t == DataType::Category && !not_dates_.empty() && date_shaped_ * 2 >= values_)
    out.push_back(col + ": inferred category, but " + std::to_string(date_shaped_) + " of " +
                  std::to_string(values_) + " sampled values look like dates (YYYY-MM-DD); not valid dates: " +
                  join(not_dates_) + " (clean these rows or declare the type in a schema)");
  return out;
}

}  // namespace nudge::csv
