// build_contacts(): the contact stage of build() (owned_history.h): sorted
// contacts (contact_sort.h) -> deduplicated columns, in two parallel passes
// over chunks of the order (count, then fill at the chunks' offsets).
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "engine/history/contact_sort.h"
#include "engine/history/owned_history.h"

namespace nudge::history {

void build_contacts(OwnedHistory& h, const std::vector<RawContact>& rc, const std::vector<ContactProfile>& prof,
                    const std::function<void(const RawContact&, const RawContact&)>& conflict) {
  std::vector<int32_t> action_of(prof.size());
  for (std::size_t p = 0; p < prof.size(); ++p) action_of[p] = prof[p].action;
  const ContactOrder order(rc, action_of);
  const std::size_t n = order.size();
  const std::optional<uint32_t> common_batch = order.common_batch();

  // Runs of one triple: a run belongs to the chunk it starts in.
  const auto threads = static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
  const std::size_t chunks = std::max<std::size_t>(1, std::min(threads * 4, n >> 16));
  auto chunk_begin = [&](std::size_t c) {
    std::size_t g = c * n / chunks;
    while (g > 0 && g < n && order.same_triple(g)) ++g;
    return g;
  };
  auto run_end = [&](std::size_t g) {
    std::size_t e = g + 1;
    while (e < n && order.same_triple(e)) ++e;
    return e;
  };
  auto new_member = [&](std::size_t g) { return g == 0 || order.customer_id(g) != order.customer_id(g - 1); };
  // The row a run keeps: the lowest (batch, origin); `bad` is set to a row
  // whose profile differs from it (a conflict), else null.
  struct Pick {
    uint32_t profile, batch;
    const RawContact* bad;
    const RawContact* best;
  };
  auto pick = [&](std::size_t g, std::size_t e) -> Pick {
    if (e - g == 1)
      return {order.profile(g), common_batch ? *common_batch : rc[order.index(g)].batch, nullptr, nullptr};
    const RawContact* best = &rc[order.index(g)];
    for (std::size_t j = g + 1; j < e; ++j) {
      const RawContact& c = rc[order.index(j)];
      if (std::pair(c.batch, c.origin) < std::pair(best->batch, best->origin)) best = &c;
    }
    for (std::size_t j = g + 1; j < e; ++j) {
      const RawContact& c = rc[order.index(j)];
      if (!(prof[c.profile] == prof[best->profile])) return {0, 0, &c, best};
    }
    return {best->profile, best->batch, nullptr, best};
  };

  // Pass 1: contacts kept and members per chunk; the first conflict.
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> kept(chunks + 1, 0), members(chunks + 1, 0), first_bad(chunks, kNone);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    std::size_t k = 0, m = 0;
    for (std::size_t g = chunk_begin(c), end = chunk_begin(c + 1); g < end;) {
      const std::size_t e = run_end(g);
      if (e - g > 1 && first_bad[c] == kNone && pick(g, e).bad) first_bad[c] = g;
      ++k;
      m += new_member(g);
      g = e;
    }
    kept[c + 1] = k;
    members[c + 1] = m;
  });
  for (std::size_t c = 0; c < chunks; ++c)
    if (first_bad[c] != kNone) {  // the first conflict in sorted order, as a serial walk meets it
      const Pick p = pick(first_bad[c], run_end(first_bad[c]));
      conflict(*p.bad, *p.best);
    }
  for (std::size_t c = 0; c < chunks; ++c) {
    kept[c + 1] += kept[c];
    members[c + 1] += members[c];
  }

  // Pass 2: the columns, each chunk from its offsets.
  const std::size_t K = kept[chunks], M = members[chunks];
  h.ids.resize(M);
  h.coff.resize(M + 1);
  h.sent.resize(K);
  h.cprof.resize(K);
  h.cbatch.resize(K);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    std::size_t k = kept[c], m = members[c];
    for (std::size_t g = chunk_begin(c), end = chunk_begin(c + 1); g < end;) {
      const std::size_t e = run_end(g);
      const Pick p = pick(g, e);
      if (new_member(g)) {
        h.ids[m] = order.customer_id(g);
        h.coff[m++] = static_cast<uint32_t>(k);
      }
      h.sent[k] = order.sent_on(g);
      h.cprof[k] = p.profile;
      h.cbatch[k++] = p.batch;
      g = e;
    }
  });
  h.coff[M] = static_cast<uint32_t>(K);
}

}  // namespace nudge::history
