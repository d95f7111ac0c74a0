#include "engine/store/types.h"

#include <cctype>
#include <cstdio>

namespace nudge {

std::string_view type_name(DataType t) noexcept {
  switch (t) {
    case DataType::Bool: return "bool";
    case DataType::Int32: return "int32";
    case DataType::Int64: return "int64";
    case DataType::UInt64: return "uint64";
    case DataType::Float32: return "float32";
    case DataType::Float64: return "float64";
    case DataType::Category: return "category";
    case DataType::Date: return "date";
  }
  return "?";
}

std::optional<DataType> parse_type_name(std::string_view n) noexcept {
  if (n == "bool" || n == "boolean") return DataType::Bool;
  if (n == "int32" || n == "int") return DataType::Int32;
  if (n == "int64") return DataType::Int64;
  if (n == "uint64") return DataType::UInt64;
  if (n == "float32") return DataType::Float32;
  if (n == "float64" || n == "float" || n == "double") return DataType::Float64;
  if (n == "category" || n == "string") return DataType::Category;
  if (n == "date") return DataType::Date;
  return std::nullopt;
}

bool is_numeric(DataType t) noexcept {
  return t == DataType::Int32 || t == DataType::Int64 || t == DataType::UInt64 || t == DataType::Float32 ||
         t == DataType::Float64;
}

int32_t days_from_civil(int y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void civil_from_days(int32_t z, int& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

std::optional<int32_t> parse_iso_date(std::string_view s) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t at, std::size_t n, unsigned& out) {
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return true;
  };
  unsigned y, m, d;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const unsigned dim = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > dim) return std::nullopt;
  return days_from_civil(static_cast<int>(y), m, d);
}

std::string format_iso_date(int32_t days) {
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

}  // namespace nudge
