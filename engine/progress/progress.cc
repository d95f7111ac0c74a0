// The stderr progress bar (progress.h).
#include "engine/progress/progress.h"

#include <unistd.h>

#include <cstdio>

namespace nudge {
namespace {

void write_stderr(std::string_view s) {
  std::fwrite(s.data(), 1, s.size(), stderr);
  std::fflush(stderr);
}

}  // namespace

Progress::Progress(std::string label, uint64_t total) : Progress(std::move(label), total, isatty(2) == 1) {}

Progress::Progress(std::string label, uint64_t total, bool enabled)
    : Progress(std::move(label), total, enabled, write_stderr, Timing{}) {}

Progress::Progress(std::string label, uint64_t total, bool enabled, Writer writer, Timing timing)
    : label_(std::move(label)),
      total_(total ? total : 1),
      enabled_(enabled),
      writer_(std::move(writer)),
      timing_(timing) {
  start_ = last_draw_ = std::chrono::steady_clock::now();
  next_check_ = total_ / 200 + 1;  // look at the clock about 200 times per run
}

Progress::~Progress() { finish(); }

std::string Progress::format_line(std::string_view label, uint64_t done, uint64_t total, double elapsed_s) {
  if (total == 0) total = 1;
  const double f = done >= total ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  constexpr int kWidth = 30;
  const int fill = static_cast<int>(f * kWidth);
  char buf[128];
  std::snprintf(buf, sizeof buf, " [%.*s%.*s] %3d%%  %.1f s", fill, "##############################", kWidth - fill,
                "..............................", static_cast<int>(f * 100), elapsed_s);
  std::string line(1, '\r');
  line.append(label.data(), label.size());
  line.append(buf);
  return line;
}

void Progress::maybe_draw(uint64_t done) noexcept {
  std::unique_lock<std::mutex> lock(draw_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  next_check_.store(done + total_ / 200 + 1, std::memory_order_relaxed);
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (elapsed < timing_.min_elapsed_s || std::chrono::duration<double>(now - last_draw_).count() < timing_.interval_s)
    return;
  last_draw_ = now;
  try {
    last_ = format_line(label_, done, total_, elapsed);
    writer_(last_);
    drawn_ = true;
  } catch (...) {  // a progress bar never fails the run
  }
}

void Progress::finish() noexcept {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(draw_);
  if (drawn_) {
    try {
      writer_("\r\033[K");  // clear the line
    } catch (...) {}
  }
  drawn_ = false;
  enabled_ = false;
}

}  // namespace nudge
