// Values behind an expression on one row (explain_values.h).
#include "engine/explain/explain_values.h"

#include <fmt/format.h>

#include <chrono>
#include <set>

#include "engine/expr/binder.h"
#include "engine/expr/parser.h"
#include "engine/expr/reference.h"
#include "engine/store/types.h"

namespace nudge::explain {
namespace {

using expr::BoundExpr;
using expr::Op;
using expr::Type;

// The dictionary a category-typed node's codes index: the column it reads.
const Column* category_column(const Population& pop, const BoundExpr& e) {
  if (e.op == Op::Column) return &pop.column(e.column);
  for (const auto& c : e.children)
    if (const Column* col = category_column(pop, *c)) return col;
  return nullptr;
}

std::string format_value(const Population& pop, const BoundExpr& e, const expr::Value& v) {
  if (v.null) return "NULL";
  switch (e.type) {
    case Type::Bool: return v.i ? "TRUE" : "FALSE";
    case Type::Double:  // a float32 column shows as the float it holds (24399.49, not 24399.490234375)
      if (e.op == Op::Column && e.ctype == DataType::Float32) return fmt::format("{}", static_cast<float>(v.d));
      return fmt::format("{}", v.d);
    case Type::Date: {
      const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{v.i}}};
      return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                         static_cast<unsigned>(ymd.day()));
    }
    case Type::Category: {
      const Column* col = category_column(pop, e);
      if (col && v.i >= 0 && static_cast<std::size_t>(v.i) < col->dictionary().size())
        return "'" + col->dictionary()[static_cast<std::size_t>(v.i)] + "'";
      return fmt::format("code {}", v.i);
    }
    default: return fmt::format("{}", v.i);
  }
}

class Walker {
 public:
  Walker(const Population& pop, std::string_view text, std::size_t row) : pop_(pop), text_(text), row_(row) {}

  void walk(const BoundExpr& e) {
    if (e.op == Op::Column) {
      add(e, ValueKind::Column);
      return;
    }
    if (expr::is_comparison(e.op) && e.children.size() == 2) {
      add(e, ValueKind::Comparison);
      for (const auto& c : e.children)
        if (c->op != Op::Column && c->op != Op::Const && c->op != Op::ToDouble) add(*c, ValueKind::Side);
    }
    for (const auto& c : e.children) walk(*c);
  }
  std::vector<ExpressionValue> take() { return std::move(out_); }

 private:
  void add(const BoundExpr& e, ValueKind kind) {
    if (e.end <= e.begin || e.end > text_.size()) return;
    std::string t(text_.substr(e.begin, e.end - e.begin));
    if (!seen_.insert(t).second) return;
    out_.push_back({t, format_value(pop_, e, expr::reference_eval(e, pop_, row_)), kind});
  }
  const Population& pop_;
  std::string_view text_;
  std::size_t row_;
  std::set<std::string> seen_;
  std::vector<ExpressionValue> out_;
};

std::vector<ExpressionValue> values(const Population& pop, const expr::Source& src, std::size_t row, bool predicate) {
  expr::ParsedPtr parsed = expr::parse(src.text, src.origin);
  std::vector<std::string> warnings;
  expr::Binder binder(pop, src.text, src.origin, &warnings);
  expr::BoundPtr bound = predicate ? binder.bind_predicate(*parsed) : binder.bind_number(*parsed);
  Walker w(pop, src.text, row);
  w.walk(*bound);
  return w.take();
}

}  // namespace

std::vector<ExpressionValue> predicate_values(const Population& pop, const expr::Source& src, std::size_t row) {
  return values(pop, src, row, true);
}
std::vector<ExpressionValue> number_values(const Population& pop, const expr::Source& src, std::size_t row) {
  return values(pop, src, row, false);
}

}  // namespace nudge::explain
