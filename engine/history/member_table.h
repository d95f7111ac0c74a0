// MemberTable: a member-indexed table of fixed-size records, the per-sweep
// summary of the history that the sweep's batches gather from.
//
// Population rows reach the history's members in random order (population
// ids are shuffled, the history is sorted by customer_id), so reading each
// row's events costs several dependent cache and TLB misses. Instead a
// pre-pass walks the history in member order (streaming, parallel over member
// ranges) and writes each member's compact result into row m of a
// MemberTable; a batch then reads one small record per row, with software
// prefetch (engine/policy/history_policy.h, engine/dialogue/dialogue_pass.h).
//
//   auto pool = std::make_shared<nudge::history::TablePool>();
//   nudge::history::MemberTable t = nudge::history::MemberTable::take(pool, members, words_per_member);
//   t.row(m)[0] = ...;   // uint64 words, any encoding the owner chooses
//
// Shape: members() x words() uint64 words, row-major, the first row 2 MiB
// aligned (transparent huge pages advised, engine/base/huge_pages.h: fewer
// faults and fewer TLB misses for the random reads). Contents are uninitialised until the pre-pass writes them.
// Buffers come from a TablePool and go back to it when the table dies, so a
// sweep after the first reuses the pages (no page faults in the timed pass).
// Errors: std::bad_alloc. Thread-safety: a TablePool may be used by several
// threads at once (a mutex); a MemberTable's distinct rows may be written
// concurrently, and read concurrently once written.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "engine/base/huge_pages.h"

namespace nudge::history {

class TablePool {
 public:
  TablePool() = default;
  TablePool(const TablePool&) = delete;
  TablePool& operator=(const TablePool&) = delete;
  ~TablePool() {
    for (const Block& b : free_) std::free(b.p);
  }

  struct Block {
    uint64_t* p = nullptr;
    std::size_t words = 0;
  };
  // A block of at least `words` words (a recycled one when it fits).
  Block take(std::size_t words) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (std::size_t i = 0; i < free_.size(); ++i)
        if (free_[i].words >= words) {
          const Block b = free_[i];
          free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(i));
          return b;
        }
    }
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    const std::size_t bytes = (std::max<std::size_t>(words, 1) * 8 + kHuge - 1) / kHuge * kHuge;
    void* p = std::aligned_alloc(kHuge, bytes);
    if (!p) throw std::bad_alloc();
    advise_huge_pages(p, bytes);
    return {static_cast<uint64_t*>(p), bytes / 8};
  }
  void give_back(Block b) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(b);
  }

 private:
  std::mutex mu_;
  std::vector<Block> free_;
};

class MemberTable {
 public:
  MemberTable() = default;
  static MemberTable take(const std::shared_ptr<TablePool>& pool, std::size_t members, std::size_t words) {
    MemberTable t;
    t.members_ = members, t.words_ = words;
    const TablePool::Block b = pool->take(members * words);
    t.data_ = std::shared_ptr<uint64_t>(b.p, [pool, b](uint64_t*) { pool->give_back(b); });
    return t;
  }
  std::size_t members() const noexcept { return members_; }
  std::size_t words() const noexcept { return words_; }
  uint64_t* row(std::size_t m) noexcept { return data_.get() + m * words_; }
  const uint64_t* row(std::size_t m) const noexcept { return data_.get() + m * words_; }

 private:
  std::shared_ptr<uint64_t> data_;
  std::size_t members_ = 0, words_ = 0;
};

}  // namespace nudge::history
