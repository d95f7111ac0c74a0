// Binder: resolves a parse tree against a population's schema into a typed,
// desugared BoundExpr tree (engine/expr/bound_expr.h), following the typing
// rules of engine/expr/README.md.
//
// Columns are found by name as written, then by normalised alias
// (Population::find). Functions are resolved through a table
// (engine/expr/functions.h): adding a function means adding one FunctionDef
// there, as the windowed aggregates (`sum(flights, last 3 months)`, desugared
// to arithmetic over a Series' bucket columns; window_functions.h) did; the
// binder's core does not change.
//
// Errors: nudge::Error(InvalidInput) "origin:line:col: message" + source line +
// caret: unknown columns/functions with the nearest names, type errors naming
// each operand's text and type, bad literals. Warnings (e.g. a string that is
// not in a category's dictionary) are appended to `warnings`; an IN list gets
// one warning per category column for all its unknown strings ("3 of the
// listed values are not values of category column tier (...); they never
// match: 'v1', 'v2', 'v3'"; the first 5 named, then the count).
// Thread-safety: a Binder is single-use, single-thread; it only reads `pop`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/expr/bound_expr.h"
#include "engine/expr/parse_tree.h"
#include "engine/store/population.h"

namespace nudge::expr {

class Binder {
 public:
  Binder(const Population& pop, std::string_view text, std::string_view origin, std::vector<std::string>* warnings)
      : pop_(pop), text_(text), origin_(origin), warnings_(warnings) {}

  // A predicate: must have type bool (a bare NULL is a NULL bool).
  BoundPtr bind_predicate(const ParsedExpr& e);
  // A number expression: integer or double; converted to double.
  BoundPtr bind_number(const ParsedExpr& e);

  // Building blocks for function binders (engine/expr/functions.cc).
  BoundPtr bind(const ParsedExpr& e);
  const Population& population() const noexcept { return pop_; }
  [[noreturn]] void fail(std::size_t offset, const std::string& message) const;
  void warn(std::size_t offset, const std::string& message);
  // The operand as written, quoted for messages: "flights_3m", "0.5 * x".
  std::string operand_text(const ParsedExpr& e) const;
  // "email_opt_in is bool" for type errors.
  std::string describe_operand(const ParsedExpr& e, const BoundExpr& b) const;
  // "email_opt_in (bool)".
  std::string typed_operand(const ParsedExpr& e, const BoundExpr& b) const;

  static BoundPtr make(Op op, Type type, std::vector<BoundPtr> children, const ParsedExpr& at);
  static BoundPtr null_of(Type type, const ParsedExpr& at);
  // Integer -> double (ToDouble); doubles pass through; a NULL literal becomes a NULL double.
  static BoundPtr to_double(BoundPtr e);
  // A NULL literal takes type `t`; anything else passes through.
  static BoundPtr coerce_null(BoundPtr e, Type t);
  // The common type of CASE branches / coalesce / least / greatest operands,
  // with integers widened to double when mixed; fails naming the first misfit.
  // Returns Type::Null (operands untouched) when every operand is a NULL literal.
  Type unify(const std::vector<const ParsedExpr*>& parsed, std::vector<BoundPtr>& bound, bool allow_bool,
             const std::string& what);
  // Every value of `e` is a float32 value or NULL (the float32 rule's left side).
  bool f32_valued(const BoundExpr& e) const;
  // a op b for a comparison op, with all typing rules (category codes, float32 rule).
  BoundPtr bind_compare(Op op, BoundPtr a, BoundPtr b, const ParsedExpr& pa, const ParsedExpr& pb,
                        const ParsedExpr& at);

 private:
  BoundPtr bind_column(const ParsedExpr& e);
  BoundPtr bind_literal(const ParsedExpr& e);
  BoundPtr bind_arith(const ParsedExpr& e);
  BoundPtr bind_logic(const ParsedExpr& e);
  BoundPtr bind_case(const ParsedExpr& e);
  BoundPtr bind_call(const ParsedExpr& e);
  BoundPtr expect_bool(BoundPtr b, const ParsedExpr& e, const std::string& context);

  // A string of an IN list that is not in a category column's dictionary:
  // collected while an IN list binds, then one warning per column
  // (warn_unknown_values) instead of one per string.
  struct UnknownValue {
    std::size_t offset;
    std::string value;
    std::size_t column;
  };
  void warn_unknown_values(std::vector<UnknownValue>& unknown);

  const Population& pop_;
  std::string_view text_, origin_;
  std::vector<std::string>* warnings_;
  std::vector<UnknownValue>* unknown_ = nullptr;  // set while an IN list binds
};

}  // namespace nudge::expr
