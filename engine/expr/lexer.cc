#include "engine/expr/lexer.h"

#include <cctype>
#include <utility>

#include "engine/expr/source_error.h"

namespace nudge::expr {

namespace {

constexpr std::pair<std::string_view, Tok> kKeywords[] = {
    {"and", Tok::And},   {"or", Tok::Or},     {"not", Tok::Not},   {"in", Tok::In},       {"between", Tok::Between},
    {"is", Tok::Is},     {"null", Tok::Null}, {"true", Tok::True}, {"false", Tok::False}, {"case", Tok::Case},
    {"when", Tok::When}, {"then", Tok::Then}, {"else", Tok::Else}, {"end", Tok::End_},    {"date", Tok::Date},
};

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

}  // namespace

std::string_view token_spelling(Tok t) {
  switch (t) {
    case Tok::End: return "end of expression";
    case Tok::Ident:
    case Tok::QuotedIdent: return "a name";
    case Tok::Integer:
    case Tok::Decimal: return "a number";
    case Tok::String: return "a string";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::Comma: return "','";
    case Tok::Plus: return "'+'";
    case Tok::Minus: return "'-'";
    case Tok::Star: return "'*'";
    case Tok::Slash: return "'/'";
    case Tok::Percent: return "'%'";
    case Tok::Eq: return "'='";
    case Tok::Ne: return "'<>'";
    case Tok::Lt: return "'<'";
    case Tok::Le: return "'<='";
    case Tok::Gt: return "'>'";
    case Tok::Ge: return "'>='";
    case Tok::And: return "AND";
    case Tok::Or: return "OR";
    case Tok::Not: return "NOT";
    case Tok::In: return "IN";
    case Tok::Between: return "BETWEEN";
    case Tok::Is: return "IS";
    case Tok::Null: return "NULL";
    case Tok::True: return "TRUE";
    case Tok::False: return "FALSE";
    case Tok::Case: return "CASE";
    case Tok::When: return "WHEN";
    case Tok::Then: return "THEN";
    case Tok::Else: return "ELSE";
    case Tok::End_: return "END";
    case Tok::Date: return "DATE";
  }
  return "?";
}

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::End: return "end of expression";
    case Tok::Ident: return "name '" + t.value + "'";
    case Tok::QuotedIdent: return "name \"" + t.value + "\"";
    case Tok::Integer:
    case Tok::Decimal: return "number " + t.value;
    case Tok::String: return "string '" + t.value + "'";
    default: return std::string(token_spelling(t.kind));
  }
}

std::vector<Token> lex(std::string_view s, std::string_view origin) {
  std::vector<Token> out;
  std::size_t i = 0;
  auto push = [&](Tok k, std::size_t b, std::size_t e, std::string v = {}) {
    out.push_back(Token{k, static_cast<uint32_t>(b), static_cast<uint32_t>(e), std::move(v)});
  };
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    std::size_t b = i;
    if (ident_start(c)) {
      while (i < s.size() && ident_char(s[i])) ++i;
      std::string word(s.substr(b, i - b));
      std::string low = lower(word);
      Tok kind = Tok::Ident;
      for (auto& [kw, t] : kKeywords)
        if (kw == low) kind = t;
      push(kind, b, i, std::move(word));
    } else if (digit(c) || (c == '.' && i + 1 < s.size() && digit(s[i + 1]))) {
      bool dec = false;
      while (i < s.size() && digit(s[i])) ++i;
      if (i < s.size() && s[i] == '.') {
        dec = true;
        ++i;
        while (i < s.size() && digit(s[i])) ++i;
      }
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        std::size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        if (j < s.size() && digit(s[j])) {
          dec = true;
          i = j;
          while (i < s.size() && digit(s[i])) ++i;
        }
      }
      if (i < s.size() && ident_char(s[i]))
        throw_source_error(origin, s, i, "unexpected character '" + std::string(1, s[i]) + "' in a number");
      push(dec ? Tok::Decimal : Tok::Integer, b, i, std::string(s.substr(b, i - b)));
    } else if (c == '\'' || c == '"') {
      std::string v;
      ++i;
      for (;;) {
        if (i >= s.size())
          throw_source_error(origin, s, b, c == '\'' ? "unterminated string literal" : "unterminated quoted name");
        if (s[i] == c) {
          if (i + 1 < s.size() && s[i + 1] == c) {
            v += c;
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        v += s[i++];
      }
      if (c == '"' && v.empty()) throw_source_error(origin, s, b, "empty quoted name");
      push(c == '\'' ? Tok::String : Tok::QuotedIdent, b, i, std::move(v));
    } else {
      Tok k = Tok::End;
      std::size_t len = 1;
      char n = i + 1 < s.size() ? s[i + 1] : '\0';
      switch (c) {
        case '(': k = Tok::LParen; break;
        case ')': k = Tok::RParen; break;
        case ',': k = Tok::Comma; break;
        case '+': k = Tok::Plus; break;
        case '-': k = Tok::Minus; break;
        case '*': k = Tok::Star; break;
        case '/': k = Tok::Slash; break;
        case '%': k = Tok::Percent; break;
        case '=': k = Tok::Eq; break;
        case '!':
          if (n == '=') k = Tok::Ne, len = 2;
          break;
        case '<':
          if (n == '=') k = Tok::Le, len = 2;
          else if (n == '>') k = Tok::Ne, len = 2;
          else k = Tok::Lt;
          break;
        case '>':
          if (n == '=') k = Tok::Ge, len = 2;
          else k = Tok::Gt;
          break;
        default: break;
      }
      if (k == Tok::End) {
        std::string shown = static_cast<unsigned char>(c) < 0x80 ? std::string(1, c) : std::string("non-ASCII byte");
        throw_source_error(origin, s, b, "unexpected character '" + shown + "'");
      }
      i += len;
      push(k, b, i);
    }
  }
  push(Tok::End, s.size(), s.size());
  return out;
}

}  // namespace nudge::expr
