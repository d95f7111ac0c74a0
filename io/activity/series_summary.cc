#include "io/activity/series_summary.h"

#include <cstdio>

#include "engine/store/series_calendar.h"

namespace nudge {

std::vector<SeriesSummary> summarize_series(const Population& pop) {
  std::vector<SeriesSummary> out;
  for (const Series& s : pop.series()) {
    SeriesSummary ss;
    ss.name = s.name;
    ss.unit = s.unit;
    std::vector<char> any(pop.rows(), 0);
    for (std::size_t k = 0; k < s.buckets(); ++k) {
      BucketSummary b;
      b.column = s.bucket_columns[k];
      b.first_day = bucket_first_day(s.unit, pop.as_of(), static_cast<int64_t>(k));
      b.last_day = bucket_last_day(s.unit, pop.as_of(), static_cast<int64_t>(k));
      const Column& c = pop.column(b.column);
      ss.integer = ss.integer && (c.type() == DataType::Int32 || c.type() == DataType::Int64);
      const bool numeric = c.type() == DataType::Int32 || c.type() == DataType::Int64 ||
                           c.type() == DataType::Float32 || c.type() == DataType::Float64;
      for (std::size_t r = 0; r < pop.rows(); ++r) {
        if (c.is_null(r)) {
          ++ss.nulls;
          continue;
        }
        const double v = numeric ? visit_values(c, [r](const auto* x) { return static_cast<double>(x[r]); }) : 0.0;
        b.total += v;
        if (v != 0) {
          ++b.active;
          any[r] = 1;
        }
      }
      ss.total += b.total;
      ss.buckets.push_back(b);
    }
    for (char a : any) ss.members_active += a;
    out.push_back(std::move(ss));
  }
  return out;
}

std::string format_series_summary(const SeriesSummary& s) {
  std::string o;
  char buf[256];
  const std::string first = s.buckets.empty() ? "-" : format_iso_date(s.buckets.back().first_day);
  const std::string last = s.buckets.empty() ? "-" : format_iso_date(s.buckets.front().last_day);
  const int dec = s.integer ? 0 : 2;
  std::snprintf(buf, sizeof buf, "%-16s %-5s %4zu buckets  %s .. %s  total %.*f  active members %zu%s\n",
                s.name.c_str(), std::string(bucket_unit_name(s.unit)).c_str(), s.buckets.size(), first.c_str(),
                last.c_str(), dec, s.total, s.members_active,
                s.nulls ? (" (" + std::to_string(s.nulls) + " NULL cells)").c_str() : "");
  o += buf;
  for (std::size_t k = 0; k < s.buckets.size(); ++k) {
    const auto& b = s.buckets[k];
    std::snprintf(buf, sizeof buf, "    @%-3zu %s .. %s  total %-14.*f active %zu\n", k,
                  format_iso_date(b.first_day).c_str(), format_iso_date(b.last_day).c_str(), dec, b.total, b.active);
    o += buf;
  }
  return o;
}

}  // namespace nudge
