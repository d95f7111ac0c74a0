// Fuzz target: CSV import with an import schema (io/csv/import_schema.h).
// Input: one byte of options (import_check.h), the schema TOML, a line
// "===", then the CSV text. A schema that does not parse (nudge::Error) ends
// the run; otherwise the CSV is imported with it and checked as in
// import_check.h.
#include <cstdint>
#include <string_view>

#include "engine/base/error.h"
#include "io/csv/import_schema.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/fuzz/import_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  auto parts = nudge::fuzz::split(rest, "\n===\n", 2);
  if (parts.size() != 2) return 0;
  nudge::ImportSchema schema;
  try {
    schema = nudge::parse_import_schema(parts[0], "fuzz-schema.toml");
  } catch (const nudge::Error&) { return 0; }
  nudge::fuzz::check_import(data[0], parts[1], std::move(schema));
  return 0;
}
