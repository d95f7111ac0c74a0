#include "io/file/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <signal.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "engine/base/error.h"

namespace nudge {
namespace {
[[noreturn]] void fail(const std::string& what, const std::filesystem::path& p) {
  throw_io("cannot " + what + " '" + p.string() + "': " + std::strerror(errno));
}

// Temp files alive in this process, for the SIGINT/SIGTERM handler: a fixed
// table it reads without locks (a slot is live while path[0] != 0).
struct TempSlot {
  std::atomic<bool> live{false};
  char path[4096] = {};
};
std::array<TempSlot, 32> g_temps;
std::mutex g_temps_mutex;
struct sigaction g_prev_int {
}, g_prev_term{};

// Unlinks every live temp file (async-signal-safe: unlink only), then lets the
// signal do what it did before (by default: end the process).
void on_terminate(int sig) {
  for (TempSlot& t : g_temps)
    if (t.live.load(std::memory_order_acquire)) ::unlink(t.path);
  const struct sigaction& prev = sig == SIGINT ? g_prev_int : g_prev_term;
  ::sigaction(sig, &prev, nullptr);
  ::raise(sig);
}

void install_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_handler = on_terminate;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    ::sigaction(SIGINT, &sa, &g_prev_int);
    ::sigaction(SIGTERM, &sa, &g_prev_term);
    // A process that ignored them (nohup, a shell's background job) keeps ignoring them.
    if (g_prev_int.sa_handler == SIG_IGN) ::sigaction(SIGINT, &g_prev_int, nullptr);
    if (g_prev_term.sa_handler == SIG_IGN) ::sigaction(SIGTERM, &g_prev_term, nullptr);
  });
}

int register_temp(const std::filesystem::path& p) {
  install_handlers();
  std::lock_guard lock(g_temps_mutex);
  for (std::size_t i = 0; i < g_temps.size(); ++i) {
    TempSlot& t = g_temps[i];
    if (t.live.load(std::memory_order_relaxed) || p.native().size() >= sizeof t.path) continue;
    std::memcpy(t.path, p.c_str(), p.native().size() + 1);
    t.live.store(true, std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;  // more than 32 at once: cleaned on exceptions, not on signals
}

void unregister_temp(int slot) {
  if (slot < 0) return;
  std::lock_guard lock(g_temps_mutex);
  g_temps[static_cast<std::size_t>(slot)].live.store(false, std::memory_order_release);
}

// "<name>.tmp-<pid>-<n>" -> pid, or 0 when `file` is not a temp file of `name`.
pid_t temp_owner(const std::string& file, const std::string& name) {
  const std::string prefix = name + ".tmp-";
  if (file.size() <= prefix.size() || file.compare(0, prefix.size(), prefix) != 0) return 0;
  const char* p = file.c_str() + prefix.size();
  char* end = nullptr;
  errno = 0;
  const long pid = std::strtol(p, &end, 10);
  if (errno || end == p || *end != '-' || pid <= 0) return 0;
  const char* q = end + 1;
  if (!*q) return 0;
  for (; *q; ++q)
    if (*q < '0' || *q > '9') return 0;
  return static_cast<pid_t>(pid);
}

// Temp files of `target` left by processes that no longer exist (kill -9,
// power loss) are deleted; those of live processes are left alone.
void sweep_stale_temps(const std::filesystem::path& target) {
  std::error_code ec;
  const auto dir = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  const std::string name = target.filename().string();
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const pid_t pid = temp_owner(it->path().filename().string(), name);
    if (pid == 0 || pid == ::getpid()) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to judge)
    std::error_code rm;
    if (it->symlink_status(rm).type() == std::filesystem::file_type::regular) std::filesystem::remove(it->path(), rm);
  }
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (target_ == "-") {  // standard output, written through
    const int fd = ::dup(STDOUT_FILENO);
    if (fd < 0 || !(file_ = ::fdopen(fd, "wb"))) fail("write to", "standard output");
    through_ = true;
    return;
  }
  // A symlink is followed: the file it points to is replaced, the link stays.
  if (fs::is_symlink(fs::symlink_status(target_, ec))) {
    const fs::path resolved = fs::weakly_canonical(target_, ec);
    if (ec) throw_io("cannot follow the symlink '" + target_.string() + "': " + ec.message());
    target_ = resolved;
  }
  const fs::file_status st = fs::status(target_, ec);
  if (fs::exists(st) && !fs::is_regular_file(st)) {
    if (fs::is_directory(st)) throw_invalid_input("cannot write '" + target_.string() + "': it is a directory");
    if (fs::is_socket(st)) throw_invalid_input("cannot write '" + target_.string() + "': it is a socket");
    // A device or FIFO is written through (never replaced by a regular file).
    const int fd = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail("open", target_);
    if (!(file_ = ::fdopen(fd, "wb"))) {
      ::close(fd);
      fail("open", target_);
    }
    through_ = true;
    return;
  }
  sweep_stale_temps(target_);
  static std::atomic<unsigned> counter{0};
  temp_ = target_;
  temp_ += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  slot_ = register_temp(temp_);
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_) {
    unregister_temp(slot_);
    fail("create", temp_);
  }
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!committed_ && !through_) ::unlink(temp_.c_str());
  unregister_temp(slot_);
}

void AtomicFile::write(const void* data, std::size_t bytes) {
  if (bytes && std::fwrite(data, 1, bytes, file_) != bytes) fail("write", through_ ? target_ : temp_);
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

void AtomicFile::start_writeback() {
  if (through_) return;
  if (std::fflush(file_) != 0) fail("write", temp_);
  // A hint: file systems without it (or an old kernel) just leave it all to fsync.
  ::sync_file_range(::fileno(file_), 0, 0, SYNC_FILE_RANGE_WRITE);
}

void AtomicFile::commit() {
  const std::filesystem::path& written = through_ ? target_ : temp_;
  // A failed fprintf through stream() leaves only the error flag.
  if (std::ferror(file_)) {
    errno = EIO;
    fail("write", written);
  }
  if (std::fflush(file_) != 0) fail("write", written);
  if (through_) {  // no fsync (devices and pipes refuse it), no rename
    const int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) fail("write", written);
    committed_ = true;
    return;
  }
  if (::fsync(::fileno(file_)) != 0) fail("fsync", temp_);
  if (std::fclose(file_) != 0) {
    file_ = nullptr;
    fail("close", temp_);
  }
  file_ = nullptr;
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) fail("rename to", target_);
  committed_ = true;
  unregister_temp(slot_);
  slot_ = -1;
  auto dir = target_.parent_path();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

void write_file_atomically(const std::filesystem::path& target, std::string_view bytes) {
  AtomicFile out(target);
  out.write(bytes);
  out.commit();
}

}  // namespace nudge
