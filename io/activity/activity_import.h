// Activity import: a long-form activity table (one row per member and month,
// or per event) -> per-member activity series beside a members Population.
//
// Each metric of the ActivitySpec (io/activity/activity_spec.h) becomes one Series
// (engine/store/population.h) of spec.buckets fixed-width buckets ending at the
// members' as_of (engine/store/series_calendar.h says which days a bucket covers),
// stored as ordinary columns "<series>@<k>", k = 0 (the bucket holding as_of)
// .. buckets-1, of the metric's type (int32 counts, float32 amounts), no
// NULLs. A bucket holds the sum of the metric over the member's rows that fall
// in it; members with no activity get zeros.
//
// Row rules, applied to every row of the activity table in this order:
//   1. member id NULL, date NULL (event rows), year/month NULL or month not in
//      1..12 (period rows), a metric value with more decimals than its
//      metric's `decimals` keeps: Error(InvalidInput) naming the data row and
//      column.
//   2. member not in the members table: Error (policy error) or counted in
//      unknown_member_rows and left out (policy skip).
//   3. the row's bucket is after as_of (day > as_of, or a later month) or
//      older than the last bucket: counted in rows_after_as_of /
//      rows_before_window and left out.
//   4. repeated_rows counts rows whose (member, bucket) already occurred in an
//      earlier row (so the real airline file, 3,936); exact_duplicates counts
//      those that equal an earlier row of that key in every column of the
//      activity table (bitwise equal values, equal NULLs; 1,864 there). With
//      RepeatPolicy::DropExactDuplicates exact duplicates are left out.
//   5. the metrics of the rows kept are added up per (member, bucket): int32
//      metrics (value * 10^decimals, exact) in int64, where a sum outside
//      int32 is Error naming the member, series and bucket; float32 metrics
//      in double in file order, then rounded once to float32 (+-inf beyond
//      its range). A NULL metric cell counts as 0 and is counted in
//      null_metric_values.
// Errors come from the first offending row in file order (rows are numbered
// 1-based after the header: "data row 17"); an overflow from the lowest
// (member row, bucket). Also Error(InvalidInput): a spec column missing from
// the table, a member or metric column of the wrong type, members without an
// id column, a series or column name already in `members`.
//
// Parallelism: rows are classified in parallel (member lookup in a read-only
// hash map), the (member, bucket, row) keys sorted with tbb::parallel_sort,
// and each (member, bucket) group, which writes its own cells, summed in
// parallel. threads == 1 runs the same kernels in plain loops. The result does
// not depend on the thread count. tests/oracles/activity_reference.h is the plain
// row-at-a-time reference the tests compare against.
//
// Usage:
//   nudge::ImportResult m = nudge::import_csv("members.csv", member_options);
//   nudge::ActivitySpec spec = nudge::load_activity_spec("airline_activity.toml");
//   nudge::ActivityImport a = nudge::import_activity("activity.csv", spec, m.population);
//   // m.population now has columns flights@0 .. flights@23 and series "flights".
//
// Thread-safety: `members` is modified (single writer); nothing else is shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/store/population.h"
#include "io/activity/activity_spec.h"
#include "io/csv/csv_import.h"

namespace nudge {

struct ActivityReport {
  std::size_t rows = 0;                   // data rows in the activity table
  std::size_t rows_used = 0;              // rows whose metrics went into a bucket
  std::size_t unknown_member_rows = 0;    // left out under UnknownMemberPolicy::Skip
  std::size_t rows_before_window = 0;     // older than bucket buckets-1
  std::size_t rows_after_as_of = 0;       // later than as_of
  std::size_t repeated_rows = 0;          // rule 4
  std::size_t exact_duplicates = 0;       // rule 4, a subset of repeated_rows
  std::size_t dropped_duplicates = 0;     // exact duplicates left out (DropExactDuplicates)
  std::size_t null_metric_values = 0;     // NULL metric cells in rows used, counted as 0
  std::size_t members_with_activity = 0;  // members with at least one row used
  std::string first_unknown_member;       // id of the first unknown member (skip policy), "" if none
  bool operator==(const ActivityReport&) const = default;
};

// Adds the spec's series to `members` from an activity table already loaded
// as a long-form Population (no id column; e.g. import_csv with
// id_column = ""). `source` names the table in messages. threads: 1 = serial
// driver; otherwise the current oneTBB arena.
ActivityReport add_activity_series(Population& members, const Population& activity, const ActivitySpec& spec,
                                   std::string_view source, int threads = 0);

struct ActivityImport {
  ActivityReport report;
  Population activity;  // the long-form table as read (for audits)
};

// Reads an activity file (CSV, or whitespace-separated columns when
// spec.format says so; io/csv/whitespace_table.h) with the column types the spec
// needs (member uint64, year/month int64, date, metrics int64, or float64
// for float32 metrics and metrics with decimals; other columns inferred),
// then add_activity_series. Read errors as import_csv.
ActivityImport import_activity(const std::filesystem::path& path, const ActivitySpec& spec, Population& members,
                               int threads = 0);
// The same on text in memory; `file_name` names it in messages.
ActivityImport import_activity_text(std::string_view text, std::string_view file_name, const ActivitySpec& spec,
                                    Population& members, int threads = 0);

// The import options import_activity reads the table with: member uint64,
// year/month int64, date (with spec.date_format), int32 metrics as int64,
// float32 metrics and metrics with decimals as float64, other columns
// inferred; no id column, no uniqueness check.
ImportOptions activity_table_options(const ActivitySpec& spec, int32_t as_of, int threads = 0);

// A members table made of the distinct member ids of an activity table, for
// transaction logs that come without one (CDNOW): rows in ascending id order,
// column "customer_id" (uint64, the id column) and "first_active" (date: the
// earliest row's date, or the 1st of its month for period rows). as_of as
// given. Same row-rule-1 errors as add_activity_series.
// The activity table at `path` as read: CSV, or whitespace-separated when
// spec.format says so (io/csv/whitespace_table.h), with the columns of
// activity_table_options. Validates `spec` first; errors as import_csv.
ImportResult read_activity_table(const std::filesystem::path& path, const ActivitySpec& spec, int32_t as_of,
                                 int threads = 0);

// Without a members file: reads the activity table at `path`, sets `members`
// to its distinct ids (members_from_activity) and adds the series to them.
ActivityImport import_activity_members(const std::filesystem::path& path, const ActivitySpec& spec, int32_t as_of,
                                       Population& members, int threads = 0);

Population members_from_activity(const Population& activity, const ActivitySpec& spec, std::string_view source,
                                 int32_t as_of);

// One line per count, for the CLI and logs ("activity rows: 405624", ...).
std::string format_activity_report(const ActivityReport& r, const ActivitySpec& spec);

}  // namespace nudge
