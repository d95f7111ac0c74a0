// Linear and logistic models in nudge's TOML format (data/models/README.md).
//
//   score = link(intercept + sum_i w_i * x'_i + sum_c weight_c[category of row])
//   x'_i  = (x_i - mean_i) / std_i  when the term is standardised, else x_i
//   x_i   = the column's value, or null_value_i when the row is NULL
//   link  = identity: z;  logistic: 1 / (1 + exp(-z))
// computed in double precision, terms added in file order (numeric terms
// first, then category terms), the same order in the batch path and in the
// per-row reference, so both give bit-identical scores.
//
// NULL policy (decided here, checked once at bind, never in the hot loop):
// a numeric term without `null_value`, or a category term without
// `null_weight`, binds only to a column that holds no NULL; otherwise bind()
// throws Error(InvalidInput) naming the column and its NULL count. A NaN
// stored as a value (not NULL) propagates: the score is NaN.
//
// Thread-safety: parse_linear_model is pure; the models are immutable.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/score/model.h"

namespace nudge::score {

enum class LinearLink { Identity, Logistic };

struct NumericTerm {
  std::string column;  // column name or alias in the population
  double weight = 0;
  std::optional<double> mean, std;   // both or neither; std > 0
  std::optional<double> null_value;  // raw value used for NULL rows (before standardisation)
  std::string where;                 // "file:line:col" of the term, for bind errors
};

struct CategoryTerm {
  std::string column;                                   // a Category column
  std::vector<std::pair<std::string, double>> weights;  // value -> weight; unlisted values weigh 0
  std::optional<double> null_weight;                    // weight of a NULL row
  std::string where;
};

struct LinearSpec {
  std::string source;  // file name, for messages
  std::string name;    // optional `name` key
  LinearLink link = LinearLink::Identity;
  double intercept = 0;
  std::vector<NumericTerm> numeric;
  std::vector<CategoryTerm> category;
};

// Parses the TOML text of a linear model. `source` names it in errors.
// Throws Error(InvalidInput) "source:line:col: message" for TOML syntax errors,
// missing or mistyped keys, unknown keys, a bad link, std <= 0, a mean without
// a std, non-finite numbers, duplicate columns or category values.
LinearSpec parse_linear_model(std::string_view toml_text, const std::string& source);

// The Model over a parsed spec (bind resolves columns; see the NULL policy above).
std::unique_ptr<Model> make_linear_model(LinearSpec spec);

}  // namespace nudge::score
