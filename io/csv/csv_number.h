// Typed value parsers for CSV fields: integers with overflow checks, floats
// through fast_float, booleans and dates in a declared format.
//
// Every parser takes the field text as it stands after unquoting, tolerates
// ASCII spaces and tabs around the value (" 42 " is 42) and requires the
// whole remaining text to be the value ("42x" is invalid). None of them
// treats the empty string as a value: the caller maps empty fields to NULL
// before calling.
//
//   int32/int64  [+-]digits, in range of the type
//   uint64       [+]digits, 0 .. 2^64-1
//   float32      decimal or scientific, nan, inf; parsed straight to float
//                (one rounding, not double-then-float) by fast_float
//                (https://github.com/fastfloat/fast_float, Lemire 2021);
//                a finite literal beyond the type's range is OutOfRange
//   float64      as float32, to double
//   bool         0, 1, true, false (case-insensitive)
//   date         per DateFormat: %Y (4 digits), %m and %d (2 digits), %%,
//                any other character literally; the day must exist in the
//                proleptic Gregorian calendar. Result: days since 1970-01-01.
//
// Thread-safety: all functions are pure; a DateFormat is immutable once made.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace nudge::csv {

enum class ParseStatus : uint8_t {
  Ok,
  Invalid,     // not a value of the type at all
  OutOfRange,  // a well-formed number the type cannot hold
};

// Strips ASCII spaces and tabs at both ends.
constexpr std::string_view trim_spaces(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

ParseStatus parse_int32(std::string_view s, int32_t& out) noexcept;
ParseStatus parse_int64(std::string_view s, int64_t& out) noexcept;
ParseStatus parse_uint64(std::string_view s, uint64_t& out) noexcept;
ParseStatus parse_float32(std::string_view s, float& out) noexcept;
ParseStatus parse_float64(std::string_view s, double& out) noexcept;
ParseStatus parse_bool(std::string_view s, uint8_t& out) noexcept;

// Prefix scanners for the import's fast path: read a plain value starting
// at `p` (integers: an optional '-' then digits; floats: what fast_float
// reads), never past `end`, and return where it ends; nullptr when no such
// value starts at `p` or it is out of range. They accept a subset of what
// the parsers above accept and give the same value; the caller checks that
// a field terminator follows and otherwise falls back to the full parsers.
template <class T>
inline const char* scan_integer(const char* p, const char* end, T& out) noexcept {
  static_assert(sizeof(T) == 4 || sizeof(T) == 8);
  // Digits that can never overflow uint64 arithmetic: 9 for 32-bit, 18 for 64-bit.
  constexpr std::ptrdiff_t kSafeDigits = sizeof(T) == 4 ? 9 : 18;
  bool neg = false;
  if constexpr (static_cast<T>(-1) < T{0}) {
    if (p < end && *p == '-') {
      neg = true;
      ++p;
    }
  }
  const char* s = p;
  uint64_t v = 0;
  while (p < end && p - s < kSafeDigits) {
    const unsigned d = static_cast<unsigned char>(*p) - unsigned{'0'};
    if (d > 9) break;
    v = v * 10 + d;
    ++p;
  }
  if (p == s) return nullptr;
  if (p < end && static_cast<unsigned>(static_cast<unsigned char>(*p) - unsigned{'0'}) <= 9)
    return nullptr;  // long: full parser
  if constexpr (sizeof(T) == 4) {
    if (v > static_cast<uint64_t>(std::numeric_limits<T>::max()) + (neg ? 1 : 0)) return nullptr;
  }
  out = neg ? static_cast<T>(0 - v) : static_cast<T>(v);
  return p;
}
const char* scan_float32(const char* p, const char* end, float& out) noexcept;
const char* scan_float64(const char* p, const char* end, double& out) noexcept;

// The common case of scan_float32/64 inline: [-]digits[.digits] with a
// mantissa m and k decimals small enough that m and 10^k are exact in T
// (m <= 2^24 and k <= 10 for float, m <= 2^53 and k <= 22 for double); then
// m / 10^k is one correctly rounded IEEE division (Clinger's fast path,
// W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990).
// nullptr otherwise (exponents, long mantissas, nan/inf): use scan_float*.
template <class T>
inline const char* scan_decimal(const char* p, const char* end, T& out) noexcept {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>);
  constexpr uint64_t kMaxMantissa = std::is_same_v<T, float> ? (uint64_t{1} << 24) : (uint64_t{1} << 53);
  constexpr int kMaxDecimals = std::is_same_v<T, float> ? 10 : 22;
  static constexpr T kPow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const bool neg = p < end && *p == '-';
  p += neg;
  uint64_t m = 0;
  int digits = 0, decimals = 0;
  const char* s = p;
  while (p < end && static_cast<unsigned>(static_cast<unsigned char>(*p) - unsigned{'0'}) <= 9 && digits < 19) {
    m = m * 10 + static_cast<unsigned>(*p - '0');
    ++p;
    ++digits;
  }
  if (p == s) return nullptr;  // ".5", "nan", ...: the general scanner
  if (p < end && *p == '.') {
    const char* f = ++p;
    while (p < end && static_cast<unsigned>(static_cast<unsigned char>(*p) - unsigned{'0'}) <= 9 && digits < 19) {
      m = m * 10 + static_cast<unsigned>(*p - '0');
      ++p;
      ++digits;
    }
    decimals = static_cast<int>(p - f);
  }
  if (p < end && ((*p | 0x20) == 'e' || static_cast<unsigned>(static_cast<unsigned char>(*p) - unsigned{'0'}) <= 9))
    return nullptr;  // exponent, or more than 19 digits
  if (m > kMaxMantissa || decimals > kMaxDecimals) return nullptr;
  const T v = static_cast<T>(m) / kPow10[decimals];
  out = neg ? -v : v;
  return p;
}

// A compiled strptime-like date pattern (the subset documented above).
class DateFormat {
 public:
  // ISO 8601 calendar date, "%Y-%m-%d".
  DateFormat() : DateFormat(*compile("%Y-%m-%d")) {}
  // nullopt when the pattern uses a directive other than %Y %m %d %%, or
  // lacks one of %Y, %m, %d, or repeats one.
  static std::optional<DateFormat> compile(std::string_view pattern);
  const std::string& pattern() const noexcept { return pattern_; }
  ParseStatus parse(std::string_view s, int32_t& days) const noexcept;

 private:
  explicit DateFormat(std::string p) : pattern_(std::move(p)) {}
  std::string pattern_;
};

}  // namespace nudge::csv
