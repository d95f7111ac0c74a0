// AtomicFile: write a file so that readers see either the old file or the
// complete new one, never a half-written one.
//
// Bytes go to a temporary file beside the target ("<target>.tmp-<pid>-<n>");
// commit() flushes, fsyncs, closes and renames it over the target, then
// fsyncs the directory. If commit() is never reached (an exception, a failed
// import), the destructor deletes the temporary file: nothing is left behind.
// SIGINT and SIGTERM delete the live temporary files of the process before it
// ends (a handler installed on first use; a signal the process ignored stays
// ignored), and each new AtomicFile deletes the temporary files of its target
// left by processes that no longer exist (kill -9, a crash).
//
// Targets that are not regular files are never replaced by one:
//   - a symlink is followed: the file it points to is replaced, the link stays;
//   - a device node or FIFO (/dev/null, a named pipe) is written through,
//     directly, without a temporary file (and commit() does no fsync, rename);
//   - "-" is standard output, written through;
//   - a directory or a socket is refused: Error(InvalidInput).
// Written-through output cannot be atomic: a failure leaves what was written.
//
// Errors: every failing system call throws nudge::Error(Io) naming the path
// and strerror(errno).
// Thread-safety: one AtomicFile per thread; distinct targets are independent.
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string_view>

namespace nudge {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t bytes);
  void write(std::string_view s) { write(s.data(), s.size()); }
  // Pads with zero bytes up to the next multiple of `alignment`; returns the new offset.
  std::size_t pad_to(std::size_t alignment);
  std::size_t offset() const noexcept { return offset_; }
  // Hands what was written so far to the kernel and starts its write-back to
  // the disk without waiting (sync_file_range), so that commit()'s fsync has
  // less left to wait for: call it between large writes (a no-op when written
  // through). Errors: Error(Io) when the flush fails.
  void start_writeback();
  // Buffered stdio handle for formatted output (fprintf); counts are not tracked through it.
  std::FILE* stream() noexcept { return file_; }

  void commit();

  // The file finally written (a symlink's destination); temp_path() is empty when written through.
  const std::filesystem::path& target() const noexcept { return target_; }
  const std::filesystem::path& temp_path() const noexcept { return temp_; }

 private:
  std::filesystem::path target_, temp_;
  std::FILE* file_ = nullptr;
  std::size_t offset_ = 0;
  bool committed_ = false;
  bool through_ = false;  // writing the target itself (device, FIFO, stdout)
  int slot_ = -1;         // in the signal handler's table of temp files
};

// The whole of `bytes` written to `target` through an AtomicFile and
// committed: a one-shot text output (a JSON or HTML report). Errors as AtomicFile.
void write_file_atomically(const std::filesystem::path& target, std::string_view bytes);

}  // namespace nudge
