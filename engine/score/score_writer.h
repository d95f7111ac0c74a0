// Score files: a model's scores as CSV `customer_id,score` (what `nudge
// score` writes).
//
// A header row, then one line per member, LF line ends; scores in the
// shortest text that reads back to the same double (fmt's "{}"), so files
// compare exactly. The rows are `order` (e.g. top_scores.h's ranking) or,
// when `order` is null, every row in population order.
//
// The caller owns the stream; the CLI writes through io/file/atomic_file.h so
// a reader never sees half a file.
// Errors: throws Error(Io) when a write to `out` fails.
// Thread-safety: one writer per stream.
#pragma once

#include <cstdint>
#include <cstdio>
#include <vector>

namespace nudge::score {

// ids[r] and scores[r]: the customer id and score of row r.
void write_scores(std::FILE* out, const uint64_t* ids, const std::vector<double>& scores,
                  const std::vector<uint32_t>* order);

}  // namespace nudge::score
