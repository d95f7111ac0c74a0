// The batched tree traversal (complete-tree layout, SIMD per instruction set)
// against the plain per-row walk of the file's own node arrays, exactly, on
// random ensembles and adversarial rows: NaN, +-inf, NULLs, INT32_MIN/MAX,
// values exactly equal to thresholds, and row counts that are not whole
// batches (0, 1, 63, 65, kScoreBlockRows + 3, ...), for every supported ISA.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

#include "engine/base/simd.h"
#include "engine/score/model.h"
#include "engine/score/xgboost_model.h"
#include "tests/support/test_isas.h"

using namespace nudge;
using namespace nudge::score;

namespace {

constexpr int kFeatures = 5;
const float kThresholds[] = {-1.5f, 0.0f, 0.5f, 1.0f, 3.25f, 1000.25f, -2147483648.0f, 2147483648.0f, 1e30f, -7.0f};

// One random tree in XGBoost's JSON layout; `chain` forces a path of that depth.
nlohmann::json random_tree(std::mt19937_64& rng, int max_depth, int chain) {
  std::vector<int> left, right, feat, dl;
  std::vector<float> cond;
  std::function<int(int)> grow = [&](int depth) -> int {
    const int id = int(left.size());
    left.push_back(-1), right.push_back(-1), feat.push_back(0), dl.push_back(0), cond.push_back(0);
    const bool forced = depth < chain;
    if (!forced && (depth >= max_depth || (depth > 0 && rng() % 4 == 0))) {
      cond[id] = float(int(rng() % 2001) - 1000) / 64.0f;  // leaf value
      return id;
    }
    feat[id] = int(rng() % kFeatures);
    cond[id] = rng() % 3 ? kThresholds[rng() % std::size(kThresholds)] : float(int(rng() % 200) - 100) / 8.0f;
    dl[id] = int(rng() % 2);
    const int l = grow(depth + 1);
    const int r = grow(depth + 1);
    left[id] = l, right[id] = r;
    return id;
  };
  grow(0);
  nlohmann::json t;
  t["tree_param"] = {{"num_nodes", std::to_string(left.size())}, {"size_leaf_vector", "0"}};
  t["left_children"] = left, t["right_children"] = right, t["split_indices"] = feat;
  t["split_conditions"] = cond, t["default_left"] = dl, t["split_type"] = std::vector<int>(left.size(), 0);
  return t;
}

std::string random_model_json(uint64_t seed, const char* objective, int trees) {
  std::mt19937_64 rng(seed);
  nlohmann::json model, learner;
  nlohmann::json tree_list = nlohmann::json::array();
  for (int t = 0; t < trees; ++t) {
    const int max_depth = t == 0 ? 0 : 1 + int(rng() % 7);  // tree 0: a single leaf
    tree_list.push_back(
        random_tree(rng, t == 7 ? 12 : max_depth, t == 7 ? 11 : 0));  // tree 7: deeper than kMaxCompleteDepth
  }
  learner["learner_model_param"] = {
      {"base_score", "3.5E-1"}, {"num_class", "0"}, {"num_feature", std::to_string(kFeatures)}};
  learner["objective"] = {{"name", objective}};
  learner["gradient_booster"] = {{"name", "gbtree"},
                                 {"model",
                                  {{"gbtree_model_param", {{"num_trees", std::to_string(trees)}}},
                                   {"tree_info", std::vector<int>(trees, 0)},
                                   {"trees", tree_list}}}};
  model["learner"] = learner;
  model["version"] = {1, 7, 4};
  return model.dump();
}

// Columns f0..f4 (XGBoost's default names): float32, int32, float64, bool, float32.
Population adversarial_population(std::size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Population p(n, 0);
  Column f0("f0", DataType::Float32, n), f1("f1", DataType::Int32, n), f2("f2", DataType::Float64, n),
      f3("f3", DataType::Bool, n), f4("f4", DataType::Float32, n);
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  for (std::size_t r = 0; r < n; ++r) {
    const float special[] = {nan, inf, -inf, 0.0f, -0.0f, kThresholds[rng() % std::size(kThresholds)]};
    f0.mutable_values<float>()[r] =
        rng() % 2 ? special[rng() % std::size(special)] : float(int(rng() % 400) - 200) / 8.0f;
    const int32_t ints[] = {INT32_MIN, INT32_MAX, 0, -1, 1, 1000, -7, int32_t(rng() % 100) - 50};
    f1.mutable_values<int32_t>()[r] = ints[rng() % std::size(ints)];
    const double dbl[] = {double(kThresholds[rng() % std::size(kThresholds)]),
                          1e300,
                          -1e300,
                          double(nan),
                          0.5000000001,
                          double(int(rng() % 200) - 100) / 8.0};
    f2.mutable_values<double>()[r] = dbl[rng() % std::size(dbl)];
    f3.mutable_values<uint8_t>()[r] = uint8_t(rng() % 2);
    f4.mutable_values<float>()[r] =
        rng() % 3 ? kThresholds[rng() % std::size(kThresholds)] : float(rng() % 1000) / 3.0f;
    if (rng() % 7 == 0) f0.set_null(r);
    if (rng() % 5 == 0) f1.set_null(r);
    if (rng() % 6 == 0) f2.set_null(r);
    if (rng() % 9 == 0) f3.set_null(r);
  }
  for (Column* c : {&f0, &f1, &f2, &f3, &f4}) p.add_column(std::move(*c));
  return p;
}

void expect_fast_equals_reference(const BoundModel& b, std::size_t rows, const char* what) {
  std::mt19937_64 rng(5);
  for (auto isa : test::test_isas()) {
    simd::ScopedIsa s(isa);
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65},
                          kScoreBlockRows - 1, kScoreBlockRows + 3, std::size_t{1000}, rows}) {
      if (n > rows) continue;
      std::vector<double> got(n + 1, -42.0);
      b.score_range(rows - n, rows, got.data());
      for (std::size_t i = 0; i < n; ++i)
        ASSERT_EQ(got[i], b.reference_score(rows - n + i))
            << what << " isa " << simd::isa_name(isa) << " n " << n << " i " << i;
      EXPECT_EQ(got[n], -42.0) << "wrote past the end";
      std::vector<uint32_t> sel;
      for (uint32_t r = 0; r < rows && sel.size() < n; ++r)
        if (rng() % 3) sel.push_back(r);
      std::vector<double> s2(sel.size());
      b.score_rows(sel.data(), sel.size(), s2.data());
      for (std::size_t i = 0; i < sel.size(); ++i)
        ASSERT_EQ(s2[i], b.reference_score(sel[i])) << what << " isa " << simd::isa_name(isa) << " row " << sel[i];
    }
    auto all = score_all(b, rows);
    for (std::size_t r = 0; r < rows; ++r)
      ASSERT_EQ(all[r], b.reference_score(r)) << what << " isa " << simd::isa_name(isa);
  }
}

}  // namespace

