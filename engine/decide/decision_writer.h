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
//   trigger       the action's trigger expression as written in the campaign
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

#include <cstdio>
#include <string_view>
#include <vector>

#include "engine/decide/campaign.h"
#include "engine/decide/decision.h"

namespace nudge::decide {

enum class OutputFormat { Csv, JsonLines };

// Parses "csv" or "jsonl"; throws Error(Usage) otherwise.
OutputFormat parse_output_format(std::string_view s);

void write_decisions(std::FILE* out, const Campaign& campaign, const std::vector<Decision>& ranked,
                     OutputFormat format);

}  // namespace nudge::decide
