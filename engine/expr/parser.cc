#include "engine/expr/parser.h"

#include "engine/expr/source_error.h"

namespace nudge::expr {

namespace {

// Deep nesting is legal but bounded, so a hostile expression cannot overflow the stack.
constexpr int kMaxDepth = 200;
// The parse tree's height is bounded too: a flat chain `a + b + c + ...` builds
// a left-deep tree as tall as the chain is long, and every later stage (binder,
// simplifier, compiler, reference evaluator) recurses over it. Nesting and
// chained operators both count.
constexpr int kMaxHeight = 256;

class Parser {
 public:
  Parser(std::string_view text, std::string_view origin) : text_(text), origin_(origin), toks_(lex(text, origin)) {}

  ParsedPtr parse_all() {
    if (peek().kind == Tok::End) fail(peek().begin, "empty expression");
    auto e = parse_expr();
    if (peek().kind != Tok::End) {
      if (peek().kind == Tok::RParen) fail(peek().begin, "unbalanced ')'");
      fail(peek().begin, "expected an operator or end of expression, found " + describe(peek()));
    }
    return e;
  }

 private:
  const Token& peek(std::size_t k = 0) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
  const Token& next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
  bool accept(Tok k) {
    if (peek().kind != k) return false;
    ++pos_;
    return true;
  }
  const Token& expect(Tok k, std::string_view what) {
    if (peek().kind != k) fail(peek().begin, "expected " + std::string(what) + ", found " + describe(peek()));
    return next();
  }
  [[noreturn]] void fail(std::size_t offset, const std::string& msg) const {
    throw_source_error(origin_, text_, offset, msg);
  }

  static ParsedPtr node(PKind k, uint32_t begin, uint32_t end) {
    auto p = std::make_unique<ParsedExpr>();
    p->kind = k;
    p->begin = begin;
    p->end = end;
    p->op_pos = begin;
    return p;
  }
  static ParsedPtr binary(PKind k, const Token& op, ParsedPtr a, ParsedPtr b) {
    auto p = node(k, a->begin, b->end);
    p->op = op.kind;
    p->op_pos = op.begin;
    p->args.push_back(std::move(a));
    p->args.push_back(std::move(b));
    return p;
  }

  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& parser) : p(parser) {
      ++p.height_;
      if (++p.depth_ > kMaxDepth) p.fail(p.peek().begin, "expression nested too deeply");
      if (p.height_ > kMaxHeight) p.fail(p.peek().begin, too_tall());
    }
    ~DepthGuard() {
      --p.depth_;
      --p.height_;
    }
  };

  // Counts one level of tree height per operator of a left-associative chain.
  struct ChainGuard {
    Parser& p;
    int steps = 0;
    explicit ChainGuard(Parser& parser) : p(parser) {}
    void step(std::size_t at) {
      ++steps;
      if (++p.height_ > kMaxHeight) p.fail(at, too_tall());
    }
    ~ChainGuard() { p.height_ -= steps; }
  };
  static std::string too_tall() {
    return "expression too long: more than " + std::to_string(kMaxHeight) +
           " operators chained or nested; split it (e.g. into several actions or an IN list)";
  }

  ParsedPtr parse_expr() {
    DepthGuard g(*this);
    return parse_or();
  }

  ParsedPtr parse_or() {
    auto a = parse_and();
    ChainGuard chain(*this);
    while (peek().kind == Tok::Or) {
      chain.step(peek().begin);
      const Token& op = next();
      a = binary(PKind::Or, op, std::move(a), parse_and());
    }
    return a;
  }

  ParsedPtr parse_and() {
    auto a = parse_not();
    ChainGuard chain(*this);
    while (peek().kind == Tok::And) {
      chain.step(peek().begin);
      const Token& op = next();
      a = binary(PKind::And, op, std::move(a), parse_not());
    }
    return a;
  }

  ParsedPtr parse_not() {
    if (peek().kind == Tok::Not) {
      DepthGuard g(*this);
      const Token& op = next();
      auto inner = parse_not();
      auto p = node(PKind::Not, op.begin, inner->end);
      p->args.push_back(std::move(inner));
      return p;
    }
    return parse_predicate();
  }

  static bool is_cmp(Tok k) {
    return k == Tok::Eq || k == Tok::Ne || k == Tok::Lt || k == Tok::Le || k == Tok::Gt || k == Tok::Ge;
  }

