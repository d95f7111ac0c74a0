// ActivitySpec: how a long-form activity table (one row per member and period,
// or per event) becomes per-member activity series, read from a TOML file.
//
// File format (TOML 1.0, toml++; data/schemas/airline_activity.toml and
// data/schemas/cdnow_activity.toml are complete examples):
//
//   format = "csv"                 # or "whitespace": space-separated columns with
//                                  # a header line (CDNOW_master.txt); optional
//   member_column = "Loyalty Number"   # uint64 ids, matched to the members' id column
//   # Time of a row: EITHER a calendar month (period rows) ...
//   year_column = "Year"
//   month_column = "Month"             # 1..12
//   # ... OR a date (event rows):
//   # date_column = "date"
//   # date_format = "%Y%m%d"           # optional, default "%Y-%m-%d"
//   unit = "month"                     # day, week or month (period rows: month only)
//   buckets = 24                       # buckets ending at the population's as_of (1..100000;
//                                      # members x buckets x metrics x 4 bytes must fit in half
//                                      # the machine's memory, activity_columns.h check_series_size)
//   unknown_members = "error"          # or "skip" (counted)
//   repeated_rows = "sum"              # or "drop-exact-duplicates"
//
//   [[metric]]                         # one per series, in this order
//   column = "Total Flights"           # activity column (header text or alias)
//   series = "flights"                 # series name in expressions; default: alias of column
//   type = "int32"                     # int32 (whole counts) or float32 (amounts)
//   decimals = 2                       # int32 only: store amount * 10^2 (whole cents); default 0
//
// Errors: parse_activity_spec throws Error(InvalidInput) naming the source and
// line (from toml++) and what is wrong: unknown keys, a missing member column,
// both or neither of date_column and year/month_column, a week/day unit with
// period rows, buckets < 1 or > 100000, no metric, a metric type other than
// int32/float32, decimals outside 0..9 or on a float32 metric, a series named
// twice, unknown policy words.
// Thread-safety: plain values; functions are pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store/population.h"

namespace nudge {

enum class UnknownMemberPolicy : uint8_t {
  Error,  // a row whose member is not in the members table fails the import
  Skip,   // such rows are left out and counted (ActivityReport::unknown_member_rows)
};

enum class RepeatPolicy : uint8_t {
  Sum,                  // rows with the same member and bucket are added up
  DropExactDuplicates,  // a row exactly equal (every column) to an earlier row of
                        // its member and bucket is left out; the rest are added up
};

enum class ActivityFormat : uint8_t { Csv, Whitespace };

struct ActivityMetric {
  std::string column;               // activity column: header text or alias
  std::string series;               // series name; empty = normalize_name(column)
  DataType type = DataType::Int32;  // Int32 or Float32
  // Int32 only: store value * 10^decimals (e.g. 2: dollars as whole cents),
  // so sums and comparisons of amounts are exact decimal arithmetic. A value
  // with more decimals is an error naming its row. 0..9.
  int decimals = 0;
  // The series name used.
  std::string series_name() const;
  bool operator==(const ActivityMetric&) const = default;
};

struct ActivitySpec {
  ActivityFormat format = ActivityFormat::Csv;
  std::string member_column;
  std::string date_column;                // event rows
  std::string date_format;                // empty = "%Y-%m-%d"
  std::string year_column, month_column;  // period rows
  BucketUnit unit = BucketUnit::Month;
  std::size_t buckets = 0;
  UnknownMemberPolicy unknown_members = UnknownMemberPolicy::Error;
  RepeatPolicy repeated_rows = RepeatPolicy::Sum;
  std::vector<ActivityMetric> metrics;

  bool period_rows() const noexcept { return date_column.empty(); }
  // Throws Error(InvalidInput) "<source>: ..." when the fields disagree (the
  // rules listed above); parse_activity_spec calls it.
  void validate(std::string_view source) const;
  bool operator==(const ActivitySpec&) const = default;
};

ActivitySpec parse_activity_spec(std::string_view toml_text, std::string_view source);
// Throws Error(Io) when the file cannot be read.
ActivitySpec load_activity_spec(const std::filesystem::path& path);

std::string_view repeat_policy_name(RepeatPolicy p) noexcept;                 // "sum", "drop-exact-duplicates"
std::string_view unknown_member_policy_name(UnknownMemberPolicy p) noexcept;  // "error", "skip"

}  // namespace nudge
