// Decision files: the ranked decisions of a sweep as CSV or JSON Lines.
//
// Columns / keys, one row per decision in rank order:
//   rank          1-based position in the ranking (decision.h)
//   customer_id   the member
//   action        action name
//   channel       channel name
//   message_type  message type name
//   priority      the priority the ranking used
//   cost          points the contact costs (base cost * channel factor)
//   budget_left   points left in the member's basket after this decision
//   churn         the member's churn score (empty / null without a model)
//   trigger       the action's trigger expression as written in the campaign,
//                 cut at kTriggerColumnChars (200) characters: a longer trigger
//                 (a large `customer_id IN (...)` audience list) keeps its first
//                 200 characters followed by "… (+N characters; see action
//                 'NAME' in the campaign)", so a row's size never grows with the
//                 trigger (trigger_column_text below). Triggers of up to 200
//                 characters are written exactly as in the campaign.
//   brand         the action's brand (empty / null when none)
//   control       true: the member is held out (control group; sweep.h):
//                 decided but not to be sent; false otherwise
// Numbers are written in the shortest form that reads back to the same double
// (fmt's "{}"), so files compare exactly. CSV follows RFC 4180 (a header row,
// fields with a comma, quote or newline are quoted, quotes doubled, LF line
// ends); JSON Lines has one object per line with the keys in the order above.
//
// The caller owns the stream; the CLI writes through io/file/atomic_file.h so a
// reader never sees half a file.
// Errors: throws Error(Io) when a write to `out` fails.
// Thread-safety: one writer per stream.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "engine/decide/campaign.h"
#include "engine/decide/decision.h"

namespace nudge::decide {

enum class OutputFormat { Csv, JsonLines };

// Parses "csv" or "jsonl"; throws Error(Usage) otherwise.
OutputFormat parse_output_format(std::string_view s);

// Characters (UTF-8 code points) of a trigger written in full in the trigger
// column; a longer trigger is cut there and marked (see the column list above).
inline constexpr std::size_t kTriggerColumnChars = 200;

// The trigger column's text for the action `action_name` whose trigger is
// `trigger` (UTF-8): `trigger` itself when it has at most kTriggerColumnChars
// code points, else its first kTriggerColumnChars code points followed by
// "… (+N characters; see action 'NAME' in the campaign)", N being the code
// points left out. Never throws except std::bad_alloc.
std::string trigger_column_text(std::string_view action_name, std::string_view trigger);

void write_decisions(std::FILE* out, const Campaign& campaign, const std::vector<Decision>& ranked,
                     OutputFormat format);

}  // namespace nudge::decide
