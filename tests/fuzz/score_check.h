// The scoring check shared by linear_model_fuzz.cc and xgboost_fuzz.cc.
//
// check_scores(model, pop) binds `model` to `pop` (nudge::Error from bind is a
// fine answer: returns false) and, under every instruction set the CPU has,
// checks that score_range over all rows and score_rows over every other row
// (descending, any order is allowed) equal reference_score bit for bit
// (NaN = NaN; model.h promises equality). A difference aborts.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "engine/score/model.h"
#include "tests/fuzz/fuzz_util.h"

namespace nudge::fuzz {

inline bool check_scores(const score::Model& model, const Population& pop) {
  std::unique_ptr<score::BoundModel> bound;
  try {
    bound = model.bind(pop);
  } catch (const Error&) { return false; }
  const std::size_t n = pop.rows();
  std::vector<double> want(n);
  for (std::size_t r = 0; r < n; ++r) want[r] = bound->reference_score(r);
  std::vector<uint32_t> rows;
  for (std::size_t r = n; r-- > 0;)
    if (r % 2 == 0) rows.push_back(static_cast<uint32_t>(r));
  for (simd::Isa isa : all_isas()) {
    simd::ScopedIsa scoped(isa);
    std::vector<double> got(n), sel(rows.size());
    bound->score_range(0, n, got.data());
    bound->score_rows(rows.data(), rows.size(), sel.data());
    for (std::size_t r = 0; r < n; ++r)
      check(same_double(got[r], want[r]), "score_range row " + std::to_string(r) + " under " +
                                              std::string(simd::isa_name(isa)) + ": " + std::to_string(got[r]) +
                                              ", reference " + std::to_string(want[r]) + " (" + model.describe() + ")");
    for (std::size_t i = 0; i < rows.size(); ++i)
      check(same_double(sel[i], want[rows[i]]), "score_rows row " + std::to_string(rows[i]) + " under " +
                                                    std::string(simd::isa_name(isa)) + " differs from the reference");
  }
  return true;
}

}  // namespace nudge::fuzz
