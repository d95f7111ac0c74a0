// XGBoost gbtree models as nudge Models: load (xgboost_json.h), validate
// (tree_ensemble.h), bind features to population columns by name, score.
//
// Scoring path per block of kScoreBlockRows rows (rows in the given order):
//   1. gather: each feature column -> float32 block matrix, feature-major
//      (value converted to float32 as numpy's astype(float32) would; NULL -> NaN);
//   2. margin: acc[i] = base margin, then every tree's leaf added in tree order
//      in float32 (score_forest_block, SIMD per simd::active_isa(); trees
//      deeper than kMaxCompleteDepth are walked row by row);
//   3. prediction: the objective's transform (objective.h), widened to double.
// reference_score(row) reads the columns directly and walks the file's own
// node arrays (TreeEnsemble::reference_margin): no shared code with steps 1-2
// beyond the float conversion rule.
//
// Binding: every feature name (learner.feature_names, or XGBoost's default
// names f0, f1, ... when the file has none) must name a population column
// (name or alias) of a numeric or Bool type; bind() throws Error(InvalidInput)
// listing every missing feature with a "did you mean" hint, and every column
// of an unusable type (category, date).
//
// Thread-safety: immutable after load; bound models score concurrently.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "engine/score/model.h"

namespace nudge::score {

// Rows per scoring block: the float matrix (features x rows) stays in L1/L2.
// A power of two (the kernel shifts by log2); tiny in the test build with tiny batches.
inline constexpr std::size_t kScoreBlockRows = NUDGE_BATCH_ROWS < 256 ? NUDGE_BATCH_ROWS : 256;

// Parses, validates and builds the model from JSON text (`source` names it in errors).
std::unique_ptr<Model> make_xgboost_model(std::string_view json_text, const std::string& source);

}  // namespace nudge::score
