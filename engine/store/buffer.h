// Buffer: a 64-byte-aligned, zero-padded block of column memory.
//
// A Buffer either owns memory from mimalloc (Buffer::allocate) or is a
// zero-copy view into memory someone else keeps alive, such as a snapshot's
// mmap (Buffer::wrap with a keep-alive handle). Copies share the same bytes.
//
// Padding rule (simdjson's padded_string idea): every column holds
// padded_rows(rows) values, i.e. rows rounded up to kRowPadding, and the
// padding values are zero. A kernel may therefore always load whole SIMD
// registers (up to 64 lanes of 1 byte) without testing for the end and
// without a scalar tail; it must mask results beyond `rows` itself.
//
// Thread-safety: concurrent reads are safe; writes need external
// synchronisation (population building is single-writer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace nudge {

inline constexpr std::size_t kAlignment = 64;   // bytes; a cache line and an AVX-512 register
inline constexpr std::size_t kRowPadding = 64;  // rows; the widest batch (64 x uint8 in AVX-512)

constexpr std::size_t padded_rows(std::size_t rows) noexcept {
  return (rows + kRowPadding - 1) / kRowPadding * kRowPadding;
}
constexpr std::size_t align_up(std::size_t n, std::size_t a = kAlignment) noexcept { return (n + a - 1) / a * a; }

class Buffer {
 public:
  Buffer() = default;

  // Owned, zero-filled, 64-byte aligned memory of `bytes` bytes (rounded up to
  // a multiple of 64). Throws std::bad_alloc when memory runs out.
  static Buffer allocate(std::size_t bytes);

  // A view of `bytes` bytes at `data`, which must be 64-byte aligned (throws
  // nudge::Error Internal otherwise); `keep_alive` holds the memory's owner.
  static Buffer wrap(const void* data, std::size_t bytes, std::shared_ptr<const void> keep_alive);

  const std::byte* data() const noexcept { return data_; }
  // Writable pointer; only valid for owned buffers (throws Internal on a view).
  std::byte* mutable_data();
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  bool owned() const noexcept { return owned_; }

  template <class T>
  const T* as() const noexcept {
    return reinterpret_cast<const T*>(data_);
  }
  template <class T>
  T* mutable_as() {
    return reinterpret_cast<T*>(mutable_data());
  }

 private:
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  bool owned_ = false;
  std::shared_ptr<const void> owner_;
};

}  // namespace nudge
