// Parse tree of one trigger expression: what was written, with source byte
// ranges, before any name or type is resolved (DuckDB's ParsedExpression).
// Produced by parse() (engine/expr/parser.h), consumed by the binder
// (engine/expr/binder.h).
//
// Ownership: each node owns its children. Thread-safety: immutable after parse.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/expr/lexer.h"

namespace nudge::expr {

enum class PKind : uint8_t {
  Integer,  // text = digits
  Decimal,  // text = number as written
  String,   // text = contents
  Date,     // text = 'YYYY-MM-DD' contents (DATE '...')
  Bool,     // flag = value
  Null,
  Column,   // text = name as written (bare or "quoted")
  Unary,    // op = Minus or Plus; args[0]
  Binary,   // op = Plus Minus Star Slash Percent; args[0], args[1]
  Compare,  // op = Eq Ne Lt Le Gt Ge; args[0], args[1]
  Not,      // args[0]
  And,      // args[0], args[1]
  Or,       // args[0], args[1]
  In,       // args[0] IN (args[1..]); flag = NOT IN
  Between,  // args[0] BETWEEN args[1] AND args[2]; flag = NOT BETWEEN
  IsNull,   // args[0] IS NULL; flag = IS NOT NULL
  Case,     // flag = has operand (args[0]); then WHEN/THEN pairs; has_else: last arg is ELSE
  Call,     // text = function name as written; args = arguments
  Window,   // a window of series buckets (engine/expr/window_functions.h), only as a
            // function argument: text = unit ("days", "weeks", "months"), args[0], args[1]
            // = Integer nodes: first and last bucket counted back from as_of, 1-based;
            // flag = written as `last N unit`
};

struct ParsedExpr {
  PKind kind;
  uint32_t begin = 0, end = 0;  // bytes of the source this node spans
  uint32_t op_pos = 0;          // byte of the operator or function name (error carets)
  Tok op = Tok::End;
  bool flag = false;
  bool has_else = false;
  std::string text;
  std::vector<std::unique_ptr<ParsedExpr>> args;
};

using ParsedPtr = std::unique_ptr<ParsedExpr>;

}  // namespace nudge::expr
