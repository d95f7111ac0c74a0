// CSV import: a customer (or activity) CSV file -> a typed Population.
//
// Input: a header row, then one record per row (RFC 4180 quoting, LF or
// CRLF, an optional UTF-8 byte-order mark; io/csv/csv_tokenizer.h). An empty
// unquoted field, or one holding only spaces in a non-category column, is
// NULL; "" (quoted empty) is the empty string in a category column.
// Numbers may have spaces around them. Column names are kept as written
// ("Loyalty Number", alias loyalty_number) unless the schema renames them.
//
// Types come from ImportOptions::schema (io/csv/import_schema.h); columns it does
// not list are inferred from the first `infer_rows` records
// (io/csv/csv_infer.h). resolve_import_schema returns the complete schema that
// an import would use, which `nudge import --print-schema` writes as TOML.
//
// Usage:
//   nudge::ImportOptions opt;
//   opt.schema = nudge::load_import_schema("data/schemas/rs1.toml");
//   nudge::ImportResult r = nudge::import_csv("members.csv", opt);
//   const nudge::Column& tier = r.population.column("tier");
//
// Parallelism: the data is cut into regions of about `chunk_bytes` at record
// boundaries (quote-aware), parsed by a oneTBB pipeline in the calling
// thread's arena, and merged in file order, so the population (values,
// dictionary order, errors reported) is identical for every thread count and
// chunk size. threads == 1 runs the same stages in a plain loop with no TBB.
// The library never changes the process-wide thread count.
//
// Errors: Error(InvalidInput) for bad data, naming the file, the 1-based line
// where the record starts, the 1-based column number and header name, the
// expected type and the offending text (csv_chunk_parser.h shows the
// format). In fail mode (default) the first bad row in file order is
// reported; with skip_bad_rows, bad rows are counted and left out and the
// first `max_reasons` messages returned; more than `max_errors` bad rows
// fail the import. Also InvalidInput: an empty file, a bad header (empty or
// repeated names), a schema column missing from the header, an id column
// that is not uint64, NULL or duplicate ids. Error(Io) when the file cannot
// be read. Error(Usage) for out-of-domain options.
//
// Id column: ImportOptions::id_column, else the schema's id_column, else a
// uint64 column named customer_id if there is one. When one is designated
// (and check_unique_ids), its values must be unique. Long-form tables
// (activity per member and month) set id_column = "" or check_unique_ids =
// false.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store/population.h"
#include "io/csv/import_schema.h"

namespace nudge {

struct ImportOptions {
  std::optional<ImportSchema> schema;  // explicit types; nullopt = infer every column
  std::optional<int32_t> as_of;        // overrides the schema's as_of (days since 1970-01-01)
  bool skip_bad_rows = false;          // false: the first bad row fails the import
  std::size_t max_errors = std::numeric_limits<std::size_t>::max();  // skip mode: most bad rows tolerated
  std::size_t max_reasons = 5;                     // skip mode: messages kept in ImportResult::reasons
  std::optional<std::string> id_column;            // overrides the schema's id_column; "" = none
  bool check_unique_ids = true;                    // check the id column for duplicates
  std::size_t infer_rows = 100000;                 // records sampled to infer unlisted columns
  std::size_t chunk_bytes = std::size_t{1} << 20;  // region size for parallel parsing (1 .. 1 GiB; larger is capped)
  int threads = 0;        // 1: the serial driver; 0 (or more): the calling thread's oneTBB arena
  bool progress = false;  // a progress bar (bytes parsed) on stderr when it is a terminal (engine/progress)
};

enum class AsOfSource : uint8_t { Option, Schema, Today };
std::string_view as_of_source_name(AsOfSource s) noexcept;  // "--as-of", "schema", "today (UTC)"

struct ImportResult {
  Population population;
  std::size_t rows_read = 0;         // records in the file, kept + skipped
  std::size_t rows_skipped = 0;      // bad rows left out (skip mode)
  std::vector<std::string> reasons;  // the first max_reasons skip messages, in file order
  std::size_t bytes = 0;             // size of the input
  ImportSchema schema;               // the complete schema used (inferred types filled in)
  AsOfSource as_of_source = AsOfSource::Today;
  // What inference could not say with a type alone (csv_infer.h): "file: column 'x': ...".
  std::vector<std::string> warnings;
};

// Imports a CSV file (memory-mapped; the mapping is released on return).
ImportResult import_csv(const std::filesystem::path& path, const ImportOptions& options = {});
// Imports CSV text held in memory; `file_name` names it in messages.
ImportResult import_csv_text(std::string_view text, std::string_view file_name, const ImportOptions& options = {});

// The complete schema an import of this file/text would use: every header
// column, schema entries first, inferred types for the rest, as_of and
// id_column as resolved. Same errors as the import's header checks.
// Inference findings go to `warnings` when given (as ImportResult::warnings).
ImportSchema resolve_import_schema(const std::filesystem::path& path, const ImportOptions& options = {},
                                   std::vector<std::string>* warnings = nullptr);
ImportSchema resolve_import_schema_text(std::string_view text, std::string_view file_name,
                                        const ImportOptions& options = {},
                                        std::vector<std::string>* warnings = nullptr);

// Today's date in UTC, days since 1970-01-01.
int32_t today_utc() noexcept;

}  // namespace nudge
