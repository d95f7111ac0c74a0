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
// Caveat: a mapped file that another process truncates while mapped makes
// reads past the new end fault (SIGBUS). nudge itself never rewrites a file
// in place (io/file/atomic_file.h renames a new file over the old one), so a
// mapping always sees the complete file it opened.
//
// Errors: open() throws nudge::Error(Io) naming the path and strerror(errno)
// when the file cannot be opened, stat'ed or mapped.
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
};

}  // namespace nudge
