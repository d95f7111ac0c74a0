// XGBoost JSON -> XgbModelSpec. Path of the fields read (1.7 / 2.x schema):
//   version: [major, minor, patch]
//   learner.feature_names: [str]           (optional)
//   learner.feature_types: [str]           (optional; "c" = categorical)
//   learner.learner_model_param: {base_score: "5E-1" | "[5E-1]", num_class: "0", num_feature: "22",
//                                 num_target: "1" (2.x)}   (all strings)
//   learner.objective.name: str
//   learner.gradient_booster: {name: "gbtree", model: {gbtree_model_param: {num_trees: "100", ...},
//                              tree_info: [0, ...], trees: [tree...]}}
//   tree: {tree_param: {num_nodes: "127", size_leaf_vector: "0"}, left_children, right_children,
//          split_indices, split_conditions, default_left, split_type (1.6+)}
#include "engine/score/xgboost_json.h"

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/base/error.h"

namespace nudge::score {
namespace {

// float32 number type: numbers are parsed with strtof, straight to the float XGBoost holds.
using Json = nlohmann::basic_json<std::map, std::vector, std::string, bool, std::int64_t, std::uint64_t, float>;

// A JSON value with the path that leads to it, for messages.
struct Node {
  const Json& j;
  std::string path;
  const std::string& src;

  [[noreturn]] void fail(const std::string& what) const {
    throw_invalid_input(src + ": " + (path.empty() ? std::string("top level") : path) + ": " + what);
  }

  Node at(const char* key) const {
    if (!j.is_object()) fail("expected an object");
    auto it = j.find(key);
    if (it == j.end()) fail("missing field '" + std::string(key) + "'");
    return {*it, path.empty() ? key : path + "." + key, src};
  }
  const Json* find(const char* key) const {
    if (!j.is_object()) fail("expected an object");
    auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
  }
  Node sub(const Json& v, const std::string& suffix) const { return {v, path + suffix, src}; }

  std::string str() const {
    if (!j.is_string()) fail("expected a string");
    return j.get<std::string>();
  }
  // XGBoost stores its parameters as strings: "127".
  int64_t int_string() const {
    std::string s = str();
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) fail("expected an integer in a string, got \"" + s + "\"");
    return v;
  }
  const Json& array() const {
    if (!j.is_array()) fail("expected an array");
    return j;
  }
  template <class T>
  std::vector<T> ints(int64_t lo, int64_t hi) const {
    std::vector<T> out;
    const Json& a = array();
    out.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      const Json& v = a[i];
      int64_t x;
      if (v.is_boolean()) x = v.get<bool>();
      else if (v.is_number_integer())
        x = v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX) ? hi + 1 : v.get<int64_t>();
      else fail("element " + std::to_string(i) + " is not an integer: " + v.dump());
      if (x < lo || x > hi) fail("element " + std::to_string(i) + " = " + std::to_string(x) + " is out of range");
      out.push_back(static_cast<T>(x));
    }
    return out;
  }
  // Numbers; the strings "NaN", "Infinity" and "-Infinity" stand for the
  // bare tokens XGBoost writes (see quote_nan_tokens).
  std::vector<float> floats() const {
    std::vector<float> out;
    const Json& a = array();
    out.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].is_string()) {
        const std::string& v = a[i].get_ref<const std::string&>();
        if (v == "NaN") out.push_back(std::numeric_limits<float>::quiet_NaN());
        else if (v == "Infinity") out.push_back(std::numeric_limits<float>::infinity());
        else if (v == "-Infinity") out.push_back(-std::numeric_limits<float>::infinity());
        else fail("element " + std::to_string(i) + " is not a number: " + a[i].dump());
        continue;
      }
      if (!a[i].is_number()) fail("element " + std::to_string(i) + " is not a number: " + a[i].dump());
      out.push_back(a[i].get<float>());
    }
    return out;
  }
};

// base_score: "5E-1" (1.x, 2.x) or "[5E-1]" (a one-element vector, later versions).
float parse_base_score(const Node& n) {
  std::string s = n.str();
  std::string_view v = s;
  if (v.size() >= 2 && v.front() == '[' && v.back() == ']') v = v.substr(1, v.size() - 2);
  float f = 0;
  auto [p, ec] = fast_float::from_chars(v.data(), v.data() + v.size(), f);
  if (ec != std::errc() || p != v.data() + v.size() || v.empty())
    n.fail("expected one number in a string (multi-output base scores are not supported), got \"" + s + "\"");
  // fast_float reads "nan" and "inf": every score would be NaN or infinite.
  if (!std::isfinite(f)) n.fail("is not a finite number: \"" + s + "\"");
  return f;
}

