// Fuzz target: linear/logistic model TOML (engine/score/linear_model.h).
//
// Input: the model TOML. parse_linear_model may throw nudge::Error. A parsed
// model is bound to a population built for it (70 rows): a float64 column per
// numeric term (NULLs only where the term has a null_value, so the bind
// succeeds; values include 0, negatives, 1e300, NaN and +-inf) and a category
// column per category term (its listed values plus one unlisted, NULLs where
// it has a null_weight). Scores must equal the per-row reference bit for bit
// under every instruction set (score_check.h); every finite input of a model
// that passed the reader's checks must not make bind or scoring crash.
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "engine/score/linear_model.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/fuzz/score_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace nudge;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  score::LinearSpec spec;
  try {
    spec = score::parse_linear_model(text, "fuzz-model.toml");
  } catch (const Error&) { return 0; }
  const std::size_t rows = 70;
  Population pop(rows, days_from_civil(2026, 11, 1));
  std::set<std::string> names;
  const double values[] = {0.0, 1.0, -2.5, 3.25, 1e300, -1e-300, 42.0};
  const double specials[] = {std::nan(""), std::numeric_limits<double>::infinity(), -0.0};
  for (const auto& t : spec.numeric) {
    if (!names.insert(t.column).second) continue;
    Column c(t.column, DataType::Float64, rows);
    for (std::size_t r = 0; r < rows; ++r) {
      if (t.null_value && r % 5 == 1) c.set_null(r);
      else c.mutable_values<double>()[r] = r % 23 == 22 ? specials[r % 3] : values[(r * 7 + names.size()) % 7];
    }
    try {
      pop.add_column(std::move(c));
    } catch (const Error&) {
      return 0;  // a name the population refuses (e.g. two aliases alike): nothing to bind
    }
  }
  for (const auto& t : spec.category) {
    if (!names.insert(t.column).second) continue;
    std::vector<std::string> dict;
    for (const auto& w : t.weights) dict.push_back(w.first);
    dict.push_back("__unlisted__");
    Column c(t.column, DataType::Category, rows);
    for (std::size_t r = 0; r < rows; ++r) {
      if (t.null_weight && r % 4 == 3) c.set_null(r);
      else c.mutable_values<int32_t>()[r] = static_cast<int32_t>((r * 3) % dict.size());
    }
    c.set_dictionary(std::move(dict));
    try {
      pop.add_column(std::move(c));
    } catch (const Error&) { return 0; }
  }
  auto model = score::make_linear_model(std::move(spec));
  fuzz::check_scores(*model, pop);
  return 0;
}
