// Channel capacity and top-K over the decisions of a sweep (ranking.h).
#include "engine/decide/ranking.h"

#include <tbb/parallel_sort.h>

#include <algorithm>

#include "engine/base/error.h"

namespace nudge::decide {
namespace {

struct Before {
  bool operator()(const Decision& a, const Decision& b) const noexcept { return ranks_before(a, b); }
};

// Cuts v to its first `limit` decisions in rank order (unsorted).
void keep_first(std::vector<Decision>& v, std::size_t limit) {
  if (v.size() <= limit) return;
  if (limit == 0) return v.clear();
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(limit - 1), v.end(), Before{});
  v.resize(limit);
}

}  // namespace

struct RankingAccess {
  static std::vector<DecisionBuffer::Lane>& lanes(DecisionBuffer& b) { return b.lanes_; }
  static const std::vector<std::size_t>& lane_channel(const DecisionBuffer& b) { return b.lane_channel_; }
};

DecisionBuffer::DecisionBuffer(const RankingInput& in) {
  const std::size_t k = in.top_k.value_or(SIZE_MAX);
  lanes_.emplace_back();
  lanes_[0].limit = k;
  std::vector<uint16_t> lane_of_channel(in.channel_capacity.size(), 0);
  for (std::size_t ch = 0; ch < in.channel_capacity.size(); ++ch) {
    if (!in.channel_capacity[ch]) continue;
    lane_of_channel[ch] = static_cast<uint16_t>(lanes_.size());
    lane_channel_.push_back(ch);
    Lane l;
    l.limit = static_cast<std::size_t>(*in.channel_capacity[ch]);
    lanes_.push_back(std::move(l));
  }
  for (Lane& l : lanes_) {
    l.refuse_all = l.limit == 0;
    // Cut at twice the limit (at least limit + 4096), so each cut is paid for by `limit` new decisions.
    if (l.limit != SIZE_MAX) l.prune_at = l.limit + std::max<std::size_t>(l.limit, 4096);
  }
  for (uint16_t ch : in.action_channel) lane_of_action_.push_back(lane_of_channel.at(ch));
  // Control lanes (never cut), one per capacity channel, after the treated ones.
  const std::size_t nc = lane_channel_.size();
  for (std::size_t k = 0; k < nc; ++k) lanes_.emplace_back();
  for (uint16_t ch : in.action_channel) {
    const uint16_t l = lane_of_channel.at(ch);
    control_lane_of_action_.push_back(l == 0 ? uint16_t{0} : static_cast<uint16_t>(l + nc));
  }
}

void DecisionBuffer::prune(Lane& l) {
  keep_first(l.items, l.limit);
  // After keep_first the element at limit-1 is the limit-th in rank order: the worst kept.
  l.threshold = l.items[l.limit - 1];
  l.has_threshold = true;
}

std::vector<Decision> DecisionBuffer::take_survivors() {
  std::vector<Decision> out;
  for (Lane& l : lanes_) {
    keep_first(l.items, l.limit);
    out.insert(out.end(), l.items.begin(), l.items.end());
    std::vector<Decision>().swap(l.items);
  }
  return out;
}

RankingResult rank_decisions(std::vector<DecisionBuffer*>& buffers, const RankingInput& in,
                             const std::vector<uint64_t>& walk_kept, const std::vector<uint64_t>& walk_control) {
  const std::size_t n_actions = in.action_channel.size();
  RankingResult r;
  r.dropped_by_capacity.assign(n_actions, 0);
  r.control_dropped.assign(n_actions, 0);
  auto control_of = [&](std::size_t a) -> uint64_t { return walk_control.empty() ? 0 : walk_control.at(a); };
  r.in_top_k.assign(n_actions, 0);
  r.capacity_cutoff.assign(in.channel_capacity.size(), std::nullopt);
  if (walk_kept.size() != n_actions) throw_internal("rank_decisions: one walk counter per action expected");

  std::vector<Decision> all;
  if (!buffers.empty()) {
    const auto& lane_channel = RankingAccess::lane_channel(*buffers[0]);
    // 1. Channel capacity: the first C of each capacity channel over all workers.
    for (std::size_t k = 0; k < lane_channel.size(); ++k) {
      const std::size_t ch = lane_channel[k];
      const std::size_t cap = static_cast<std::size_t>(*in.channel_capacity[ch]);
      std::vector<Decision> on;
      for (DecisionBuffer* b : buffers) {
        auto& items = RankingAccess::lanes(*b)[1 + k].items;
        on.insert(on.end(), items.begin(), items.end());
        std::vector<Decision>().swap(items);
      }
      keep_first(on, cap);
      uint64_t walked = 0;
      std::vector<uint64_t> survivors(n_actions, 0);
      for (const Decision& d : on) ++survivors[d.action];
      for (std::size_t a = 0; a < n_actions; ++a)
        if (in.action_channel[a] == ch) {
          walked += walk_kept[a] - control_of(a);
          r.dropped_by_capacity[a] = walk_kept[a] - control_of(a) - survivors[a];
        }
      if (walked > cap && !on.empty()) r.capacity_cutoff[ch] = *std::max_element(on.begin(), on.end(), Before{});
      all.insert(all.end(), on.begin(), on.end());
      // Control decisions of this channel: kept iff not ranked after the treated cut.
      for (DecisionBuffer* b : buffers) {
        auto& items = RankingAccess::lanes(*b)[1 + lane_channel.size() + k].items;
        for (const Decision& d : items) {
          const bool cut = walked > cap && (!r.capacity_cutoff[ch] || ranks_before(*r.capacity_cutoff[ch], d));
          if (cut) ++r.dropped_by_capacity[d.action], ++r.control_dropped[d.action];
          else all.push_back(d);
        }
        std::vector<Decision>().swap(items);
      }
    }
    // 2. Everything else, each lane already cut to at most 2K.
    for (DecisionBuffer* b : buffers) {
      auto& items = RankingAccess::lanes(*b)[0].items;
      all.insert(all.end(), items.begin(), items.end());
      std::vector<Decision>().swap(items);
    }
  }
  for (std::size_t a = 0; a < n_actions; ++a) r.decisions += walk_kept[a] - r.dropped_by_capacity[a];
  // 3. The first K, sorted.
  keep_first(all, in.top_k.value_or(SIZE_MAX));
  tbb::parallel_sort(all.begin(), all.end(), Before{});
  for (const auto& d : all) ++r.in_top_k[d.action];
  r.ranked = std::move(all);
  return r;
}

}  // namespace nudge::decide
