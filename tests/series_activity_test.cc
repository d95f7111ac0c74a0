// Activity import (io/activity/activity_import.h): bucket calendar, hand-checked series
// values and report counts, policies, errors with exact text, the
// whitespace-table reader, spec files; and the parallel import against the
// plain reference (tests/oracles/activity_reference.h) on random and adversarial tables.
#include <gtest/gtest.h>

#include <tbb/task_arena.h>

#include <cstring>
#include <limits>
#include <random>

#include "engine/base/error.h"
#include "engine/store/series_calendar.h"
#include "io/activity/activity_columns.h"
#include "io/activity/activity_import.h"
#include "io/activity/series_summary.h"
#include "io/csv/csv_import.h"
#include "io/csv/member_overlay.h"
#include "io/csv/whitespace_table.h"
#include "tests/oracles/activity_reference.h"
#include "tests/support/error_text.h"

using namespace nudge;

namespace {

Population make_members(std::vector<uint64_t> ids, int32_t as_of) {
  Population p(ids.size(), as_of);
  Column c("customer_id", DataType::UInt64, ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) c.mutable_values<uint64_t>()[i] = ids[i];
  p.set_id_column(p.add_column(std::move(c)));
  return p;
}

// A spec over columns "c" (member) and "d" (ISO date) with `buckets` buckets.
ActivitySpec day_spec(std::size_t buckets, std::vector<ActivityMetric> metrics) {
  ActivitySpec s;
  s.member_column = "c";
  s.date_column = "d";
  s.buckets = buckets;
  s.metrics = std::move(metrics);
  return s;
}

ActivitySpec period_spec(std::size_t buckets) {
  ActivitySpec s;
  s.member_column = "id";
  s.year_column = "year";
  s.month_column = "month";
  s.buckets = buckets;
  s.metrics = {{"flights", "", DataType::Int32},
               {"km", "distance", DataType::Float32},
               {"km", "distance_cents", DataType::Int32, 2}};
  return s;
}

std::vector<int32_t> ints(const Population& p, const std::string& series) {
  std::vector<int32_t> v;
  for (std::size_t c : p.find_series(series)->bucket_columns)
    for (std::size_t r = 0; r < p.rows(); ++r) v.push_back(p.column(c).values<int32_t>()[r]);
  return v;  // bucket-major: bucket 0 of every member, then bucket 1 ...
}

std::string message_of(const std::function<void()>& f) {
  return test::thrown_message(f, std::nullopt).value_or("<no error>");
}

const int32_t kDec31 = days_from_civil(2018, 12, 31);

}  // namespace

TEST(SeriesCalendar, MonthBucketsCountCalendarMonthsBackFromAsOf) {
  EXPECT_EQ(bucket_of(BucketUnit::Month, kDec31, days_from_civil(2018, 12, 1)), 0);
  EXPECT_EQ(bucket_of(BucketUnit::Month, kDec31, days_from_civil(2018, 11, 30)), 1);
  EXPECT_EQ(bucket_of(BucketUnit::Month, kDec31, days_from_civil(2017, 1, 1)), 23);
  EXPECT_EQ(bucket_of(BucketUnit::Month, kDec31, days_from_civil(2019, 1, 1)), -1);
  EXPECT_EQ(bucket_of_month(kDec31, 2017, 1), 23);
  EXPECT_EQ(format_iso_date(bucket_first_day(BucketUnit::Month, kDec31, 23)), "2017-01-01");
  EXPECT_EQ(format_iso_date(bucket_last_day(BucketUnit::Month, kDec31, 23)), "2017-01-31");
  EXPECT_EQ(format_iso_date(bucket_last_day(BucketUnit::Month, days_from_civil(2018, 3, 10), 1)), "2018-02-28");
  EXPECT_EQ(format_iso_date(bucket_last_day(BucketUnit::Month, days_from_civil(2018, 3, 10), 0)), "2018-03-10");
}

