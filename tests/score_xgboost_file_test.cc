// Malformed or unsupported XGBoost files: each fault is a clear nudge::Error
// naming the file and the tree/node or JSON path, never a crash (this suite
// also runs under ASan+UBSan).
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "engine/base/error.h"
#include "engine/score/model.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using Json = nlohmann::json;

namespace {

Json one_tree() {
  std::ifstream in(test::source_dir() / "tests/data/xgboost/one_tree.json");
  return Json::parse(in);
}
Json& tree0(Json& j) { return j["learner"]["gradient_booster"]["model"]["trees"][0]; }

// Writes `text` to a temporary model file, loads it, returns the error message ("" if it loaded).
std::string load_error(const std::string& text) {
  const test::TempDir dir("xgbfile");  // removed on return
  auto path = dir / "model.json";
  std::ofstream(path) << text;
  try {
    score::load_model(path);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidInput) << e.what();
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos)
        << "message must name the file: " << e.what();
    return e.what();
  }
  return "";
}

std::string mutated(const std::function<void(Json&)>& f) {
  Json j = one_tree();
  f(j);
  return load_error(j.dump());
}

#define EXPECT_CONTAINS(haystack, needle) EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

}  // namespace

TEST(XgboostFile, UnmodifiedFileLoads) { EXPECT_EQ(load_error(one_tree().dump()), ""); }

TEST(XgboostFile, ChildIndexOutOfRange) {
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j)["left_children"][0] = 99; }),
                  ": tree 0 node 0: child index 99 is out of range (the tree has");
  // Third attack, finding 13: a link back to the root (0, in range) is a cycle, not "out of range".
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j)["right_children"][0] = 0; }),
                  ": tree 0 node 0: child 0 is the root: a link back to it is a cycle");
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j)["left_children"][1] = 0; }),
                  ": tree 0 node 1: child 0 is the root: a link back to it is a cycle");
}

TEST(XgboostFile, CycleOrSharedChild) {
  EXPECT_CONTAINS(mutated([](Json& j) {
                    Json& t = tree0(j);
                    t["right_children"][0] = t["left_children"][0];
                  }),
                  "is reached twice (a cycle or a shared child)");
  EXPECT_CONTAINS(mutated([](Json& j) {  // a deeper node pointing back up at node 1
                    Json& t = tree0(j);
                    for (std::size_t i = 1; i < t["left_children"].size(); ++i)
                      if (t["left_children"][i] != -1) {
                        t["left_children"][i] = 1;
                        break;
                      }
                  }),
                  "child 1 is reached twice (a cycle or a shared child)");
}

TEST(XgboostFile, LeafWithOneChild) {
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j)["right_children"][0] = -1; }),
                  "tree 0 node 0: one child is -1 and the other");
}

TEST(XgboostFile, MissingFields) {
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j).erase("split_conditions"); }),
                  ": learner.gradient_booster.model.trees[0]: missing field 'split_conditions'");
  EXPECT_CONTAINS(mutated([](Json& j) { j["learner"].erase("objective"); }), ": learner: missing field 'objective'");
  EXPECT_CONTAINS(mutated([](Json& j) { j["learner"]["learner_model_param"].erase("num_feature"); }),
                  "learner.learner_model_param: missing field 'num_feature'");
  EXPECT_CONTAINS(mutated([](Json& j) { j.erase("learner"); }), ": missing field 'learner'");
}

TEST(XgboostFile, WrongArrayLengths) {
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j)["default_left"].erase(0); }),
                  "trees[0]: default_left has 14 elements, but num_nodes is 15");
  EXPECT_CONTAINS(
      mutated([](Json& j) { j["learner"]["gradient_booster"]["model"]["gbtree_model_param"]["num_trees"] = "2"; }),
      "trees: holds 1 trees, but num_trees is 2");
  EXPECT_CONTAINS(mutated([](Json& j) { j["learner"]["feature_names"].erase(0); }),
                  "learner.feature_names: has 5 names, but num_feature is 6");
  // Second attack, finding 6: a repeated name fed the wrong column with exit 0.
  EXPECT_CONTAINS(mutated([](Json& j) { j["learner"]["feature_names"][3] = j["learner"]["feature_names"][1]; }),
                  "learner.feature_names[3]: '");
  EXPECT_CONTAINS(mutated([](Json& j) { j["learner"]["feature_names"][3] = j["learner"]["feature_names"][1]; }),
                  "' repeats feature 1: feature names must be unique");
}

TEST(XgboostFile, NonNumericValues) {
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j)["split_conditions"][2] = "abc"; }),
                  "trees[0].split_conditions: element 2 is not a number: \"abc\"");
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j)["left_children"][1] = 1.5; }),
                  "trees[0].left_children: element 1 is not an integer: 1.5");
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j)["tree_param"]["num_nodes"] = "seven"; }),
                  "tree_param.num_nodes: expected an integer in a string, got \"seven\"");
  EXPECT_CONTAINS(mutated([](Json& j) { j["learner"]["learner_model_param"]["base_score"] = "half"; }),
                  "base_score: expected one number in a string");
  // Non-finite base scores loaded before, and every score was NaN or infinite.
  for (const char* bad : {"nan", "NaN", "inf", "-inf", "[inf]"})
    EXPECT_CONTAINS(mutated([&](Json& j) { j["learner"]["learner_model_param"]["base_score"] = bad; }),
                    "base_score: is not a finite number");
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j)["split_conditions"][0] = 1e39; }), "number overflow parsing '1e+39'");
}

