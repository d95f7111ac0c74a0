// Import schema files (TOML): parsing, errors, rename, category lists, date
// formats, skipped columns; type inference of each type; --print-schema
// output that reads back to the same schema and the same population.
#include <gtest/gtest.h>

#include "engine/base/error.h"
#include "io/csv/csv_import.h"
#include "tests/support/error_text.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

ImportOptions with_schema(const std::string& toml) {
  ImportOptions o;
  o.schema = parse_import_schema(toml, "s.toml");
  return o;
}

std::string schema_error(const std::string& toml) {
  return test::thrown_message([&] { parse_import_schema(toml, "s.toml"); }).value_or("");
}

std::string import_error(const std::string& csv, const ImportOptions& o) {
  return test::thrown_message([&] { import_csv_text(csv, "t.csv", o); }, std::nullopt).value_or("");
}

}  // namespace

TEST(ImportSchema, ParsesEveryKey) {
  const ImportSchema s = parse_import_schema(R"(
as_of = 2026-11-01
id_column = "customer_id"
[[column]]
name = "Loyalty Number"
type = "uint64"
rename = "customer_id"
[[column]]
name = "Loyalty Card"
type = "category"
categories = ["Star", "Nova", "Aurora"]
[[column]]
name = "joined"
type = "date"
format = "%Y%m%d"
[[column]]
name = "Postal Code"
skip = true
)",
                                             "s.toml");
  EXPECT_EQ(s.as_of, days_from_civil(2026, 11, 1));
  EXPECT_EQ(s.id_column, std::optional<std::string>("customer_id"));
  ASSERT_EQ(s.columns.size(), 4u);
  EXPECT_EQ(s.columns[0].output_name(), "customer_id");
  EXPECT_EQ(s.columns[1].categories, (std::vector<std::string>{"Star", "Nova", "Aurora"}));
  EXPECT_EQ(s.columns[2].date_format, "%Y%m%d");
  EXPECT_TRUE(s.columns[3].skip);
  EXPECT_EQ(s.find("loyalty_card"), &s.columns[1]);
}

TEST(ImportSchema, RejectsMistakesWithLineAndColumn) {
  EXPECT_EQ(schema_error("[[column]]\nname = 'a'\ntype = 'integer'\n"),
            "s.toml:3:8: [[column]] #1: unknown type 'integer' (bool, int32, int64, uint64, float32, float64, "
            "category, date)");
  EXPECT_EQ(schema_error("[[column]]\nname = 'a'\ntype = 'int32'\nrenmae = 'b'\n"),
            "s.toml:4:1: unknown key 'renmae' in [[column]] #1 (did you mean 'rename'?) (allowed: name, type, rename, "
            "categories, format, skip)");
  EXPECT_EQ(schema_error("[[column]]\nname = 'a'\ntype = 'date'\nformat = '%d.%m.%y'\n"),
            "s.toml:4:10: [[column]] #1: date format '%d.%m.%y' is not supported (use %Y, %m, %d once each, e.g. "
            "\"%Y-%m-%d\")");
  EXPECT_EQ(schema_error("[[column]]\nname = 'a'\ntype = 'int32'\ncategories = ['x']\n"),
            "s.toml:1:1: [[column]] #1: column 'a' lists categories but is of type int32");
  EXPECT_EQ(schema_error("[[column]]\nname = 'a'\ntype = 'category'\ncategories = ['x', 'x']\n"),
            "s.toml:4:20: [[column]] #1: category 'x' is listed twice");
  EXPECT_EQ(schema_error("[[column]]\nname = 'A b'\ntype = 'int32'\n[[column]]\nname = 'a_b'\ntype = 'int32'\n"),
            "s.toml:4:1: column 'a_b' is listed twice");
  EXPECT_EQ(schema_error("as_of = 'soon'\n"), "s.toml:1:9: 'as_of' must be a date YYYY-MM-DD");
  EXPECT_EQ(schema_error("colums = 1\n"),
            "s.toml:1:1: unknown key 'colums' in the import schema (did you mean 'column'?) "
            "(allowed: as_of, id_column, column)");
  EXPECT_NE(schema_error("[[column]\n").find("s.toml:1:"), std::string::npos);
}

