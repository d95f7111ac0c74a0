// Fuzz target: XGBoost JSON models (engine/score/xgboost_json.h, xgboost_model.h).
//
// Input: the model JSON. parse_xgboost_json and make_xgboost_model may throw
// nudge::Error. A model that loads is bound to a population built for it
// (100 rows, up to 256 features): a categorical feature gets a category
// column with a sorted dictionary as long as the model needs; a numeric one a
// column of a type cycling through float32, float64, int32, bool, uint64 and
// int64, with values at, just below and just above the thresholds the trees
// test on it, NULLs, NaN and +-inf. The vectorised scores (every instruction
// set) must equal reference_score, the walk over the file's own node arrays,
// bit for bit (score_check.h).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/error.h"
#include "engine/score/xgboost_json.h"
#include "engine/score/xgboost_model.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/fuzz/score_check.h"

namespace {

using namespace nudge;

// A column of `type` holding `vals` (NaN means NULL for every type but the floats, where every 7th is NULL).
Column numeric_column(const std::string& name, DataType type, const std::vector<double>& vals) {
  const std::size_t rows = vals.size();
  Column c(name, type, rows);
  for (std::size_t r = 0; r < rows; ++r) {
    double v = vals[r];
    bool finite = std::isfinite(v);
    switch (type) {
      case DataType::Float32:
        if (r % 7 == 6) c.set_null(r);
        else c.mutable_values<float>()[r] = static_cast<float>(v);
        break;
      case DataType::Float64:
        if (r % 7 == 6) c.set_null(r);
        else c.mutable_values<double>()[r] = v;
        break;
      case DataType::Int32:
        if (!finite || std::fabs(v) > 2e9) c.set_null(r);
        else c.mutable_values<int32_t>()[r] = static_cast<int32_t>(v);
        break;
      case DataType::Int64:
        if (!finite || std::fabs(v) > 9e18) c.set_null(r);
        else c.mutable_values<int64_t>()[r] = static_cast<int64_t>(v);
        break;
      case DataType::UInt64:
        if (!finite || v < 0 || v > 1.8e19) c.set_null(r);
        else c.mutable_values<uint64_t>()[r] = static_cast<uint64_t>(v);
        break;
      default:  // Bool
        if (!finite) c.set_null(r);
        else c.mutable_values<uint8_t>()[r] = v > 0.5 ? 1 : 0;
        break;
    }
  }
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  score::XgbModelSpec spec;
  std::unique_ptr<score::Model> model;
  try {
    spec = score::parse_xgboost_json(text, "fuzz-model.json");
    model = score::make_xgboost_model(text, "fuzz-model.json");
  } catch (const Error&) { return 0; }
  std::size_t features = spec.feature_names.empty() ? spec.num_feature : spec.feature_names.size();
  if (features > 256) return 0;
  std::vector<std::vector<float>> thresholds(features);
  std::vector<int32_t> max_cat(features, -1);
  for (const auto& t : spec.trees)
    for (std::size_t i = 0; i < t.split_index.size() && i < t.left.size(); ++i) {
      if (t.left[i] == -1 || t.split_index[i] < 0 || static_cast<std::size_t>(t.split_index[i]) >= features) continue;
      auto f = static_cast<std::size_t>(t.split_index[i]);
      if (thresholds[f].size() < 16) thresholds[f].push_back(t.split_condition[i]);
      if (i < t.split_type.size() && t.split_type[i] == 1 && i < t.cat_begin.size() && i < t.cat_size.size())
        for (uint32_t k = 0; k < t.cat_size[i] && t.cat_begin[i] + k < t.categories.size(); ++k)
          max_cat[f] = std::max(max_cat[f], t.categories[t.cat_begin[i] + k]);
    }
  const std::size_t rows = 100;
  Population pop(rows, days_from_civil(2026, 11, 1));
  const DataType types[] = {DataType::Float32, DataType::Float64, DataType::Int32,
                            DataType::Bool,    DataType::UInt64,  DataType::Int64};
  for (std::size_t f = 0; f < features; ++f) {
    std::string name = spec.feature_names.empty() ? "f" + std::to_string(f) : spec.feature_names[f];
    bool categorical = (f < spec.categorical.size() && spec.categorical[f]) || max_cat[f] >= 0;
    Column c;
    if (categorical) {
      std::size_t n = static_cast<std::size_t>(std::min(max_cat[f], int32_t{999})) + 2;
      std::vector<std::string> dict;
      for (std::size_t k = 0; k < n; ++k)
        dict.push_back("v" + std::string(3 - std::to_string(k).size(), '0') + std::to_string(k));
      c = Column(name, DataType::Category, rows);
      for (std::size_t r = 0; r < rows; ++r) {
        if (r % 9 == 8) c.set_null(r);
        else c.mutable_values<int32_t>()[r] = static_cast<int32_t>((r * 7 + f) % n);
      }
      c.set_dictionary(std::move(dict));
    } else {
      std::vector<double> vals;
      const auto& th = thresholds[f];
      const double extra[] = {0.0, 1.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity(), 1e30, 0.5};
      for (std::size_t r = 0; r < rows; ++r) {
        if (!th.empty() && r % 3 != 2) {
          float t = th[(r / 3) % th.size()];
          const float near[] = {t, std::nextafter(t, -INFINITY), std::nextafter(t, INFINITY)};
          vals.push_back(near[r % 3]);
        } else {
          vals.push_back(r % 11 == 10 ? -extra[r % 7] : extra[r % 7]);
        }
      }
      c = numeric_column(name, types[f % std::size(types)], vals);
    }
    try {
      pop.add_column(std::move(c));
    } catch (const Error&) {
      return 0;  // names the population refuses (two alike): nothing to bind
    }
  }
  fuzz::check_scores(*model, pop);
  return 0;
}