TEST(SeriesCalendar, WeekBucketsEndOnAsOfAndDaysAreSingleDays) {
  EXPECT_EQ(bucket_of(BucketUnit::Week, kDec31, kDec31), 0);
  EXPECT_EQ(bucket_of(BucketUnit::Week, kDec31, kDec31 - 6), 0);
  EXPECT_EQ(bucket_of(BucketUnit::Week, kDec31, kDec31 - 7), 1);
  EXPECT_EQ(bucket_of(BucketUnit::Week, kDec31, kDec31 + 1), -1);
  EXPECT_EQ(bucket_first_day(BucketUnit::Week, kDec31, 2), kDec31 - 20);
  EXPECT_EQ(bucket_last_day(BucketUnit::Week, kDec31, 2), kDec31 - 14);
  EXPECT_EQ(bucket_of(BucketUnit::Day, kDec31, kDec31 - 5), 5);
}

TEST(ActivityImport, PeriodRowsSumPerMemberAndMonthWithExactCounts) {
  Population m = make_members({10, 20, 30}, kDec31);
  ActivitySpec spec = period_spec(3);
  spec.unknown_members = UnknownMemberPolicy::Skip;
  const char* csv =
      "id,year,month,flights,km\n"
      "10,2018,12,2,100.25\n"  // bucket 0
      "10,2018,12,3,50.5\n"    // repeated key, different: summed
      "10,2018,11,1,10\n"      // bucket 1
      "20,2018,10,4,7\n"       // bucket 2
      "20,2018,10,4,7\n"       // exact duplicate of the row above: summed under "sum"
      "20,2018,9,9,9\n"        // before the window
      "20,2019,1,9,9\n"        // after as_of
      "99,2018,12,5,5\n"       // unknown member
      "30,2018,11,,2\n";       // empty flights: 0, counted
  ActivityImport a = import_activity_text(csv, "act.csv", spec, m);
  EXPECT_EQ(ints(m, "flights"), (std::vector<int32_t>{5, 0, 0, 1, 0, 0, 0, 8, 0}));
  const Column& d0 = m.column("distance@0");
  EXPECT_EQ(d0.values<float>()[0], 150.75f);
  EXPECT_EQ(m.column("distance@2").values<float>()[1], 14.0f);
  EXPECT_EQ(m.find_series("flights")->unit, BucketUnit::Month);
  const ActivityReport& r = a.report;
  EXPECT_EQ(r.rows, 9u);
  EXPECT_EQ(r.rows_used, 6u);
  EXPECT_EQ(r.repeated_rows, 2u);
  EXPECT_EQ(r.exact_duplicates, 1u);
  EXPECT_EQ(r.dropped_duplicates, 0u);
  EXPECT_EQ(r.unknown_member_rows, 1u);
  EXPECT_EQ(r.first_unknown_member, "99");
  EXPECT_EQ(r.rows_before_window, 1u);
  EXPECT_EQ(r.rows_after_as_of, 1u);
  EXPECT_EQ(r.null_metric_values, 1u);
  EXPECT_EQ(r.members_with_activity, 3u);
}

TEST(ActivityImport, DropExactDuplicatesKeepsTheFirstOfEqualRowsOnly) {
  Population m = make_members({10, 20}, kDec31);
  ActivitySpec spec = period_spec(2);
  spec.repeated_rows = RepeatPolicy::DropExactDuplicates;
  const char* csv =
      "id,year,month,flights,km,note\n"
      "10,2018,12,2,1,a\n"
      "10,2018,12,2,1,a\n"  // exact: dropped
      "10,2018,12,2,1,b\n"  // differs in an unused column: kept
      "10,2018,12,2,1,a\n"  // exact again: dropped
      "20,2018,11,1,1,a\n"
      "20,2018,11,1,1,\n";  // NULL vs 'a': kept
  ActivityImport a = import_activity_text(csv, "act.csv", spec, m);
  EXPECT_EQ(ints(m, "flights"), (std::vector<int32_t>{4, 0, 0, 2}));
  EXPECT_EQ(a.report.repeated_rows, 4u);
  EXPECT_EQ(a.report.exact_duplicates, 2u);
  EXPECT_EQ(a.report.dropped_duplicates, 2u);
  EXPECT_EQ(a.report.rows_used, 4u);
}

