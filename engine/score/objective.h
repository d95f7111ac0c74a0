// XGBoost objectives: how a model's summed margin becomes its prediction.
//
// Kept in one small, separately tested file, as Treelite does
// (src/frontend/detail/xgboost.h: objective -> prediction transform, and
// base_score -> base margin). Semantics follow XGBoost 1.7
// (src/objective/regression_loss.h, src/common/math.h), all in float32:
//
//   objective          base margin from base_score          transform of margin m
//   binary:logistic    -logf(1/base_score - 1)  (logit)     sigmoid(m)
//   reg:logistic       -logf(1/base_score - 1)              sigmoid(m)
//   binary:logitraw    base_score (as is)                   m
//   reg:squarederror   base_score                           m
//   reg:linear         (old name of reg:squarederror)
//   sigmoid(m) = 1 / (expf(min(-m, 88.7f)) + 1 + 1e-16f), XGBoost 1.7's common::Sigmoid.
//
// binary:logitraw: XGBoost 1.7 and 2.x give LogisticRaw its own identity
// ProbToMargin (checked against python3-xgboost 1.7.4's predictions in
// tests/data/xgboost/logitraw.*); releases before that inherited the logit
// from LogisticRegression (a constant shift when base_score != 0.5). nudge
// follows 1.7+.
//
// base_score is stored in the JSON as the user-facing value (a probability for
// the logistic objectives); a logistic base_score outside (0, 1) is rejected,
// as XGBoost's CHECK does.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace nudge::score {

enum class Transform { Identity, Sigmoid };

struct Objective {
  std::string name;     // as in the JSON, e.g. "binary:logistic"
  Transform transform;  // applied to the summed margin
  float base_margin;    // the margin every prediction starts from
};

// The objective `name` with base_score (as stored in the model). Throws
// Error(InvalidInput) "<source>: ..." for an objective nudge does not score
// (naming the supported ones; multi-class objectives are named as such) and
// for a logistic base_score outside (0, 1).
Objective make_objective(std::string_view name, float base_score, const std::string& source);

// XGBoost 1.7's common::Sigmoid, in float32.
float xgb_sigmoid(float margin) noexcept;

// The prediction for a summed margin.
inline float apply_transform(Transform t, float margin) noexcept {
  return t == Transform::Sigmoid ? xgb_sigmoid(margin) : margin;
}

}  // namespace nudge::score
