// Transparent huge pages for large allocations.
//
// On Linux with transparent huge pages in "madvise" mode (the Debian
// default), a fresh anonymous page costs one page fault per 4 KB unless the
// range is advised MADV_HUGEPAGE, then one per 2 MB. On the virtual machines
// nudge is benchmarked on a fault costs several microseconds, so filling
// 120 MB of fresh memory took 440-900 ms with 4 KB pages and about 20 ms with
// huge pages (bench/README.md, "Fresh memory"). Large columns, candidate
// stores and history segments are written once into fresh memory, so nudge
// advises every allocation of at least kHugePageAdviceBytes:
//   - Buffer::allocate (engine/store/buffer.h) calls advise_huge_pages;
//   - the global operator new (engine/base/operator_new.cc, replaced for the
//     programs linking nudge::engine) does the same for std::vector & co.
// Only the 2 MB-aligned interior of the range is advised; memory already
// faulted in is not moved. Where THP is off ("never") or madvise fails, this
// does nothing (errors are ignored: advice, not a requirement).
// Thread-safety: may be called from any thread.
#pragma once

#include <cstddef>

namespace nudge {

inline constexpr std::size_t kHugePageAdviceBytes = std::size_t{4} << 20;  // 4 MB

// madvise(MADV_HUGEPAGE) on the 2 MB-aligned pages inside [p, p + bytes),
// when bytes >= kHugePageAdviceBytes. Never throws.
void advise_huge_pages(void* p, std::size_t bytes) noexcept;

}  // namespace nudge
