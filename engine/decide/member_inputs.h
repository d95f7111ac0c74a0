// Member inputs that do not come from the population's columns: the policies a
// contact history decides (basket used, frequency-cap counts, revoked
// consent), handed to the sweep batch by batch (SweepOptions::inputs).
//
// The sweep calls fill(begin, count, out) for each batch of rows
// [begin, begin + count) BEFORE it evaluates the batch's expressions, so a
// source may also write columns the expressions read (history aggregates,
// engine/expr/history_calls.h) for exactly these rows. One walk over each
// member's events serves both (engine/policy/history_policy.h).
//
// Shapes (r = row - begin, W = kBatchRows / 64; a source sizes the vectors):
//   basket_used[r]                  points used in the basket's period (when the
//                                   campaign's basket is from the history)
//   cap_counts[j * kBatchRows + r]  contacts history cap j counts (caps from a
//                                   column: unused)
//   revoked[ch * W + r / 64]        bit r % 64: channel ch's consent is revoked
//
// Thread-safety: fill() is called concurrently for disjoint batches, each
// with the calling worker's own MemberInputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nudge::decide {

struct MemberInputs {
  std::vector<double> basket_used;
  std::vector<int64_t> cap_counts;
  std::vector<uint64_t> revoked;
};

class MemberInputSource {
 public:
  virtual ~MemberInputSource() = default;
  virtual void fill(std::size_t begin, std::size_t count, MemberInputs& out) const = 0;
  // For `nudge explain`: the events behind each gate of the member on `row`
  // (several lines, each starting with two spaces).
  virtual std::string explain(std::size_t row) const = 0;
};

}  // namespace nudge::decide
