// Fuzz target: snapshot open (io/snapshot/snapshot.h) and a query on it.
//
// Input: a snapshot file. Before it is opened, the target repairs the header's
// file size, manifest hash and header hash (when the header and the manifest
// range are there) so that mutations reach the manifest checks, the
// FlatBuffers verifier and the column checks instead of stopping at a hash.
// open_snapshot may throw nudge::Error. An opened population is summarised
// (`nudge inspect`), queried with one predicate per column (up to 8, and one
// windowed sum per series) checked row by row against the reference
// evaluator under every instruction set, and its data verified against the
// buffer hashes (which may throw nudge::Error).
//
// Seeds: with NUDGE_FUZZ_WRITE_SEEDS=DIR in the environment, the target first
// writes two seed snapshots there (tests/fuzz/corpus/snapshot came from it).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "engine/expr/program.h"
#include "io/gen/rs1_generator.h"
#include "io/snapshot/snapshot.h"
#include "io/snapshot/snapshot_format.h"
#include "io/snapshot/snapshot_summary.h"
#include "tests/fuzz/fuzz_population.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using namespace nudge;

std::string quoted(const std::string& name) {
  std::string q = "\"";
  for (char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// One predicate reading column `c`.
std::string predicate_for(const Column& c) {
  std::string n = quoted(c.name());
  switch (c.type()) {
    case DataType::Bool: return n + " IS NOT NULL AND NOT " + n;
    case DataType::Category: return n + " = 'Star' OR " + n + " IS NULL";
    case DataType::Date: return n + " >= DATE '2025-01-01'";
    default: return n + " > 1 OR abs(" + n + ") < 0.5";
  }
}

void query(const Population& pop) {
  std::vector<expr::Source> preds;
  for (const auto& c : pop.columns()) {
    if (preds.size() >= 8) break;
    preds.push_back({predicate_for(c), "col"});
  }
  for (const auto& s : pop.series())
    if (preds.size() < 10) preds.push_back({"sum(" + quoted(s.name) + ", last 1 months) > 0", "series"});
  std::optional<expr::CompiledSet> set;
  try {
    set.emplace(expr::CompiledSet::compile(pop, preds));
  } catch (const Error&) {
    return;  // e.g. a column name the language cannot spell
  }
  for (simd::Isa isa : fuzz::all_isas()) {
    simd::ScopedIsa scoped(isa);
    auto bits = expr::select_all(pop, *set);
    for (std::size_t i = 0; i < preds.size(); ++i)
      for (std::size_t r = 0; r < pop.rows(); ++r) {
        bool got = (bits[i][r / 64] >> (r % 64)) & 1;
        fuzz::check(got == (set->reference_predicate(pop, i, r) == 1),
                    "'" + preds[i].text + "' row " + std::to_string(r) + " differs from the reference");
      }
  }
}

void repair_hashes(std::string& file) {
  if (file.size() < snapshot::kHeaderBytes) return;
  snapshot::Header h;
  std::memcpy(&h, file.data(), sizeof h);
  h.file_bytes = file.size();
  if (h.manifest_offset <= file.size() && h.manifest_bytes <= file.size() - h.manifest_offset)
    h.manifest_hash = snapshot::hash_bytes(file.data() + h.manifest_offset, h.manifest_bytes);
  h.header_hash = snapshot::header_hash(h);
  std::memcpy(file.data(), &h, sizeof h);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("NUDGE_FUZZ_WRITE_SEEDS")) {
    write_snapshot(fuzz::random_population(10), std::string(dir) + "/random10.snap");
    write_snapshot(generate_rs1(5, 3), std::string(dir) + "/rs1_5.snap");
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string file(reinterpret_cast<const char*>(data), size);
  repair_hashes(file);
  auto path = fuzz::write_scratch("snapshot.snap", file);
  try {
    Population pop = open_snapshot(path);
    for (const auto& c : pop.columns()) fuzz::check(c.rows() == pop.rows(), "a column of another length");
    (void)format_column_table(summarize_population(pop));
    query(pop);
  } catch (const Error&) {}
  try {
    verify_snapshot_data(path);
  } catch (const Error&) {}
  return 0;
}
