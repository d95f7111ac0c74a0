// The message of the nudge::Error a piece of code throws, for tests that
// assert on error texts.
//
//   EXPECT_EQ(thrown_message([] { parse_import_schema("x = 1", "s.toml"); }).value_or(""),
//             "s.toml:1:1: unknown key 'x' in the import schema (allowed: as_of, id_column, column)");
//
// nullopt when `f` throws nothing. When `kind` is given, an Error of another
// kind fails the current test (EXPECT_EQ). Other exceptions propagate.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>

#include "engine/base/error.h"

namespace nudge::test {

inline std::optional<std::string> thrown_message(const std::function<void()>& f,
                                                 std::optional<ErrorKind> kind = ErrorKind::InvalidInput) {
  try {
    f();
  } catch (const Error& e) {
    if (kind) {
      EXPECT_EQ(e.kind(), *kind) << e.what();
    }
    return e.what();
  }
  return std::nullopt;
}

}  // namespace nudge::test
