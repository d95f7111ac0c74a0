// The score file writer (score_writer.h).
#include "engine/score/score_writer.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "engine/base/error.h"

namespace nudge::score {
namespace {

void flush(std::FILE* out, fmt::memory_buffer& buf) {
  if (buf.size() && std::fwrite(buf.data(), 1, buf.size(), out) != buf.size())
    throw_io(fmt::format("cannot write scores: {}", std::strerror(errno)));
  buf.clear();
}

}  // namespace

void write_scores(std::FILE* out, const uint64_t* ids, const std::vector<double>& scores,
                  const std::vector<uint32_t>* order) {
  fmt::memory_buffer buf;
  fmt::format_to(std::back_inserter(buf), "customer_id,score\n");
  const std::size_t n = order ? order->size() : scores.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = order ? (*order)[i] : i;
    fmt::format_to(std::back_inserter(buf), "{},{}\n", ids[r], scores[r]);
    if (buf.size() > (1u << 20)) flush(out, buf);
  }
  flush(out, buf);
  if (std::fflush(out) != 0) throw_io(fmt::format("cannot write scores: {}", std::strerror(errno)));
}

}  // namespace nudge::score
