// Very wide inputs stay linear (issue 14): a CSV of 20,000 columns imports,
// and a population of 100,000 series buckets is built, written and opened, in
// seconds. Before the fix the header check, the schema resolution and
// Population::add_column compared every column with every other one: 40,000
// columns took more than 20 s to import and 100,000 buckets 50 s to open.
// These tests assert values, not time (timings belong in bench/README.md,
// `bench/wide_inputs.sh`): a quadratic regression shows as a run of minutes
// that ctest's per-test timeout stops.
#include <gtest/gtest.h>

#include <string>

#include "engine/base/error.h"
#include "io/csv/csv_import.h"
#include "io/snapshot/snapshot.h"
#include "tests/support/test_paths.h"

using namespace nudge;

TEST(WideInputs, TwentyThousandColumnsImportInLinearTime) {
  constexpr std::size_t kColumns = 20'000;
  std::string csv = "customer_id";
  for (std::size_t c = 1; c < kColumns; ++c) csv += ",Metric " + std::to_string(c);
  csv += "\n";
  for (int r = 0; r < 3; ++r) {
    csv += std::to_string(r + 1);
    for (std::size_t c = 1; c < kColumns; ++c) csv += "," + std::to_string((c * 7 + r) % 100);
    csv += "\n";
  }
  const ImportResult r = import_csv_text(csv, "wide.csv");
  ASSERT_EQ(r.population.num_columns(), kColumns);
  EXPECT_EQ(r.population.column("metric_19999").values<int32_t>()[2], (19999 * 7 + 2) % 100);
  EXPECT_EQ(*r.population.id_column(), 0u);
  // A repeated name is still found, now through the hash of normalised names.
  const std::string dup = "a,b,c,A\n1,2,3,4\n";
  try {
    import_csv_text(dup, "d.csv");
    FAIL();
  } catch (const Error& e) { EXPECT_EQ(std::string(e.what()), "d.csv:1: header column 4 'A' repeats column 1 'a'"); }
}

TEST(WideInputs, HundredThousandBucketsWriteAndOpenInLinearTime) {
  constexpr std::size_t kBuckets = 100'000;
  const auto dir = test::make_temp_dir("wide_snap");
  Population p(5, days_from_civil(2026, 11, 1));
  Column id("customer_id", DataType::UInt64, 5);
  for (uint64_t r = 0; r < 5; ++r) id.mutable_values<uint64_t>()[r] = 100 + r;
  p.add_column(std::move(id));
  Series s;
  s.name = "visits";
  s.unit = BucketUnit::Day;
  for (std::size_t k = 0; k < kBuckets; ++k) {
    Column c("visits@" + std::to_string(k), DataType::Int32, 5);
    c.mutable_values<int32_t>()[k % 5] = static_cast<int32_t>(k);
    s.bucket_columns.push_back(p.add_column(std::move(c)));
  }
  p.add_series(std::move(s));
  write_snapshot(p, dir / "wide.snap");
  const Population q = open_snapshot(dir / "wide.snap");
  ASSERT_EQ(q.num_columns(), kBuckets + 1);
  ASSERT_EQ(q.series().size(), 1u);
  EXPECT_EQ(q.series()[0].buckets(), kBuckets);
  EXPECT_EQ(q.column(*q.find("visits@99999")).values<int32_t>()[4], 99999);
}
