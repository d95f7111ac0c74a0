// The CSV import check shared by csv_import_fuzz.cc and csv_schema_import_fuzz.cc.
//
// check_import(flags, csv, schema) imports `csv` with the options `flags` picks:
//   bit 0: skip_bad_rows   bit 1: no id uniqueness check   bit 2: infer from 3 rows only
//   bits 3-4: chunk size 64 B, 300 B, 4 KiB, 1 MiB   bit 5: 2 threads (else the serial driver)
// and checks: the import either throws nudge::Error or returns a population
// whose every column is as long as the file has records; the same import with
// the serial driver and 1 MiB chunks gives an identical population or the same
// error (csv_import.h: results do not depend on chunking or threads); the
// schema `--print-schema` would write reads back equal (import_schema.h).
// A wrong answer aborts (check).
#pragma once

#include <tbb/task_arena.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "engine/base/error.h"
#include "io/csv/csv_import.h"
#include "io/csv/import_schema.h"
#include "tests/fuzz/fuzz_population.h"
#include "tests/fuzz/fuzz_util.h"

namespace nudge::fuzz::detail {

struct Outcome {
  std::optional<nudge::ImportResult> result;
  std::string error;
};

inline Outcome run(std::string_view csv, const nudge::ImportOptions& opt) {
  Outcome o;
  try {
    o.result = nudge::import_csv_text(csv, "fuzz.csv", opt);
  } catch (const nudge::Error& e) { o.error = e.what(); }
  return o;
}

}  // namespace nudge::fuzz::detail

namespace nudge::fuzz {

inline void check_import(uint8_t flags, std::string_view csv, std::optional<ImportSchema> schema) {
  ImportOptions opt;
  opt.schema = std::move(schema);
  opt.as_of = days_from_civil(2026, 11, 1);
  opt.skip_bad_rows = flags & 1;
  opt.check_unique_ids = !(flags & 2);
  if (flags & 4) opt.infer_rows = 3;
  const std::size_t chunks[] = {64, 300, 4096, std::size_t{1} << 20};
  opt.chunk_bytes = chunks[(flags >> 3) & 3];
  opt.threads = (flags & 32) ? 2 : 1;

  detail::Outcome got;
  if (opt.threads > 1) {
    tbb::task_arena arena(2);
    arena.execute([&] { got = detail::run(csv, opt); });
  } else {
    got = detail::run(csv, opt);
  }
  ImportOptions serial = opt;
  serial.threads = 1;
  serial.chunk_bytes = std::size_t{1} << 20;
  detail::Outcome want = detail::run(csv, serial);
  check(got.result.has_value() == want.result.has_value(),
        "chunked/threaded import and serial import disagree: '" + got.error + "' vs '" + want.error + "'");
  if (!got.result) {
    check(got.error == want.error, "different errors: '" + got.error + "' vs '" + want.error + "'");
    return;
  }
  const ImportResult& r = *got.result;
  std::string diff = population_difference(r.population, want.result->population);
  check(diff.empty(), "chunked/threaded import differs from the serial one: " + diff);
  check(r.rows_read == want.result->rows_read && r.rows_skipped == want.result->rows_skipped,
        "row counts differ between chunkings");
  check(r.population.rows() + r.rows_skipped == r.rows_read, "rows + skipped != rows read");
  for (const auto& c : r.population.columns())
    check(c.rows() == r.population.rows(), "column '" + c.name() + "' has another length");

  // What `nudge import --print-schema` writes must read back to the same schema.
  std::string toml = format_import_schema(r.schema);
  ImportSchema back;
  try {
    back = parse_import_schema(toml, "printed.toml");
  } catch (const Error& e) { fail(std::string("the printed schema does not read back: ") + e.what() + "\n" + toml); }
  check(back == r.schema, "the printed schema reads back different:\n" + toml);
}

}  // namespace nudge::fuzz
