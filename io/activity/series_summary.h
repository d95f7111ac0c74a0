// Series summary: what `nudge inspect` and `nudge activity` print about the
// activity series of a population: per series its unit, bucket count, the
// days the buckets cover (engine/store/series_calendar.h), the total of every
// bucket over all members, and how many members have any activity.
//
//   for (const auto& s : nudge::summarize_series(pop)) std::fputs(nudge::format_series_summary(s).c_str(), stdout);
//
// Totals are sums in double of the bucket columns (int32 or float32; NULL
// cells are skipped and counted); float series print them with 2 decimals. Thread-safety: reentrant; reads only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/store/population.h"

namespace nudge {

struct BucketSummary {
  std::size_t column = 0;  // index in the population
  int32_t first_day = 0, last_day = 0;
  double total = 0;        // sum over members
  std::size_t active = 0;  // members with a non-zero value
};

struct SeriesSummary {
  std::string name;
  BucketUnit unit = BucketUnit::Month;
  std::vector<BucketSummary> buckets;  // bucket 0 (as_of's) first
  double total = 0;
  std::size_t members_active = 0;  // members with a non-zero value in any bucket
  std::size_t nulls = 0;           // NULL cells over all buckets
  bool integer = true;             // every bucket column is an integer type (totals print whole)
};

std::vector<SeriesSummary> summarize_series(const Population& pop);

// "flights  month  24 buckets  2017-01-01 .. 2018-12-31  total 1234  active members 16000\n"
// followed by one line per bucket: "  @0  2018-12-01 .. 2018-12-31  total ...  active ...".
std::string format_series_summary(const SeriesSummary& s);

}  // namespace nudge