TEST(ActivityImport, EventRowsFallIntoWeekBucketsEndingOnAsOf) {
  Population m = make_members({1, 2}, kDec31);
  ActivitySpec spec;
  spec.member_column = "customer";
  spec.date_column = "date";
  spec.date_format = "%Y%m%d";
  spec.unit = BucketUnit::Week;
  spec.buckets = 2;
  spec.metrics = {{"amount", "spend", DataType::Float32}};
  const char* csv =
      "customer,date,amount\n"
      "1,20181231,1.5\n"  // week 0
      "1,20181225,2\n"    // week 0 (as_of - 6)
      "1,20181224,4\n"    // week 1
      "2,20181217,8\n"    // week 1 (as_of - 14 is week 2: 12-17 is as_of - 14) -> before
      "2,20190101,16\n";  // after as_of
  ActivityImport a = import_activity_text(csv, "ev.csv", spec, m);
  EXPECT_EQ(m.column("spend@0").values<float>()[0], 3.5f);
  EXPECT_EQ(m.column("spend@1").values<float>()[0], 4.0f);
  EXPECT_EQ(m.column("spend@1").values<float>()[1], 0.0f);
  EXPECT_EQ(a.report.rows_before_window, 1u);
  EXPECT_EQ(a.report.rows_after_as_of, 1u);
  EXPECT_EQ(a.report.members_with_activity, 1u);
}

TEST(ActivityImport, DayAfterAsOfInTheSameMonthIsAfterAsOf) {
  Population m = make_members({1}, days_from_civil(2018, 12, 15));
  const ActivitySpec spec = day_spec(1, {{"n", "", DataType::Int32}});
  ActivityImport a = import_activity_text("c,d,n\n1,2018-12-15,1\n1,2018-12-16,2\n1,2018-12-01,4\n", "x", spec, m);
  EXPECT_EQ(m.column("n@0").values<int32_t>()[0], 5);
  EXPECT_EQ(a.report.rows_after_as_of, 1u);
}

TEST(ActivityImport, UnknownMemberUnderErrorPolicyNamesRowAndId) {
  Population m = make_members({10}, kDec31);
  ActivitySpec spec = period_spec(2);
  EXPECT_EQ(message_of([&] {
              import_activity_text("id,year,month,flights,km\n10,2018,12,1,1\n77,2018,12,1,1\n", "a.csv", spec, m);
            }),
            "a.csv: data row 2: member 77 (column 'id') is not in the members table (set unknown_members = "
            "\"skip\" to count and skip such rows)");
  EXPECT_EQ(m.series().size(), 0u);  // nothing added on failure
}

TEST(ActivityImport, BadMonthAndEmptyIdAndOverflowAreErrors) {
  ActivitySpec spec = period_spec(2);
  {
    Population m = make_members({10}, kDec31);
    EXPECT_EQ(message_of([&] { import_activity_text("id,year,month,flights,km\n10,2018,13,1,1\n", "a.csv", spec, m); }),
              "a.csv: data row 1: column 'month' holds 13, not a month 1..12");
  }
  {
    Population m = make_members({10}, kDec31);
    EXPECT_EQ(message_of([&] {
                import_activity_text("id,year,month,flights,km\n10,2018,12,1,1\n,2018,12,1,1\n", "a.csv", spec, m);
              }),
              "a.csv: data row 2: column 'id' is empty; every activity row needs a member id");
  }
  {
    Population m = make_members({10}, kDec31);
    EXPECT_EQ(message_of([&] {
                import_activity_text("id,year,month,flights,km\n10,2018,12,2147483647,1\n10,2018,12,1,1\n", "a.csv",
                                     spec, m);
              }),
              "series 'flights': member 10, bucket 0: the sum of 'flights' is 2147483648, outside int32 (declare the "
              "metric float32)");
  }
  {
    Population m = make_members({10}, kDec31);
    EXPECT_EQ(message_of([&] { import_activity_text("id,year,month,flight,km\n10,2018,12,1,1\n", "a.csv", spec, m); }),
              "a.csv: the schema's column 'flights' is not in the header (did you mean 'flight'?)");
  }
}

