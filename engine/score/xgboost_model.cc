#include "engine/score/xgboost_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "engine/base/error.h"
#include "engine/score/column_values.h"
#include "engine/score/objective.h"
#include "engine/score/tree_ensemble.h"
#include "engine/score/tree_kernel.h"

namespace nudge::score {
namespace {

static_assert(std::has_single_bit(kScoreBlockRows) && kScoreBlockRows % kLanePadding == 0);
constexpr int kBlockShift = std::countr_zero(kScoreBlockRows);
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

struct Feature {
  const Column* column;
  const uint64_t* validity;
};

bool sorted_strictly(const std::vector<std::string>& v) {
  for (std::size_t i = 1; i < v.size(); ++i)
    if (!(v[i - 1] < v[i])) return false;
  return true;
}

class BoundXgb final : public BoundModel {
 public:
  BoundXgb(std::shared_ptr<const TreeEnsemble> e, Objective obj, std::vector<Feature> f, std::vector<std::size_t> cols)
      : e_(std::move(e)), obj_(std::move(obj)), features_(std::move(f)), cols_(std::move(cols)) {
    view_ = {e_->complete.data(), e_->c_feature.data(), e_->c_threshold.data(), e_->c_leaf.data()};
  }

  void score_rows(const uint32_t* rows, std::size_t n, double* out) const override {
    score([rows](std::size_t i) -> std::size_t { return rows[i]; }, n, out);
  }
  void score_range(std::size_t begin, std::size_t end, double* out) const override {
    score([begin](std::size_t i) -> std::size_t { return begin + i; }, end - begin, out);
  }
  double reference_score(std::size_t row) const override {
    std::vector<float> x(features_.size());
    for (std::size_t f = 0; f < features_.size(); ++f)
      x[f] = row_valid(features_[f].validity, row)
                 ? visit_values(*features_[f].column, [row](auto* v) { return static_cast<float>(v[row]); })
                 : kNaN;
    return apply_transform(obj_.transform, e_->reference_margin(x.data(), obj_.base_margin));
  }
  const std::vector<std::size_t>& columns_read() const override { return cols_; }

 private:
  // Scores rows row(0..n) block by block; one scratch matrix per call.
  template <class RowAt>
  void score(RowAt row, std::size_t n, double* out) const {
    if (n == 0) return;
    std::vector<float> m(features_.size() * kScoreBlockRows + kLanePadding, 0.0f);
    alignas(64) float acc[kScoreBlockRows];
    for (std::size_t b = 0; b < n; b += kScoreBlockRows) {
      const std::size_t len = std::min(kScoreBlockRows, n - b);
      gather([&](std::size_t i) { return row(b + i); }, len, m.data());
      const std::size_t lanes = (len + kLanePadding - 1) / kLanePadding * kLanePadding;
      std::fill(acc, acc + lanes, obj_.base_margin);
      margins(m.data(), len, acc);
      for (std::size_t i = 0; i < len; ++i) out[b + i] = apply_transform(obj_.transform, acc[i]);
    }
  }

  // Step 1: features of the block's rows into m (feature-major). Lanes past len keep stale finite values.
  template <class RowAt>
  void gather(RowAt row, std::size_t len, float* m) const {
    for (std::size_t f = 0; f < features_.size(); ++f) {
      float* dst = m + (f << kBlockShift);
      const uint64_t* valid = features_[f].validity;
      visit_values(*features_[f].column, [&](auto* v) {
        for (std::size_t i = 0; i < len; ++i) dst[i] = static_cast<float>(v[row(i)]);
        if (valid)
          for (std::size_t i = 0; i < len; ++i)
            if (!row_valid(valid, row(i))) dst[i] = kNaN;
      });
    }
  }

  // Step 2: acc += every tree's leaf, trees in order.
  void margins(const float* m, std::size_t len, float* acc) const {
    const std::size_t trees = e_->trees();
    std::size_t t = 0;
    while (t < trees) {
      std::size_t u = t;
      while (u < trees && e_->complete[u].depth != kWalkTree) ++u;
      if (u > t) score_forest_block(view_, t, u, m, kBlockShift, len, acc);
      if (u < trees) {  // a tree too deep for the complete layout: walk it row by row
        std::vector<float> x(features_.size());
        for (std::size_t i = 0; i < len; ++i) {
          for (std::size_t f = 0; f < x.size(); ++f) x[f] = m[(f << kBlockShift) + i];
          acc[i] += e_->reference_leaf(u, x.data());
        }
        ++u;
      }
      t = u;
    }
  }

