// The members' candidates, collected during the sweep (candidate_store.h).
#include "engine/optimise/candidate_store.h"

#include <tbb/parallel_for.h>

#include <algorithm>

#include "engine/base/error.h"
#include "engine/expr/program.h"
#include "engine/optimise/member_choice.h"
#include "engine/optimise/outcome.h"

namespace nudge::optimise {

// The stored members one worker collected (all its batches, one after the other).
struct CandidateStore::Part {
  std::vector<uint32_t> row;
  std::vector<uint64_t> id;
  std::vector<double> budget, churn;
  std::vector<uint32_t> count;
  std::vector<Candidate> cand;
  std::vector<int64_t> allowance;
};

struct CandidateStore::Worker final : decide::MemberSinkWorker {
  explicit Worker(const CandidateStore& s)
      : store(s), funnel(s.zero_shift_.size()), walk_capped(s.zero_shift_.size(), 0), top(s.top_k_) {
    for (std::size_t a = 0; a < s.zero_shift_.size(); ++a)
      priced.push_back(s.cons_->action_upper_mask[a] != 0 || s.cons_->action_lower[a] >= 0);
  }
  const CandidateStore& store;
  std::vector<uint8_t> priced;  // per action: under a global constraint
  Part part;
  struct Segment {  // one sweep batch's members in `part` (batches arrive in any order)
    uint32_t first_row;
    std::size_t member_begin, cand_begin;
  };
  std::vector<Segment> segments;
  uint64_t batch = UINT64_MAX;
  // Settled members (candidate_store.h).
  uint64_t members = 0, decisions = 0;
  std::vector<decide::ActionFunnel> funnel;
  std::vector<uint64_t> walk_capped;
  ExactSum objective, greedy;
  decide::DecisionBuffer top;
  std::vector<decide::Decision> control;
  std::vector<uint64_t> kept, budget, member_max;  // per action
  void add_control(const decide::Decision& d, decide::Gate g) override {
    if (kept.size() <= d.action)
      kept.resize(d.action + 1), budget.resize(d.action + 1), member_max.resize(d.action + 1);
    if (g == decide::Gate::Kept) control.push_back(d), ++kept[d.action];
    else if (g == decide::Gate::Budget) ++budget[d.action];
    else if (g == decide::Gate::MemberMax) ++member_max[d.action];
  }
  void add(const decide::MemberCandidates& m) override {
    bool any_priced = false;
    for (std::size_t i = 0; i < m.n; ++i) any_priced |= priced[m.candidates[i].action] != 0;
    if (!any_priced) return settle(m);
    const uint64_t b = m.row / expr::kBatchRows;
    Part& p = part;
    if (b != batch) {
      batch = b;
      segments.push_back({m.row, p.row.size(), p.cand.size()});
    }
    p.row.push_back(m.row);
    p.id.push_back(m.customer_id);
    p.budget.push_back(m.budget);
    p.churn.push_back(m.churn);
    p.count.push_back(static_cast<uint32_t>(m.n));
    p.cand.insert(p.cand.end(), m.candidates, m.candidates + m.n);
    p.allowance.insert(p.allowance.end(), m.cap_allowance, m.cap_allowance + m.caps);
  }
  // The member's best set at zero prices (= at any prices: no candidate is priced).
  void settle(const decide::MemberCandidates& m) {
    const MemberProblem mp{m.candidates, m.n, m.budget, store.max_kept_, m.cap_allowance, m.caps};
    // At most one candidate of positive priority: it is c[0] (walk order), and best_set keeps it iff the walk
    // did (both test it alone against the whole budget, allowances and max_kept); else the exact search.
    std::size_t positive = 0;
    for (std::size_t i = 0; i < m.n; ++i) positive += m.candidates[i].priority > 0;
    const uint64_t set = positive > 1    ? best_set(mp, store.zero_shift_.data()).set
                         : positive == 1 ? uint64_t{m.walk_gate[0] == decide::Gate::Kept}
                                         : 0;
    for (std::size_t i = 0; i < m.n; ++i) {
      if (m.walk_gate[i] == decide::Gate::Kept) greedy.add(m.candidates[i].priority);
      else if (m.walk_gate[i] == decide::Gate::FrequencyCap) ++walk_capped[m.candidates[i].action];
    }
    member_outcome(mp, set, funnel.data(), [&](const decide::Candidate& cd, double left) {
      objective.add(cd.priority);
      top.add({cd.priority, m.customer_id, left, m.churn, m.row, static_cast<uint16_t>(cd.action), 0, 0});
    });
    ++members;
    decisions += static_cast<uint64_t>(__builtin_popcountll(set));
  }
};

CandidateStore::CandidateStore(std::size_t caps, const ConstraintSet& cons, std::size_t max_kept,
                               const decide::RankingInput& top_k)
    : caps_(caps), cons_(&cons), max_kept_(max_kept), top_k_(top_k), zero_shift_(cons.action_upper.size(), 0.0) {
  // Settled members use no capacity: one lane of the top K.
  for (auto& c : top_k_.channel_capacity) c.reset();
  settled.funnel.assign(zero_shift_.size(), {});
  settled.walk_capped.assign(zero_shift_.size(), 0);
}
CandidateStore::~CandidateStore() = default;

decide::MemberSinkWorker* CandidateStore::worker() {
  std::lock_guard<std::mutex> lock(mu_);
  workers_.push_back(std::make_unique<Worker>(*this));
  return workers_.back().get();
}

void CandidateStore::finish() {
  auto add_to = [](std::vector<uint64_t>& to, const std::vector<uint64_t>& from) {
    if (to.size() < from.size()) to.resize(from.size());
    for (std::size_t a = 0; a < from.size(); ++a) to[a] += from[a];
  };
  std::vector<std::vector<decide::Decision>> tops;
  std::size_t top_size = 0;
  for (auto& w : workers_) top_size += tops.emplace_back(w->top.take_survivors()).size();
  settled.top.reserve(top_size);
  for (auto& t : tops) settled.top.insert(settled.top.end(), t.begin(), t.end());
  for (auto& w : workers_) {
    control.insert(control.end(), w->control.begin(), w->control.end());
    add_to(control_kept, w->kept), add_to(control_budget, w->budget), add_to(control_member_max, w->member_max);
    settled.members += w->members, settled.decisions += w->decisions;
    for (std::size_t a = 0; a < settled.funnel.size(); ++a) {
      settled.funnel[a] += w->funnel[a];
      settled.walk_capped[a] += w->walk_capped[a];
    }
    settled.objective.add(w->objective), settled.greedy.add(w->greedy);
  }
  std::sort(control.begin(), control.end(), [](const decide::Decision& a, const decide::Decision& b) {
    return a.row != b.row ? a.row < b.row : a.action < b.action;
  });
  // Every worker's segments (one per batch), in row order, each copied to its place in parallel.
  struct Piece {
    uint32_t first_row;
    const Part* part;
    std::size_t m0, m1, c0, c1;  // members and candidates of the segment in `part`
  };
  std::vector<Piece> pieces;
  for (auto& w : workers_)
    for (std::size_t i = 0; i < w->segments.size(); ++i) {
      const auto& sg = w->segments[i];
      const bool last = i + 1 == w->segments.size();
      pieces.push_back({sg.first_row, &w->part, sg.member_begin,
                        last ? w->part.row.size() : w->segments[i + 1].member_begin, sg.cand_begin,
                        last ? w->part.cand.size() : w->segments[i + 1].cand_begin});
    }
  std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) { return a.first_row < b.first_row; });
  std::vector<std::size_t> member_at(pieces.size() + 1, 0), cand_at(pieces.size() + 1, 0);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    member_at[i + 1] = member_at[i] + (pieces[i].m1 - pieces[i].m0);
    cand_at[i + 1] = cand_at[i] + (pieces[i].c1 - pieces[i].c0);
  }
  const std::size_t members = member_at.back(), cands = cand_at.back();
  if (cands > UINT32_MAX) throw_internal("optimiser: more than 2^32 candidates");
  row.resize(members), customer_id.resize(members), budget.resize(members), churn.resize(members);
  off.resize(members + 1), cand.resize(cands), allowance_.resize(members * caps_);
  off[members] = static_cast<uint32_t>(cands);
  tbb::parallel_for(std::size_t{0}, pieces.size(), [&](std::size_t i) {
    const Piece& pc = pieces[i];
    const Part& p = *pc.part;
    const auto m0 = static_cast<std::ptrdiff_t>(pc.m0), m1 = static_cast<std::ptrdiff_t>(pc.m1);
    const auto to = static_cast<std::ptrdiff_t>(member_at[i]);
    std::copy(p.row.begin() + m0, p.row.begin() + m1, row.begin() + to);
    std::copy(p.id.begin() + m0, p.id.begin() + m1, customer_id.begin() + to);
    std::copy(p.budget.begin() + m0, p.budget.begin() + m1, budget.begin() + to);
    std::copy(p.churn.begin() + m0, p.churn.begin() + m1, churn.begin() + to);
    std::copy(p.cand.begin() + static_cast<std::ptrdiff_t>(pc.c0), p.cand.begin() + static_cast<std::ptrdiff_t>(pc.c1),
              cand.begin() + static_cast<std::ptrdiff_t>(cand_at[i]));
    const auto caps = static_cast<std::ptrdiff_t>(caps_);
    std::copy(p.allowance.begin() + m0 * caps, p.allowance.begin() + m1 * caps, allowance_.begin() + to * caps);
    uint32_t o = static_cast<uint32_t>(cand_at[i]);
    for (std::size_t j = pc.m0; j < pc.m1; ++j) {
      off[member_at[i] + (j - pc.m0)] = o;
      o += p.count[j];
    }
  });
  workers_.clear();
}

}  // namespace nudge::optimise
