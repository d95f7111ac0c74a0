// UTF-8 validation for text that nudge writes where UTF-8 is required (TOML
// schemas, the JSON meta of history segments and the history MANIFEST).
//
//   if (auto bad = nudge::invalid_utf8(name); bad != std::string_view::npos) ...  // byte offset of the fault
//
// Rules (RFC 3629): no overlong forms, no surrogates (U+D800..U+DFFF), at
// most U+10FFFF, no truncated sequence at the end. NUL and other control
// characters are valid UTF-8 (callers that refuse them say so themselves).
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string_view>

namespace nudge {

// Byte offset of the first invalid UTF-8 sequence in `s`, or std::string_view::npos when all of s is valid.
std::size_t invalid_utf8(std::string_view s) noexcept;

}  // namespace nudge