  // IS [NOT] NULL binds more loosely than comparisons, IN and BETWEEN (as in
  // PostgreSQL): `a = b IS NULL` is `(a = b) IS NULL`.
  ParsedPtr parse_predicate() {
    auto p = parse_comparison();
    ChainGuard chain(*this);
    while (peek().kind == Tok::Is) {
      chain.step(peek().begin);
      const Token& op = next();
      auto n = node(PKind::IsNull, p->begin, 0);
      n->op_pos = op.begin;
      n->flag = accept(Tok::Not);
      n->end = expect(Tok::Null, "NULL after IS (IS NULL or IS NOT NULL)").end;
      n->args.push_back(std::move(p));
      p = std::move(n);
    }
    return p;
  }

  ParsedPtr parse_comparison() {
    auto a = parse_sum();
    const Token& t = peek();
    if (is_cmp(t.kind)) {
      const Token& op = next();
      auto p = binary(PKind::Compare, op, std::move(a), parse_sum());
      if (is_cmp(peek().kind)) fail(peek().begin, "comparisons cannot be chained; write a < b AND b < c");
      return p;
    }
    bool negated = false;
    std::size_t not_pos = t.begin;
    if (t.kind == Tok::Not && (peek(1).kind == Tok::In || peek(1).kind == Tok::Between)) {
      negated = true;
      next();
    }
    if (peek().kind == Tok::In) {
      const Token& op = next();
      auto p = node(PKind::In, a->begin, 0);
      p->op_pos = negated ? static_cast<uint32_t>(not_pos) : op.begin;
      p->flag = negated;
      p->args.push_back(std::move(a));
      expect(Tok::LParen, "'(' after IN");
      do p->args.push_back(parse_expr());
      while (accept(Tok::Comma));
      p->end = expect(Tok::RParen, "',' or ')' in the IN list").end;
      return p;
    }
    if (peek().kind == Tok::Between) {
      const Token& op = next();
      auto p = node(PKind::Between, a->begin, 0);
      p->op_pos = negated ? static_cast<uint32_t>(not_pos) : op.begin;
      p->flag = negated;
      p->args.push_back(std::move(a));
      p->args.push_back(parse_sum());
      expect(Tok::And, "AND in BETWEEN ... AND ...");
      p->args.push_back(parse_sum());
      p->end = p->args.back()->end;
      return p;
    }
    return a;
  }

  ParsedPtr parse_sum() {
    auto a = parse_product();
    ChainGuard chain(*this);
    while (peek().kind == Tok::Plus || peek().kind == Tok::Minus) {
      chain.step(peek().begin);
      const Token& op = next();
      a = binary(PKind::Binary, op, std::move(a), parse_product());
    }
    return a;
  }

  ParsedPtr parse_product() {
    auto a = parse_unary();
    ChainGuard chain(*this);
    while (peek().kind == Tok::Star || peek().kind == Tok::Slash || peek().kind == Tok::Percent) {
      chain.step(peek().begin);
      const Token& op = next();
      a = binary(PKind::Binary, op, std::move(a), parse_unary());
    }
    return a;
  }

  ParsedPtr parse_unary() {
    if (peek().kind == Tok::Minus || peek().kind == Tok::Plus) {
      DepthGuard g(*this);
      const Token& op = next();
      auto inner = parse_unary();
      auto p = node(PKind::Unary, op.begin, inner->end);
      p->op = op.kind;
      p->args.push_back(std::move(inner));
      return p;
    }
    return parse_primary();
  }

  // A function argument: an expression, or a window of series buckets
  // (engine/expr/window_functions.h):
  //   window := LAST int unit | unit int TO int AGO      unit := day[s] | week[s] | month[s]
  // recognised by a name `last` or a unit word directly followed by an integer,
  // which no expression can start with. The words are not reserved.
  ParsedPtr parse_call_argument() {
    if (peek().kind == Tok::Ident && peek(1).kind == Tok::Integer) {
      const std::string w = lower(peek().value);
      if (w == "last" || !unit_word(w).empty()) return parse_window();
    }
    return parse_expr();
  }

