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
// Per-sweep summary (prepare): a source may compute, once per sweep, a
// member-indexed summary from which fill() then gathers one small record per
// row (engine/policy/history_policy.h: a pre-pass over the history in member
// order). run_sweep calls prepare() at the sweep's start, inside the pass's
// wall time (SweepTimes::prepare_wall), in the caller's oneTBB arena, and
// hands the result to every fill() of that sweep; run_sweeps calls it once
// per source and hands it to every fill() of every campaign it sweeps with
// that source. A source without one
// returns null; fill() with prepared == null computes from scratch, and both
// ways give identical values. When the campaign has dialogues
// (engine/dialogue/dialogue_pass.h) the sweep calls prepare_with_dialogues()
// instead: a source that walks the same history in member order may compute
// the dialogues' summary in the same walk and the same record
// (PreparedInputs::dialogues(); HistoryPolicy does), else it returns
// prepare()'s result and the sweep calls BoundDialogues::prepare().
//
// Thread-safety: fill() is called concurrently for disjoint batches, each
// with the calling worker's own MemberInputs. prepare() may be called by
// several sweeps at once; each gets its own PreparedInputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nudge::dialogue {
class BoundDialogues;
struct PreparedDialogues;
}  // namespace nudge::dialogue

namespace nudge::decide {

struct MemberInputs {
  std::vector<double> basket_used;
  std::vector<int64_t> cap_counts;
  std::vector<uint64_t> revoked;
};

// What a source's prepare() computed for one sweep (opaque to the sweep).
class PreparedInputs {
 public:
  virtual ~PreparedInputs() = default;
  // The dialogue summary computed in the same pre-pass (prepare_with_dialogues), or null.
  virtual const dialogue::PreparedDialogues* dialogues() const { return nullptr; }
};

class MemberInputSource {
 public:
  virtual ~MemberInputSource() = default;
  virtual std::unique_ptr<PreparedInputs> prepare() const { return nullptr; }
  // prepare(), and the summary of the sweep's dialogues in the same pre-pass where the source
  // can (PreparedInputs::dialogues() then returns it; its owner is `dialogues`).
  virtual std::unique_ptr<PreparedInputs> prepare_with_dialogues(const dialogue::BoundDialogues& dialogues) const {
    (void)dialogues;
    return prepare();
  }
  // prepared: this sweep's prepare() result, or null.
  virtual void fill(std::size_t begin, std::size_t count, MemberInputs& out,
                    const PreparedInputs* prepared = nullptr) const = 0;
  // For `nudge explain`: the events behind each gate of the member on `row`
  // (several lines, each starting with two spaces).
  virtual std::string explain(std::size_t row) const = 0;
  // Who writes the columns the expressions read in fill() (history aggregates). Sources with equal
  // keys write the same values into the same columns for the same rows, so campaigns bound to one
  // population and swept with them may evaluate their common expressions once
  // (shared_expressions.h). Default: the source itself; engine/policy/history_policy.h: the
  // population it fills (shared by the two policies of `nudge diff --history`).
  virtual const void* columns_key() const noexcept { return this; }
};

}  // namespace nudge::decide
