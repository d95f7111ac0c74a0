// HugeAllocator: a std::allocator for large, freshly filled arrays.
//
//   HugeVector<uint64_t> ids;
//   ids.resize(n);      // no zeroing: elements are default-initialised
//   for (...) ids[i] = ...;
//
// Two differences from std::allocator, both about fresh memory:
//   - blocks of kHugePageAdviceBytes (4 MiB) or more are mapped on their own
//     (mmap, 2 MiB aligned, so no 4 KiB-paged edges as malloc's blocks have)
//     and advised MADV_HUGEPAGE (engine/base/huge_pages.h): where transparent
//     huge pages are in madvise mode the first touch takes 512x fewer page
//     faults (in a virtual machine a 4 KiB fault can cost 10 us: 2.5 ms per
//     MiB). Only a hint; nothing changes when the kernel declines. Smaller
//     blocks come from malloc;
//   - construct() without arguments default-initialises, so resize(n) of a
//     trivial type writes nothing (vector<T, HugeAllocator<T>>::resize leaves
//     new elements indeterminate: write them all before reading). resize(n, v)
//     and assign(n, v) fill as usual.
// Errors: allocate throws std::bad_alloc when memory runs out.
// Thread-safety: stateless; as malloc and mmap.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>
#include <vector>

#include "engine/base/huge_pages.h"

namespace nudge {

template <class T>
class HugeAllocator {
 public:
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  static constexpr std::size_t kMinMapped = kHugePageAdviceBytes;

  HugeAllocator() noexcept = default;
  template <class U>
  HugeAllocator(const HugeAllocator<U>&) noexcept {}  // NOLINT: rebinding is implicit

  T* allocate(std::size_t n) {
    if (n > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kMinMapped) {
      void* p = std::malloc(bytes == 0 ? 1 : bytes);
      if (!p) throw std::bad_alloc();
      return static_cast<T*>(p);
    }
    const std::size_t len = round_up(bytes);
    // Map one huge page more, then unmap the unaligned head and tail.
    void* raw = ::mmap(nullptr, len + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    const auto begin = reinterpret_cast<std::uintptr_t>(raw);
    const std::uintptr_t aligned = (begin + kHugePage - 1) / kHugePage * kHugePage;
    if (aligned > begin) ::munmap(raw, aligned - begin);
    const std::uintptr_t tail = begin + len + kHugePage - (aligned + len);
    if (tail) ::munmap(reinterpret_cast<void*>(aligned + len), tail);
    advise_huge_pages(reinterpret_cast<void*>(aligned), len);
    return reinterpret_cast<T*>(aligned);
  }

  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kMinMapped) std::free(p);
    else ::munmap(p, round_up(bytes));
  }

  // Default-initialise (no zeroing) when no value is given.
  template <class U>
  void construct(U* p) noexcept(noexcept(::new (static_cast<void*>(p)) U)) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <class U>
  bool operator==(const HugeAllocator<U>&) const noexcept {
    return true;
  }

 private:
  static std::size_t round_up(std::size_t bytes) noexcept { return (bytes + kHugePage - 1) / kHugePage * kHugePage; }
};

template <class T>
using HugeVector = std::vector<T, HugeAllocator<T>>;

}  // namespace nudge
