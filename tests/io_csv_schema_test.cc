// Import schema files (TOML): parsing, errors, rename, category lists, date
// formats, skipped columns; type inference of each type; --print-schema
// output that reads back to the same schema and the same population.
#include <gtest/gtest.h>

#include "engine/base/error.h"
#include "io/csv/csv_import.h"
#include "io/csv/csv_infer.h"
#include "tests/support/error_text.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

ImportOptions with_schema(const std::string& toml) {
  ImportOptions o;
  o.schema.emplace(parse_import_schema(toml, "s.toml"));
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
categories = ["Star", "Nova", "Aurora"]
type = "category"
rename = "tier"
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
            "t.csv: id column 'x': line 2 '-2' is not a customer id (an integer 0 .. 2^64-1); fix the row, or name "
            "another id column (schema id_column; \"\" for none) or declare this column's type in a schema");
  EXPECT_EQ(import_error("id,x\n1,-2\n", with_schema("id_column = 'x'\n[[column]]\nname='x'\ntype='int32'\n")),
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

// Before the fix the id column came out int32/float64/category and the
// snapshot had no id column, with no message; now the import names the row.
TEST(CsvInference, IdColumnIsUint64OrAnErrorNamingTheRow) {
  const std::string good = "customer_id,x\n1,2\n18446744073709551615,3\n";
  EXPECT_EQ(import_csv_text(good, "t.csv").population.column("customer_id").type(), DataType::UInt64);
  const struct {
    std::string csv, line;
  } bad[] = {
      {"customer_id,x\n1,2\n-5,3\n", "line 3 '-5'"},
      {"customer_id,x\n1,2\n7,3\n18446744073709551616,4\n", "line 4 '18446744073709551616'"},
      {"customer_id,x\n9007199254740993,2\n9007199254740992.5,3\n", "line 3 '9007199254740992.5'"},
      {"customer_id,x\nA17,2\n", "line 2 'A17'"},
  };
  for (const auto& b : bad) {
    SCOPED_TRACE(b.csv);
    const std::string e = import_error(b.csv, {});
    EXPECT_NE(e.find("t.csv: id column 'customer_id': " + b.line + " is not a customer id"), std::string::npos) << e;
    EXPECT_THROW(resolve_import_schema_text(b.csv, "t.csv"), Error);
  }
  EXPECT_NE(import_error("customer_id,x\n,2\n", {}).find("id column 'customer_id': has no value in the first"),
            std::string::npos);
  // Declared in a schema, the type is the user's choice: no id column, no error.
  const auto r = import_csv_text("customer_id,x\nA17,2\n", "t.csv",
                                 with_schema("[[column]]\nname = \"customer_id\"\ntype = \"category\"\n"));
  EXPECT_FALSE(r.population.id_column());
}

// Integers float64 cannot hold exactly used to become float64 silently.
TEST(CsvInference, IntegersBeyondFloat64PrecisionAreNamed) {
  std::vector<std::string> notes;
  const std::string csv = "id2,v\n1.5,0.5\n-1,2\n36028797018963969,3\n";
  const ImportSchema s = resolve_import_schema_text(csv, "t.csv", {}, &notes);
  EXPECT_EQ(s.columns[0].type, DataType::Float64);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0],
            "t.csv: column 'id2': inferred float64, which cannot hold every integer beyond 2^53 exactly: line 4 "
            "'36028797018963969' (declare int64, uint64 or category in a schema to keep them exact)");
  EXPECT_EQ(import_csv_text(csv, "t.csv").warnings, notes);
}

