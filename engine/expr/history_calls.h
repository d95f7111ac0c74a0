// History aggregates in expressions: `contacts(last 30 days, channel = 'call')`.
//
// Triggers, suppression conditions and priorities may read per-member
// aggregates of the contact and response history (issue 10; the language is
// documented in engine/expr/README.md, "History aggregates"):
//
//   contacts(window [, filter ...])              integer: contacts sent in the window
//   points(window [, filter ...])                double:  their summed cost (points)
//   days_since_contact([filter ...])             integer: as_of - sent_on of the newest
//                                                         matching contact; NULL if none
//   responses(window [, filter ...])             integer: responses dated in the window
//   answered(window [, filter ...], within = N)  integer: contacts sent in the window
//                                                         answered within N days
//   window := last N days|weeks|months | days|weeks|months A to B ago
//   filter := field = 'value' | field IN ('a', 'b', ...)     (within = N: an integer)
//   field  := channel | message_type | action | brand | campaign | type (responses, answered)
//
// The expression compiler does not read the history. A call is parsed here
// into a HistoryCall, which has a canonical text (key()); the binder binds it
// to the population column named history_column_name(call), which the caller
// (engine/policy/history_policy.h) adds to the population it compiles
// against and fills batch by batch during the sweep's one pass. Without that
// column the call is an error ("... reads the contact history: give the
// sweep --history HIST"). collect_history_calls() finds the calls of a set of
// expressions before compiling, so the caller knows which columns to add.
//
// Dates: as_of is D (days since 1970-01-01). Window ranges (inclusive):
//   days A to B ago:   D-B+1 .. D-A+1   (`last N days` = D-N < day <= D: includes D)
//   weeks A to B ago:  D-7B+1 .. D-7A+7 (rolling 7-day weeks ending on D, like series buckets)
//   months A to B ago: the first day of the calendar month B-1 months before D's
//                      month .. the last day of the month A-1 months before it
//                      (`last 1 month` = this calendar month up to D)
// Events dated after D never count, whatever the window.
//
// Errors: parse_history_call reports through `fail(offset, message)` (which
// must not return): a missing or misplaced window, unknown filter fields, a
// filter that is not `field = 'text'` / `field IN ('text', ...)`, a field the
// aggregate has no use for (type outside responses/answered), within missing
// or not a positive integer.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expr/binder.h"
#include "engine/expr/parse_tree.h"
#include "engine/expr/program.h"

namespace nudge::expr {

enum class HistoryAggregate : uint8_t { Contacts, Points, DaysSinceContact, Responses, Answered };

struct HistoryWindow {
  enum class Unit : uint8_t { Days, Weeks, Months };
  Unit unit = Unit::Days;
  int64_t from = 1, to = 1;  // buckets A..B ago, 1-based, A <= B
  // The inclusive day range [first, last] of the window at as_of (days since 1970-01-01).
  void range(int32_t as_of, int32_t& first, int32_t& last) const noexcept;
};

// One filter: `field` (lower case) is one of `values`.
struct HistoryFilter {
  std::string field;
  std::vector<std::string> values;  // sorted, distinct
};

struct HistoryCall {
  HistoryAggregate kind = HistoryAggregate::Contacts;
  std::optional<HistoryWindow> window;  // all but DaysSinceContact
  std::vector<HistoryFilter> filters;   // sorted by field, one per field
  int64_t within = 0;                   // Answered: days between sent_on and responded_on, >= 0

  const HistoryFilter* filter(std::string_view field) const noexcept;
  // Canonical text, equal for equal calls: "contacts(days 1 to 30 ago, channel IN ('call'))".
  std::string key() const;
};

// True for the lower-case names of the history aggregates.
bool is_history_function(std::string_view lower_name) noexcept;

// The population column a call is bound to: "@history " + key().
std::string history_column_name(const HistoryCall& c);

// Reads one call (a PKind::Call node whose name is a history aggregate).
HistoryCall parse_history_call(const ParsedExpr& call,
                               const std::function<void(std::size_t offset, const std::string& message)>& fail);

// Every history call in the expressions, distinct by key(). Calls that do not
// parse are left out: compiling the expressions reports them.
std::vector<HistoryCall> collect_history_calls(const std::vector<Source>& sources);

// The binder's FunctionDef::bind for every aggregate (engine/expr/functions.cc):
// the population column named history_column_name(call), as an integer
// (Int64 column) or double (Float64, points) operand.
BoundPtr bind_history_call(Binder& b, const ParsedExpr& call);

}  // namespace nudge::expr
