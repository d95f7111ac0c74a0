#include "engine/store/series_calendar.h"

namespace nudge {
namespace {

int64_t floor_div(int64_t a, int64_t b) noexcept {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int32_t first_day_of_month_index(int64_t mi) noexcept {
  const int64_t y = floor_div(mi, 12);
  const auto m = static_cast<unsigned>(mi - y * 12 + 1);
  return days_from_civil(static_cast<int>(y), m, 1);
}

}  // namespace

int64_t month_index(int32_t day) noexcept {
  int y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  return int64_t{y} * 12 + (m - 1);
}

int64_t bucket_of(BucketUnit unit, int32_t as_of, int32_t day) noexcept {
  switch (unit) {
    case BucketUnit::Day: return int64_t{as_of} - day;
    case BucketUnit::Week: return floor_div(int64_t{as_of} - day, 7);
    case BucketUnit::Month: return month_index(as_of) - month_index(day);
  }
  return 0;
}

int64_t bucket_of_month(int32_t as_of, int64_t year, int64_t month) noexcept {
  return month_index(as_of) - (year * 12 + (month - 1));
}

int32_t bucket_first_day(BucketUnit unit, int32_t as_of, int64_t k) noexcept {
  switch (unit) {
    case BucketUnit::Day: return static_cast<int32_t>(as_of - k);
    case BucketUnit::Week: return static_cast<int32_t>(as_of - 7 * k - 6);
    case BucketUnit::Month: return first_day_of_month_index(month_index(as_of) - k);
  }
  return as_of;
}

int32_t bucket_last_day(BucketUnit unit, int32_t as_of, int64_t k) noexcept {
  switch (unit) {
    case BucketUnit::Day: return static_cast<int32_t>(as_of - k);
    case BucketUnit::Week: return static_cast<int32_t>(as_of - 7 * k);
    case BucketUnit::Month: return k == 0 ? as_of : first_day_of_month_index(month_index(as_of) - k + 1) - 1;
  }
  return as_of;
}

const char* bucket_unit_plural(BucketUnit unit) noexcept {
  switch (unit) {
    case BucketUnit::Day: return "days";
    case BucketUnit::Week: return "weeks";
    case BucketUnit::Month: return "months";
  }
  return "buckets";
}

}  // namespace nudge
