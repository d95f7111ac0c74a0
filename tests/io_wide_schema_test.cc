// Wide inputs through the paths tests/io_wide_test.cc does not take (issue 13):
// a 20,000-column CSV imported with a 20,000-entry schema (parse_import_schema
// compared every [[column]] with every earlier one: 15 s at 20,000 columns,
// minutes at 80,000), and `nudge activity`'s library path with 100,000 day
// buckets (import, bucketing, series summary, snapshot write and open).
// These assert values only; the timings are in bench/README.md ("Wide inputs").
#include <gtest/gtest.h>

#include <string>

#include "engine/base/error.h"
#include "io/activity/activity_import.h"
#include "io/activity/series_summary.h"
#include "io/csv/csv_import.h"
#include "io/csv/import_schema.h"
#include "io/snapshot/snapshot.h"
#include "tests/support/error_text.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

// Column c (1-based after the id) of the wide file: int32, float64 or category by c % 3.
const char* wide_type(std::size_t c) { return c % 3 == 0 ? "int32" : c % 3 == 1 ? "float64" : "category"; }

}  // namespace

TEST(CsvImportWide, TwentyThousandColumnsWithATwentyThousandEntrySchema) {
  constexpr std::size_t kColumns = 20'000;
  std::string csv = "customer_id", toml = "id_column = \"customer_id\"\n";
  toml += "[[column]]\nname = \"customer_id\"\ntype = \"uint64\"\n";
  for (std::size_t c = 1; c < kColumns; ++c) {
    csv += ",Metric " + std::to_string(c);
    toml += "[[column]]\nname = \"Metric " + std::to_string(c) + "\"\ntype = \"" + wide_type(c) + "\"\n";
    if (c == 7) toml += "rename = \"seventh\"\n";
    if (c == 8) toml += "skip = true\n";
  }
  csv += "\n";
  for (int r = 0; r < 3; ++r) {
    csv += std::to_string(r + 1);
    for (std::size_t c = 1; c < kColumns; ++c) csv += "," + std::to_string((c * 7 + r) % 100);
    csv += "\n";
  }
  ImportOptions o;
  o.schema = parse_import_schema(toml, "wide.toml");
  ASSERT_EQ(o.schema->columns.size(), kColumns);
  const ImportResult r = import_csv_text(csv, "wide.csv", o);
  const Population& p = r.population;
  ASSERT_EQ(p.num_columns(), kColumns - 1);  // Metric 8 skipped
  EXPECT_EQ(p.rows(), 3u);
  EXPECT_EQ(*p.id_column(), 0u);
  EXPECT_EQ(p.column(0).values<uint64_t>()[2], 3u);
  const Column& m19998 = p.column("Metric 19998");  // 19998 % 3 == 0: int32
  ASSERT_EQ(m19998.type(), DataType::Int32);
  EXPECT_EQ(m19998.values<int32_t>()[1], (19998 * 7 + 1) % 100);
  const Column& m19999 = p.column("metric_19999");  // float64, found by alias
  ASSERT_EQ(m19999.type(), DataType::Float64);
  EXPECT_EQ(m19999.values<double>()[2], static_cast<double>((19999 * 7 + 2) % 100));
  const Column& m5 = p.column("Metric 5");  // category: codes in first-seen order
  ASSERT_EQ(m5.type(), DataType::Category);
  ASSERT_EQ(m5.dictionary().size(), 3u);
  EXPECT_EQ(m5.dictionary()[m5.values<int32_t>()[2]], std::to_string((5 * 7 + 2) % 100));
  EXPECT_EQ(p.column("seventh").values<double>()[0], static_cast<double>(7 * 7 % 100));
  EXPECT_FALSE(p.find("Metric 8"));
  // A column listed twice (as an alias) is still refused, naming the entry.
  const std::string twice =
      "[[column]]\nname = \"a b\"\ntype = \"int32\"\n[[column]]\nname = \"A_B\"\ntype = \"int32\"\n";
  EXPECT_EQ(test::thrown_message([&] { parse_import_schema(twice, "t.toml"); }, std::nullopt).value_or(""),
            "t.toml:4:1: column 'A_B' is listed twice");
}

