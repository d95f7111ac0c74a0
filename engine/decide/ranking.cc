// Channel capacity and top-K over the decisions of a sweep (ranking.h).
#include "engine/decide/ranking.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>

#include "engine/error.h"

namespace nudge::decide {
namespace {

struct Before {
  bool operator()(const Decision& a, const Decision& b) const noexcept { return ranks_before(a, b); }
  bool operator()(const Decision* a, const Decision* b) const noexcept { return ranks_before(*a, *b); }
};

}  // namespace

RankingResult rank_decisions(std::vector<std::vector<Decision>>& parts, const RankingInput& in) {
  const std::size_t n_actions = in.action_channel.size();
  const std::size_t n_channels = in.channel_capacity.size();
  RankingResult r;
  r.dropped_by_capacity.assign(n_actions, 0);
  r.in_top_k.assign(n_actions, 0);
  r.capacity_cutoff.assign(n_channels, std::nullopt);

  // 1. Channel capacity, one channel at a time.
  for (std::size_t ch = 0; ch < n_channels; ++ch) {
    if (!in.channel_capacity[ch]) continue;
    const uint64_t cap = *in.channel_capacity[ch];
    std::vector<Decision*> on;
    for (auto& p : parts)
      for (auto& d : p)
        if (in.action_channel.at(d.action) == ch) on.push_back(&d);
    if (on.size() <= cap) continue;
    // Everything ranked after the cap-th decision of the channel is dropped.
    std::nth_element(on.begin(), on.begin() + static_cast<std::ptrdiff_t>(cap), on.end(), Before{});
    for (std::size_t i = cap; i < on.size(); ++i) {
      on[i]->dropped = 1;
      ++r.dropped_by_capacity[on[i]->action];
    }
    if (cap > 0)
      r.capacity_cutoff[ch] = **std::max_element(on.begin(), on.begin() + static_cast<std::ptrdiff_t>(cap), Before{});
  }

  // 2. Per part (in parallel): remove the dropped ones, keep the part's first K.
  const std::size_t k = in.top_k.value_or(SIZE_MAX);
  std::vector<std::size_t> survivors(parts.size());
  tbb::parallel_for(std::size_t{0}, parts.size(), [&](std::size_t i) {
    auto& p = parts[i];
    p.erase(std::remove_if(p.begin(), p.end(), [](const Decision& d) { return d.dropped != 0; }), p.end());
    survivors[i] = p.size();
    if (p.size() > k) {
      std::nth_element(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(k), p.end(), Before{});
      p.resize(k);
    }
  });
  for (std::size_t s : survivors) r.decisions += s;

  // 3. Merge the parts' first K, cut to K, sort.
  std::size_t total = 0;
  for (auto& p : parts) total += p.size();
  r.ranked.reserve(total);
  for (auto& p : parts) {
    r.ranked.insert(r.ranked.end(), p.begin(), p.end());
    std::vector<Decision>().swap(p);
  }
  if (r.ranked.size() > k) {
    std::nth_element(r.ranked.begin(), r.ranked.begin() + static_cast<std::ptrdiff_t>(k), r.ranked.end(), Before{});
    r.ranked.resize(k);
  }
  tbb::parallel_sort(r.ranked.begin(), r.ranked.end(), Before{});
  for (const auto& d : r.ranked) ++r.in_top_k[d.action];
  return r;
}

}  // namespace nudge::decide
