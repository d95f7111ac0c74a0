// CSV writer: exact output for a small hand-made population (every type,
// NULLs, quoting, shortest floats, dates), the parallel writer equal to the
// serial formatter, and RS-1 values printed with at most 2 decimals.
#include <gtest/gtest.h>

#include <limits>

#include "engine/base/error.h"
#include "engine/base/read_file.h"
#include "io/csv/csv_writer.h"
#include "io/gen/rs1_generator.h"
#include "tests/io_snapshot_fixtures.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

Population hand_made() {
  const std::size_t n = 4;
  Population p(n, days_from_civil(2026, 11, 1));
  Column id("customer_id", DataType::UInt64, n), name("Loyalty, \"Card\"", DataType::Category, n),
      flag("flag", DataType::Bool, n), i32("i32", DataType::Int32, n), i64("i64", DataType::Int64, n),
      f32("f32", DataType::Float32, n), f64("f64", DataType::Float64, n), day("day", DataType::Date, n);
  name.set_dictionary({"Star", "a,b", "say \"hi\"", "line\nbreak", " padded", ""});
  const uint64_t ids[] = {6000000001ULL, 18446744073709551615ULL, 0, 42};
  const int32_t names[] = {0, 1, 2, 3}, i32s[] = {INT32_MIN, INT32_MAX, 0, -7};
  const int64_t i64s[] = {INT64_MIN, 1, -1, 9007199254740993LL};
  const float f32s[] = {5000.0f, 15.5f, 0.07f, 131071.99f};
  const double f64s[] = {0.1, 1e20, 1e-7, -2.5};
  const int32_t days[] = {days_from_civil(2026, 11, 1), -1, 0, days_from_civil(2024, 2, 29)};
  for (std::size_t i = 0; i < n; ++i) {
    id.mutable_values<uint64_t>()[i] = ids[i];
    name.mutable_values<int32_t>()[i] = names[i];
    flag.mutable_values<uint8_t>()[i] = i % 2;
    i32.mutable_values<int32_t>()[i] = i32s[i];
    i64.mutable_values<int64_t>()[i] = i64s[i];
    f32.mutable_values<float>()[i] = f32s[i];
    f64.mutable_values<double>()[i] = f64s[i];
    day.mutable_values<int32_t>()[i] = days[i];
  }
  flag.set_null(2);
  f64.set_null(3);
  day.set_null(1);
  for (Column* c : {&id, &name, &flag, &i32, &i64, &f32, &f64, &day}) p.add_column(std::move(*c));
  return p;
}

}  // namespace

TEST(CsvWriter, WritesAHandMadePopulationExactly) {
  const auto dir = test::make_temp_dir("csvw");
  write_csv(hand_made(), dir / "p.csv");
  EXPECT_EQ(read_file(dir / "p.csv"),
            "customer_id,\"Loyalty, \"\"Card\"\"\",flag,i32,i64,f32,f64,day\n"
            "6000000001,Star,0,-2147483648,-9223372036854775808,5000,0.1,2026-11-01\n"
            "18446744073709551615,\"a,b\",1,2147483647,1,15.5,1e+20,\n"
            "0,\"say \"\"hi\"\"\",,0,-1,0.07,0.0000001,1970-01-01\n"
            "42,\"line\nbreak\",1,-7,9007199254740993,131071.99,,2024-02-29\n");
}

TEST(CsvWriter, WritesSpecialFloatsAndAwkwardStrings) {
  Population p(5, 0);
  Column f("f", DataType::Float32, 5), s("s", DataType::Category, 5);
  const float v[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                     -std::numeric_limits<float>::infinity(), -0.0f, 1e-45f};
  for (int i = 0; i < 5; ++i) f.mutable_values<float>()[i] = v[i];
  s.set_dictionary({" padded", "", "tail ", "cr\rhere", "plain"});
  for (int i = 0; i < 5; ++i) s.mutable_values<int32_t>()[i] = i;
  p.add_column(std::move(f));
  p.add_column(std::move(s));
  std::string out;
  format_csv_rows(p, 0, 5, out);
  EXPECT_EQ(out,
            "nan,\" padded\"\n"
            "inf,\"\"\n"
            "-inf,\"tail \"\n"
            "-0,\"cr\rhere\"\n"
            "0.000000000000000000000000000000000000000000001,plain\n");
}

TEST(CsvWriter, EmptyPopulationIsJustTheHeader) {
  const auto dir = test::make_temp_dir("csvw_empty");
  write_csv(test::make_every_type_population(0, 1), dir / "e.csv");
  EXPECT_EQ(read_file(dir / "e.csv"), "customer_id,flag,i32,i64,f32,f64,tier,day,visits@0,visits@1\n");
}

TEST(CsvWriter, ParallelWriterEqualsSerialFormatter) {
  const auto dir = test::make_temp_dir("csvw_par");
  for (std::size_t rows : {1ul, 65ul, kCsvBlockRows, 3 * kCsvBlockRows + 5}) {
    const Population p = test::make_every_type_population(rows, rows);
    write_csv(p, dir / "p.csv");
    std::string want = csv_header(p);
    format_csv_rows(p, 0, rows, want);
    EXPECT_EQ(read_file(dir / "p.csv"), want) << rows;
  }
}

TEST(CsvWriter, Rs1FloatsHaveAtMostTwoDecimals) {
  const Population p = generate_rs1(20000, 6);
  std::string out;
  format_csv_rows(p, 0, p.rows(), out);
  std::size_t fields = 0, longest_fraction = 0, run = 0;
  bool in_fraction = false;
  for (char ch : out) {
    if (ch == '.') {
      in_fraction = true;
      run = 0;
    } else if (ch == ',' || ch == '\n') {
      longest_fraction = std::max(longest_fraction, in_fraction ? run : 0);
      in_fraction = false;
      ++fields;
    } else if (in_fraction) {
      ++run;
    }
    ASSERT_NE(ch, 'e') << "scientific notation in RS-1 CSV";
  }
  EXPECT_EQ(fields, p.rows() * p.num_columns());
  EXPECT_EQ(longest_fraction, 2u);
}
