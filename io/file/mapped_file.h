// MappedFile: a whole file mapped read-only into memory (POSIX mmap).
//
//   auto file = nudge::MappedFile::open("pop.snap");   // shared_ptr<const MappedFile>
//   std::span<const std::byte> bytes = file->bytes();
//
// The mapping lives as long as the last shared_ptr to it, so zero-copy views
// (nudge::Buffer::wrap) hold the shared_ptr as their keep-alive. The start of
// the mapping is page aligned (hence 64-byte aligned). An empty file maps to
// an empty span (no mapping is made).
//
// Files must not change while mapped: a file that another process truncates
// (or rewrites in place) makes reads past its new end fault with SIGBUS.
// nudge never does that itself (io/file/atomic_file.h renames a new file over
// the old one, and the mapping keeps seeing the complete old file), and
// neither must anything else: replace snapshots and input files atomically.
// When it happens anyway, a SIGBUS handler (installed on the first open)
// finds the mapping the fault hit, prints "nudge: error: '<path>' changed
// while nudge was reading it ..." and exits with status 1 (the process cannot
// continue: the data it was reading is gone). Faults outside mapped files go
// to the previous SIGBUS disposition. Up to 64 mappings at once are tracked
// (more map fine, without the message).
//
// Errors: open() throws nudge::Error(Io) naming the path and strerror(errno)
// when the file cannot be opened, stat'ed or mapped, and Error(InvalidInput)
// when it is not a regular file (a FIFO, directory, device or socket; a FIFO
// is never waited on).
// Thread-safety: immutable after open(); reads from any thread.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>

namespace nudge {

class MappedFile {
 public:
  static std::shared_ptr<const MappedFile> open(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  std::span<const std::byte> bytes() const noexcept { return {data_, size_}; }
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  MappedFile() = default;
  std::filesystem::path path_;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  int slot_ = -1;  // in the SIGBUS handler's table
};

}  // namespace nudge
