// Test helpers for histories: column-by-column equality with a readable
// first difference, and a small RS-2-shaped record set.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <span>
#include <string>

#include "engine/history/history.h"

namespace nudge::test {

template <class T>
inline ::testing::AssertionResult spans_equal(const char* what, std::span<const T> a, std::span<const T> b) {
  if (a.size() != b.size())
    return ::testing::AssertionFailure() << what << ": sizes " << a.size() << " vs " << b.size();
  for (std::size_t i = 0; i < a.size(); ++i) {
    const bool same = [&] {
      if constexpr (std::is_floating_point_v<T>) return (std::isnan(a[i]) && std::isnan(b[i])) || a[i] == b[i];
      return a[i] == b[i];
    }();
    if (!same) return ::testing::AssertionFailure() << what << "[" << i << "]: " << a[i] << " vs " << b[i];
  }
  return ::testing::AssertionSuccess();
}

// Every column, dictionary, profile and skipped response equal.
inline ::testing::AssertionResult histories_equal(const history::History& a, const history::History& b) {
  ::testing::AssertionResult r = ::testing::AssertionSuccess();
#define NUDGE_CMP(f) \
  if (!(r = spans_equal(#f, a.f(), b.f()))) return r;
  NUDGE_CMP(customer_ids)
  NUDGE_CMP(contact_offsets)
  NUDGE_CMP(response_offsets)
  NUDGE_CMP(sent_on)
  NUDGE_CMP(contact_profile)
  NUDGE_CMP(contact_batch)
  NUDGE_CMP(response_contact)
  NUDGE_CMP(responded_on)
  NUDGE_CMP(response_type)
  NUDGE_CMP(response_value)
#undef NUDGE_CMP
  if (!(a.profiles() == b.profiles())) return ::testing::AssertionFailure() << "profiles differ";
  if (a.actions().names() != b.actions().names()) return ::testing::AssertionFailure() << "actions differ";
  if (a.channels().names() != b.channels().names()) return ::testing::AssertionFailure() << "channels differ";
  if (a.message_types().names() != b.message_types().names())
    return ::testing::AssertionFailure() << "message types differ";
  if (a.campaigns().names() != b.campaigns().names()) return ::testing::AssertionFailure() << "campaigns differ";
  if (a.brands().names() != b.brands().names()) return ::testing::AssertionFailure() << "brands differ";
  if (a.dialogues().names() != b.dialogues().names()) return ::testing::AssertionFailure() << "dialogues differ";
  if (a.response_types().names() != b.response_types().names())
    return ::testing::AssertionFailure() << "response types differ";
  if (a.skipped().size() != b.skipped().size())
    return ::testing::AssertionFailure() << "skipped: " << a.skipped().size() << " vs " << b.skipped().size();
  for (std::size_t i = 0; i < a.skipped().size(); ++i) {
    const auto &x = a.skipped()[i], &y = b.skipped()[i];
    const bool same = x.customer_id == y.customer_id && x.action == y.action && x.sent_on == y.sent_on &&
                      x.responded_on == y.responded_on && x.type == y.type && x.reason == y.reason &&
                      ((std::isnan(x.value) && std::isnan(y.value)) || x.value == y.value);
    if (!same) return ::testing::AssertionFailure() << "skipped[" << i << "] differs";
  }
  return r;
}

}  // namespace nudge::test
