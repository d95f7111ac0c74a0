// Population summary: what `nudge inspect` prints about a snapshot (or any
// Population): per column its type, NULLs, min/max or category counts, and
// bytes, plus bytes per member.
//
//   nudge::PopulationSummary s = nudge::summarize_population(nudge::open_snapshot("m.snap"));
//   std::printf("%.1f bytes per member\n", s.bytes_per_member);
//
// Thread-safety: reentrant; scans the columns in parallel (oneTBB), one task
// per column. Errors: none beyond std::bad_alloc.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "engine/store/population.h"

namespace nudge {

struct ColumnSummary {
  std::string name;
  DataType type = DataType::Int32;
  std::size_t nulls = 0;
  std::size_t bytes = 0;  // values + validity + dictionary (Column::memory_bytes)
  // Smallest and largest non-NULL value, formatted as the CSV writer would
  // (dates YYYY-MM-DD, floats shortest round-trip; NaN ignored). Empty when
  // the column has no value; unused for bool and category.
  std::string min, max;
  std::size_t nan_count = 0;  // float columns
  // bool: {"0", n0}, {"1", n1}; category: each dictionary value and its count,
  // in dictionary order. Empty for other types.
  std::vector<std::pair<std::string, std::size_t>> counts;
};

struct PopulationSummary {
  std::size_t rows = 0;
  int32_t as_of = 0;
  std::string id_column;         // name, or empty when none
  std::size_t memory_bytes = 0;  // Population::memory_bytes()
  double bytes_per_member = 0;   // memory_bytes / rows (0 when no rows)
  std::vector<ColumnSummary> columns;
  std::vector<Series> series;
};

PopulationSummary summarize_population(const Population& pop);

// The column table `nudge inspect` prints: a header line, then per column its
// index, name, type, NULL count, min and max (with the NaN count) or, for bool
// and category columns, each value's count and share of the rows, and bytes.
std::string format_column_table(const PopulationSummary& s);

}  // namespace nudge
