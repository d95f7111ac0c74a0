// Compiler: simplified DAG (engine/expr/simplifier.h) -> flat instruction list
// (engine/expr/instructions.h).
//
//   emit(node):  operands first (post-order, each node once), then one
//                instruction into a fresh register of the node's pool, then
//                operands whose last use this was go back to their pool's
//                free list (so a set of many triggers needs few registers
//                and they stay in cache).
//   fusions:     column <cmp> constant reads the column directly into a
//                bitmap (BCmpCol*); double(int column) loads as double.
#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>

#include "engine/base/error.h"
#include "engine/expr/compiled_program.h"

namespace nudge::expr {

namespace {

enum class Pool : uint8_t { Int, Dbl, Bool };

Pool pool_of(Type t) {
  switch (t) {
    case Type::Bool: return Pool::Bool;
    case Type::Double: return Pool::Dbl;
    default: return Pool::Int;
  }
}

Storage storage_of(DataType t) {
  switch (t) {
    case DataType::Bool: return Storage::U8;
    case DataType::Int64: return Storage::I64;
    case DataType::UInt64: return Storage::U64;
    case DataType::Float32: return Storage::F32;
    case DataType::Float64: return Storage::F64;
    default: return Storage::I32;  // Int32, Category, Date
  }
}

Cmp cmp_of(Op op) {
  switch (op) {
    case Op::Eq: return Cmp::Eq;
    case Op::Ne: return Cmp::Ne;
    case Op::Lt: return Cmp::Lt;
    case Op::Le: return Cmp::Le;
    case Op::Gt: return Cmp::Gt;
    default: return Cmp::Ge;
  }
}

// One side of a fused column-against-column comparison: k * double(column).
struct ScaledColumn {
  std::size_t column;
  Storage st;
  double k;
};

std::optional<ScaledColumn> plain_column_as_double(const BoundExpr& e) {
  if (e.op == Op::ToDouble && e.children[0]->op == Op::Column && e.children[0]->ctype == DataType::Int32)
    return ScaledColumn{e.children[0]->column, Storage::I32, 1.0};
  if (e.op == Op::Column && (e.ctype == DataType::Float32 || e.ctype == DataType::Float64))
    return ScaledColumn{e.column, storage_of(e.ctype), 1.0};
  return std::nullopt;
}

// column, k * column or column * k (IEEE multiplication commutes exactly, and
// 1.0 * x is x, so the fused kernel computes bit for bit what the tree says).
std::optional<ScaledColumn> scaled_column(const BoundExpr& e) {
  if (auto s = plain_column_as_double(e)) return s;
  if (e.op != Op::Mul || e.type != Type::Double) return std::nullopt;
  for (int k = 0; k < 2; ++k) {
    const BoundExpr &c = *e.children[k], &x = *e.children[1 - k];
    if (!c.is_const() || c.null) continue;
    if (auto s = plain_column_as_double(x)) {
      s->k = c.d;
      return s;
    }
  }
  return std::nullopt;
}

bool fused_columns(const BoundExpr& e) {
  return is_comparison(e.op) && e.children[0]->type == Type::Double && scaled_column(*e.children[0]) &&
         scaled_column(*e.children[1]);
}

class Compiler {
 public:
  Compiler(Program& p) : p_(p) {}

  void run(const std::vector<BoundPtr>& preds, const std::vector<BoundPtr>& nums) {
    for (const auto& r : preds) count_uses(r);
    for (const auto& r : nums) count_uses(r);
    // Outputs stay live to the end: count them before emitting anything, since
    // an output may also be an operand of an earlier output.
    for (const auto& r : preds) ++uses_[r.get()];
    for (const auto& r : nums) ++uses_[r.get()];
    for (const auto& r : preds) p_.predicate_regs.push_back(emit(r));
    for (const auto& r : nums) p_.number_regs.push_back(emit(r));
    p_.columns_read.assign(columns_.begin(), columns_.end());
  }

 private:
  // Column <cmp> constant, compiled as one fused instruction (no operand registers)?
  static bool fused_compare(const BoundExpr& e) {
    if (!is_comparison(e.op)) return false;
    if (fused_columns(e)) return true;
    const BoundExpr &a = *e.children[0], &b = *e.children[1];
    if (a.op != Op::Column || !b.is_const() || b.null) return false;
    switch (a.ctype) {
      case DataType::Float32: {
        float f;
        return e.f32 && f32_constant(b.d, &f);
      }
      case DataType::Float64:
      case DataType::Int32:
      case DataType::Date:
      case DataType::Category:
      case DataType::Int64: return true;
      default: return false;
    }
  }
  // The children evaluated into registers.
  static std::vector<const BoundExpr*> operands(const BoundExpr& e) {
    std::vector<const BoundExpr*> r;
    if (fused_compare(e)) return r;
    if (e.op == Op::ToDouble && e.children[0]->op == Op::Column) return r;
    for (const auto& c : e.children) r.push_back(c.get());
    return r;
  }

