// Fuzz target: CSV import without a schema (every column inferred).
// Input: one byte of options (import_check.h), then the CSV text.
// Checks: import_check.h (chunking/threads do not change the answer; the
// printed schema reads back).
#include <cstdint>
#include <string_view>

#include "tests/fuzz/import_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::string_view csv(reinterpret_cast<const char*>(data + 1), size - 1);
  nudge::fuzz::check_import(data[0], csv, std::nullopt);
  return 0;
}
