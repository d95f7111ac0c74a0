// `nudge import IN.csv -o OUT.snap`: CSV -> population -> snapshot.
//
//   nudge import members.csv -o members.snap --schema data/schemas/rs1.toml
//   nudge import members.csv --print-schema > members.toml   # inferred, editable
//
// Options: --schema FILE (TOML, data/schemas/README.md), --print-schema
// (write the schema the import would use to stdout and stop), --as-of
// YYYY-MM-DD, --skip-bad-rows, --max-errors N (with --skip-bad-rows: fail
// when more than N rows are bad). The report goes to stderr: rows, bytes,
// MB/s, as_of and where it came from, skipped rows with the first reasons.
// A failed import leaves no output file (the snapshot is written atomically
// after the whole CSV has been read). Exit 0 ok, 1 bad input, 2 usage.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "io/csv/csv_import.h"
#include "io/snapshot/snapshot.h"
#include "tools/cli.h"

namespace {

struct ImportArgs {
  std::string input, output, schema, as_of;
  bool print_schema = false, skip_bad_rows = false;
  std::optional<std::size_t> max_errors;
};

int run_import(const ImportArgs& a) {
  using namespace nudge;
  ImportOptions opt;
  if (!a.schema.empty()) opt.schema = load_import_schema(a.schema);
  if (!a.as_of.empty()) {
    opt.as_of = parse_iso_date(a.as_of);
    if (!opt.as_of) throw_usage("--as-of: '" + a.as_of + "' is not a date YYYY-MM-DD");
  }
  if (a.max_errors && !a.skip_bad_rows) throw_usage("--max-errors needs --skip-bad-rows");
  opt.skip_bad_rows = a.skip_bad_rows;
  if (a.max_errors) opt.max_errors = *a.max_errors;
  if (cli::global_options().threads == 1) opt.threads = 1;  // the serial driver
  opt.progress = true;                                      // drawn only when stderr is a terminal

  if (a.print_schema) {
    std::vector<std::string> warnings;
    const ImportSchema s = resolve_import_schema(a.input, opt, &warnings);
    for (const auto& w : warnings) nudge::cli::write_text(stderr, "warning: " + w + "\n");
    nudge::cli::write_text(stdout, format_import_schema(s));
    return 0;
  }
  if (a.output.empty()) throw_usage("import: -o OUT.snap is required (or --print-schema)");
  cli::refuse_output_over_input(a.output, {a.input, a.schema});
  const auto t0 = std::chrono::steady_clock::now();
  const ImportResult r = import_csv(a.input, opt);
  const double parse_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& w : r.warnings) nudge::cli::write_text(stderr, "warning: " + w + "\n");
  write_snapshot(r.population, a.output);
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "imported %zu rows x %zu columns from %s: %.1f MB in %.3f s (%.0f MB/s)\n", r.population.rows(),
               r.population.num_columns(), a.input.c_str(), r.bytes / 1e6, parse_s,
               parse_s > 0 ? r.bytes / 1e6 / parse_s : 0.0);
  std::fprintf(stderr, "as_of %s (from %s)\n", format_iso_date(r.population.as_of()).c_str(),
               std::string(as_of_source_name(r.as_of_source)).c_str());
  if (r.rows_skipped > 0) {
    std::fprintf(stderr, "skipped %zu bad rows of %zu; first reasons:\n", r.rows_skipped, r.rows_read);
    for (const auto& why : r.reasons) std::fprintf(stderr, "  %s\n", why.c_str());
  }
  std::fprintf(stderr, "wrote %s in %.3f s total\n", a.output.c_str(), total_s);
  return 0;
}

nudge::cli::Registrar reg("import", [](CLI::App& app) {
  auto* sub = app.add_subcommand("import", "Import a CSV file into a population snapshot");
  auto a = std::make_shared<ImportArgs>();
  sub->add_option("input", a->input, "CSV file (header row, RFC 4180 quoting)")->required();
  sub->add_option("-o,--output", a->output, "Snapshot file to write");
  sub->add_option("--schema", a->schema, "Import schema (TOML; see data/schemas/README.md)");
  sub->add_flag("--print-schema", a->print_schema,
                "Print the schema the import would use (inferred where not given) and stop");
  sub->add_option("--as-of", a->as_of,
                  "The day the data describes, YYYY-MM-DD (default: the schema's, else today UTC)");
  sub->add_flag("--skip-bad-rows", a->skip_bad_rows, "Leave out bad rows instead of failing; report how many and why");
  sub->add_option("--max-errors", a->max_errors, "With --skip-bad-rows: fail when more than N rows are bad")
      ->check(nudge::cli::unsigned_integer());
  return [a] { return run_import(*a); };
});

}  // namespace