  void count_uses(const BoundPtr& root) {
    std::vector<const BoundExpr*> stack{root.get()};
    while (!stack.empty()) {
      const BoundExpr* e = stack.back();
      stack.pop_back();
      if (!seen_.insert(e).second) continue;
      for (const BoundExpr* c : operands(*e)) {
        ++uses_[c];
        stack.push_back(c);
      }
    }
  }

  uint32_t alloc(Pool pool) {
    auto& fl = free_[static_cast<int>(pool)];
    if (!fl.empty()) {
      uint32_t r = fl.back();
      fl.pop_back();
      return r;
    }
    uint32_t& n = pool == Pool::Int ? p_.n_int : pool == Pool::Dbl ? p_.n_dbl : p_.n_bool;
    return n++;
  }
  void release(const BoundExpr* e) {
    if (--uses_[e] == 0) free_[static_cast<int>(pool_of(e->type))].push_back(regs_.at(e));
  }

  Instr& push(Code code, uint32_t dst) {
    p_.code.push_back(Instr{});
    p_.code.back().code = code;
    p_.code.back().dst = dst;
    return p_.code.back();
  }
  void read_column(std::size_t c) { columns_.insert(c); }

  uint32_t emit(const BoundPtr& ptr) { return emit(ptr.get()); }
  // Post-order with an explicit stack, not recursion: a window over 50,000
  // buckets desugars to a chain 50,000 nodes deep (window_functions.h), which
  // would overflow the thread's stack (first under AddressSanitizer's larger
  // frames). Same order as the recursive form: operands left to right, then
  // the node, then the operands' releases.
  uint32_t emit(const BoundExpr* root) {
    struct Frame {
      const BoundExpr* e;
      std::vector<const BoundExpr*> ops;
      std::vector<uint32_t> in;
    };
    if (auto it = regs_.find(root); it != regs_.end()) return it->second;
    std::vector<Frame> stack;
    stack.push_back(Frame{root, operands(*root), {}});
    uint32_t last = 0;
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.in.size() < f.ops.size()) {
        const BoundExpr* c = f.ops[f.in.size()];
        if (auto it = regs_.find(c); it != regs_.end()) {
          f.in.push_back(it->second);
        } else {
          std::vector<const BoundExpr*> ops = operands(*c);
          stack.push_back(Frame{c, std::move(ops), {}});  // invalidates f
        }
        continue;
      }
      uint32_t dst = alloc(pool_of(f.e->type));
      build(*f.e, f.in, dst);
      regs_.emplace(f.e, dst);
      for (const BoundExpr* c : f.ops) release(c);
      last = dst;
      stack.pop_back();
      if (!stack.empty()) stack.back().in.push_back(dst);
    }
    return last;
  }

  void build(const BoundExpr& e, const std::vector<uint32_t>& in, uint32_t dst);
  void build_compare(const BoundExpr& e, const std::vector<uint32_t>& in, uint32_t dst);

  Program& p_;
  std::set<const BoundExpr*> seen_;
  std::unordered_map<const BoundExpr*, int> uses_;
  std::unordered_map<const BoundExpr*, uint32_t> regs_;
  std::vector<uint32_t> free_[3];
  std::set<std::size_t> columns_;
};

void Compiler::build_compare(const BoundExpr& e, const std::vector<uint32_t>& in, uint32_t dst) {
  const BoundExpr &a = *e.children[0], &b = *e.children[1];
  Cmp cmp = cmp_of(e.op);
  if (in.empty() && !b.is_const()) {  // fused: k * column <cmp> k2 * column
    ScaledColumn x = *scaled_column(a), y = *scaled_column(b);
    read_column(x.column);
    read_column(y.column);
    Instr& i = push(Code::BCmpCols, dst);
    i.cmp = cmp;
    i.col = static_cast<uint32_t>(x.column);
    i.st = x.st;
    i.dval = x.k;
    i.col2 = static_cast<uint32_t>(y.column);
    i.st2 = y.st;
    i.dval2 = y.k;
    return;
  }
  if (in.empty()) {  // fused: column <cmp> constant
    read_column(a.column);
    Instr* x = nullptr;
    switch (a.ctype) {
      case DataType::Float32:
        x = &push(Code::BCmpColF32, dst);
        f32_constant(b.d, &x->fval);
        break;
      case DataType::Float64:
        x = &push(Code::BCmpColF64, dst);
        x->dval = b.d;
        break;
      case DataType::Int64:
        x = &push(Code::BCmpColI64, dst);
        x->ival = b.i;
        break;
      default: {  // int32 storage: a constant outside int32 gives the same answer as the int32 bound
        x = &push(Code::BCmpColI32, dst);
        int64_t c = b.i;
        constexpr int64_t lo = INT32_MIN, hi = INT32_MAX;
        if (c > hi) {  // every value is below c
          bool t = cmp == Cmp::Ne || cmp == Cmp::Lt || cmp == Cmp::Le;
          cmp = t ? Cmp::Le : Cmp::Gt;
          c = hi;
        } else if (c < lo) {  // every value is above c
          bool t = cmp == Cmp::Ne || cmp == Cmp::Gt || cmp == Cmp::Ge;
          cmp = t ? Cmp::Ge : Cmp::Lt;
          c = lo;
        }
        x->ival = c;
      }
    }
    x->col = static_cast<uint32_t>(a.column);
    x->st = storage_of(a.ctype);
    x->cmp = cmp;
    return;
  }
  Code code = a.type == Type::Double ? Code::BCmpD : a.type == Type::Bool ? Code::BCmpB : Code::BCmpI;
  Instr& x = push(code, dst);
  x.a = in[0];
  x.b = in[1];
  x.cmp = cmp;
}

