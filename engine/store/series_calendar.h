// Series calendar: which bucket of an activity series a day falls in, and
// which days a bucket covers.
//
// A Series (engine/store/population.h) holds fixed-width buckets counted back from
// the population's as_of (days since 1970-01-01):
//   Day    bucket k is the single day as_of - k.
//   Week   bucket k is the 7 days [as_of - 7k - 6, as_of - 7k] (weeks END on
//          as_of, whatever weekday that is).
//   Month  bucket k is the calendar month k months before the month that
//          contains as_of; bucket 0 runs from the 1st of as_of's month to
//          as_of (days after as_of are in no bucket).
// Bucket 0 always contains as_of; k < 0 would be after it.
//
// Usage:
//   int64_t k = nudge::bucket_of(BucketUnit::Month, as_of, day);   // may be < 0
//   int32_t first = nudge::bucket_first_day(BucketUnit::Month, as_of, 23);
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

#include "engine/store/population.h"

namespace nudge {

// Months since year 0 of the month holding `day` (year * 12 + month - 1).
int64_t month_index(int32_t day) noexcept;

// The bucket that `day` falls in: 0 for as_of's bucket, k > 0 for earlier
// buckets, negative for later buckets. Month: a day after as_of but in
// as_of's month gives 0, so callers that must reject days after as_of test
// day > as_of themselves.
int64_t bucket_of(BucketUnit unit, int32_t as_of, int32_t day) noexcept;

// The bucket of a whole calendar month (period rows: year, month 1..12).
int64_t bucket_of_month(int32_t as_of, int64_t year, int64_t month) noexcept;

// First and last day of bucket k (k >= 0). The last day of bucket 0 is as_of.
int32_t bucket_first_day(BucketUnit unit, int32_t as_of, int64_t k) noexcept;
int32_t bucket_last_day(BucketUnit unit, int32_t as_of, int64_t k) noexcept;

// Plural noun used in messages and window syntax: "days", "weeks", "months".
const char* bucket_unit_plural(BucketUnit unit) noexcept;

}  // namespace nudge
