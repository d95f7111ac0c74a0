#include "io/activity/activity_columns.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include <fmt/format.h>

#include "engine/base/error.h"
#include "engine/store/series_calendar.h"

namespace nudge::activity {
namespace {

bool is_integer(DataType t) { return t == DataType::Int32 || t == DataType::Int64 || t == DataType::UInt64; }
bool is_float(DataType t) { return t == DataType::Float32 || t == DataType::Float64; }

const Column& need(const Population& t, std::string_view source, const std::string& name, const char* role) {
  auto i = t.find(name);
  if (!i) {
    throw_invalid_input(std::string(source) + ": the " + role + " column '" + name + "' is not in the activity table" +
                        t.nearest_column(name).hint());
  }
  return t.column(*i);
}

[[noreturn]] void wrong_type(std::string_view source, const Column& c, const char* role, const char* want) {
  throw_invalid_input(std::string(source) + ": the " + role + " column '" + c.name() + "' is " +
                      std::string(type_name(c.type())) + ", expected " + want);
}

// The value of an integer column as int64 (UInt64 wraps); 0 for other types.
int64_t int_at(const Column& c, std::size_t row) noexcept {
  if (!is_integer(c.type())) return 0;
  return visit_values(c, [row](const auto* v) -> int64_t {
    if constexpr (std::is_floating_point_v<std::remove_cvref_t<decltype(*v)>>) return 0;
    else return static_cast<int64_t>(v[row]);
  });
}

uint64_t mix(uint64_t h, uint64_t v) noexcept {  // splitmix64 finaliser over h ^ v
  uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

ActivityColumns ActivityColumns::resolve(const Population& t, const ActivitySpec& spec, std::string_view source) {
  ActivityColumns c;
  c.table = &t;
  c.source = std::string(source);
  c.member = &need(t, source, spec.member_column, "member");
  if (c.member->type() != DataType::UInt64) wrong_type(source, *c.member, "member", "uint64");
  if (spec.period_rows()) {
    c.year = &need(t, source, spec.year_column, "year");
    c.month = &need(t, source, spec.month_column, "month");
    if (!is_integer(c.year->type())) wrong_type(source, *c.year, "year", "an integer type");
    if (!is_integer(c.month->type())) wrong_type(source, *c.month, "month", "an integer type");
  } else {
    c.date = &need(t, source, spec.date_column, "date");
    if (c.date->type() != DataType::Date) wrong_type(source, *c.date, "date", "date");
  }
  for (const auto& m : spec.metrics) {
    const Column& col = need(t, source, m.column, "metric");
    if (!is_integer(col.type()) && !is_float(col.type())) wrong_type(source, col, "metric", "a number type");
    if (m.type == DataType::Int32 && m.decimals == 0 && !is_integer(col.type()))
      wrong_type(source, col, "metric", "an integer type (give the metric decimals = N, or type float32)");
    c.metrics.push_back(&col);
    c.decimals.push_back(m.decimals);
  }
  return c;
}

std::string ActivityColumns::row_label(std::size_t row) const {
  return source + ": data row " + std::to_string(row + 1);
}

std::optional<uint64_t> ActivityColumns::member_id(std::size_t row) const noexcept {
  if (member->is_null(row)) return std::nullopt;
  return member->values<uint64_t>()[row];
}

std::optional<int32_t> ActivityColumns::first_day(std::size_t row, std::string* why) const {
  if (date) {
    if (date->is_null(row)) {
      *why = row_label(row) + ": column '" + date->name() + "' is empty; every activity row needs a date";
      return std::nullopt;
    }
    return date->values<int32_t>()[row];
  }
  if (year->is_null(row) || month->is_null(row)) {
    const Column& c = year->is_null(row) ? *year : *month;
    *why = row_label(row) + ": column '" + c.name() + "' is empty; every activity row needs a year and a month";
    return std::nullopt;
  }
  const int64_t y = int_at(*year, row), m = int_at(*month, row);
  if (m < 1 || m > 12) {
    *why = row_label(row) + ": column '" + month->name() + "' holds " + std::to_string(m) + ", not a month 1..12";
    return std::nullopt;
  }
  if (y < -100000 || y > 100000) {
    *why = row_label(row) + ": column '" + year->name() + "' holds " + std::to_string(y) + ", not a year";
    return std::nullopt;
  }
  return days_from_civil(static_cast<int>(y), static_cast<unsigned>(m), 1);
}

std::optional<int64_t> ActivityColumns::bucket(std::size_t row, const ActivitySpec& spec, int32_t as_of,
                                               std::string* why) const {
  auto d = first_day(row, why);
  if (!d) return std::nullopt;
  for (std::size_t m = 0; m < metrics.size(); ++m)
    if (decimals[m] > 0 && !metrics[m]->is_null(row) && !scaled_value(*metrics[m], row, decimals[m])) {
      *why = row_label(row) + ": column '" + metrics[m]->name() + "' holds " +
             std::to_string(metric_double(*metrics[m], row)) + ", which is not a whole number of 1/10^" +
             std::to_string(decimals[m]) + " (the metric keeps " + std::to_string(decimals[m]) + " decimals)";
      return std::nullopt;
    }
  if (date) {
    if (*d > as_of) return -1;  // after as_of, even within bucket 0's month
    return bucket_of(spec.unit, as_of, *d);
  }
  return bucket_of_month(as_of, int_at(*year, row), int_at(*month, row));
}

bool ActivityColumns::rows_equal(std::size_t a, std::size_t b) const noexcept {
  for (const Column& c : table->columns()) {
    if (c.is_null(a) != c.is_null(b)) return false;
    const std::size_t w = type_width(c.type());
    const auto* base = static_cast<const unsigned char*>(static_cast<const void*>(c.values<unsigned char>()));
    if (std::memcmp(base + a * w, base + b * w, w) != 0) return false;
  }
  return true;
}

uint64_t ActivityColumns::row_hash(std::size_t row) const noexcept {
  uint64_t h = 0x12345678;
  for (const Column& c : table->columns()) {
    const std::size_t w = type_width(c.type());
    uint64_t v = 0;
    std::memcpy(&v, c.values<unsigned char>() + row * w, w);
    h = mix(h, c.is_null(row) ? 0xfeedfacecafebeefULL : v);
  }
  return h;
}

std::optional<int64_t> scaled_value(const Column& c, std::size_t row, int decimals) noexcept {
  int64_t p = 1;
  for (int i = 0; i < decimals; ++i) p *= 10;
  if (!is_float(c.type())) {
    int64_t out;
    if (__builtin_mul_overflow(int_at(c, row), p, &out)) return std::nullopt;
    return out;
  }
  const double x = metric_double(c, row) * static_cast<double>(p);
  if (!std::isfinite(x) || std::fabs(x) >= 9.0e18) return std::nullopt;
  const double r = std::nearbyint(x);
  // A decimal with <= `decimals` digits lands within a few ulps of a whole number.
  if (std::fabs(x - r) > std::max(1e-6, std::fabs(r) * 4 * std::numeric_limits<double>::epsilon())) return std::nullopt;
  return static_cast<int64_t>(r);
}

float to_float32(double sum) noexcept {
  constexpr double kMax = std::numeric_limits<float>::max();
  if (sum > kMax || sum < -kMax) {
    // Values just above FLT_MAX still round to it; beyond half an ulp they are infinite.
    const double edge = kMax + std::ldexp(1.0, 127 - 24);
    if (sum >= edge) return std::numeric_limits<float>::infinity();
    if (sum <= -edge) return -std::numeric_limits<float>::infinity();
    return sum > 0 ? std::numeric_limits<float>::max() : -std::numeric_limits<float>::max();
  }
  return static_cast<float>(sum);
}

int64_t metric_int(const Column& c, std::size_t row, int decimals) noexcept {
  if (c.is_null(row)) return 0;
  if (decimals == 0 && !is_float(c.type())) return int_at(c, row);
  return scaled_value(c, row, decimals).value_or(0);
}

double metric_double(const Column& c, std::size_t row) noexcept {
  if (c.is_null(row) || !(is_integer(c.type()) || is_float(c.type()))) return 0.0;
  return visit_values(c, [row](const auto* v) { return static_cast<double>(v[row]); });
}

std::unordered_map<uint64_t, uint32_t> member_index(const Population& members) {
  auto idc = members.id_column();
  if (!idc) throw_invalid_input("the members table has no id column (uint64 customer_id) to match activity rows to");
  const Column& ids = members.column(*idc);
  if (members.rows() > UINT32_MAX) throw_usage("more than 2^32-1 members");
  std::unordered_map<uint64_t, uint32_t> index;
  index.reserve(members.rows());
  for (std::size_t r = 0; r < members.rows(); ++r) {
    if (ids.is_null(r))
      throw_invalid_input("the members' id column '" + ids.name() + "' is empty in row " + std::to_string(r + 1));
    const uint64_t id = ids.values<uint64_t>()[r];
    if (!index.emplace(id, static_cast<uint32_t>(r)).second)
      throw_invalid_input("the members' id column '" + ids.name() + "' holds " + std::to_string(id) +
                          " twice (second in row " + std::to_string(r + 1) + ")");
  }
  return index;
}

void throw_overflow(const Population& members, const ActivitySpec& spec, std::size_t metric, std::size_t member_row,
                    std::size_t bucket, __int128 sum) {
  std::string digits;
  const bool neg = sum < 0;
  unsigned __int128 u = neg ? -static_cast<unsigned __int128>(sum) : static_cast<unsigned __int128>(sum);
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u != 0);
  if (neg) digits.insert(digits.begin(), '-');
  const Column& ids = members.column(*members.id_column());
  throw_invalid_input("series '" + spec.metrics[metric].series_name() + "': member " +
                      std::to_string(ids.values<uint64_t>()[member_row]) + ", bucket " + std::to_string(bucket) +
                      ": the sum of '" + spec.metrics[metric].column + "' is " + digits +
                      ", outside int32 (declare the metric float32)");
}

void throw_unknown_member(const ActivityColumns& cols, std::size_t row, uint64_t id) {
  throw_invalid_input(cols.row_label(row) + ": member " + std::to_string(id) + " (column '" + cols.member->name() +
                      "') is not in the members table (set unknown_members = \"skip\" to count and skip such rows)");
}

uint64_t series_bytes(std::size_t members, const ActivitySpec& spec) {
  uint64_t bytes = 4;
  for (uint64_t f : {uint64_t(members), uint64_t(spec.buckets), uint64_t(spec.metrics.size())})
    bytes = f != 0 && bytes > std::numeric_limits<uint64_t>::max() / f ? std::numeric_limits<uint64_t>::max()
                                                                         : bytes * f;
  return bytes;
}

void check_series_size(std::size_t members, const ActivitySpec& spec, uint64_t limit_bytes) {
  const uint64_t bytes = series_bytes(members, spec);
  if (bytes <= limit_bytes) return;
  constexpr double kGiB = 1024.0 * 1024 * 1024;
  throw_invalid_input(fmt::format(
      "the activity series need {} members x {} buckets x {} metrics x 4 bytes = {} bytes ({:.1f} GiB) of columns, "
      "more than half of this machine's memory ({:.1f} GiB); use fewer buckets or a coarser unit (week, month)",
      members, spec.buckets, spec.metrics.size(), bytes, double(bytes) / kGiB, double(limit_bytes) / kGiB));
}

uint64_t half_physical_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return std::numeric_limits<uint64_t>::max();
  return uint64_t(pages) / 2 * uint64_t(page);
}

}  // namespace nudge::activity
