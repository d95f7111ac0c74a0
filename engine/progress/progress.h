// A progress bar on stderr for long runs (sweeps, imports, history adds,
// simulations), drawn only when stderr is a terminal (isatty(2)) and the run
// has lasted more than half a second; nothing at all otherwise, so logs and
// pipes stay clean.
//
//   nudge::Progress bar("sweep", batches);   // label, total units of work
//   ... bar.advance(1);                       // from any thread
//   bar.finish();                             // (or the destructor) clears the line
//
// Draws "\rlabel [#####.....]  42%  3.1 s" (format_line) at most every
// 100 ms; the thread that advances past a redraw point draws (one at a time,
// via a try-lock), so workers never wait for the terminal. finish() writes
// "\r\033[K" (clear the line) when something was drawn.
// Tests give a Writer (a fake terminal) and Timing{0, 0} to see every draw.
// Thread-safety: advance() from any number of threads; finish() once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace nudge {

class Progress {
 public:
  // Where the bar's bytes go (default: stderr, flushed).
  using Writer = std::function<void(std::string_view)>;
  struct Timing {
    double min_elapsed_s = 0.5;  // draw nothing before the run has lasted this long
    double interval_s = 0.1;     // at most one draw per interval
  };

  Progress(std::string label, uint64_t total);
  // Force drawing on or off (tests); by default: stderr is a terminal.
  Progress(std::string label, uint64_t total, bool enabled);
  // Draw through `writer` (a fake terminal in tests) with the given timing.
  Progress(std::string label, uint64_t total, bool enabled, Writer writer, Timing timing);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(uint64_t n) noexcept {
    if (!enabled_) return;
    const uint64_t done = done_.fetch_add(n, std::memory_order_relaxed) + n;
    if (done >= next_check_.load(std::memory_order_relaxed)) maybe_draw(done);
  }
  void finish() noexcept;
  bool enabled() const noexcept { return enabled_; }
  // What the last draw wrote (for tests); "" if nothing was drawn.
  const std::string& last_line() const noexcept { return last_; }

  // One frame: "\r<label> [<30 cells of # and .>] <percent, width 3>%  <elapsed, 1 decimal> s";
  // done is capped at total (total 0 counts as 1).
  static std::string format_line(std::string_view label, uint64_t done, uint64_t total, double elapsed_s);

 private:
  void maybe_draw(uint64_t done) noexcept;
  std::string label_;
  uint64_t total_;
  bool enabled_;
  Writer writer_;
  Timing timing_;
  bool drawn_ = false;
  std::atomic<uint64_t> done_{0}, next_check_{0};
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::mutex draw_;
  std::string last_;
};

}  // namespace nudge
