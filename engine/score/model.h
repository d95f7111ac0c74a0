// Churn and propensity models: load once, bind to a population's schema,
// score rows in SIMD batches.
//
// Two model families:
//   - linear/logistic models in nudge's TOML format (data/models/README.md,
//     engine/score/linear_model.h): computed in double precision;
//   - XGBoost gbtree ensembles in the JSON format of Booster.save_model
//     (XGBoost 1.x/2.x schema; engine/score/xgboost_model.h), scored with
//     XGBoost 1.7's float32 semantics: the scores equal XGBoost's own
//     predictions (widened to double).
//
//   auto model = nudge::score::load_model("data/models/rs1_churn.toml");  // throws on bad files
//   auto bound = model->bind(pop);            // throws if a feature column is missing
//   std::vector<double> out(n);
//   bound->score_rows(rows, n, out.data());   // rows: ascending row indices
//
// Units: a score is whatever the model predicts: a probability in [0, 1] for
// the logistic link and the logistic XGBoost objectives, a margin or a
// regression value otherwise.
//
// load_model reads *.toml as a linear model and *.json as an XGBoost model
// (nudge's linear model has no JSON form); any other extension is an error.
// Binding rules, NULL handling and errors of each family are in
// linear_model.h and xgboost_model.h. score_rows accepts rows in any order
// (ascending is what the sweep passes and what is fastest).
//
// Thread-safety: Model and BoundModel are immutable after construction;
// score_rows / score_range / reference_score may be called from many threads
// at once. The SIMD path is chosen per call from simd::active_isa().
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/store/population.h"

namespace nudge::score {

class BoundModel {
 public:
  virtual ~BoundModel() = default;
  // out[i] = score of row rows[i], i in [0, n). Each row < pop.rows(); the sweep
  // passes them ascending (best locality), any order gives the same scores.
  virtual void score_rows(const uint32_t* rows, std::size_t n, double* out) const = 0;
  // out[i] = score of row begin + i for i in [0, end - begin).
  virtual void score_range(std::size_t begin, std::size_t end, double* out) const = 0;
  // Plain per-row reference (obviously correct, slow) that tests compare against:
  // equal, bit for bit, to what score_rows/score_range give for the row.
  virtual double reference_score(std::size_t row) const = 0;
  // Column indices read (bytes-read accounting).
  virtual const std::vector<std::size_t>& columns_read() const = 0;
};

class Model {
 public:
  virtual ~Model() = default;
  // Binds features to pop's columns by name (or alias). Throws
  // nudge::Error(InvalidInput) naming every feature the population lacks and
  // any type it cannot use. The BoundModel refers to `pop`: keep pop alive.
  virtual std::unique_ptr<BoundModel> bind(const Population& pop) const = 0;
  virtual std::string describe() const = 0;  // e.g. "xgboost gbtree, 100 trees, binary:logistic"
};

// Loads a model file: *.toml (linear/logistic) or *.json (XGBoost save_model).
// Throws nudge::Error(InvalidInput) naming the file and the fault (malformed
// JSON/TOML with line:col, child index out of range, cycle, missing field,
// unsupported objective/booster/categorical split/multi-class), Error(Io)
// when the file cannot be read.
std::unique_ptr<Model> load_model(const std::filesystem::path& path);

// Scores rows [0, rows) in parallel (oneTBB, in the calling thread's arena:
// the caller decides the thread count) through score_range; out[i] = score of row i.
std::vector<double> score_all(const BoundModel& model, std::size_t rows);

}  // namespace nudge::score