TEST(TreeKernel, EveryIsaEqualsPerRowWalkOnAdversarialRows) {
  const Population pop = adversarial_population(4099, 17);
  for (uint64_t seed : {1, 2, 3}) {
    for (const char* obj : {"reg:squarederror", "binary:logistic"}) {
      auto model = make_xgboost_model(random_model_json(seed, obj, 60), "random.json");
      EXPECT_NE(model->describe().find("max depth 12"), std::string::npos) << model->describe();
      expect_fast_equals_reference(*model->bind(pop), pop.rows(), obj);
    }
  }
}

TEST(TreeKernel, EmptyPopulationScoresNothing) {
  const Population pop = adversarial_population(0, 1);
  auto b = make_xgboost_model(random_model_json(4, "reg:squarederror", 10), "random.json")->bind(pop);
  EXPECT_TRUE(score_all(*b, 0).empty());
  b->score_rows(nullptr, 0, nullptr);
  b->score_range(0, 0, nullptr);
}

TEST(TreeKernel, MissingValuesFollowDefaultDirectionAndThresholdEqualGoesRight) {
  // One split on f0 at 0.5: x < 0.5 left (leaf -1), else right (leaf +1).
  for (int default_left : {0, 1}) {
    nlohmann::json t;
    t["tree_param"] = {{"num_nodes", "3"}};
    t["left_children"] = {1, -1, -1}, t["right_children"] = {2, -1, -1}, t["split_indices"] = {0, 0, 0};
    t["split_conditions"] = {0.5, -1.0, 1.0}, t["default_left"] = {default_left, 0, 0};
    nlohmann::json m;
    m["learner"] = {{"learner_model_param", {{"base_score", "0"}, {"num_feature", "1"}}},
                    {"objective", {{"name", "reg:squarederror"}}},
                    {"gradient_booster",
                     {{"name", "gbtree"},
                      {"model", {{"gbtree_model_param", {{"num_trees", "1"}}}, {"tree_info", {0}}, {"trees", {t}}}}}}};
    auto model = make_xgboost_model(m.dump(), "split.json");
    Population p(6, 0);
    Column f0("f0", DataType::Float32, 6);
    const float v[] = {0.5f,
                       std::nextafter(0.5f, 0.0f),
                       std::numeric_limits<float>::quiet_NaN(),
                       std::numeric_limits<float>::infinity(),
                       -std::numeric_limits<float>::infinity(),
                       0.0f};
    for (int i = 0; i < 6; ++i) f0.mutable_values<float>()[i] = v[i];
    f0.set_null(5);
    p.add_column(std::move(f0));
    auto b = model->bind(p);
    const double miss = default_left ? -1.0 : 1.0;
    const std::vector<double> want{1.0, -1.0, miss, 1.0, -1.0, miss};
    for (auto isa : test::test_isas()) {
      simd::ScopedIsa s(isa);
      std::vector<double> got(6);
      b->score_range(0, 6, got.data());
      EXPECT_EQ(got, want) << simd::isa_name(isa) << " default_left " << default_left;
    }
  }
}
