#include "io/file/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "engine/base/error.h"

namespace nudge {
namespace {
[[noreturn]] void fail(const std::string& what, const std::filesystem::path& p) {
  throw_io("cannot " + what + " '" + p.string() + "': " + std::strerror(errno));
}
}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  static std::atomic<unsigned> counter{0};
  temp_ = target_;
  temp_ += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_) fail("create", temp_);
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!committed_) ::unlink(temp_.c_str());
}

void AtomicFile::write(const void* data, std::size_t bytes) {
  if (bytes && std::fwrite(data, 1, bytes, file_) != bytes) fail("write", temp_);
  offset_ += bytes;
}

std::size_t AtomicFile::pad_to(std::size_t alignment) {
  static const char zeros[4096] = {};
  std::size_t pad = (alignment - offset_ % alignment) % alignment;
  while (pad) {
    std::size_t n = pad < sizeof zeros ? pad : sizeof zeros;
    write(zeros, n);
    pad -= n;
  }
  return offset_;
}

void AtomicFile::commit() {
  if (std::fflush(file_) != 0) fail("write", temp_);
  if (::fsync(::fileno(file_)) != 0) fail("fsync", temp_);
  if (std::fclose(file_) != 0) {
    file_ = nullptr;
    fail("close", temp_);
  }
  file_ = nullptr;
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) fail("rename to", target_);
  committed_ = true;
  auto dir = target_.parent_path();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace nudge