TEST(ActivityImport, SeriesNameAlreadyTakenIsAnError) {
  Population m = make_members({10}, kDec31);
  m.add_column(Column("flights@1", DataType::Int32, 1));
  EXPECT_EQ(message_of([&] { import_activity_text("id,year,month,flights,km\n", "a.csv", period_spec(2), m); }),
            "the members already have a column 'flights@1'");
}

TEST(ActivityImport, MembersFromActivityAreTheDistinctIdsWithFirstActiveDay) {
  ActivitySpec spec = day_spec(3, {{"n", "", DataType::Int32}});
  spec.date_format = "%Y%m%d";
  ImportResult t =
      import_csv_text("c,d,n\n5,20181103,1\n2,20181201,1\n5,20181002,1\n", "x", activity_table_options(spec, kDec31));
  Population m = members_from_activity(t.population, spec, "x", kDec31);
  ASSERT_EQ(m.rows(), 2u);
  EXPECT_EQ(m.column("customer_id").values<uint64_t>()[0], 2u);
  EXPECT_EQ(m.column("customer_id").values<uint64_t>()[1], 5u);
  EXPECT_EQ(format_iso_date(m.column("first_active").values<int32_t>()[1]), "2018-10-02");
  ActivityReport r = add_activity_series(m, t.population, spec, "x");
  EXPECT_EQ(ints(m, "n"), (std::vector<int32_t>{1, 0, 0, 1, 0, 1}));
  EXPECT_EQ(r.rows_used, 3u);
}

TEST(WhitespaceTable, ConvertsCdnowLinesToCsv) {
  EXPECT_EQ(
      whitespace_table_to_csv(" customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n\r\n"
                              " 00002 19970112  1   12.00",
                              "cd.txt"),
      "customer_id,date,number_of_cds,dollar_value\n00001,19970101,1,11.77\n00002,19970112,1,12.00\n");
  EXPECT_EQ(message_of([] { whitespace_table_to_csv("a b\n1 2 3\n", "t.txt"); }),
            "t.txt:2:1: line has 3 fields, the header line has 2");
  EXPECT_EQ(message_of([] { whitespace_table_to_csv("a b\n1 x,y\n", "t.txt"); }),
            "t.txt:2:4: field 'x,y' holds a ',', which a whitespace-separated table cannot carry");
}

TEST(ActivitySpecFile, ParsesAllKeysAndRejectsUnknownOnes) {
  ActivitySpec s = parse_activity_spec(
      "format = \"whitespace\"\nmember_column = \"customer_id\"\ndate_column = \"date\"\ndate_format = \"%Y%m%d\"\n"
      "unit = \"month\"\nbuckets = 18\nunknown_members = \"skip\"\nrepeated_rows = \"drop-exact-duplicates\"\n"
      "[[metric]]\ncolumn = \"dollar_value\"\nseries = \"spend\"\ntype = \"float32\"\n"
      "[[metric]]\ncolumn = \"number_of_cds\"\n",
      "s.toml");
  EXPECT_EQ(s.format, ActivityFormat::Whitespace);
  EXPECT_EQ(s.buckets, 18u);
  EXPECT_EQ(s.repeated_rows, RepeatPolicy::DropExactDuplicates);
  EXPECT_EQ(s.unknown_members, UnknownMemberPolicy::Skip);
  ASSERT_EQ(s.metrics.size(), 2u);
  EXPECT_EQ(s.metrics[1].series_name(), "number_of_cds");
  EXPECT_EQ(s.metrics[1].type, DataType::Int32);
  EXPECT_EQ(message_of([] { parse_activity_spec("member_column = \"a\"\nbucket = 3\n", "s.toml"); }),
            "s.toml:2:1: unknown key 'bucket' in the activity spec (did you mean 'buckets'?) (allowed: format, "
            "member_column, date_column, date_format, year_column, month_column, unit, buckets, unknown_members, "
            "repeated_rows, metric)");
  EXPECT_EQ(message_of([] {
              parse_activity_spec(
                  "member_column = \"a\"\nyear_column = \"y\"\nmonth_column = \"m\"\nunit = \"week\"\n"
                  "buckets = 3\n[[metric]]\ncolumn = \"x\"\n",
                  "s.toml");
            }),
            "s.toml: period rows (year and month) can only fill monthly buckets, not unit 'week'");
}