TEST(XgboostFile, FeatureIndexOutOfRange) {
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j)["split_indices"][0] = 6; }),
                  "tree 0 node 0: split feature 6 is out of range (num_feature 6)");
}

// Categorical splits are supported (tests/score_xgboost_categorical_test.cc);
// their arrays must be consistent.
TEST(XgboostFile, BrokenCategoricalSplitsSaySo) {
  EXPECT_CONTAINS(mutated([](Json& j) { tree0(j)["split_type"][0] = 1; }),
                  "tree 0 node 0: a categorical split without categories (categories_nodes does not list it)");
  EXPECT_CONTAINS(mutated([](Json& j) {
                    tree0(j)["split_type"][0] = 1;
                    tree0(j).erase("categories_nodes");
                  }),
                  "trees[0]: missing field 'categories_nodes'");
  auto with_cats = [](Json& j, Json nodes, Json segments, Json sizes, Json cats) {
    tree0(j)["split_type"][0] = 1;
    tree0(j)["categories_nodes"] = nodes;
    tree0(j)["categories_segments"] = segments;
    tree0(j)["categories_sizes"] = sizes;
    tree0(j)["categories"] = cats;
  };
  EXPECT_EQ(mutated([&](Json& j) { with_cats(j, {0}, {0}, {2}, {3, 1}); }), "");
  EXPECT_CONTAINS(mutated([&](Json& j) { with_cats(j, Json::array(), Json::array(), Json::array(), Json::array()); }),
                  "tree 0 node 0: a categorical split without categories");
  EXPECT_CONTAINS(mutated([&](Json& j) {
                    with_cats(j, {0}, {0}, {3}, {3, 1});
                  }),
                  "categories of node 0 run past the end of 'categories'");
  EXPECT_CONTAINS(mutated([&](Json& j) {
                    with_cats(j, {1}, {0}, {2}, {3, 1});
                  }),
                  "categories_nodes[0] = 1 is not a categorical split node listed once");
  EXPECT_CONTAINS(mutated([&](Json& j) {
                    with_cats(j, {0}, {0, 1}, {2}, {3, 1});
                  }),
                  "categories_nodes, categories_segments and categories_sizes differ in length (1, 2, 1)");
  EXPECT_CONTAINS(mutated([&](Json& j) { with_cats(j, {0}, {0}, {1}, {-1}); }), "element 0 = -1 is out of range");
  EXPECT_CONTAINS(mutated([](Json& j) {
                    j["learner"]["feature_types"] = {"float", "c"};
                  }),
                  "feature_types: has 2 types, but num_feature is 6");
}

TEST(XgboostFile, UnsupportedModelsSaySo) {
  EXPECT_CONTAINS(mutated([](Json& j) { j["learner"]["learner_model_param"]["num_class"] = "3"; }),
                  "num_class = 3: multi-class models are not supported");
  EXPECT_CONTAINS(mutated([](Json& j) { j["learner"]["gradient_booster"]["model"]["tree_info"][0] = 1; }),
                  "tree 0 belongs to output group 1: multi-class models are not supported");
  EXPECT_CONTAINS(mutated([](Json& j) { j["learner"]["gradient_booster"]["name"] = "dart"; }),
                  "booster 'dart' is not supported (only gbtree; dart and gblinear models are rejected)");
  EXPECT_CONTAINS(mutated([](Json& j) { j["learner"]["gradient_booster"]["name"] = "gblinear"; }),
                  "booster 'gblinear' is not supported");
  EXPECT_CONTAINS(mutated([](Json& j) { j["learner"]["objective"]["name"] = "multi:softmax"; }),
                  "is a multi-class objective");
}

TEST(XgboostFile, SyntaxErrorsAndEmptyFiles) {
  std::string text = one_tree().dump(1);
  EXPECT_CONTAINS(load_error(text.substr(0, text.size() / 2)), ": not valid JSON: ");
  EXPECT_CONTAINS(load_error(""), ": not valid JSON: ");
  EXPECT_CONTAINS(load_error("{\"learner\": 3}"), "learner: expected an object");
  EXPECT_CONTAINS(load_error("[1, 2]"), ": top level: expected an object");
}

TEST(XgboostFile, TruncationAtEveryTenthByteNeverCrashes) {
  // Not a fuzzer, but every prefix must give an error (or, for the whole file, a model), never a crash.
  const std::string text = one_tree().dump();
  for (std::size_t n = 0; n < text.size(); n += 10) EXPECT_NE(load_error(text.substr(0, n)), "") << n;
}
