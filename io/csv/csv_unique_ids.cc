#include "io/csv/csv_unique_ids.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <unordered_map>
#include <vector>

namespace nudge::csv {
namespace {

template <class Fn>
void for_range(std::size_t n, bool parallel, Fn fn) {
  if (!parallel) {
    fn(0, n);
    return;
  }
  // 64K ids per task: large enough that task overhead vanishes, small enough to balance 2-16 cores.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1 << 16),
                    [&](const tbb::blocked_range<std::size_t>& r) { fn(r.begin(), r.end()); });
}

bool any_duplicate(const uint64_t* ids, std::size_t n, bool parallel) {
  using MinMax = std::pair<uint64_t, uint64_t>;
  auto span = [&](std::size_t lo, std::size_t hi, MinMax acc) {
    for (std::size_t i = lo; i < hi; ++i) acc = {std::min(acc.first, ids[i]), std::max(acc.second, ids[i])};
    return acc;
  };
  const MinMax init{UINT64_MAX, 0};
  MinMax mm = parallel
                  ? tbb::parallel_reduce(
                        tbb::blocked_range<std::size_t>(0, n), init,
                        [&](const tbb::blocked_range<std::size_t>& r, MinMax a) { return span(r.begin(), r.end(), a); },
                        [](MinMax a, MinMax b) {
                          return MinMax{std::min(a.first, b.first), std::max(a.second, b.second)};
                        })
                  : span(0, n, init);
  const uint64_t range = mm.second - mm.first;  // ids span range + 1 values
  if (range < std::max<uint64_t>(uint64_t{64} * n, uint64_t{1} << 29)) {
    std::vector<uint64_t> bits(range / 64 + 1, 0);
    std::atomic<bool> dup{false};
    for_range(n, parallel, [&](std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) {
        const uint64_t off = ids[i] - mm.first;
        const uint64_t bit = uint64_t{1} << (off & 63);
        if (std::atomic_ref<uint64_t>(bits[off >> 6]).fetch_or(bit, std::memory_order_relaxed) & bit) {
          dup.store(true, std::memory_order_relaxed);
          return;
        }
      }
    });
    return dup.load();
  }
  std::vector<uint64_t> sorted(n);
  std::copy_n(ids, n, sorted.begin());
  if (parallel) tbb::parallel_sort(sorted.begin(), sorted.end());
  else std::sort(sorted.begin(), sorted.end());
  return std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end();
}

}  // namespace

std::optional<DuplicateId> find_duplicate_id(const uint64_t* ids, std::size_t rows, bool parallel) {
  if (rows < 2 || !any_duplicate(ids, rows, parallel)) return std::nullopt;
  std::unordered_map<uint64_t, std::size_t> first;
  first.reserve(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    auto [it, inserted] = first.emplace(ids[i], i);
    if (!inserted) return DuplicateId{it->second, i, ids[i]};
  }
  return std::nullopt;
}

}  // namespace nudge::csv
