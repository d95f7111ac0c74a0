#include "io/file/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>

#include "engine/base/error.h"

namespace nudge {
namespace {

// Mapped ranges for the SIGBUS handler: a fixed table the handler reads
// without locks (slots are published with release stores of `end`).
struct Slot {
  std::atomic<std::uintptr_t> begin{0}, end{0};
  char path[512] = {};
};
std::array<Slot, 64> g_slots;
std::mutex g_slots_mutex;  // writers only
struct sigaction g_previous {};

void write_all(const char* s, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(STDERR_FILENO, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<std::size_t>(w);
  }
}
void write_str(const char* s) { write_all(s, std::strlen(s)); }

// A read of a mapped page whose file was truncated (or rewritten in place)
// after it was mapped: report the file and exit 1. Async-signal-safe: only
// write(2) and _exit(2). Faults elsewhere go to the previous disposition.
void on_sigbus(int sig, siginfo_t* info, void* ctx) {
  const auto at = reinterpret_cast<std::uintptr_t>(info ? info->si_addr : nullptr);
  for (const Slot& s : g_slots) {
    const std::uintptr_t e = s.end.load(std::memory_order_acquire);
    if (e != 0 && at >= s.begin.load(std::memory_order_relaxed) && at < e) {
      write_str("nudge: error: '");
      write_str(s.path);
      write_str(
          "' changed while nudge was reading it (truncated or rewritten in place); replace snapshots and "
          "input files atomically (write a new file, then rename it over the old one)\n");
      ::_exit(1);
    }
  }
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction) return g_previous.sa_sigaction(sig, info, ctx);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN && g_previous.sa_handler) {
    return g_previous.sa_handler(sig);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_sigbus_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGBUS, &sa, &g_previous);
  });
}

// Returns the slot index, or -1 when the table is full (the mapping then just has no message).
int register_range(const std::byte* data, std::size_t size, const std::filesystem::path& path) {
  install_sigbus_handler();
  std::lock_guard lock(g_slots_mutex);
  for (std::size_t i = 0; i < g_slots.size(); ++i) {
    Slot& s = g_slots[i];
    if (s.end.load(std::memory_order_relaxed) != 0) continue;
    std::strncpy(s.path, path.c_str(), sizeof s.path - 1);
    s.path[sizeof s.path - 1] = '\0';
    s.begin.store(reinterpret_cast<std::uintptr_t>(data), std::memory_order_relaxed);
    s.end.store(reinterpret_cast<std::uintptr_t>(data) + size, std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;
}

void unregister_range(int slot) {
  if (slot < 0) return;
  std::lock_guard lock(g_slots_mutex);
  g_slots[static_cast<std::size_t>(slot)].end.store(0, std::memory_order_release);
}

}  // namespace

std::shared_ptr<const MappedFile> MappedFile::open(const std::filesystem::path& path) {
  std::shared_ptr<MappedFile> f(new MappedFile());
  f->path_ = path;
  // O_NONBLOCK: opening a FIFO for reading would wait for a writer forever;
  // non-blocking, it opens at once and the type check below refuses it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw_io("cannot open '" + path.string() + "': " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    throw_io("cannot stat '" + path.string() + "': " + std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw_invalid_input("'" + path.string() + "' is not a regular file (" +
                        (S_ISFIFO(st.st_mode)   ? "a FIFO"
                         : S_ISDIR(st.st_mode)  ? "a directory"
                         : S_ISCHR(st.st_mode)  ? "a character device"
                         : S_ISSOCK(st.st_mode) ? "a socket"
                                                : "a device") +
                        "); nudge reads regular files only");
  }
  f->size_ = static_cast<std::size_t>(st.st_size);
  if (f->size_ > 0) {
    void* p = ::mmap(nullptr, f->size_, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
      const int e = errno;
      ::close(fd);
      throw_io("cannot map '" + path.string() + "': " + std::strerror(e));
    }
    f->data_ = static_cast<const std::byte*>(p);
    f->slot_ = register_range(f->data_, f->size_, path);
  }
  ::close(fd);  // the mapping keeps the file open
  return f;
}

MappedFile::~MappedFile() {
  unregister_range(slot_);
  if (data_) ::munmap(const_cast<std::byte*>(data_), size_);
}

}  // namespace nudge
