#include "engine/expr/simplifier.h"

#include <cstring>

#include "engine/expr/reference.h"

namespace nudge::expr {

namespace {

// Operations whose result is NULL whenever an operand is NULL.
bool strict(Op op) {
  switch (op) {
    case Op::And:
    case Op::Or:
    case Op::IsNull:
    case Op::Case:
    case Op::Coalesce: return false;
    default: return true;
  }
}

bool is_bool_const(const BoundExpr& e, bool v) { return e.is_const() && !e.null && (e.i != 0) == v; }
bool is_null_const(const BoundExpr& e) { return e.is_const() && e.null; }

}  // namespace

BoundPtr Simplifier::simplify(const BoundPtr& e) {
  auto it = memo_.find(e.get());
  if (it != memo_.end()) return it->second;
  std::vector<BoundPtr> kids;
  kids.reserve(e->children.size());
  for (const auto& c : e->children) kids.push_back(simplify(c));
  BoundPtr r = rewrite(*e, std::move(kids));
  memo_.emplace(e.get(), r);
  return r;
}

BoundPtr Simplifier::rewrite(const BoundExpr& e, std::vector<BoundPtr> kids) {
  BoundExpr n = e;
  n.children = std::move(kids);
  auto& k = n.children;
  if (n.op == Op::Const || n.op == Op::Column) return intern(std::move(n));

  bool all_const = true, any_null = false;
  for (const auto& c : k) {
    all_const = all_const && c->is_const();
    any_null = any_null || is_null_const(*c);
  }
  if (all_const) return fold(n);
  if (strict(n.op) && any_null) return constant(n, true, 0);

  switch (n.op) {
    case Op::And:
      if (is_bool_const(*k[0], false) || is_bool_const(*k[1], false)) return constant(n, false, 0);
      if (is_bool_const(*k[0], true)) return k[1];
      if (is_bool_const(*k[1], true)) return k[0];
      break;
    case Op::Or:
      if (is_bool_const(*k[0], true) || is_bool_const(*k[1], true)) return constant(n, false, 1);
      if (is_bool_const(*k[0], false)) return k[1];
      if (is_bool_const(*k[1], false)) return k[0];
      break;
    case Op::Not:
      if (k[0]->op == Op::Not) return k[0]->children[0];
      break;
    case Op::Coalesce:
      if (k[0]->is_const()) return k[0]->null ? k[1] : k[0];
      break;
    case Op::Case: {
      std::vector<BoundPtr> kept;
      for (std::size_t i = 0; i + 1 < k.size(); i += 2) {
        const BoundExpr& c = *k[i];
        if (c.is_const() && (c.null || c.i == 0)) continue;  // never TRUE: branch dropped
        if (c.is_const()) {                                  // always TRUE: it ends the CASE
          kept.push_back(k[i + 1]);
          break;
        }
        kept.push_back(k[i]);
        kept.push_back(k[i + 1]);
      }
      if (kept.size() % 2 == 0) kept.push_back(k.back());
      if (kept.size() == 1) return kept[0];
      k = std::move(kept);
      break;
    }
    default:
      // Comparisons keep a constant on the right (the column-against-constant fast path).
      if (is_comparison(n.op) && k[0]->is_const() && !k[1]->is_const()) {
        std::swap(k[0], k[1]);
        n.op = flip_comparison(n.op);
      }
      // The float32 rule for a float32-valued expression that is not a bare
      // column (those have a fused instruction): its double value is a float32,
      // so comparing it in double with the constant rounded to float32 is the
      // float32 comparison.
      if (is_comparison(n.op) && n.f32 && k[1]->is_const() && k[0]->op != Op::Column) {
        float f;
        if (f32_constant(k[1]->d, &f)) {
          BoundExpr c = *k[1];
          c.d = static_cast<double>(f);
          k[1] = intern(std::move(c));
        }
        n.f32 = false;
      }
      break;
  }
  return intern(std::move(n));
}

BoundPtr Simplifier::fold(const BoundExpr& e) {
  Value v = reference_eval(e, pop_, 0);  // all operands are constants: no row is read
  return constant(e, v.null, v.i, v.d);
}

BoundPtr Simplifier::constant(const BoundExpr& e, bool null, int64_t i, double d) {
  BoundExpr c;
  c.op = Op::Const;
  c.type = e.type;
  c.null = null;
  c.i = null ? 0 : i;
  c.d = null ? 0 : d;
  c.begin = e.begin;
  c.end = e.end;
  return intern(std::move(c));
}

BoundPtr Simplifier::intern(BoundExpr n) {
  std::string key;
  key.reserve(64);
  auto put = [&](const void* p, std::size_t len) { key.append(static_cast<const char*>(p), len); };
  // A windowed aggregate's root (BoundExpr::window) stays apart from an equal hand-written tree.
  uint8_t head[5] = {static_cast<uint8_t>(n.op), static_cast<uint8_t>(n.type), static_cast<uint8_t>(n.null),
                     static_cast<uint8_t>(n.f32),
                     static_cast<uint8_t>(n.window ? static_cast<int>(n.window->kind) + 1 : 0)};
  put(head, sizeof head);
  if (n.op == Op::Const) {
    put(&n.i, sizeof n.i);
    put(&n.d, sizeof n.d);  // bitwise: -0.0 and NaN payloads stay distinct
  }
  if (n.op == Op::Column) {
    put(&n.column, sizeof n.column);
    put(&n.ctype, sizeof n.ctype);
  }
  if (n.window) {
    const std::size_t wk[] = {n.window->series, n.window->first, n.window->count};
    put(wk, sizeof wk);
  }
  for (const auto& c : n.children) {
    std::size_t id = ids_.at(c.get());
    put(&id, sizeof id);
  }
  auto it = interned_.find(key);
  if (it != interned_.end()) return it->second;
  auto p = std::make_shared<const BoundExpr>(std::move(n));
  ids_.emplace(p.get(), ids_.size());
  interned_.emplace(std::move(key), p);
  return p;
}

}  // namespace nudge::expr