// XGBoost's JSON writer prints NaN and infinities as bare NaN, Infinity and
// -Infinity, which no JSON parser accepts: outside strings they are quoted
// ("NaN"), and Node::floats() reads those strings back as numbers. (Syntax
// error columns after such a token are off by two per token on that line.)
std::string quote_nan_tokens(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 64);
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) out += text[++i];
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    bool quoted = false;
    for (std::string_view t : {std::string_view("NaN"), std::string_view("Infinity"), std::string_view("-Infinity")})
      if (text.substr(i, t.size()) == t) {
        out += '"';
        out += t;
        out += '"';
        i += t.size() - 1;
        quoted = true;
        break;
      }
    if (!quoted) out += c;
  }
  return out;
}

XgbTree parse_tree(const Node& t, std::size_t index) {
  const int64_t nodes = t.at("tree_param").at("num_nodes").int_string();
  if (nodes < 1 || nodes > INT32_MAX) t.fail("num_nodes = " + std::to_string(nodes) + " is out of range");
  if (const Json* slv = t.at("tree_param").find("size_leaf_vector")) {
    if (t.sub(*slv, ".tree_param.size_leaf_vector").int_string() > 1)
      t.fail("vector leaves (multi-target trees) are not supported");
  }
  XgbTree tree;
  tree.left = t.at("left_children").ints<int32_t>(-1, INT32_MAX);
  tree.right = t.at("right_children").ints<int32_t>(-1, INT32_MAX);
  tree.split_index = t.at("split_indices").ints<int32_t>(0, INT32_MAX);
  tree.split_condition = t.at("split_conditions").floats();
  tree.default_left = t.at("default_left").ints<uint8_t>(0, 1);
  auto check_len = [&](std::size_t got, const char* name) {
    if (got != std::size_t(nodes))
      t.fail(std::string(name) + " has " + std::to_string(got) + " elements, but num_nodes is " +
             std::to_string(nodes));
  };
  check_len(tree.left.size(), "left_children");
  check_len(tree.right.size(), "right_children");
  check_len(tree.split_index.size(), "split_indices");
  check_len(tree.split_condition.size(), "split_conditions");
  check_len(tree.default_left.size(), "default_left");
  if (const Json* st = t.find("split_type")) {
    tree.split_type = t.sub(*st, ".split_type").ints<uint8_t>(0, 1);
    check_len(tree.split_type.size(), "split_type");
  }
  bool any_cat = false;
  for (uint8_t k : tree.split_type) any_cat = any_cat || k == 1;
  if (!any_cat) return tree;
  // Node categories_nodes[j] sends categories[categories_segments[j] ..
  // + categories_sizes[j]) right (XGBoost 1.6+; codes below 2^24).
  const auto nodes_of = t.at("categories_nodes").ints<int32_t>(0, INT32_MAX);
  const auto segments = t.at("categories_segments").ints<int64_t>(0, INT32_MAX);
  const auto sizes = t.at("categories_sizes").ints<int64_t>(0, INT32_MAX);
  tree.categories = t.at("categories").ints<int32_t>(0, (1 << 24) - 1);
  if (segments.size() != nodes_of.size() || sizes.size() != nodes_of.size())
    t.fail("categories_nodes, categories_segments and categories_sizes differ in length (" +
           std::to_string(nodes_of.size()) + ", " + std::to_string(segments.size()) + ", " +
           std::to_string(sizes.size()) + ")");
  tree.cat_begin.assign(std::size_t(nodes), 0);
  tree.cat_size.assign(std::size_t(nodes), 0);
  std::vector<uint8_t> listed(std::size_t(nodes), 0);
  for (std::size_t j = 0; j < nodes_of.size(); ++j) {
    const std::size_t n = std::size_t(nodes_of[j]);
    if (n >= std::size_t(nodes) || tree.split_type[n] != 1 || listed[n])
      t.fail("categories_nodes[" + std::to_string(j) + "] = " + std::to_string(n) +
             " is not a categorical split node listed once");
    if (segments[j] + sizes[j] > int64_t(tree.categories.size()))
      t.fail("categories of node " + std::to_string(n) + " run past the end of 'categories'");
    listed[n] = 1;
    tree.cat_begin[n] = uint32_t(segments[j]);
    tree.cat_size[n] = uint32_t(sizes[j]);
    std::sort(tree.categories.begin() + segments[j], tree.categories.begin() + segments[j] + sizes[j]);
  }
  for (std::size_t n = 0; n < std::size_t(nodes); ++n)
    if (tree.split_type[n] == 1 && tree.left[n] != -1 && !listed[n])
      throw_invalid_input(t.src + ": tree " + std::to_string(index) + " node " + std::to_string(n) +
                          ": a categorical split without categories (categories_nodes does not list it)");
  return tree;
}

}  // namespace

