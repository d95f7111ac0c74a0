// Reader of nudge's linear-model TOML (data/models/README.md) into LinearSpec.
//
// File layout:
//   name = "rs1_churn"          optional
//   link = "logistic"           "logistic" or "identity"
//   intercept = -1.2
//   [[numeric]]                 one table per numeric column
//   column = "flights_3m"; weight = -0.35
//   mean = 2.1; std = 1.7       optional, together
//   null_value = 0.0            optional
//   [[category]]                one table per category column (one-hot)
//   column = "tier"; weights = { Star = -0.6, Nova = -0.3 }; null_weight = 0.0
// Unknown keys are errors (a misspelt `wieght` must not silently weigh 0).
#include <cmath>
#include <set>

#include "engine/base/error.h"
#include "engine/base/toml_reader.h"
#include "engine/score/linear_model.h"

namespace nudge::score {
namespace {

double number(const TomlReader& r, const toml::table& t, std::string_view key, std::string_view what) {
  const toml::node* n = t.get(key);
  if (!n) r.fail(t, std::string(what) + " lacks the key '" + std::string(key) + "'");
  if (!n->is_number()) r.fail(*n, "'" + std::string(key) + "' must be a number");
  double v = r.exact_double(*n, "'" + std::string(key) + "'");
  if (!std::isfinite(v)) r.fail(*n, "'" + std::string(key) + "' must be finite");
  return v;
}

std::optional<double> opt_number(const TomlReader& r, const toml::table& t, std::string_view key,
                                 std::string_view what) {
  if (!t.contains(key)) return std::nullopt;
  return number(r, t, key, what);
}

std::string text(const TomlReader& r, const toml::table& t, std::string_view key, std::string_view what) {
  const toml::node* n = t.get(key);
  if (!n) r.fail(t, std::string(what) + " lacks the key '" + std::string(key) + "'");
  if (!n->is_string()) r.fail(*n, "'" + std::string(key) + "' must be a string");
  return std::string(*n->value<std::string_view>());
}

const toml::array* table_array(const TomlReader& r, const toml::table& root, std::string_view key) {
  const toml::node* n = root.get(key);
  if (!n) return nullptr;
  const toml::array* a = n->as_array();
  if (!a || !a->is_array_of_tables())
    r.fail(*n, "'" + std::string(key) + "' must be written as [[" + std::string(key) + "]] tables");
  return a;
}

}  // namespace

LinearSpec parse_linear_model(std::string_view toml_text, const std::string& source) {
  const TomlReader r(toml_text, source);
  const toml::table& root = r.root();
  LinearSpec spec;
  spec.source = source;
  r.check_keys(root, {"name", "link", "intercept", "numeric", "category"}, "the model");
  if (root.contains("name")) spec.name = text(r, root, "name", "the model");
  const std::string link = text(r, root, "link", "the model");
  if (link == "logistic") spec.link = LinearLink::Logistic;
  else if (link == "identity") spec.link = LinearLink::Identity;
  else r.fail(*root.get("link"), "link must be \"logistic\" or \"identity\", not \"" + link + "\"");
  spec.intercept = number(r, root, "intercept", "the model");

  std::set<std::string> seen;
  auto claim = [&](const toml::table& t, const std::string& column) {
    if (!seen.insert(column).second) r.fail(*t.get("column"), "column '" + column + "' appears in two terms");
  };
  if (const toml::array* terms = table_array(r, root, "numeric")) {
    for (const toml::node& node : *terms) {
      const toml::table& t = *node.as_table();
      r.check_keys(t, {"column", "weight", "mean", "std", "null_value"}, "a [[numeric]] term");
      NumericTerm term;
      term.where = r.pos(t);
      term.column = text(r, t, "column", "a [[numeric]] term");
      claim(t, term.column);
      term.weight = number(r, t, "weight", "a [[numeric]] term");
      term.mean = opt_number(r, t, "mean", "a [[numeric]] term");
      term.std = opt_number(r, t, "std", "a [[numeric]] term");
      term.null_value = opt_number(r, t, "null_value", "a [[numeric]] term");
      if (term.mean.has_value() != term.std.has_value())
        throw_invalid_input(term.where + ": term '" + term.column + "' needs both 'mean' and 'std' to be standardised");
      if (term.std && !(*term.std > 0)) r.fail(*t.get("std"), "'std' of '" + term.column + "' must be > 0");
      spec.numeric.push_back(std::move(term));
    }
  }
  if (const toml::array* terms = table_array(r, root, "category")) {
    for (const toml::node& node : *terms) {
      const toml::table& t = *node.as_table();
      r.check_keys(t, {"column", "weights", "null_weight"}, "a [[category]] term");
      CategoryTerm term;
      term.where = r.pos(t);
      term.column = text(r, t, "column", "a [[category]] term");
      claim(t, term.column);
      const toml::node* w = t.get("weights");
      if (!w) throw_invalid_input(term.where + ": [[category]] term '" + term.column + "' lacks the key 'weights'");
      const toml::table* wt = w->as_table();
      if (!wt) r.fail(*w, "'weights' must be a table of value = weight, e.g. { Star = -0.6 }");
      for (auto&& [k, v] : *wt) {
        if (!v.is_number()) r.fail(v, "weight of '" + std::string(k.str()) + "' must be a number");
        double x = r.exact_double(v, "weight of '" + std::string(k.str()) + "'");
        if (!std::isfinite(x)) r.fail(v, "weight of '" + std::string(k.str()) + "' must be finite");
        term.weights.emplace_back(std::string(k.str()), x);  // toml++ rejects duplicate keys itself
      }
      term.null_weight = opt_number(r, t, "null_weight", "a [[category]] term");
      spec.category.push_back(std::move(term));
    }
  }
  return spec;
}

}  // namespace nudge::score
