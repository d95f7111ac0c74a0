// top_scores: the rows with the highest scores (`nudge score --top N`).
//
// Order: score descending; equal scores by customer id ascending (then row);
// a NaN score ranks below every number. Returns min(n, scores.size()) row
// indices. `ids` may be nullptr (ties then by row). O(rows log n), serial.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nudge::score {

std::vector<uint32_t> top_scores(const std::vector<double>& scores, const uint64_t* ids, std::size_t n);

}  // namespace nudge::score