// ---- parallel vs reference ------------------------------------------------

namespace {

struct RandomCase {
  std::vector<uint64_t> ids;
  std::string csv;
};

// Members 1..n (shuffled), activity rows with repeats, exact duplicates,
// unknown members, rows outside the window, empty metric cells, extremes.
RandomCase random_case(std::mt19937_64& rng, std::size_t members, std::size_t rows) {
  RandomCase c;
  for (std::size_t i = 0; i < members; ++i) c.ids.push_back(1000 + 7 * i);
  std::shuffle(c.ids.begin(), c.ids.end(), rng);
  c.csv = "id,year,month,flights,km,tag\n";
  std::string last;
  for (std::size_t r = 0; r < rows; ++r) {
    if (!last.empty() && rng() % 5 == 0) {  // exact duplicate of the previous row
      c.csv += last;
      continue;
    }
    const uint64_t id = members > 0 && rng() % 20 != 0 ? c.ids[rng() % members] : 5u + rng() % 3;  // 5..7 unknown
    const int year = 2016 + static_cast<int>(rng() % 4);                                           // 2016..2019
    const int month = 1 + static_cast<int>(rng() % 12);
    std::string flights;
    switch (rng() % 8) {
      case 0: flights = ""; break;
      case 1: flights = "0"; break;
      case 2: flights = std::to_string(1000000 - static_cast<int>(rng() % 2000000)); break;
      default: flights = std::to_string(rng() % 10); break;
    }
    std::string km = rng() % 9 == 0 ? "" : std::to_string(static_cast<double>(rng() % 100000) / 100.0);
    last = std::to_string(id) + "," + std::to_string(year) + "," + std::to_string(month) + "," + flights + "," + km +
           "," + (rng() % 2 ? "x" : "y") + "\n";
    c.csv += last;
  }
  return c;
}

void expect_same_population(const Population& a, const Population& b) {
  ASSERT_EQ(a.num_columns(), b.num_columns());
  ASSERT_EQ(a.series().size(), b.series().size());
  for (std::size_t s = 0; s < a.series().size(); ++s) {
    EXPECT_EQ(a.series()[s].name, b.series()[s].name);
    EXPECT_EQ(a.series()[s].bucket_columns, b.series()[s].bucket_columns);
  }
  for (std::size_t c = 0; c < a.num_columns(); ++c) {
    const Column &x = a.column(c), &y = b.column(c);
    ASSERT_EQ(x.name(), y.name());
    ASSERT_EQ(x.type(), y.type());
    EXPECT_EQ(std::memcmp(x.values<unsigned char>(), y.values<unsigned char>(), a.rows() * type_width(x.type())), 0)
        << "column " << x.name();
  }
}

}  // namespace

TEST(ActivityImport, ParallelEqualsReferenceOnRandomTablesForEveryThreadCountAndPolicy) {
  std::mt19937_64 rng(42);
  const std::size_t sizes[] = {0, 1, 63, 65, 1000, 40003};
  for (std::size_t rows : sizes) {
    for (std::size_t members : {std::size_t{0}, std::size_t{1}, std::size_t{50}, std::size_t{3000}}) {
      RandomCase rc = random_case(rng, members, rows);
      for (RepeatPolicy policy : {RepeatPolicy::Sum, RepeatPolicy::DropExactDuplicates}) {
        ActivitySpec spec = period_spec(1 + rng() % 30);
        spec.unknown_members = UnknownMemberPolicy::Skip;
        spec.repeated_rows = policy;
        const Population table = import_csv_text(rc.csv, "r.csv", activity_table_options(spec, kDec31)).population;
        Population ref = make_members(rc.ids, kDec31);
        const ActivityReport want = add_activity_series_reference(ref, table, spec, "r.csv");
        EXPECT_EQ(want.rows, rows);
        for (int threads : {1, 2, 4}) {
          Population got = make_members(rc.ids, kDec31);
          tbb::task_arena arena(threads);
          ActivityReport r;
          arena.execute([&] { r = add_activity_series(got, table, spec, "r.csv", threads == 1 ? 1 : 0); });
          EXPECT_EQ(r, want) << "rows " << rows << " members " << members << " threads " << threads;
          expect_same_population(got, ref);
        }
      }
    }
  }
}

