// The stderr progress bar (progress.h).
#include "engine/progress/progress.h"

#include <unistd.h>

#include <cstdio>

namespace nudge {

Progress::Progress(std::string label, uint64_t total) : Progress(std::move(label), total, isatty(2) == 1) {}

Progress::Progress(std::string label, uint64_t total, bool enabled)
    : label_(std::move(label)), total_(total ? total : 1), enabled_(enabled) {
  start_ = last_draw_ = std::chrono::steady_clock::now();
  next_check_ = total_ / 200 + 1;
}

Progress::~Progress() { finish(); }

void Progress::maybe_draw(uint64_t done) noexcept {
  std::unique_lock<std::mutex> lock(draw_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  next_check_.store(done + total_ / 200 + 1, std::memory_order_relaxed);
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < 0.5 || now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double f = done >= total_ ? 1.0 : static_cast<double>(done) / static_cast<double>(total_);
  constexpr int kWidth = 30;
  const int fill = static_cast<int>(f * kWidth);
  char buf[256];
  std::snprintf(buf, sizeof buf, "\r%s [%.*s%.*s] %3d%%  %.1f s", label_.c_str(), fill,
                "##############################", kWidth - fill, "..............................",
                static_cast<int>(f * 100), elapsed);
  last_ = buf;
  std::fputs(buf, stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() noexcept {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(draw_);
  if (drawn_) {
    std::fputs("\r\033[K", stderr);  // clear the line
    std::fflush(stderr);
  }
  drawn_ = false;
  enabled_ = false;
}

}  // namespace nudge
