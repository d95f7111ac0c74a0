// Churn and propensity models: load once, bind to a population's schema,
// score rows in SIMD batches.
//
// CONTRACT (fixed so that the sweep can be built against it; the
// implementation fills in engine/score/ and io/): two model families,
//   - linear/logistic models in nudge's TOML format (data/models/README.md);
//   - XGBoost gbtree ensembles in the JSON format of Booster.save_model
//     (XGBoost 1.x/2.x schema), scored with XGBoost's float32 semantics.
//
//   auto model = nudge::score::load_model("data/models/rs1_churn.toml");  // throws on bad files
//   auto bound = model->bind(pop);            // throws if a feature column is missing
//   std::vector<double> out(n);
//   bound->score_rows(rows, n, out.data());   // rows: ascending row indices
//
// Thread-safety: Model and BoundModel are immutable after construction;
// score_rows / score_range may be called from many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/population.h"

namespace nudge::score {

class BoundModel {
 public:
  virtual ~BoundModel() = default;
  // out[i] = score of row rows[i] (rows ascending, each < pop.rows()).
  virtual void score_rows(const uint32_t* rows, std::size_t n, double* out) const = 0;
  // out[i] = score of row begin + i for i in [0, end - begin).
  virtual void score_range(std::size_t begin, std::size_t end, double* out) const = 0;
  // Plain per-row reference (obviously correct, slow) that tests compare against.
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

// Loads a model file: *.toml (linear/logistic) or *.json (XGBoost save_model,
// or nudge's linear model in JSON). Throws nudge::Error(InvalidInput) naming
// the file and the fault (malformed JSON/TOML with line:col, child index out of
// range, cycle, missing field, unsupported objective/booster/categorical split).
std::unique_ptr<Model> load_model(const std::filesystem::path& path);

// Whole population in parallel (oneTBB).
std::vector<double> score_all(const BoundModel& model, std::size_t rows);

}  // namespace nudge::score