TEST(ActivityImport, ParallelAndReferenceReportTheSameFirstError) {
  std::mt19937_64 rng(7);
  RandomCase rc = random_case(rng, 40, 50000);
  ActivitySpec spec = period_spec(12);  // unknown_members = error: the first unknown row in file order fails
  const Population table = import_csv_text(rc.csv, "r.csv", activity_table_options(spec, kDec31)).population;
  Population a = make_members(rc.ids, kDec31), b = make_members(rc.ids, kDec31);
  const std::string want = message_of([&] { add_activity_series_reference(a, table, spec, "r.csv"); });
  EXPECT_NE(want, "<no error>");
  EXPECT_EQ(message_of([&] { add_activity_series(b, table, spec, "r.csv"); }), want);
}

TEST(ActivityImport, DecimalsKeepAmountsAsExactWholeCents) {
  Population m = make_members({1}, kDec31);
  const ActivitySpec spec = day_spec(2, {{"usd", "cents", DataType::Int32, 2}, {"usd", "spend", DataType::Float32}});
  import_activity_text("c,d,usd\n1,2018-12-01,14.99\n1,2018-12-02,0.01\n1,2018-11-02,-3\n1,2018-11-03,\n", "x", spec,
                       m);
  EXPECT_EQ(m.column("cents@0").values<int32_t>()[0], 1500);
  EXPECT_EQ(m.column("cents@1").values<int32_t>()[0], -300);
  EXPECT_EQ(m.column("spend@0").values<float>()[0], 15.0f);
  Population m2 = make_members({1}, kDec31);
  EXPECT_EQ(
      message_of([&] { import_activity_text("c,d,usd\n1,2018-12-01,1.5\n1,2018-12-01,14.995\n", "x", spec, m2); }),
      "x: data row 2: column 'usd' holds 14.995000, which is not a whole number of 1/10^2 (the metric keeps 2 "
      "decimals)");
}

TEST(SeriesSummary, ListsBucketsWithTheirDaysTotalsAndActiveMembers) {
  Population m = make_members({10, 20}, kDec31);
  ActivitySpec spec = period_spec(2);
  import_activity_text("id,year,month,flights,km\n10,2018,12,2,1.25\n20,2018,12,3,0\n20,2018,11,0,2.5\n", "a.csv", spec,
                       m);
  auto s = summarize_series(m);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(format_series_summary(s[0]),
            "flights          month    2 buckets  2018-11-01 .. 2018-12-31  total 5  active members 2\n"
            "    @0   2018-12-01 .. 2018-12-31  total 5              active 2\n"
            "    @1   2018-11-01 .. 2018-11-30  total 0              active 0\n");
  EXPECT_EQ(s[1].name, "distance");
  EXPECT_EQ(s[1].total, 3.75);
  EXPECT_EQ(s[1].members_active, 2u);
  EXPECT_EQ(s[1].buckets[1].active, 1u);
  EXPECT_FALSE(s[1].integer);
  EXPECT_EQ(s[2].total, 375.0);  // distance_cents
}

TEST(MemberOverlay, JoinsColumnsByIdAndLeavesMissingMembersNull) {
  Population m = make_members({10, 20, 30}, kDec31);
  ImportOptions o;
  o.id_column = "customer_id";
  const Population ov =
      import_csv_text("customer_id,email_opt_in,contacts_30d\n30,true,2\n10,false,\n", "consent.csv", o).population;
  const OverlayReport r = apply_overlay(m, ov, "consent.csv");
  EXPECT_EQ(r.columns_added, 2u);
  EXPECT_EQ(r.members_matched, 2u);
  EXPECT_EQ(r.members_missing, 1u);
  const Column& e = m.column("email_opt_in");
  EXPECT_EQ(e.values<uint8_t>()[0], 0);
  EXPECT_TRUE(e.is_null(1));
  EXPECT_EQ(e.values<uint8_t>()[2], 1);
  const Column& c = m.column("contacts_30d");
  EXPECT_TRUE(c.is_null(0));
  EXPECT_TRUE(c.is_null(1));
  EXPECT_FALSE(c.is_null(2));
  EXPECT_EQ(message_of([&] {
              Population m2 = make_members({10}, kDec31);
              apply_overlay(m2, import_csv_text("customer_id,x\n10,1\n11,2\n", "o.csv", o).population, "o.csv");
            }),
            "o.csv: data row 2: member 11 is not in the members table");
}