  std::shared_ptr<const TreeEnsemble> e_;
  Objective obj_;
  std::vector<Feature> features_;
  std::vector<std::size_t> cols_;
  ForestView view_;
};

class XgbModel final : public Model {
 public:
  XgbModel(XgbModelSpec spec, TreeEnsemble e, Objective obj)
      : spec_(std::move(spec)), e_(std::make_shared<const TreeEnsemble>(std::move(e))), obj_(std::move(obj)) {
    spec_.trees.clear();  // the ensemble holds them now
    default_names_ = spec_.feature_names.empty();
    if (default_names_)
      for (uint32_t f = 0; f < spec_.num_feature; ++f) spec_.feature_names.push_back(fmt::format("f{}", f));
  }

  std::unique_ptr<BoundModel> bind(const Population& pop) const override {
    std::vector<std::string> missing, faults;
    std::vector<Feature> features;
    std::vector<std::size_t> cols;
    for (const auto& name : spec_.feature_names) {
      auto idx = pop.find(name);
      if (!idx) {
        missing.push_back("'" + name + "'" + pop.nearest_column(name).hint());
        continue;
      }
      const Column& c = pop.column(*idx);
      const std::size_t f = static_cast<std::size_t>(&name - spec_.feature_names.data());
      const bool categorical =
          (f < spec_.categorical.size() && spec_.categorical[f]) || (f < e_->max_cat.size() && e_->max_cat[f] >= 0);
      if (categorical) {
        // The model holds category codes only: the column's codes must be the
        // training's, which pandas numbers in sorted order.
        if (c.type() != DataType::Category)
          faults.push_back(
              fmt::format("feature '{}' is categorical in the model, but column '{}' is {}; import it as "
                          "a category with the training's categories in order",
                          name, c.name(), type_name(c.type())));
        else if (!sorted_strictly(c.dictionary()))
          faults.push_back(fmt::format(
              "feature '{}' is categorical: the model splits on category codes, numbered in sorted order as pandas "
              "does, but column '{}' has its categories in another order ({}...); declare categories = [...] "
              "in sorted order in the import schema",
              name, c.name(), c.dictionary().empty() ? std::string() : c.dictionary()[0]));
        else if (f < e_->max_cat.size() && e_->max_cat[f] >= static_cast<int64_t>(c.dictionary().size()))
          faults.push_back(
              fmt::format("feature '{}' is categorical: the model splits on category code {}, but "
                          "column '{}' has {} categories; declare the training's categories in the "
                          "import schema",
                          name, e_->max_cat[f], c.name(), c.dictionary().size()));
      } else if (!is_model_numeric(c.type())) {
        faults.push_back(fmt::format(
            "feature '{}' is a {} column; XGBoost features must be numeric or bool{}", name, type_name(c.type()),
            c.type() == DataType::Category ? " (or categorical in the model: train with enable_categorical)" : ""));
      }
      features.push_back({&c, c.validity()});
      cols.push_back(*idx);
    }
    if (!missing.empty() || !faults.empty()) {
      std::string msg = fmt::format("cannot bind model {} to the population:", spec_.source);
      if (!missing.empty()) {
        msg += fmt::format("\n  {} of its {} features are not in the population: ", missing.size(), spec_.num_feature);
        for (std::size_t i = 0; i < missing.size(); ++i) msg += (i ? ", " : "") + missing[i];
        if (default_names_)
          msg += "\n  (the model file has no feature_names; XGBoost's default names f0, f1, ... were used)";
      }
      for (const auto& f : faults) msg += "\n  " + f;
      throw_invalid_input(msg);
    }
    return std::make_unique<BoundXgb>(e_, obj_, std::move(features), std::move(cols));
  }

  std::string describe() const override {
    return fmt::format("xgboost gbtree, {} trees, {}, {} features, max depth {}", e_->trees(), obj_.name,
                       spec_.num_feature, e_->max_depth);
  }

 private:
  XgbModelSpec spec_;
  std::shared_ptr<const TreeEnsemble> e_;
  Objective obj_;
  bool default_names_ = false;
};

}  // namespace

std::unique_ptr<Model> make_xgboost_model(std::string_view json_text, const std::string& source) {
  XgbModelSpec spec = parse_xgboost_json(json_text, source);
  Objective obj = make_objective(spec.objective, spec.base_score, source);
  TreeEnsemble e = build_ensemble(spec);
  return std::make_unique<XgbModel>(std::move(spec), std::move(e), std::move(obj));
}

}  // namespace nudge::score
