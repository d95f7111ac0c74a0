// ContactOrder: the contacts of an EventTable in the order build() needs,
// (customer_id, sent_on, action code), ties in input order. Internal to
// engine/history (history_builder.cc).
//
// Method: each contact becomes one fixed-size item, its sort key packed into
// as few bits as the input needs (customer_id - min, sent_on - min, action
// code: one 64-bit word when the three ranges fit, else two), plus its input
// position and profile; a stable LSD radix sort of 8-bit digits then visits
// only the digits in which some key differs (a day of decisions: ~4 passes).
// Passes run over chunks in parallel (oneTBB): per-chunk histograms, then
// each chunk scatters from its own offsets, so equal keys keep input order.
// The order equals std::sort by (customer_id, sent_on, action, position)
// (tests/history_sort_test.cc checks it against that reference).
//
// Shapes: size() == rc.size(); i in [0, size()); index(i) is a position in
// rc; profile(i) == rc[index(i)].profile.
// Errors: none (callers check the 2^32 - 1 contact limit first); std::bad_alloc.
// Thread-safety: built on one thread (oneTBB inside), then read-only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "engine/base/huge_alloc.h"
#include "engine/history/event_table.h"

namespace nudge::history {

// One item of the radix sort: key words (key[0] least significant) and payloads.
template <int W>
struct SortItem {
  uint64_t key[W];
  uint32_t index;    // input position
  uint32_t profile;  // payload
};

// Stable sort of a[0, n) ascending by (key[W-1], ..., key[0]); `tmp` holds n
// items of scratch. Returns a or tmp, whichever holds the result. Chunks of
// at least `chunk_rows` items are sorted in parallel (small: for tests).
template <int W>
SortItem<W>* radix_sort(SortItem<W>* a, SortItem<W>* tmp, std::size_t n, std::size_t chunk_rows = std::size_t{1} << 16);

class ContactOrder {
 public:
  // `action[p]` is the action code of profile p (codes >= 0, in name order).
  ContactOrder(std::span<const RawContact> rc, std::span<const int32_t> action,
               std::size_t chunk_rows = std::size_t{1} << 16);

  std::size_t size() const noexcept { return n_; }
  uint64_t customer_id(std::size_t i) const noexcept {
    return min_id_ + (wide_ ? w_[i].key[1] : n_items_[i].key[0] >> id_shift_);
  }
  int32_t sent_on(std::size_t i) const noexcept {
    return static_cast<int32_t>(min_day_ + static_cast<int64_t>((low(i) >> action_bits_) & day_mask_));
  }
  int32_t action(std::size_t i) const noexcept { return static_cast<int32_t>(low(i) & action_mask_); }
  uint32_t index(std::size_t i) const noexcept { return wide_ ? w_[i].index : n_items_[i].index; }
  uint32_t profile(std::size_t i) const noexcept { return wide_ ? w_[i].profile : n_items_[i].profile; }
  // Whether item i (> 0) has the (customer_id, sent_on, action) of item i - 1.
  bool same_triple(std::size_t i) const noexcept {
    return wide_ ? w_[i].key[0] == w_[i - 1].key[0] && w_[i].key[1] == w_[i - 1].key[1]
                 : n_items_[i].key[0] == n_items_[i - 1].key[0];
  }
  // The batch of every contact when all have the same one.
  std::optional<uint32_t> common_batch() const noexcept { return common_batch_; }

 private:
  uint64_t low(std::size_t i) const noexcept { return wide_ ? w_[i].key[0] : n_items_[i].key[0]; }

  std::size_t n_ = 0;
  bool wide_ = false;
  uint64_t min_id_ = 0;
  int64_t min_day_ = 0;
  unsigned action_bits_ = 0, id_shift_ = 0;
  uint64_t day_mask_ = 0, action_mask_ = 0;
  std::optional<uint32_t> common_batch_;
  HugeVector<SortItem<1>> narrow_, narrow_tmp_;
  HugeVector<SortItem<2>> wide_items_, wide_tmp_;
  const SortItem<1>* n_items_ = nullptr;  // the sorted narrow items
  const SortItem<2>* w_ = nullptr;        // the sorted wide items
};

}  // namespace nudge::history