TEST(MemberOverlay, DefaultsAreTypedFromTheirValueAndReported) {
  Population m = make_members({1, 2}, kDec31);
  EXPECT_EQ(add_default_column(m, "phone_opt_in=true"), "phone_opt_in = true (bool) for all 2 members");
  EXPECT_EQ(add_default_column(m, "contacts_30d=0"), "contacts_30d = 0 (int32) for all 2 members");
  EXPECT_EQ(add_default_column(m, "pressure_used=2.5"), "pressure_used = 2.5 (float32) for all 2 members");
  EXPECT_EQ(m.column("phone_opt_in").values<uint8_t>()[1], 1);
  EXPECT_EQ(m.column("pressure_used").values<float>()[1], 2.5f);
  EXPECT_EQ(message_of([&] { add_default_column(m, "x=maybe"); }),
            "--default x: 'maybe' is not true, false, an integer or a decimal");
  EXPECT_EQ(message_of([&] { add_default_column(m, "contacts_30d=1"); }),
            "--default: the members already have a column 'contacts_30d'");
}

TEST(ActivityImport, Float32SumsBeyondRangeBecomeInfinityNotUndefined) {
  Population m = make_members({1}, kDec31);
  const ActivitySpec spec = day_spec(1, {{"x", "", DataType::Float32}});
  import_activity_text("c,d,x\n1,2018-12-01,3e38\n1,2018-12-02,3e38\n", "x", spec, m);
  EXPECT_EQ(m.column("x@0").values<float>()[0], std::numeric_limits<float>::infinity());
}

// Third attack, finding 17: buckets = 100000 of day units on CDNOW's 23,570 members built
// 300,000 dense columns (28 GB) until the machine ran out of memory. The size is checked first.
TEST(ActivityImport, SeriesBeyondHalfTheMemoryAreRefusedBeforeAllocating) {
  ActivitySpec spec = day_spec(100000, {{"x", "", DataType::Int32}, {"y", "", DataType::Float32},
                                        {"z", "", DataType::Int32}});
  spec.unit = BucketUnit::Day;
  EXPECT_EQ(activity::series_bytes(23570, spec), 28284000000u);
  EXPECT_EQ(activity::series_bytes(std::size_t(1) << 62, spec), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(message_of([&] { activity::check_series_size(23570, spec, uint64_t(8) << 30); }),
            "the activity series need 23570 members x 100000 buckets x 3 metrics x 4 bytes = 28284000000 bytes "
            "(26.3 GiB) of columns, more than half of this machine's memory (8.0 GiB); use fewer buckets or a "
            "coarser unit (week, month)");
  EXPECT_EQ(message_of([&] { activity::check_series_size(23570, spec, 28284000000u); }), "<no error>");
  // Through the import: 4,000,000 members x 100000 days x 3 metrics = 4.8 TB, refused at once
  // (no column allocated; no machine this runs on has 9.6 TB).
  std::vector<uint64_t> ids(4000000);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = i + 1;
  Population m = make_members(std::move(ids), kDec31);
  const std::string msg = message_of([&] { import_activity_text("c,d,x,y,z\n1,2018-12-15,1,2,3\n", "x", spec, m); });
  EXPECT_EQ(msg.substr(0, msg.find(" of columns")),
            "the activity series need 4000000 members x 100000 buckets x 3 metrics x 4 bytes = 4800000000000 bytes "
            "(4470.3 GiB)");
  EXPECT_EQ(m.num_columns(), 1u);
}
