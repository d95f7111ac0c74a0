// Round trips through CSV: store -> write_csv -> import_csv -> store ->
// snapshot -> store equal value for value (every type, NaN, +-inf, -0,
// INT32_MIN/MAX, awkward category strings, NULLs), and `nudge import`:
// report, exit codes, --print-schema fed back, no output file on failure.
#include <gtest/gtest.h>

#include "engine/base/error.h"
#include "io/csv/csv_import.h"
#include "io/csv/csv_writer.h"
#include "io/file/atomic_file.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "tests/io_snapshot_fixtures.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

// The fixture population without its series (CSV carries plain columns only).
Population without_series(const Population& p) {
  Population out(p.rows(), p.as_of());
  for (const auto& c : p.columns()) out.add_column(c);
  if (p.id_column()) out.set_id_column(*p.id_column());
  return out;
}

// A schema that states every column's type (and the category order) of `p`.
ImportSchema schema_of(const Population& p) {
  ImportSchema s;
  s.as_of = p.as_of();
  for (const auto& c : p.columns()) {
    const DataType t = c.type();
    s.columns.push_back(
        ColumnSpec{c.name(), t, "", t == DataType::Category ? c.dictionary() : std::vector<std::string>{}, "", false});
  }
  return s;
}

// Writes `text` to the file at `p` (atomically, as the CLI's inputs are written).
void write_file(const std::filesystem::path& p, const std::string& text) {
  AtomicFile f(p);
  f.write(text);
  f.commit();
}

std::string shell_quote(const std::filesystem::path& p) {
  std::string s = "'";
  s += p.string();
  s += '\'';
  return s;
}

std::string nudge_cmd(const std::string& args) { return shell_quote(test::cli_path()) + " " + args; }

bool dir_is_only(const std::filesystem::path& dir, std::size_t expected_files) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n == expected_files;
}

}  // namespace

TEST(CsvRoundTrip, EveryTypeSurvivesCsvAndSnapshot) {
  for (std::size_t rows : {0ul, 1ul, 63ul, 65ul, 1000ul}) {
    SCOPED_TRACE(rows);
    const Population original = without_series(test::make_every_type_population(rows, 5));
    const auto dir = test::make_temp_dir("csv-roundtrip");
    write_csv(original, dir / "p.csv");
    ImportOptions o;
    o.schema = schema_of(original);
    o.chunk_bytes = 4096;  // several regions even for small files
    const ImportResult r = import_csv(dir / "p.csv", o);
    test::expect_same_population(original, r.population);
    write_snapshot(r.population, dir / "p.snap");
    test::expect_same_population(original, open_snapshot(dir / "p.snap"));
  }
}

TEST(CsvRoundTrip, Rs1PopulationSurvivesCsvWithTheShippedSchema) {
  const Population pop = generate_rs1(20000, 3);
  const auto dir = test::make_temp_dir("csv-rs1");
  write_csv(pop, dir / "rs1.csv");
  ImportOptions o;
  o.schema = load_import_schema(test::source_dir() / "data/schemas/rs1.toml");
  o.chunk_bytes = 64 * 1024;
  test::expect_same_population(pop, import_csv(dir / "rs1.csv", o).population);
}

TEST(ImportCommand, WritesSnapshotAndReports) {
  const Population pop = generate_rs1(3000, 8);
  const auto dir = test::make_temp_dir("cli-import");
  write_csv(pop, dir / "m.csv");
  std::string out;
  const int rc =
      test::run_command(nudge_cmd("import " + shell_quote(dir / "m.csv") + " -o " + shell_quote(dir / "m.snap") +
                                  " --schema " + shell_quote(test::source_dir() / "data/schemas/rs1.toml")),
                        &out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("imported 3000 rows x 24 columns"), std::string::npos) << out;
  EXPECT_NE(out.find("as_of 2026-11-01 (from schema)"), std::string::npos) << out;
  test::expect_same_population(pop, open_snapshot(dir / "m.snap"));
}