void Compiler::build(const BoundExpr& e, const std::vector<uint32_t>& in, uint32_t dst) {
  const bool dbl = e.type == Type::Double;
  auto simple = [&](Code code) {
    Instr& x = push(code, dst);
    if (in.size() > 0) x.a = in[0];
    if (in.size() > 1) x.b = in[1];
  };
  switch (e.op) {
    case Op::Const: {
      Code code = e.type == Type::Bool ? Code::BConst : dbl ? Code::DConst : Code::IConst;
      Instr& x = push(code, dst);
      x.ival = e.type == Type::Bool ? (e.null ? -1 : e.i) : e.i;
      x.dval = e.d;
      x.c = e.null ? 1 : 0;
      return;
    }
    case Op::Column: {
      read_column(e.column);
      Code code = e.type == Type::Bool ? Code::BLoadCol : dbl ? Code::DLoadCol : Code::ILoadCol;
      Instr& x = push(code, dst);
      x.col = static_cast<uint32_t>(e.column);
      x.st = storage_of(e.ctype);
      return;
    }
    case Op::ToDouble: {
      if (in.empty()) {  // double(column): one load with conversion
        const BoundExpr& c = *e.children[0];
        read_column(c.column);
        Instr& x = push(Code::DLoadCol, dst);
        x.col = static_cast<uint32_t>(c.column);
        x.st = storage_of(c.ctype);
        return;
      }
      return simple(Code::DFromI);
    }
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: return build_compare(e, in, dst);
    case Op::Neg: return simple(dbl ? Code::DNeg : Code::INeg);
    case Op::Add: return simple(dbl ? Code::DAdd : Code::IAdd);
    case Op::Sub: return simple(dbl ? Code::DSub : Code::ISub);
    case Op::Mul: return simple(dbl ? Code::DMul : Code::IMul);
    case Op::Div: return simple(Code::DDiv);
    case Op::Mod: return simple(dbl ? Code::DMod : Code::IMod);
    case Op::Abs: return simple(dbl ? Code::DAbs : Code::IAbs);
    case Op::Ln: return simple(Code::DLn);
    case Op::Exp: return simple(Code::DExp);
    case Op::Sqrt: return simple(Code::DSqrt);
    case Op::DaysSince: return simple(Code::IDaysSince);
    case Op::Least: return simple(dbl ? Code::DLeast : Code::ILeast);
    case Op::Greatest: return simple(dbl ? Code::DGreatest : Code::IGreatest);
    case Op::And: return simple(Code::BAnd);
    case Op::Or: return simple(Code::BOr);
    case Op::Not: return simple(Code::BNot);
    case Op::IsNull: {
      Type t = e.children[0]->type;
      return simple(t == Type::Bool ? Code::BIsNullB : t == Type::Double ? Code::BIsNullD : Code::BIsNullI);
    }
    case Op::Coalesce: return simple(e.type == Type::Bool ? Code::BCoalesce : dbl ? Code::DCoalesce : Code::ICoalesce);
    case Op::Case: {
      // in = c0, v0, c1, v1, ..., else. Built from the last branch up:
      // acc = else; acc = c_k ? v_k : acc; ... ; the first TRUE condition wins.
      Pool pool = pool_of(e.type);
      Code code = e.type == Type::Bool ? Code::BSelect : dbl ? Code::DSelect : Code::ISelect;
      uint32_t acc = in.back();
      bool acc_temp = false;
      for (std::size_t k = in.size() - 1; k >= 2; k -= 2) {
        bool last = k == 2;
        uint32_t out = last ? dst : alloc(pool);
        Instr& x = push(code, out);
        x.c = in[k - 2];
        x.a = in[k - 1];
        x.b = acc;
        if (acc_temp) free_[static_cast<int>(pool)].push_back(acc);
        acc = out;
        acc_temp = !last;
      }
      return;
    }
  }
  throw_internal("compiler: unknown operation");
}

}  // namespace

void compile_program(Program& p, const std::vector<BoundPtr>& predicate_roots,
                     const std::vector<BoundPtr>& number_roots, const Population& pop) {
  Compiler(p).run(predicate_roots, number_roots);
  p.n_columns = pop.num_columns();
  for (std::size_t c : p.columns_read) p.column_types.push_back(pop.column(c).type());
}

}  // namespace nudge::expr
