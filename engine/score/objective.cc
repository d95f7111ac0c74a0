#include "engine/score/objective.h"

#include <algorithm>
#include <cmath>

#include "engine/base/error.h"

namespace nudge::score {

float xgb_sigmoid(float margin) noexcept {
  constexpr float kEps = 1e-16f;  // XGBoost's guard against a zero denominator (no effect once denom >= 1)
  const float x = std::min(-margin, 88.7f);
  return 1.0f / (std::exp(x) + 1.0f + kEps);  // std::exp(float) = expf, as XGBoost calls it
}

Objective make_objective(std::string_view name, float base_score, const std::string& source) {
  const std::string n(name);
  if (n == "binary:logitraw") return {n, Transform::Identity, base_score};
  if (n == "binary:logistic" || n == "reg:logistic") {
    if (!(base_score > 0.0f && base_score < 1.0f))
      throw_invalid_input(source + ": base_score must be in (0, 1) for objective " + n + ", got " +
                          std::to_string(base_score));
    const float margin = -std::log(1.0f / base_score - 1.0f);  // float overload: logf, as ProbToMargin
    return {n, Transform::Sigmoid, margin};
  }
  if (n == "reg:squarederror" || n == "reg:linear") return {n, Transform::Identity, base_score};
  if (n.rfind("multi:", 0) == 0)
    throw_invalid_input(source + ": objective " + n +
                        " is a multi-class objective; nudge scores only "
                        "single-output models (binary:logistic, reg:logistic, binary:logitraw, reg:squarederror)");
  throw_invalid_input(source + ": objective '" + n +
                      "' is not supported (supported: binary:logistic, reg:logistic, "
                      "binary:logitraw, reg:squarederror)");
}

}  // namespace nudge::score
