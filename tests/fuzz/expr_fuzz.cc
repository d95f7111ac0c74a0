// Fuzz target: trigger expressions (engine/expr), differential.
//
// Input: up to 8 expressions, one per line; a line starting with '#' is a
// number expression (a priority), any other a predicate (a trigger). They are
// parsed, bound, simplified and compiled together against a fixed random
// population (tests/fuzz/fuzz_population.h: every column type, NULLs, NaN,
// +-inf, integer extremes, a monthly series; 150 rows, so batches of 64 end
// part-way). nudge::Error from compile is a fine answer. Otherwise, under every
// instruction set the CPU has, evaluate() per batch must equal the
// row-at-a-time reference evaluator on every row (predicates: the TRUE bit;
// numbers: validity and the value bit for bit, NaN = NaN, NULL rows hold 0),
// and select_all (oneTBB, 2 threads) the same bitmaps. Any difference aborts.
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "engine/expr/program.h"
#include "tests/fuzz/fuzz_population.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using namespace nudge;

const Population& population() {
  static const Population pop = fuzz::random_population(150);
  return pop;
}

std::string where(const std::vector<expr::Source>& s, std::size_t i, std::size_t row, simd::Isa isa) {
  return "'" + s[i].text + "' row " + std::to_string(row) + " under " + std::string(simd::isa_name(isa));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<expr::Source> preds, nums;
  for (auto line : fuzz::split(text, "\n", 8)) {
    if (!line.empty() && line[0] == '#')
      nums.push_back({std::string(line.substr(1)), "n" + std::to_string(nums.size())});
    else preds.push_back({std::string(line), "p" + std::to_string(preds.size())});
  }
  const Population& pop = population();
  std::optional<expr::CompiledSet> set;
  try {
    set.emplace(expr::CompiledSet::compile(pop, preds, nums));
  } catch (const Error&) { return 0; }
  fuzz::check(set->num_predicates() == preds.size() && set->num_numbers() == nums.size(), "expression count");
  const std::size_t rows = pop.rows();
  std::vector<std::vector<uint64_t>> want(preds.size(), std::vector<uint64_t>(padded_rows(rows) / 64));
  for (std::size_t i = 0; i < preds.size(); ++i)
    for (std::size_t r = 0; r < rows; ++r) {
      int v = set->reference_predicate(pop, i, r);
      fuzz::check(v == 1 || v == 0 || v == -1, "reference predicate out of range");
      if (v == 1) want[i][r / 64] |= uint64_t{1} << (r % 64);
    }
  std::vector<std::vector<std::optional<double>>> want_num(nums.size());
  for (std::size_t i = 0; i < nums.size(); ++i)
    for (std::size_t r = 0; r < rows; ++r) want_num[i].push_back(set->reference_number(pop, i, r));

  for (simd::Isa isa : fuzz::all_isas()) {
    simd::ScopedIsa scoped(isa);
    expr::Workspace ws;
    for (std::size_t begin = 0; begin < rows; begin += expr::kBatchRows) {
      std::size_t count = std::min(expr::kBatchRows, rows - begin);
      set->evaluate(pop, begin, count, ws);
      for (std::size_t i = 0; i < preds.size(); ++i)
        for (std::size_t r = 0; r < count; ++r) {
          bool got = (ws.predicate_bits(i)[r / 64] >> (r % 64)) & 1;
          bool exp = (want[i][(begin + r) / 64] >> ((begin + r) % 64)) & 1;
          fuzz::check(got == exp, "predicate " + where(preds, i, begin + r, isa) + ": vectorised " +
                                      std::to_string(got) + ", reference " + std::to_string(exp));
        }
      for (std::size_t i = 0; i < nums.size(); ++i)
        for (std::size_t r = 0; r < count; ++r) {
          const auto& ref = want_num[i][begin + r];
          bool valid = (ws.number_validity(i)[r / 64] >> (r % 64)) & 1;
          double got = ws.number_values(i)[r];
          fuzz::check(valid == ref.has_value(), "number NULL-ness " + where(nums, i, begin + r, isa));
          fuzz::check(valid ? fuzz::same_double(got, *ref) : got == 0.0,
                      "number " + where(nums, i, begin + r, isa) + ": vectorised " + std::to_string(got) +
                          ", reference " + (ref ? std::to_string(*ref) : std::string("NULL")));
        }
    }
  }
  if (!preds.empty()) {
    tbb::task_arena arena(2);
    std::vector<std::vector<uint64_t>> got;
    arena.execute([&] { got = expr::select_all(pop, *set); });
    fuzz::check(got == want, "select_all (2 threads) differs from the reference");
  }
  return 0;
}
