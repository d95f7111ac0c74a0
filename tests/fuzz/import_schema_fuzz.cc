// Fuzz target: import-schema TOML (io/csv/import_schema.h).
// Input: the TOML text. Checks: parse_import_schema throws nudge::Error or
// returns a schema that format_import_schema writes as TOML which reads back
// to an equal schema, and formats to the same text again (a fixed point).
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "io/csv/import_schema.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace nudge;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ImportSchema schema;
  try {
    schema = parse_import_schema(text, "fuzz-schema.toml");
  } catch (const Error&) { return 0; }
  std::string toml = format_import_schema(schema);
  ImportSchema back;
  try {
    back = parse_import_schema(toml, "printed.toml");
  } catch (const Error& e) {
    fuzz::fail(std::string("a formatted schema does not read back: ") + e.what() + "\n" + toml);
  }
  fuzz::check(back == schema, "a formatted schema reads back different:\n" + toml);
  fuzz::check(format_import_schema(back) == toml, "formatting is not a fixed point:\n" + toml);
  return 0;
}
