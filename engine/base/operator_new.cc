// The global operator new of programs that link nudge::engine: malloc, plus
// transparent huge page advice for blocks of 4 MB and more (huge_pages.h), so
// that large std::vectors (candidate stores, history columns, sort buffers)
// fault in 2 MB at a time. Allocation and failure behave as the standard
// library's: std::bad_alloc (or nullptr for the nothrow forms) when malloc
// fails; the standard library's operator delete (free) releases the blocks.
// Only the unaligned forms are replaced; over-aligned types keep the
// library's aligned operator new. Not replaced in sanitizer builds
// (NUDGE_SANITIZE, fuzzing): ASan's own operator new checks new/delete pairs.
#include <cstdlib>
#include <new>

#include "engine/base/huge_pages.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NUDGE_KEEP_LIBRARY_NEW 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NUDGE_KEEP_LIBRARY_NEW 1
#endif

#ifndef NUDGE_KEEP_LIBRARY_NEW
namespace {

void* allocate(std::size_t n) noexcept {
  void* p = std::malloc(n ? n : 1);
  if (p && n >= nudge::kHugePageAdviceBytes) nudge::advise_huge_pages(p, n);
  return p;
}

void* allocate_or_throw(std::size_t n) {
  for (;;) {
    if (void* p = allocate(n)) return p;
    std::new_handler h = std::get_new_handler();
    if (!h) throw std::bad_alloc();
    h();
  }
}

}  // namespace

void* operator new(std::size_t n) { return allocate_or_throw(n); }
void* operator new[](std::size_t n) { return allocate_or_throw(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#endif  // NUDGE_KEEP_LIBRARY_NEW