// `12,500.00` in a quoted field and `1.299,99` silently made a category column.
TEST(CsvInference, NumbersWithThousandsSeparatorsAreNamed) {
  std::vector<std::string> notes;
  const std::string csv = "a,b,c\n1,\"12,500.00\",x\n2,\"1.299,99\",y\n\"3,5\",3 000,z\n4,7,w\n";
  const ImportSchema s = resolve_import_schema_text(csv, "t.csv", {}, &notes);
  EXPECT_EQ(s.columns[0].type, DataType::Category);
  EXPECT_EQ(s.columns[1].type, DataType::Category);
  EXPECT_EQ(s.columns[2].type, DataType::Category);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0],
            "t.csv: column 'a': inferred category, but 3 of 4 sampled values are numbers and 1 look like numbers "
            "with thousands separators; not plain numbers: line 4 '3,5' (nudge reads numbers without separators, "
            "with '.' as the decimal point; clean these rows or declare the type in a schema)");
  EXPECT_NE(notes[1].find("column 'b': inferred category, but 1 of 4 sampled values are numbers and 3 look like "
                          "numbers with thousands separators; not plain numbers: line 2 '12,500.00', line 3 "
                          "'1.299,99', line 4 '3 000'"),
            std::string::npos)
      << notes[1];
  for (const char* yes : {"12,500.00", "1.299,99", "1 000", "-3'500", "1.000.000"})
    EXPECT_TRUE(csv::looks_like_grouped_number(yes)) << yes;
  for (const char* no : {"12.5", "a,b", "1,,0", ",5", "5,", "Star", ""})
    EXPECT_FALSE(csv::looks_like_grouped_number(no)) << no;
}

// --print-schema wrote TOML that nudge could not read back for some header
// names; now every name a header may hold round-trips, and names that TOML
// cannot hold (invalid UTF-8) are refused at the header with their column.
TEST(PrintSchema, EveryHeaderNameRoundTrips) {
  const std::vector<std::string> names = {"a\nb",
                                          "c\x01"
                                          "d",
                                          "e\x7f",
                                          "tab\there",
                                          "q\"uote",
                                          "back\\s",
                                          "\xC3\xBCn\xC3\xAF",
                                          "cr\rx",
                                          "\x1b[31mred",
                                          "sp ace ",
                                          "#hash",
                                          "[x]",
                                          "k = v",
                                          "'single'",
                                          "u\u2028v"};
  std::string csv;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string q;
    for (char c : names[i]) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    csv += (i ? "," : "") + ("\"" + q + "\"");
  }
  csv += "\n";
  for (std::size_t i = 0; i < names.size(); ++i) csv += (i ? "," : "") + std::to_string(i);
  csv += "\n";
  ImportOptions o;
  o.as_of = 0;
  o.id_column = "";
  const ImportSchema inferred = resolve_import_schema_text(csv, "t.csv", o);
  ASSERT_EQ(inferred.columns.size(), names.size());
  const std::string toml = format_import_schema(inferred);
  const ImportSchema back = parse_import_schema(toml, "printed.toml");
  EXPECT_EQ(back, inferred) << toml;
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(back.columns[i].name, names[i]);
  ImportOptions fed;
  fed.schema = back;
  EXPECT_EQ(import_csv_text(csv, "t.csv", fed).population.num_columns(), names.size());

  EXPECT_NE(import_error("ok,\"bad\xFF\"\n1,2\n", {}).find("t.csv:1: header column 2 "), std::string::npos);
  EXPECT_NE(import_error("ok,\"bad\xFF\"\n1,2\n", {}).find("is not valid UTF-8 (at byte 4 of the name)"),
            std::string::npos);
}

// Clearer errors for files that are not UTF-8 CSV with LF or CRLF line ends.
TEST(CsvImport, Utf16NulBytesAndBareCrAreNamed) {
  EXPECT_NE(import_error(std::string("\xFF\xFE"
                                     "a\0,\0b\0\n\0",
                                     10),
                         {})
                .find("t.csv: the file is UTF-16"),
            std::string::npos);
  EXPECT_NE(import_error(std::string("a\0,\0b\0\n\0", 8), {}).find("t.csv: byte 2 is a NUL byte"), std::string::npos);
  EXPECT_NE(import_error("a,b,a2\r1,2,3\r4,5,6\r", {}).find("t.csv: lines end in a bare CR"), std::string::npos);
  EXPECT_EQ(import_error("\"x\ry\",b\r\n1,2\r\n", {}), "");  // a CR inside a quoted name is fine
}
