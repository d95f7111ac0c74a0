#include "engine/store/buffer.h"

#include <mimalloc.h>

#include <cstring>
#include <new>

#include "engine/base/error.h"
#include "engine/base/huge_pages.h"

namespace nudge {

Buffer Buffer::allocate(std::size_t bytes) {
  Buffer b;
  const std::size_t n = align_up(bytes == 0 ? kAlignment : bytes);
  // Advise huge pages before the first touch (engine/base/huge_pages.h), then zero.
  void* p = mi_malloc_aligned(n, kAlignment);
  if (p == nullptr) throw std::bad_alloc();
  advise_huge_pages(p, n);
  std::memset(p, 0, n);
  b.data_ = static_cast<std::byte*>(p);
  b.size_ = bytes;
  b.owned_ = true;
  b.owner_ = std::shared_ptr<const void>(p, [](const void* q) { mi_free(const_cast<void*>(q)); });
  return b;
}

Buffer Buffer::wrap(const void* data, std::size_t bytes, std::shared_ptr<const void> keep_alive) {
  if (reinterpret_cast<std::uintptr_t>(data) % kAlignment != 0)
    throw_internal("Buffer::wrap: data not 64-byte aligned");
  Buffer b;
  b.data_ = static_cast<std::byte*>(const_cast<void*>(data));
  b.size_ = bytes;
  b.owned_ = false;
  b.owner_ = std::move(keep_alive);
  return b;
}

std::byte* Buffer::mutable_data() {
  if (!owned_) throw_internal("Buffer::mutable_data on a read-only view");
  return data_;
}

}  // namespace nudge
