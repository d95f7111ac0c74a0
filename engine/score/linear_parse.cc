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
#include <toml++/toml.h>

#include <cmath>
#include <set>
#include <sstream>

#include "engine/base/error.h"
#include "engine/score/linear_model.h"

namespace nudge::score {
namespace {

std::string where(const std::string& src, const toml::source_region& r) {
  std::ostringstream s;
  s << src << ':' << r.begin.line << ':' << r.begin.column;
  return s.str();
}

[[noreturn]] void fail(const std::string& src, const toml::node& n, const std::string& msg) {
  throw_invalid_input(where(src, n.source()) + ": " + msg);
}

void check_keys(const std::string& src, const toml::table& t, std::initializer_list<std::string_view> allowed,
                std::string_view what) {
  for (auto&& [k, v] : t) {
    bool ok = false;
    for (auto a : allowed) ok |= (k.str() == a);
    if (!ok) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(src, v, "unknown key '" + std::string(k.str()) + "' in " + std::string(what) + " (allowed: " + list + ")");
    }
  }
}

double number(const std::string& src, const toml::table& t, std::string_view key, std::string_view what) {
  const toml::node* n = t.get(key);
  if (!n)
    throw_invalid_input(where(src, t.source()) + ": " + std::string(what) + " lacks the key '" + std::string(key) +
                        "'");
  if (!n->is_number()) fail(src, *n, "'" + std::string(key) + "' must be a number");
  double v = *n->value<double>();
  if (!std::isfinite(v)) fail(src, *n, "'" + std::string(key) + "' must be finite");
  return v;
}

std::optional<double> opt_number(const std::string& src, const toml::table& t, std::string_view key,
                                 std::string_view what) {
  if (!t.contains(key)) return std::nullopt;
  return number(src, t, key, what);
}

std::string text(const std::string& src, const toml::table& t, std::string_view key, std::string_view what) {
  const toml::node* n = t.get(key);
  if (!n)
    throw_invalid_input(where(src, t.source()) + ": " + std::string(what) + " lacks the key '" + std::string(key) +
                        "'");
  if (!n->is_string()) fail(src, *n, "'" + std::string(key) + "' must be a string");
  return std::string(*n->value<std::string_view>());
}

const toml::array* table_array(const std::string& src, const toml::table& root, std::string_view key) {
  const toml::node* n = root.get(key);
  if (!n) return nullptr;
  const toml::array* a = n->as_array();
  if (!a || !a->is_array_of_tables())
    fail(src, *n, "'" + std::string(key) + "' must be written as [[" + std::string(key) + "]] tables");
  return a;
}

}  // namespace

LinearSpec parse_linear_model(std::string_view toml_text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    throw_invalid_input(where(source, e.source()) + ": " + std::string(e.description()));
  }
  LinearSpec spec;
  spec.source = source;
  check_keys(source, root, {"name", "link", "intercept", "numeric", "category"}, "the model");
  if (root.contains("name")) spec.name = text(source, root, "name", "the model");
  const std::string link = text(source, root, "link", "the model");
  if (link == "logistic") spec.link = LinearLink::Logistic;
  else if (link == "identity") spec.link = LinearLink::Identity;
  else fail(source, *root.get("link"), "link must be \"logistic\" or \"identity\", not \"" + link + "\"");
  spec.intercept = number(source, root, "intercept", "the model");

  std::set<std::string> seen;
  auto claim = [&](const toml::table& t, const std::string& column) {
    if (!seen.insert(column).second) fail(source, *t.get("column"), "column '" + column + "' appears in two terms");
  };
  if (const toml::array* terms = table_array(source, root, "numeric")) {
    for (const toml::node& node : *terms) {
      const toml::table& t = *node.as_table();
      check_keys(source, t, {"column", "weight", "mean", "std", "null_value"}, "a [[numeric]] term");
      NumericTerm term;
      term.where = where(source, t.source());
      term.column = text(source, t, "column", "a [[numeric]] term");
      claim(t, term.column);
      term.weight = number(source, t, "weight", "a [[numeric]] term");
      term.mean = opt_number(source, t, "mean", "a [[numeric]] term");
      term.std = opt_number(source, t, "std", "a [[numeric]] term");
      term.null_value = opt_number(source, t, "null_value", "a [[numeric]] term");
      if (term.mean.has_value() != term.std.has_value())
        throw_invalid_input(term.where + ": term '" + term.column + "' needs both 'mean' and 'std' to be standardised");
      if (term.std && !(*term.std > 0)) fail(source, *t.get("std"), "'std' of '" + term.column + "' must be > 0");
      spec.numeric.push_back(std::move(term));
    }
  }
  if (const toml::array* terms = table_array(source, root, "category")) {
    for (const toml::node& node : *terms) {
      const toml::table& t = *node.as_table();
      check_keys(source, t, {"column", "weights", "null_weight"}, "a [[category]] term");
      CategoryTerm term;
      term.where = where(source, t.source());
      term.column = text(source, t, "column", "a [[category]] term");
      claim(t, term.column);
      const toml::node* w = t.get("weights");
      if (!w) throw_invalid_input(term.where + ": [[category]] term '" + term.column + "' lacks the key 'weights'");
      const toml::table* wt = w->as_table();
      if (!wt) fail(source, *w, "'weights' must be a table of value = weight, e.g. { Star = -0.6 }");
      for (auto&& [k, v] : *wt) {
        if (!v.is_number()) fail(source, v, "weight of '" + std::string(k.str()) + "' must be a number");
        double x = *v.value<double>();
        if (!std::isfinite(x)) fail(source, v, "weight of '" + std::string(k.str()) + "' must be finite");
        term.weights.emplace_back(std::string(k.str()), x);  // toml++ rejects duplicate keys itself
      }
      term.null_weight = opt_number(source, t, "null_weight", "a [[category]] term");
      spec.category.push_back(std::move(term));
    }
  }
  return spec;
}

}  // namespace nudge::score
