// Transparent huge page advice for large allocations (huge_pages.h).
#include "engine/base/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>

namespace nudge {

void advise_huge_pages(void* p, std::size_t bytes) noexcept {
  if (!p || bytes < kHugePageAdviceBytes) return;
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t first = (a + kHuge - 1) & ~(kHuge - 1);
  const std::uintptr_t last = (a + bytes) & ~(kHuge - 1);
  if (last > first) (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace nudge
