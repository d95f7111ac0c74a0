// Importing the real Maven "Airline Loyalty Program" members file (UTF-8 BOM,
// CRLF, empty salaries) with data/schemas/airline_members.toml, and without a
// schema. Expected values counted with Python's csv module and read by hand
// from the first and last data rows.
#include <gtest/gtest.h>

#include <map>

#include "io/csv/csv_import.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

std::filesystem::path members_csv() {
  static const std::filesystem::path dir = [] {
    auto d = test::make_temp_dir("airline");
    const auto zip = test::shared_dir() / "data/real/airline-loyalty-program/Airline+Loyalty+Program.zip";
    std::string out;
    const int rc =
        test::run_command("unzip -q -o '" + zip.string() + "' -x '__MACOSX/*' -d '" + d.string() + "'", &out);
    EXPECT_EQ(rc, 0) << out;
    return d;
  }();
  return dir / "Customer Loyalty History.csv";
}

std::string category(const Column& c, std::size_t row) {
  return c.dictionary().at(static_cast<std::size_t>(c.values<int32_t>()[row]));
}

}  // namespace

TEST(CsvRealAirline, ImportsMembersWithTheShippedSchema) {
  ImportOptions o;
  o.schema = load_import_schema(test::source_dir() / "data/schemas/airline_members.toml");
  const ImportResult r = import_csv(members_csv(), o);
  const Population& p = r.population;
  ASSERT_EQ(p.rows(), 16737u);
  EXPECT_EQ(r.rows_skipped, 0u);
  EXPECT_EQ(r.bytes, 1733749u);
  EXPECT_EQ(p.as_of(), days_from_civil(2019, 1, 1));
  EXPECT_EQ(p.num_columns(), 16u);

  const Column& tier = p.column("tier");
  EXPECT_EQ(tier.dictionary(), (std::vector<std::string>{"Star", "Nova", "Aurora"}));
  std::map<int32_t, std::size_t> per_tier;
  for (std::size_t i = 0; i < p.rows(); ++i) ++per_tier[tier.values<int32_t>()[i]];
  EXPECT_EQ(per_tier[0], 7637u);
  EXPECT_EQ(per_tier[1], 5671u);
  EXPECT_EQ(per_tier[2], 3429u);

  const Column& salary = p.column("salary");
  EXPECT_EQ(salary.null_count(), 4238u);
  std::size_t negative = 0;
  for (std::size_t i = 0; i < p.rows(); ++i) negative += salary.is_valid(i) && salary.values<float>()[i] < 0;
  EXPECT_EQ(negative, 20u);
  EXPECT_EQ(p.column("Cancellation Year").rows() - p.column("cancellation_year").null_count(), 2067u);

  // First data row: 480934,Canada,Ontario,Toronto,M2Z 4K1,Female,Bachelor,83236,Married,Star,3839.14,Standard,2016,2,,
  ASSERT_TRUE(p.id_column().has_value());
  EXPECT_EQ(p.column(*p.id_column()).name(), "customer_id");
  EXPECT_EQ(p.column("customer_id").values<uint64_t>()[0], 480934u);
  EXPECT_EQ(category(p.column("Province"), 0), "Ontario");
  EXPECT_EQ(category(p.column("postal_code"), 0), "M2Z 4K1");
  EXPECT_EQ(salary.values<float>()[0], 83236.0f);
  EXPECT_EQ(category(tier, 0), "Star");
  EXPECT_EQ(p.column("clv").values<float>()[0], 3839.14f);
  EXPECT_EQ(p.column("Enrollment Year").values<int32_t>()[0], 2016);
  EXPECT_EQ(p.column("Enrollment Month").values<int32_t>()[0], 2);
  EXPECT_TRUE(p.column("Cancellation Year").is_null(0));
  // Second: 549612,...,Salary empty,...,CLV 3839.61
  EXPECT_EQ(p.column("customer_id").values<uint64_t>()[1], 549612u);
  EXPECT_TRUE(salary.is_null(1));
  EXPECT_EQ(p.column("clv").values<float>()[1], 3839.61f);
  // Last: 652627,Canada,Manitoba,Winnipeg,R2C 0M5,Female,Bachelor,75049,Married,Star,83325.38,Standard,2015,12,2016,8
  const std::size_t last = p.rows() - 1;
  EXPECT_EQ(p.column("customer_id").values<uint64_t>()[last], 652627u);
  EXPECT_EQ(category(p.column("City"), last), "Winnipeg");
  EXPECT_EQ(salary.values<float>()[last], 75049.0f);
  EXPECT_EQ(p.column("clv").values<float>()[last], 83325.38f);
  EXPECT_EQ(p.column("Cancellation Year").values<int32_t>()[last], 2016);
  EXPECT_EQ(p.column("Cancellation Month").values<int32_t>()[last], 8);
}

TEST(CsvRealAirline, InfersTypesWithoutASchema) {
  const ImportResult r = import_csv(members_csv());
  const Population& p = r.population;
  ASSERT_EQ(p.rows(), 16737u);
  EXPECT_EQ(p.column("Loyalty Number").type(), DataType::Int32);  // not named customer_id: no id rule
  EXPECT_EQ(p.column("Salary").type(), DataType::Int32);
  EXPECT_EQ(p.column("Salary").null_count(), 4238u);
  EXPECT_EQ(p.column("CLV").type(), DataType::Float64);
  EXPECT_EQ(p.column("CLV").values<double>()[0], 3839.14);
  EXPECT_EQ(p.column("Loyalty Card").type(), DataType::Category);
  EXPECT_EQ(p.column("Loyalty Card").dictionary(), (std::vector<std::string>{"Star", "Aurora", "Nova"}));  // first seen
  EXPECT_EQ(p.column("Cancellation Month").type(), DataType::Int32);
  EXPECT_EQ(r.schema.id_column, std::optional<std::string>(""));
}
