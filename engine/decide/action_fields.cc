// The keys an [[action]] and a [[dialogue.step]] share (action_table.h):
// name, message_type, channel, brand, priority (a fixed form or an
// expression, read by the trigger-language parser), value and weight.
#include <fmt/format.h>

#include <cctype>
#include <map>
#include <string>

#include "engine/base/error.h"
#include "engine/decide/action_table.h"
#include "engine/expr/parser.h"
#include "engine/expr/source_error.h"

namespace nudge::decide {
namespace {

template <class Named>
std::map<std::string, std::size_t> index_of(const std::vector<Named>& v) {
  std::map<std::string, std::size_t> m;
  for (std::size_t i = 0; i < v.size(); ++i) m[v[i].name] = i;
  return m;
}

// A bare (unquoted) column name equal to `name` (lower case), in any case.
bool is_name(const expr::ParsedExpr& e, std::string_view text, std::string_view name) {
  if (e.kind != expr::PKind::Column || text[e.begin] == '"' || e.text.size() != name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(e.text[i])) != name[i]) return false;
  return true;
}
bool is_churn_name(const expr::ParsedExpr& e, std::string_view text) { return is_name(e, text, "churn"); }

// The first bare column `name` in the tree (height bounded by the parser), or null.
const expr::ParsedExpr* find_name(const expr::ParsedExpr& e, std::string_view text, std::string_view name) {
  if (is_name(e, text, name)) return &e;
  for (const auto& a : e.args)
    if (const expr::ParsedExpr* c = find_name(*a, text, name)) return c;
  return nullptr;
}


// An expression priority is parsed by the trigger-language parser (its
// precedence, not text matching): when the whole expression is `E * churn`,
// E is the number expression and the result is multiplied by the churn score.
// `churn` anywhere else (`clv + 1000 * churn`, `churn * clv`) is an error: the
// churn score is computed after the expressions, for members with a candidate.
void read_priority(const TomlReader& r, const toml::node& n, Action& a, const std::string& w) {
  a.priority_text = r.nonempty_string(n, "priority", w);
  std::string norm;
  for (char ch : a.priority_text)
    if (!std::isspace(static_cast<unsigned char>(ch)))
      norm += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (norm == "weight*value*churn") {
    a.priority_kind = PriorityKind::WeightValueChurn;
    return;
  }
  if (norm == "weight*value") {
    a.priority_kind = PriorityKind::WeightValue;
    return;
  }
  a.priority_kind = PriorityKind::Expression;
  a.priority_expression = read_expression(r, n, "priority", w);
  const expr::Source& src = a.priority_expression;
  expr::ParsedPtr tree = expr::parse(src.text, src.origin);
  const expr::ParsedExpr* rest = tree.get();
  if (tree->kind == expr::PKind::Binary && tree->op == expr::Tok::Star && is_churn_name(*tree->args[1], src.text)) {
    rest = tree->args[0].get();
    a.priority_times_churn = true;
  }
  if (const expr::ParsedExpr* c = find_name(*rest, src.text, "churn"))
    expr::throw_source_error(src.origin, src.text, c->begin,
                             "the churn score can only multiply the whole priority, as its last factor "
                             "('<expression> * churn'; write '(a + b) * churn' for a sum)");
  if (a.priority_times_churn) {
    // The text before the top '*': the same origin keeps error positions right.
    std::size_t end = tree->op_pos;
    while (end > 0 && std::isspace(static_cast<unsigned char>(src.text[end - 1]))) --end;
    a.priority_expression.text.resize(end);
  }
}

}  // namespace

std::string read_action_name(const TomlReader& r, const toml::table& t, const Campaign& c, const std::string& w) {
  if (c.actions.size() == kMaxActions) r.fail(t, fmt::format("at most {} actions per campaign", kMaxActions));
  const toml::node& name = *r.require(t, "name", w);
  std::string s = r.name(name, "name", w);
  for (const auto& a : c.actions)
    if (a.name == s) r.fail(name, fmt::format("action name '{}' is already used at {}", s, a.name_origin));
  return s;
}

Action read_action_fields(const TomlReader& r, const toml::table& t, const Campaign& c, const std::string& w) {
  Action a;
  a.name_origin = r.pos(*t.get("name"));
  const toml::node& mt = *r.require(t, "message_type", w);
  a.message_type = r.resolve(mt, r.string(mt, "message_type", w), index_of(c.message_types), "message type");
  const toml::node& ch = *r.require(t, "channel", w);
  a.channel = r.resolve(ch, r.string(ch, "channel", w), index_of(c.channels), "channel");
  if (auto* b = t.get("brand")) a.brand = r.name(*b, "brand", w);
  const toml::node& priority = *r.require(t, "priority", w);
  read_priority(r, priority, a, w);
  const toml::node* value = t.get("value");
  const toml::node* weight = t.get("weight");
  if (a.priority_kind == PriorityKind::Expression) {
    // The expression is the whole priority: a value or weight would be silently unused.
    if (value) {
      // `priority = "value"` names the key's number, the author thinks: say how the expression reads it.
      const expr::ParsedPtr tree = expr::parse(a.priority_text, a.priority_expression.origin);
      r.fail(*value, fmt::format("'value' of {} is not used when 'priority' is an expression; write it into the "
                                 "expression{}",
                                 w,
                                 find_name(*tree, a.priority_text, "value")
                                     ? " (inside a priority expression `value` is read as a column of the "
                                       "population, not as this key; the key 'value' is used only by the fixed "
                                       "forms priority = \"weight * value\" and \"weight * value * churn\")"
                                     : ""));
    }
    if (weight)
      r.fail(*weight, fmt::format("'weight' of {} is not used when 'priority' is an expression; "
                                  "write it into the expression",
                                  w));
  } else {
    if (!value) r.fail(t, fmt::format("{} has no 'value' (its priority is '{}')", w, a.priority_text));
    a.value = r.number(*value, "value", w);
    if (weight) a.weight = r.number(*weight, "weight", w);
  }
  if (a.uses_churn() && !c.model_path)
    r.fail(priority, fmt::format("{} weighs its priority by churn, but [campaign] names no 'model'", w));
  return a;
}

}  // namespace nudge::decide