TEST(ImportSchema, RenamesFixesCategoryOrderAndReadsDateFormats) {
  const auto o = with_schema(R"(
[[column]]
name = "Loyalty Card"
type = "category"
rename = "tier"
categories = ["Star", "Nova", "Aurora"]
[[column]]
name = "d1"
type = "date"
format = "%Y%m%d"
[[column]]
name = "d2"
type = "date"
[[column]]
name = "junk"
skip = true
)");
  const auto r =
      import_csv_text("Loyalty Card,d1,junk,d2\nAurora,20240229,zz,1970-01-02\nStar,19691231,,\n", "t.csv", o);
  const Population& p = r.population;
  ASSERT_EQ(p.num_columns(), 3u);
  EXPECT_FALSE(p.find("junk").has_value());
  const Column& tier = p.column("tier");
  EXPECT_EQ(tier.name(), "tier");
  EXPECT_EQ(tier.dictionary(), (std::vector<std::string>{"Star", "Nova", "Aurora"}));
  EXPECT_EQ(tier.values<int32_t>()[0], 2);
  EXPECT_EQ(tier.values<int32_t>()[1], 0);
  EXPECT_EQ(p.column("d1").type(), DataType::Date);
  EXPECT_EQ(p.column("d1").values<int32_t>()[0], days_from_civil(2024, 2, 29));
  EXPECT_EQ(p.column("d1").values<int32_t>()[1], -1);
  EXPECT_EQ(p.column("d2").values<int32_t>()[0], 1);
  EXPECT_TRUE(p.column("d2").is_null(1));
  EXPECT_EQ(import_error("Loyalty Card,d1,junk,d2\nGold,20240101,,\n", o),
            "t.csv:2: column 1 (Loyalty Card): expected category (one of Star, Nova, Aurora), found 'Gold'");
  EXPECT_EQ(import_error("Loyalty Card,d1,junk,d2\nStar,20230229,,\n", o),
            "t.csv:2: column 2 (d1): expected date (%Y%m%d), found '20230229'");
}

TEST(ImportSchema, SchemaColumnMissingFromHeaderIsAnError) {
  EXPECT_EQ(import_error("customer_id,tier\n1,Star\n", with_schema("[[column]]\nname='teir'\ntype='category'\n")),
            "t.csv: the schema's column 'teir' is not in the header (did you mean 'tier'?)");
  EXPECT_EQ(import_error("id,x\n1,-2\n", with_schema("id_column = 'x'\n")),
            "t.csv: the id column 'x' must be uint64, it is int32");
  EXPECT_EQ(import_error("id,x\n1,2\n", with_schema("id_column = 'cust'\n")),
            "t.csv: the id column 'cust' is not in the file");
}

TEST(ImportSchema, NamedIdColumnIsCheckedForDuplicates) {
  const auto o =
      with_schema("id_column = 'member'\n[[column]]\nname='Loyalty Number'\ntype='uint64'\nrename='member'\n");
  EXPECT_EQ(import_error("Loyalty Number\n5\n5\n", o),
            "t.csv:3: duplicate customer id 5 in column 'member' (first on line 2)");
  const auto r = import_csv_text("Loyalty Number\n5\n6\n", "t.csv", o);
  EXPECT_EQ(r.population.column(*r.population.id_column()).name(), "member");
}

TEST(CsvInference, InfersEachType) {
  const auto r = import_csv_text(
      "customer_id,b,t,i32,i64,u64,f,d,cat,empty\n"
      "1,0,true,-5,3000000000,18446744073709551615,1.5,2024-01-31,x,\n"
      "2,1,FALSE,7,-1,1,2,2024-02-01,7,\n",
      "t.csv");
  const Population& p = r.population;
  EXPECT_EQ(p.column("customer_id").type(), DataType::UInt64);  // the id rule
  EXPECT_EQ(p.column("b").type(), DataType::Bool);
  EXPECT_EQ(p.column("t").type(), DataType::Bool);
  EXPECT_EQ(p.column("t").values<uint8_t>()[1], 0);
  EXPECT_EQ(p.column("i32").type(), DataType::Int32);
  EXPECT_EQ(p.column("i64").type(), DataType::Int64);
  EXPECT_EQ(p.column("i64").values<int64_t>()[0], 3000000000);
  EXPECT_EQ(p.column("u64").type(), DataType::UInt64);
  EXPECT_EQ(p.column("f").type(), DataType::Float64);
  EXPECT_EQ(p.column("f").values<double>()[1], 2.0);
  EXPECT_EQ(p.column("d").type(), DataType::Date);
  EXPECT_EQ(p.column("d").values<int32_t>()[1], days_from_civil(2024, 2, 1));
  EXPECT_EQ(p.column("cat").type(), DataType::Category);
  EXPECT_EQ(p.column("cat").dictionary(), (std::vector<std::string>{"x", "7"}));
  EXPECT_EQ(p.column("empty").type(), DataType::Category);
  EXPECT_EQ(p.column("empty").null_count(), 2u);
}

