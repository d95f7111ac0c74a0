// Recursive-descent parser of the trigger-expression language. Grammar (loosest
// binding first; engine/expr/README.md has the full reference):
//
//   expr       := or
//   or         := and { OR and }
//   and        := not { AND not }
//   not        := NOT not | predicate
//   predicate  := comparison { IS [NOT] NULL }
//   comparison := sum [ cmp sum | [NOT] IN '(' expr {',' expr} ')' | [NOT] BETWEEN sum AND sum ]
//   sum        := product { ('+'|'-') product }
//   product    := unary { ('*'|'/'|'%') unary }
//   unary      := ('-'|'+') unary | primary
//   primary    := number | 'string' | DATE 'YYYY-MM-DD' | TRUE | FALSE | NULL
//               | name [ '(' [arg {',' arg}] ')' ] | "quoted name" | '(' expr ')'
//               | CASE [expr] WHEN expr THEN expr {WHEN expr THEN expr} [ELSE expr] END
//   cmp        := '=' | '<>' | '!=' | '<' | '<=' | '>' | '>='
//
// Comparisons do not chain (`a < b < c` is an error that suggests AND).
// Extension point: a function argument is parsed by parse_call_argument()
// (parser.cc), which recognises window specifications such as `last 3 months`
// and returns them as PKind::Window (window_functions.h).
//
// Errors: nudge::Error(InvalidInput) "origin:line:col: expected ..., found ..."
// with the source line and a caret. Thread-safety: pure.
#pragma once

#include <string_view>

#include "engine/expr/parse_tree.h"

namespace nudge::expr {

ParsedPtr parse(std::string_view text, std::string_view origin);

}  // namespace nudge::expr
