// ContactOrder: packed keys and a parallel, stable LSD radix sort (contact_sort.h).
#include "engine/history/contact_sort.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <type_traits>
#include <vector>

namespace nudge::history {
namespace {

unsigned bits_of(uint64_t x) noexcept { return x == 0 ? 0 : 64u - static_cast<unsigned>(std::countl_zero(x)); }
uint64_t mask_of(unsigned bits) noexcept { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

std::size_t chunk_count(std::size_t n, std::size_t chunk_rows) {
  const std::size_t by_size = std::max<std::size_t>(1, n / std::max<std::size_t>(1, chunk_rows));
  const auto threads = static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
  return std::min(by_size, threads * 4);
}

}  // namespace

template <int W>
SortItem<W>* radix_sort(SortItem<W>* a, SortItem<W>* tmp, std::size_t n, std::size_t chunk_rows) {
  if (n < 2) return a;
  // Digits in which some key differs from the first: the only ones to sort by.
  struct Diff {
    uint64_t d[W] = {};
  };
  const Diff diff = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, n, 1 << 16), Diff{},
      [&](const tbb::blocked_range<std::size_t>& r, Diff acc) {
        for (std::size_t i = r.begin(); i != r.end(); ++i)
          for (int w = 0; w < W; ++w) acc.d[w] |= a[i].key[w] ^ a[0].key[w];
        return acc;
      },
      [](Diff x, const Diff& y) {
        for (int w = 0; w < W; ++w) x.d[w] |= y.d[w];
        return x;
      });
  const std::size_t chunks = chunk_count(n, chunk_rows);
  auto first = [&](std::size_t c) { return c * n / chunks; };
  std::vector<std::array<std::size_t, 256>> count(chunks);
  for (int w = 0; w < W; ++w) {
    for (unsigned shift = 0; shift < 64; shift += 8) {
      if (((diff.d[w] >> shift) & 0xff) == 0) continue;
      tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
        std::array<std::size_t, 256>& k = count[c];
        k.fill(0);
        for (std::size_t i = first(c), e = first(c + 1); i != e; ++i) ++k[(a[i].key[w] >> shift) & 0xff];
      });
      std::size_t at = 0;  // chunk c's items of digit d go after every smaller digit and earlier chunk
      for (std::size_t d = 0; d < 256; ++d)
        for (std::size_t c = 0; c < chunks; ++c) {
          const std::size_t k = count[c][d];
          count[c][d] = at;
          at += k;
        }
      tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
        std::array<std::size_t, 256>& k = count[c];
        for (std::size_t i = first(c), e = first(c + 1); i != e; ++i) tmp[k[(a[i].key[w] >> shift) & 0xff]++] = a[i];
      });
      std::swap(a, tmp);
    }
  }
  return a;
}

template SortItem<1>* radix_sort(SortItem<1>*, SortItem<1>*, std::size_t, std::size_t);
template SortItem<2>* radix_sort(SortItem<2>*, SortItem<2>*, std::size_t, std::size_t);

ContactOrder::ContactOrder(std::span<const RawContact> rc, std::span<const int32_t> action, std::size_t chunk_rows)
    : n_(rc.size()) {
  if (n_ == 0) return;
  struct Range {
    uint64_t min_id = std::numeric_limits<uint64_t>::max(), max_id = 0;
    int64_t min_day = std::numeric_limits<int64_t>::max(), max_day = std::numeric_limits<int64_t>::min();
    int32_t max_action = 0;
    uint32_t min_batch = std::numeric_limits<uint32_t>::max(), max_batch = 0;
  };
  auto join = [](Range x, const Range& y) {
    x.min_id = std::min(x.min_id, y.min_id);
    x.max_id = std::max(x.max_id, y.max_id);
    x.min_day = std::min(x.min_day, y.min_day);
    x.max_day = std::max(x.max_day, y.max_day);
    x.max_action = std::max(x.max_action, y.max_action);
    x.min_batch = std::min(x.min_batch, y.min_batch);
    x.max_batch = std::max(x.max_batch, y.max_batch);
    return x;
  };
  const Range r = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, n_, 1 << 16), Range{},
      [&](const tbb::blocked_range<std::size_t>& b, Range acc) {
        for (std::size_t i = b.begin(); i != b.end(); ++i) {
          const RawContact& c = rc[i];
          acc.min_id = std::min(acc.min_id, c.customer_id);
          acc.max_id = std::max(acc.max_id, c.customer_id);
          acc.min_day = std::min<int64_t>(acc.min_day, c.sent_on);
          acc.max_day = std::max<int64_t>(acc.max_day, c.sent_on);
          acc.max_action = std::max(acc.max_action, action[c.profile]);
          acc.min_batch = std::min(acc.min_batch, c.batch);
          acc.max_batch = std::max(acc.max_batch, c.batch);
        }
        return acc;
      },
      join);
  if (r.min_batch == r.max_batch) common_batch_ = r.min_batch;
  min_id_ = r.min_id;
  min_day_ = r.min_day;
  const unsigned id_bits = bits_of(r.max_id - r.min_id);
  const unsigned day_bits = bits_of(static_cast<uint64_t>(r.max_day - r.min_day));  // <= 32
  action_bits_ = bits_of(static_cast<uint64_t>(r.max_action));                      // <= 31
  day_mask_ = mask_of(day_bits);
  action_mask_ = mask_of(action_bits_);
  id_shift_ = day_bits + action_bits_;  // <= 63
  wide_ = id_bits + id_shift_ > 64;
  // The low word: (sent_on - min) then the action code; the id above it (narrow) or in key[1] (wide).
  auto low_word = [&](const RawContact& c) {
    return (static_cast<uint64_t>(int64_t{c.sent_on} - min_day_) << action_bits_) |
           static_cast<uint64_t>(action[c.profile]);
  };
  auto fill = [&](auto& items, auto& tmp, auto make) {
    items.resize(n_);
    tmp.resize(n_);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_, 1 << 16), [&](const auto& b) {
      for (std::size_t i = b.begin(); i != b.end(); ++i) items[i] = make(rc[i], static_cast<uint32_t>(i));
    });
    if (radix_sort(items.data(), tmp.data(), n_, chunk_rows) != items.data()) items.swap(tmp);
    std::remove_reference_t<decltype(tmp)>().swap(tmp);  // the scratch half is free again
    return items.data();
  };
  if (wide_) {
    w_ = fill(wide_items_, wide_tmp_, [&](const RawContact& c, uint32_t i) {
      return SortItem<2>{{low_word(c), c.customer_id - min_id_}, i, c.profile};
    });
  } else {
    n_items_ = fill(narrow_, narrow_tmp_, [&](const RawContact& c, uint32_t i) {
      return SortItem<1>{{((c.customer_id - min_id_) << id_shift_) | low_word(c)}, i, c.profile};
    });
  }
}

}  // namespace nudge::history
