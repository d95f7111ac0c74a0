// Shared plumbing of the nudge Python module (nudge._nudge): how the C++
// objects are held, how long calls run without the GIL and on how many
// threads, and the zero-copy numpy views.
//
// Ownership: a Population is held by std::shared_ptr; every numpy view of its
// memory (a snapshot's mapping or an owned Buffer) holds a copy of that
// shared_ptr in its base capsule, so the memory outlives every array.
// Threads: `threads` <= 0 (or None in Python) means oneTBB's default (all
// hardware threads); 1..kMaxThreads runs the call in a task_arena of that many threads.
// The GIL is released for the whole call (run_released).
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <tbb/task_arena.h>

#include <memory>
#include <string>
#include <utility>

#include "engine/base/error.h"
#include "engine/store/population.h"

namespace nudge::py {

namespace pb = pybind11;
using PopPtr = std::shared_ptr<const Population>;

// The CLI's --threads range (tools/main.cc). nudge/__init__.py `_threads` checks it for every
// Python entry point; this repeats it for direct calls into nudge._nudge (oneTBB crashes on
// arenas of ~70,000 threads).
inline constexpr int kMaxThreads = 1024;

// Runs fn() without the GIL, in an arena of `threads` threads when > 0.
// Throws Error(Usage) when threads > kMaxThreads.
template <class F>
auto run_released(int threads, F&& fn) -> decltype(fn()) {
  if (threads > kMaxThreads)
    throw_usage("threads must be at least 1 and at most " + std::to_string(kMaxThreads) + ", not " +
                std::to_string(threads));
  pb::gil_scoped_release nogil;
  if (threads > 0) {
    tbb::task_arena arena(threads);
    return arena.execute(std::forward<F>(fn));
  }
  return fn();
}

// A read-only 1-D numpy array of `n` values of T at `data`, whose base keeps `owner` alive.
template <class T>
pb::array_t<T> readonly_view(const T* data, std::size_t n, std::shared_ptr<const void> owner) {
  auto* holder = new std::shared_ptr<const void>(std::move(owner));
  pb::capsule base(holder, [](void* p) { delete static_cast<std::shared_ptr<const void>*>(p); });
  pb::array_t<T> a({static_cast<pb::ssize_t>(n)}, {static_cast<pb::ssize_t>(sizeof(T))}, data, base);
  pb::detail::array_proxy(a.ptr())->flags &= ~pb::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

// An owned numpy array moved out of a vector (no copy).
template <class T>
pb::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* heap = new std::vector<T>(std::move(v));
  pb::capsule base(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return pb::array_t<T>({static_cast<pb::ssize_t>(heap->size())}, {static_cast<pb::ssize_t>(sizeof(T))}, heap->data(),
                        base);
}

void bind_errors(pb::module_& m);
void bind_population(pb::module_& m);
void bind_build(pb::module_& m);
void bind_campaign(pb::module_& m);
void bind_history(pb::module_& m);

}  // namespace nudge::py