TEST(CsvInference, ValueBeyondTheSampleFailsLoudly) {
  ImportOptions o;
  o.infer_rows = 2;
  EXPECT_EQ(import_error("n\n1\n2\n3.5\n", o), "t.csv:4: column 1 (n): expected int32, found '3.5'");
}

TEST(PrintSchema, RoundTripsToTheSameSchemaAndPopulation) {
  const std::string csv =
      "customer_id,tier,Salary,flag,joined,note\n"
      "10,Star,100.5,1,2024-01-31,\"a \"\"quoted\"\" note\"\n"
      "11,Nova,,0,2024-02-01,\n";
  ImportOptions o;
  o.as_of = days_from_civil(2026, 11, 1);
  const ImportSchema inferred = resolve_import_schema_text(csv, "t.csv", o);
  const std::string toml = format_import_schema(inferred);
  EXPECT_EQ(toml,
            "# nudge import schema (data/schemas/README.md describes the format)\n"
            "as_of = 2026-11-01\n"
            "id_column = \"customer_id\"\n"
            "\n[[column]]\nname = \"customer_id\"\ntype = \"uint64\"\n"
            "\n[[column]]\nname = \"tier\"\ntype = \"category\"\n"
            "\n[[column]]\nname = \"Salary\"\ntype = \"float64\"\n"
            "\n[[column]]\nname = \"flag\"\ntype = \"bool\"\n"
            "\n[[column]]\nname = \"joined\"\ntype = \"date\"\n"
            "\n[[column]]\nname = \"note\"\ntype = \"category\"\n");
  const ImportSchema back = parse_import_schema(toml, "printed.toml");
  EXPECT_EQ(back, inferred);
  // An edited copy (float32, fixed tiers, rename) still round-trips exactly.
  ImportSchema edited = back;
  edited.columns[1].categories = {"Star", "Nova", "Aurora"};
  edited.columns[2].type = DataType::Float32;
  edited.columns[2].rename = "salary";
  edited.columns[4].date_format = "%Y-%m-%d";
  EXPECT_EQ(parse_import_schema(format_import_schema(edited), "edited.toml"), edited);

  ImportOptions fed;
  fed.schema = back;
  const auto a = import_csv_text(csv, "t.csv", o);
  const auto b = import_csv_text(csv, "t.csv", fed);
  ASSERT_EQ(a.population.num_columns(), b.population.num_columns());
  for (std::size_t c = 0; c < a.population.num_columns(); ++c) {
    EXPECT_EQ(a.population.column(c).type(), b.population.column(c).type());
    EXPECT_EQ(a.population.column(c).dictionary(), b.population.column(c).dictionary());
  }
  EXPECT_EQ(b.population.as_of(), days_from_civil(2026, 11, 1));
  EXPECT_EQ(b.population.column("note").dictionary(), (std::vector<std::string>{"a \"quoted\" note"}));
}

TEST(ImportSchema, ShippedSchemaFilesParse) {
  const ImportSchema rs1 = load_import_schema(test::source_dir() / "data/schemas/rs1.toml");
  ASSERT_EQ(rs1.columns.size(), 24u);
  EXPECT_EQ(rs1.columns[0].name, "customer_id");
  EXPECT_EQ(rs1.columns[1].categories, (std::vector<std::string>{"Star", "Nova", "Aurora"}));
  EXPECT_EQ(rs1.columns[23].name, "complaints_12m");
  EXPECT_EQ(rs1.as_of, days_from_civil(2026, 11, 1));
  const ImportSchema airline = load_import_schema(test::source_dir() / "data/schemas/airline_members.toml");
  EXPECT_EQ(airline.columns.size(), 16u);
}