  static std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return s;
  }
  // "days" / "weeks" / "months" for a unit word, singular or plural; "" otherwise.
  static std::string unit_word(const std::string& w) {
    if (w == "day" || w == "days") return "days";
    if (w == "week" || w == "weeks") return "weeks";
    if (w == "month" || w == "months") return "months";
    return "";
  }
  bool accept_word(std::string_view w) {
    if (peek().kind != Tok::Ident || lower(peek().value) != w) return false;
    ++pos_;
    return true;
  }
  ParsedPtr integer_node(const Token& t) {
    auto p = node(PKind::Integer, t.begin, t.end);
    p->text = t.value;
    return p;
  }

  ParsedPtr parse_window() {
    const Token& first = next();
    auto p = node(PKind::Window, first.begin, 0);
    if (lower(first.value) == "last") {
      p->flag = true;
      const Token& n = next();
      const Token& u = peek();
      p->text = u.kind == Tok::Ident ? unit_word(lower(u.value)) : "";
      if (p->text.empty())
        fail(u.begin, "expected days, weeks or months after 'last " + n.value + "', found " + describe(u));
      next();
      Token one = n;  // from = 1 (the bucket holding as_of) ...
      one.value.assign(1, '1');
      p->args.push_back(integer_node(one));
      p->args.push_back(integer_node(n));  // ... to N
      p->end = u.end;
      return p;
    }
    p->text = unit_word(lower(first.value));
    const Token& a = next();
    if (!accept_word("to"))
      fail(peek().begin,
           "expected 'to' in the window '" + first.value + " " + a.value + " to N ago', found " + describe(peek()));
    const Token& b = expect(Tok::Integer, "a whole number of " + p->text + " after 'to'");
    const Token& ago = peek();
    if (!accept_word("ago"))
      fail(ago.begin,
           "expected 'ago' after '" + first.value + " " + a.value + " to " + b.value + "', found " + describe(ago));
    p->args.push_back(integer_node(a));
    p->args.push_back(integer_node(b));
    p->end = ago.end;
    return p;
  }

  ParsedPtr parse_primary() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::Integer:
      case Tok::Decimal:
      case Tok::String: {
        next();
        auto p = node(t.kind == Tok::Integer   ? PKind::Integer
                      : t.kind == Tok::Decimal ? PKind::Decimal
                                               : PKind::String,
                      t.begin, t.end);
        p->text = t.value;
        return p;
      }
      case Tok::True:
      case Tok::False: {
        next();
        auto p = node(PKind::Bool, t.begin, t.end);
        p->flag = t.kind == Tok::True;
        return p;
      }
      case Tok::Null: next(); return node(PKind::Null, t.begin, t.end);
      case Tok::Date: {
        next();
        const Token& s = expect(Tok::String, "a 'YYYY-MM-DD' string after DATE");
        auto p = node(PKind::Date, t.begin, s.end);
        p->op_pos = s.begin;
        p->text = s.value;
        return p;
      }
      case Tok::QuotedIdent: {
        next();
        auto p = node(PKind::Column, t.begin, t.end);
        p->text = t.value;
        return p;
      }
      case Tok::Ident: {
        next();
        if (peek().kind != Tok::LParen) {
          auto p = node(PKind::Column, t.begin, t.end);
          p->text = t.value;
          return p;
        }
        DepthGuard g(*this);
        next();
        auto p = node(PKind::Call, t.begin, 0);
        p->text = t.value;
        if (peek().kind != Tok::RParen) {
          do p->args.push_back(parse_call_argument());
          while (accept(Tok::Comma));
        }
        p->end = expect(Tok::RParen, "',' or ')' after a function argument").end;
        return p;
      }
      case Tok::LParen: {
        next();
        auto e = parse_expr();
        expect(Tok::RParen, "')'");
        return e;
      }
      case Tok::Case: return parse_case();
      default: fail(t.begin, "expected a value, a column name or '(', found " + describe(t));
    }
  }

  ParsedPtr parse_case() {
    DepthGuard g(*this);
    const Token& c = next();
    auto p = node(PKind::Case, c.begin, 0);
    if (peek().kind != Tok::When) {
      p->flag = true;
      p->args.push_back(parse_expr());
    }
    if (peek().kind != Tok::When) fail(peek().begin, "expected WHEN in CASE, found " + describe(peek()));
    while (accept(Tok::When)) {
      p->args.push_back(parse_expr());
      expect(Tok::Then, "THEN after the WHEN condition");
      p->args.push_back(parse_expr());
    }
    if (accept(Tok::Else)) {
      p->has_else = true;
      p->args.push_back(parse_expr());
    }
    p->end = expect(Tok::End_, "WHEN, ELSE or END in CASE").end;
    return p;
  }

  std::string_view text_, origin_;
  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  int height_ = 0;
};

}  // namespace

ParsedPtr parse(std::string_view text, std::string_view origin) { return Parser(text, origin).parse_all(); }

}  // namespace nudge::expr