TEST(ActivityImportWide, HundredThousandDayBucketsImportSummariseWriteAndOpen) {
  constexpr std::size_t kBuckets = 100'000;
  const int32_t as_of = days_from_civil(2026, 11, 30);
  Population members(3, as_of);
  Column id("customer_id", DataType::UInt64, 3);
  for (uint64_t r = 0; r < 3; ++r) id.mutable_values<uint64_t>()[r] = 10 + r;
  members.set_id_column(members.add_column(std::move(id)));
  // Member 10+m has an event every 1,000 days from day m, amount k % 9 + 1 on the
  // day `k` days before as_of; member 12 also has a second event on as_of, and one
  // row falls before the window.
  std::string csv = "member,date,amount\n";
  std::size_t rows = 0;
  for (uint64_t m = 0; m < 3; ++m)
    for (std::size_t k = m; k < kBuckets; k += 1000, ++rows)
      csv += std::to_string(10 + m) + "," + format_iso_date(as_of - static_cast<int32_t>(k)) + "," +
             std::to_string(k % 9 + 1) + "\n";
  csv += "12," + format_iso_date(as_of) + ",5\n";
  csv += "11," + format_iso_date(as_of - static_cast<int32_t>(kBuckets)) + ",5\n";
  rows += 2;
  ActivitySpec spec;
  spec.member_column = "member";
  spec.date_column = "date";
  spec.unit = BucketUnit::Day;
  spec.buckets = kBuckets;
  spec.metrics = {{"amount", "", DataType::Int32}};
  const ActivityImport a = import_activity_text(csv, "wide_activity.csv", spec, members);
  EXPECT_EQ(a.report.rows, rows);
  EXPECT_EQ(a.report.rows_used, rows - 1);
  EXPECT_EQ(a.report.rows_before_window, 1u);
  EXPECT_EQ(a.report.repeated_rows, 0u);  // member 12's first event is on day 2, not as_of
  EXPECT_EQ(a.report.members_with_activity, 3u);
  ASSERT_EQ(members.num_columns(), kBuckets + 1);
  const Series* s = members.find_series("amount");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->buckets(), kBuckets);
  auto cell = [&](std::size_t k, std::size_t m) { return members.column(s->bucket_columns[k]).values<int32_t>()[m]; };
  EXPECT_EQ(cell(0, 0), 1);  // 0 % 9 + 1
  EXPECT_EQ(cell(0, 2), 5);  // the extra event on as_of
  EXPECT_EQ(cell(99'001, 1), 99001 % 9 + 1);
  EXPECT_EQ(cell(99'002, 2), 99002 % 9 + 1);
  EXPECT_EQ(cell(99'999, 1), 0);
  EXPECT_EQ(members.column(*members.find("amount@98002")).values<int32_t>()[2], 98002 % 9 + 1);

  const auto sums = summarize_series(members);
  ASSERT_EQ(sums.size(), 1u);
  ASSERT_EQ(sums[0].buckets.size(), kBuckets);
  EXPECT_EQ(sums[0].buckets[0].total, 6.0);
  EXPECT_EQ(sums[0].buckets[0].active, 2u);
  EXPECT_EQ(sums[0].buckets[kBuckets - 1].first_day, as_of - static_cast<int32_t>(kBuckets - 1));
  EXPECT_EQ(sums[0].members_active, 3u);
  double total = 5;
  for (std::size_t m = 0; m < 3; ++m)
    for (std::size_t k = m; k < kBuckets; k += 1000) total += static_cast<double>(k % 9 + 1);
  EXPECT_EQ(sums[0].total, total);

  const auto dir = test::make_temp_dir("wide_activity");
  write_snapshot(members, dir / "a.snap");
  const Population q = open_snapshot(dir / "a.snap");
  ASSERT_EQ(q.num_columns(), kBuckets + 1);
  ASSERT_EQ(q.series().size(), 1u);
  EXPECT_EQ(q.series()[0].buckets(), kBuckets);
  EXPECT_EQ(q.series()[0].unit, BucketUnit::Day);
  EXPECT_EQ(q.column(q.series()[0].bucket_columns[99'001]).values<int32_t>()[1], 99001 % 9 + 1);
}