TEST(ImportCommand, PrintedSchemaFedBackGivesTheSameSnapshot) {
  const auto dir = test::make_temp_dir("cli-schema");
  write_file(dir / "a.csv", "customer_id,tier,score,joined\n5,Nova,1.5,2024-01-02\n7,Star,,2024-03-04\n");
  std::string toml;
  ASSERT_EQ(test::run_command(nudge_cmd("import " + shell_quote(dir / "a.csv") +
                                        " --print-schema --as-of 2026-01-01 > " + shell_quote(dir / "a.toml")),
                              &toml),
            0)
      << toml;
  const ImportSchema printed = load_import_schema(dir / "a.toml");
  ASSERT_EQ(printed.columns.size(), 4u);
  EXPECT_EQ(printed.columns[2].type, DataType::Float64);
  EXPECT_EQ(printed.columns[3].type, DataType::Date);
  EXPECT_EQ(printed.as_of, days_from_civil(2026, 1, 1));
  std::string out;
  ASSERT_EQ(test::run_command(nudge_cmd("import " + shell_quote(dir / "a.csv") + " -o " + shell_quote(dir / "a.snap") +
                                        " --schema " + shell_quote(dir / "a.toml")),
                              &out),
            0)
      << out;
  const Population p = open_snapshot(dir / "a.snap");
  EXPECT_EQ(p.as_of(), days_from_civil(2026, 1, 1));
  EXPECT_EQ(p.column("joined").values<int32_t>()[1], days_from_civil(2024, 3, 4));
  EXPECT_TRUE(p.column("score").is_null(1));
}

TEST(ImportCommand, BadInputExitsOneAndLeavesNoFile) {
  const auto dir = test::make_temp_dir("cli-bad");
  write_file(dir / "b.csv", "customer_id,n\n1,5\n2,5\n1,6\n");
  std::string out;
  EXPECT_EQ(
      test::run_command(nudge_cmd("import " + shell_quote(dir / "b.csv") + " -o " + shell_quote(dir / "b.snap")), &out),
      1);
  EXPECT_NE(out.find("b.csv:4: duplicate customer id 1 in column 'customer_id' (first on line 2)"), std::string::npos)
      << out;
  EXPECT_TRUE(dir_is_only(dir, 1)) << "the failed import left a file behind";
}

TEST(ImportCommand, SkipBadRowsReportsCountAndReasons) {
  const auto dir = test::make_temp_dir("cli-skip");
  write_file(dir / "s.csv", "customer_id,n\n1,5\n2,x\n3,6\n4,y\n");
  write_file(dir / "s.toml", "[[column]]\nname = \"n\"\ntype = \"int32\"\n");
  const std::string base = "import " + shell_quote(dir / "s.csv") + " -o " + shell_quote(dir / "s.snap") +
                           " --schema " + shell_quote(dir / "s.toml");
  std::string out;
  EXPECT_EQ(test::run_command(nudge_cmd(base + " --skip-bad-rows --max-errors 1"), &out), 1) << out;
  EXPECT_NE(out.find("2 bad rows, more than the 1 allowed"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir / "s.snap"));
  ASSERT_EQ(test::run_command(nudge_cmd(base + " --skip-bad-rows --as-of 2026-11-01"), &out), 0) << out;
  EXPECT_NE(out.find("skipped 2 bad rows of 4; first reasons:\n  " + (dir / "s.csv").string() +
                     ":3: column 2 (n): expected int32, found 'x'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("as_of 2026-11-01 (from --as-of)"), std::string::npos) << out;
  EXPECT_EQ(open_snapshot(dir / "s.snap").rows(), 2u);
}

TEST(ImportCommand, UsageErrorsExitTwo) {
  const auto dir = test::make_temp_dir("cli-usage");
  write_file(dir / "u.csv", "a\n1\n");
  const std::string in = shell_quote(dir / "u.csv");
  std::string out;
  EXPECT_EQ(test::run_command(nudge_cmd("import " + in), &out), 2) << out;  // no -o
  EXPECT_EQ(test::run_command(nudge_cmd("import " + in + " -o x.snap --as-of 2026-13-01"), &out), 2) << out;
  EXPECT_NE(out.find("--as-of: '2026-13-01' is not a date YYYY-MM-DD"), std::string::npos) << out;
  EXPECT_EQ(test::run_command(nudge_cmd("import " + in + " -o x.snap --max-errors 3"), &out), 2) << out;
  EXPECT_EQ(test::run_command(nudge_cmd("import " + in + " --no-such-option"), &out), 2) << out;
  EXPECT_EQ(test::run_command(nudge_cmd("import " + shell_quote(dir / "missing.csv") + " -o x.snap"), &out), 1) << out;
  EXPECT_TRUE(dir_is_only(dir, 1));
}
