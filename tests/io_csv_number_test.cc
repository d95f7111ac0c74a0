// CSV value parsers: exact syntax of each type, and the import's fast-path
// scanners (scan_integer, scan_decimal) against the full parsers and
// fast_float on seeded random and adversarial texts.
#include <gtest/gtest.h>

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store/types.h"
#include "io/csv/csv_number.h"

using namespace nudge::csv;

namespace {

// Random number-like text: sign, up to 22 integer digits, optional fraction
// of up to 14 digits, sometimes an exponent, leading zeros, or junk.
std::string random_number_text(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> len(0, 22), frac(0, 14), coin(0, 9), digit(0, 9);
  std::string s;
  if (coin(rng) < 3) s += '-';
  const int n = coin(rng) < 7 ? len(rng) % 8 : len(rng);
  for (int i = 0; i < n; ++i) s += static_cast<char>('0' + digit(rng));
  if (coin(rng) < 6) {
    s += '.';
    const int f = coin(rng) < 7 ? frac(rng) % 3 : frac(rng);
    for (int i = 0; i < f; ++i) s += static_cast<char>('0' + digit(rng));
  }
  if (coin(rng) == 0) {
    s += 'e';
    s += std::to_string(static_cast<int>(rng() % 80) - 40);
  }
  if (coin(rng) == 0) s += "x";
  return s;
}

// The texts in `fixed` (separated by single spaces), then `random` texts from random_number_text seeded with `seed`.
std::vector<std::string> texts_then_random(std::string_view fixed, uint64_t seed, int random) {
  std::vector<std::string> texts;
  for (std::size_t b = 0; b < fixed.size();) {
    const std::size_t e = std::min(fixed.find(' ', b), fixed.size());
    texts.emplace_back(fixed.substr(b, e - b));
    b = e + 1;
  }
  std::mt19937_64 rng(seed);
  for (int i = 0; i < random; ++i) texts.push_back(random_number_text(rng));
  return texts;
}

template <class T>
void expect_integer_scan_agrees(const std::string& text, ParseStatus (*full)(std::string_view, T&)) {
  T fast = 0, ref = 0;
  const char* end = text.data() + text.size();
  const char* q = scan_integer(text.data(), end, fast);
  const ParseStatus st = full(text, ref);
  if (q == end) {  // the scanner took the whole field: the full parser must agree exactly
    ASSERT_EQ(st, ParseStatus::Ok) << text;
    ASSERT_EQ(fast, ref) << text;
  } else if (st == ParseStatus::Ok && q != nullptr) {
    FAIL() << "scanner stopped early on a valid integer: " << text;
  }
}

template <class T>
void expect_decimal_scan_agrees(const std::string& text) {
  T fast = 0, ref = 0;
  const char* end = text.data() + text.size();
  const char* q = scan_decimal(text.data(), end, fast);
  if (q == nullptr) return;  // declined: the general scanner handles it
  auto r = fast_float::from_chars(text.data(), end, ref);
  ASSERT_EQ(r.ec, std::errc()) << text;
  ASSERT_EQ(r.ptr, q) << text;
  ASSERT_EQ(std::memcmp(&fast, &ref, sizeof(T)), 0) << text << " fast " << fast << " ref " << ref;
}

}  // namespace

TEST(CsvScan, IntegerScannerAgreesWithFullParsers) {
  std::vector<std::string> texts = texts_then_random(
      "0 -0 - 2147483647 2147483648 -2147483648 -2147483649 9223372036854775807 9223372036854775808 "
      "-9223372036854775808 18446744073709551615 18446744073709551616 999999999 1000000000 000000000000000000001 12x "
      "1.5 +1",
      7, 20000);
  texts.insert(texts.end(), {"", " 1"});  // the empty text; a leading space
  for (const auto& t : texts) {
    expect_integer_scan_agrees<int32_t>(t, parse_int32);
    expect_integer_scan_agrees<int64_t>(t, parse_int64);
    expect_integer_scan_agrees<uint64_t>(t, parse_uint64);
  }
  int32_t v = 0;
  const std::string s = "-999999999,";
  EXPECT_EQ(scan_integer(s.data(), s.data() + s.size(), v), s.data() + 10);
  EXPECT_EQ(v, -999999999);
  const std::string longer = "-2147483648,";  // 10 digits: declined, the full parser reads it
  EXPECT_EQ(scan_integer(longer.data(), longer.data() + longer.size(), v), nullptr);
}

TEST(CsvScan, DecimalFastPathRoundsLikeFastFloat) {
  const std::vector<std::string> texts = texts_then_random(
      "0 -0 0.1 0.3 16777216 16777217 1.6777217 83325.38 131071.99 -0.00 9007199254740993 "
      "0.1000000000000000055511151231257827 3.4028235e38 1e-45 12345678901234567890 1. 00.50",
      11, 200000);
  for (const auto& t : texts) {
    expect_decimal_scan_agrees<float>(t);
    expect_decimal_scan_agrees<double>(t);
  }
  // Every 2-decimal value below 2^17 (RS-1's range) takes the fast path.
  for (long cents = -13107199; cents <= 13107199; cents += 997) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%ld.%02ld", cents < 0 ? "-" : "", std::labs(cents) / 100, std::labs(cents) % 100);
    float f = 0;
    ASSERT_NE(scan_decimal(buf, buf + std::strlen(buf), f), nullptr) << buf;
    expect_decimal_scan_agrees<float>(buf);
  }
}

TEST(CsvNumber, ParsersAcceptExactlyTheirSyntax) {
  int32_t i = 0;
  EXPECT_EQ(parse_int32("+12", i), ParseStatus::Ok);
  EXPECT_EQ(i, 12);
  for (const char* t : {"1 2", "-", "1.0"}) EXPECT_EQ(parse_int32(t, i), ParseStatus::Invalid) << t;
  EXPECT_EQ(parse_int32("-2147483649", i), ParseStatus::OutOfRange);
  int64_t l = 0;
  EXPECT_EQ(parse_int64("-9223372036854775808", l), ParseStatus::Ok);
  EXPECT_EQ(l, INT64_MIN);
  EXPECT_EQ(parse_int64("9223372036854775808", l), ParseStatus::OutOfRange);
  double d = 0;
  EXPECT_EQ(parse_float64(" +2.5e3 ", d), ParseStatus::Ok);
  EXPECT_EQ(d, 2500.0);
  for (const char* t : {"+-1", "1,5"}) EXPECT_EQ(parse_float64(t, d), ParseStatus::Invalid) << t;
  EXPECT_EQ(parse_float64("-inf", d), ParseStatus::Ok);
  EXPECT_EQ(d, -INFINITY);
  EXPECT_EQ(parse_float64("1e999", d), ParseStatus::OutOfRange);
  uint8_t b = 9;
  EXPECT_EQ(parse_bool("True", b), ParseStatus::Ok);
  EXPECT_EQ(b, 1);
  for (const char* t : {"2", "yes"}) EXPECT_EQ(parse_bool(t, b), ParseStatus::Invalid) << t;
  EXPECT_FALSE(DateFormat::compile("%Y-%m"));
  EXPECT_FALSE(DateFormat::compile("%Y-%m-%d %H"));
  int32_t day = 0;
  EXPECT_EQ(DateFormat::compile("%d/%m/%Y")->parse("29/02/2000", day), ParseStatus::Ok);
  EXPECT_EQ(day, nudge::days_from_civil(2000, 2, 29));
  EXPECT_EQ(DateFormat().parse("2000-2-29", day), ParseStatus::Invalid);
}
