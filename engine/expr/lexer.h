// Lexer of the trigger-expression language (engine/expr/README.md, "Lexical
// structure"): splits an expression's text into tokens that keep their byte
// offsets for error messages.
//
// Keywords are case-insensitive; identifiers keep their spelling. "double
// quoted" text is a column name (a doubled "" inside is one quote), 'single
// quoted' text a string literal ('' is one quote). Numbers: digits with an
// optional fraction and exponent (1, 1.5, .5, 2e3).
//
// Errors: throws nudge::Error(InvalidInput) (engine/expr/source_error.h) on an
// unexpected character or an unterminated string or quoted name.
// Thread-safety: pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nudge::expr {

enum class Tok : uint8_t {
  End,
  Ident,        // bare name (column or function)
  QuotedIdent,  // "quoted name"
  Integer,      // 42
  Decimal,      // 4.2, .5, 1e3
  String,       // 'text'
  LParen,
  RParen,
  Comma,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  // keywords
  And,
  Or,
  Not,
  In,
  Between,
  Is,
  Null,
  True,
  False,
  Case,
  When,
  Then,
  Else,
  End_,
  Date,
};

struct Token {
  Tok kind = Tok::End;
  uint32_t begin = 0, end = 0;  // byte range in the text
  std::string value;            // identifier name, string contents or number text
};

// All tokens of `text`, ending with one Tok::End at text.size().
std::vector<Token> lex(std::string_view text, std::string_view origin);

// "'AND'", "'('", "end of expression", "name 'x'": for "expected ..." messages.
std::string describe(const Token& t);
std::string_view token_spelling(Tok t);

}  // namespace nudge::expr
