// Duplicate detection for the customer id column of an import.
//
// find_duplicate_id returns the first row (in row order) whose id already
// occurred in an earlier row, with that earlier row, or nullopt when all ids
// are unique. Method: when the ids span a range no wider than 64 bits per
// row (or 512 Mbit), one bit per possible id, set with atomic fetch_or in
// parallel (O(n)); otherwise a parallel sort of a copy. Either only answers
// "is there a duplicate"; the reported pair then comes from a serial scan
// with a hash set (only on the error path), so it does not depend on the
// thread count.
//
// Thread-safety: reads `ids` only; uses oneTBB when `parallel`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

namespace nudge::csv {

struct DuplicateId {
  std::size_t first_row = 0;   // earlier occurrence
  std::size_t second_row = 0;  // the row that repeats it
  uint64_t id = 0;
};

std::optional<DuplicateId> find_duplicate_id(const uint64_t* ids, std::size_t rows, bool parallel);

}  // namespace nudge::csv
