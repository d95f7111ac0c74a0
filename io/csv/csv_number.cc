#include "io/csv/csv_number.h"

#include <fast_float/fast_float.h>

#include <cmath>
#include <limits>

#include "engine/store/types.h"

namespace nudge::csv {
namespace {

// Magnitude of a run of decimal digits; false when `s` is empty or holds a
// non-digit; `overflow` set when the value exceeds 2^64-1.
bool parse_digits(std::string_view s, uint64_t& v, bool& overflow) noexcept {
  if (s.empty()) return false;
  v = 0;
  overflow = false;
  for (char ch : s) {
    const unsigned d = static_cast<unsigned char>(ch) - unsigned{'0'};
    if (d > 9) return false;
    if (__builtin_mul_overflow(v, uint64_t{10}, &v) || __builtin_add_overflow(v, uint64_t{d}, &v)) overflow = true;
  }
  return true;
}

// Signed integer of type T: optional sign, digits, in range.
template <class T>
ParseStatus parse_signed(std::string_view s, T& out) noexcept {
  s = trim_spaces(s);
  bool neg = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    neg = s.front() == '-';
    s.remove_prefix(1);
  }
  uint64_t mag;
  bool overflow;
  if (!parse_digits(s, mag, overflow)) return ParseStatus::Invalid;
  const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<T>::max()) + (neg ? 1 : 0);
  if (overflow || mag > limit) return ParseStatus::OutOfRange;
  // Two's complement negation in unsigned arithmetic keeps T's minimum exact.
  out = neg ? static_cast<T>(0 - mag) : static_cast<T>(mag);
  return ParseStatus::Ok;
}

bool is_infinity_literal(std::string_view s) noexcept {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  if (s.size() < 3) return false;
  const char c = static_cast<char>(s[0] | 0x20);
  return c == 'i';
}

template <class T>
ParseStatus parse_floating(std::string_view s, T& out) noexcept {
  s = trim_spaces(s);
  // fast_float 3.x does not accept a leading '+'; a second sign is still invalid.
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
    if (s.empty() || s.front() == '-' || s.front() == '+') return ParseStatus::Invalid;
  }
  if (s.empty()) return ParseStatus::Invalid;
  T v;
  auto r = fast_float::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return ParseStatus::Invalid;
  // fast_float 3.x rounds an overflowing literal to infinity without saying so.
  if (std::isinf(v) && !is_infinity_literal(s)) return ParseStatus::OutOfRange;
  out = v;
  return ParseStatus::Ok;
}

bool iequals(std::string_view a, std::string_view lower) noexcept {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (static_cast<char>(a[i] | 0x20) != lower[i]) return false;
  return true;
}

}  // namespace

ParseStatus parse_int32(std::string_view s, int32_t& out) noexcept { return parse_signed(s, out); }
ParseStatus parse_int64(std::string_view s, int64_t& out) noexcept { return parse_signed(s, out); }

ParseStatus parse_uint64(std::string_view s, uint64_t& out) noexcept {
  s = trim_spaces(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  uint64_t v;
  bool overflow;
  if (!parse_digits(s, v, overflow)) return ParseStatus::Invalid;
  if (overflow) return ParseStatus::OutOfRange;
  out = v;
  return ParseStatus::Ok;
}

template <class T>
const char* scan_floating(const char* p, const char* end, T& out) noexcept {
  T v;
  auto r = fast_float::from_chars(p, end, v);
  if (r.ec != std::errc() || std::isinf(v)) return nullptr;  // infinities: the full parser decides
  out = v;
  return r.ptr;
}

const char* scan_float32(const char* p, const char* end, float& out) noexcept { return scan_floating(p, end, out); }
const char* scan_float64(const char* p, const char* end, double& out) noexcept { return scan_floating(p, end, out); }

ParseStatus parse_float32(std::string_view s, float& out) noexcept { return parse_floating(s, out); }
ParseStatus parse_float64(std::string_view s, double& out) noexcept { return parse_floating(s, out); }

ParseStatus parse_bool(std::string_view s, uint8_t& out) noexcept {
  s = trim_spaces(s);
  if (s == "1" || iequals(s, "true")) {
    out = 1;
    return ParseStatus::Ok;
  }
  if (s == "0" || iequals(s, "false")) {
    out = 0;
    return ParseStatus::Ok;
  }
  return ParseStatus::Invalid;
}

std::optional<DateFormat> DateFormat::compile(std::string_view pattern) {
  int seen_y = 0, seen_m = 0, seen_d = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') continue;
    if (++i == pattern.size()) return std::nullopt;
    switch (pattern[i]) {
      case 'Y': ++seen_y; break;
      case 'm': ++seen_m; break;
      case 'd': ++seen_d; break;
      case '%': break;
      default: return std::nullopt;
    }
  }
  if (seen_y != 1 || seen_m != 1 || seen_d != 1) return std::nullopt;
  return DateFormat(std::string(pattern));
}

ParseStatus DateFormat::parse(std::string_view s, int32_t& days) const noexcept {
  s = trim_spaces(s);
  unsigned y = 0, m = 0, d = 0;
  std::size_t at = 0;
  auto digits = [&](std::size_t n, unsigned& v) {
    if (s.size() - at < n) return false;
    v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const unsigned c = static_cast<unsigned char>(s[at + k]) - unsigned{'0'};
      if (c > 9) return false;
      v = v * 10 + c;
    }
    at += n;
    return true;
  };
  const std::string& p = pattern_;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '%') {
      const char dir = p[++i];
      const bool ok = dir == 'Y'   ? digits(4, y)
                      : dir == 'm' ? digits(2, m)
                      : dir == 'd' ? digits(2, d)
                                   : (at < s.size() && s[at++] == '%');
      if (!ok) return ParseStatus::Invalid;
    } else if (at >= s.size() || s[at++] != p[i]) {
      return ParseStatus::Invalid;
    }
  }
  if (at != s.size() || m < 1 || m > 12 || d < 1) return ParseStatus::Invalid;
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1u : 0u)) return ParseStatus::Invalid;
  days = days_from_civil(static_cast<int>(y), m, d);
  return ParseStatus::Ok;
}

}  // namespace nudge::csv