XgbModelSpec parse_xgboost_json(std::string_view json_text, const std::string& source) {
  Json root;
  try {
    const std::string text = quote_nan_tokens(json_text);
    root = Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) { throw_invalid_input(source + ": not valid JSON: " + e.what()); }
  XgbModelSpec spec;
  spec.source = source;
  Node top{root, "", source};
  if (const Json* v = top.find("version")) {
    auto ver = top.sub(*v, "version").ints<int>(0, 1 << 20);
    for (std::size_t i = 0; i < 3 && i < ver.size(); ++i) spec.version[i] = ver[i];
  }
  Node learner = top.at("learner");
  Node param = learner.at("learner_model_param");
  spec.base_score = parse_base_score(param.at("base_score"));
  const int64_t nf = param.at("num_feature").int_string();
  if (nf < 0 || nf > (1 << 24)) param.fail("num_feature = " + std::to_string(nf) + " is out of range");
  spec.num_feature = uint32_t(nf);
  if (const Json* nc = param.find("num_class"); nc && param.sub(*nc, ".num_class").int_string() > 1)
    param.fail("num_class = " + param.sub(*nc, ".num_class").str() +
               ": multi-class models are not supported (nudge scores one output per member)");
  if (const Json* nt = param.find("num_target"); nt && param.sub(*nt, ".num_target").int_string() > 1)
    param.fail("num_target = " + param.sub(*nt, ".num_target").str() + ": multi-target models are not supported");
  spec.objective = learner.at("objective").at("name").str();

  if (const Json* names = learner.find("feature_names")) {
    Node n = learner.sub(*names, ".feature_names");
    for (std::size_t i = 0; i < n.array().size(); ++i)
      spec.feature_names.push_back(n.sub((*names)[i], fmt::format("[{}]", i)).str());
    if (!spec.feature_names.empty() && spec.feature_names.size() != spec.num_feature)
      n.fail("has " + std::to_string(spec.feature_names.size()) + " names, but num_feature is " + std::to_string(nf));
    // As XGBoost ("feature_names must be unique"): a repeated name would feed two features one column.
    std::map<std::string, std::size_t> first;
    for (std::size_t i = 0; i < spec.feature_names.size(); ++i)
      if (auto [it, fresh] = first.emplace(spec.feature_names[i], i); !fresh)
        n.sub((*names)[i], fmt::format("[{}]", i))
            .fail(fmt::format("'{}' repeats feature {}: feature names must be unique", spec.feature_names[i], it->second));
  }
  if (const Json* types = learner.find("feature_types")) {
    Node n = learner.sub(*types, ".feature_types");
    for (std::size_t i = 0; i < n.array().size(); ++i)
      spec.categorical.push_back(n.sub((*types)[i], fmt::format("[{}]", i)).str() == "c");
    if (!spec.categorical.empty() && spec.categorical.size() != spec.num_feature)
      n.fail("has " + std::to_string(spec.categorical.size()) + " types, but num_feature is " + std::to_string(nf));
  }

  Node booster = learner.at("gradient_booster");
  const std::string bname = booster.at("name").str();
  if (bname != "gbtree")
    booster.fail("booster '" + bname + "' is not supported (only gbtree; dart and gblinear models are rejected)");
  Node model = booster.at("model");
  const int64_t num_trees = model.at("gbtree_model_param").at("num_trees").int_string();
  Node trees = model.at("trees");
  if (num_trees < 0 || std::size_t(num_trees) != trees.array().size())
    trees.fail("holds " + std::to_string(trees.array().size()) + " trees, but num_trees is " +
               std::to_string(num_trees));
  auto info = model.at("tree_info").ints<int32_t>(INT32_MIN, INT32_MAX);
  if (info.size() != trees.array().size())
    model.fail("tree_info has " + std::to_string(info.size()) + " elements for " + std::to_string(num_trees) +
               " trees");
  for (std::size_t i = 0; i < info.size(); ++i)
    if (info[i] != 0)
      model.fail("tree " + std::to_string(i) + " belongs to output group " + std::to_string(info[i]) +
                 ": multi-class models are not supported");
  for (std::size_t i = 0; i < trees.array().size(); ++i)
    spec.trees.push_back(parse_tree(trees.sub(trees.j[i], fmt::format("[{}]", i)), i));
  return spec;
}

}  // namespace nudge::score
