// The members' candidates, collected during the sweep (candidate_store.h).
#include "engine/optimise/candidate_store.h"

#include <algorithm>

#include "engine/base/error.h"
#include "engine/expr/program.h"

namespace nudge::optimise {

// The members of one sweep batch, as one worker collected them.
struct CandidateStore::Part {
  uint32_t first_row = 0;
  std::vector<uint32_t> row;
  std::vector<uint64_t> id;
  std::vector<double> budget, churn;
  std::vector<uint32_t> count;
  std::vector<Candidate> cand;
  std::vector<int64_t> allowance;
};

struct CandidateStore::Worker final : decide::MemberSinkWorker {
  std::vector<Part> parts;
  uint64_t batch = UINT64_MAX;
  void add(const decide::MemberCandidates& m) override {
    const uint64_t b = m.row / expr::kBatchRows;
    if (b != batch) {
      batch = b;
      parts.emplace_back();
      parts.back().first_row = m.row;
    }
    Part& p = parts.back();
    p.row.push_back(m.row);
    p.id.push_back(m.customer_id);
    p.budget.push_back(m.budget);
    p.churn.push_back(m.churn);
    p.count.push_back(static_cast<uint32_t>(m.n));
    p.cand.insert(p.cand.end(), m.candidates, m.candidates + m.n);
    p.allowance.insert(p.allowance.end(), m.cap_allowance, m.cap_allowance + m.caps);
  }
};

CandidateStore::CandidateStore(std::size_t caps) : caps_(caps) {}
CandidateStore::~CandidateStore() = default;

decide::MemberSinkWorker* CandidateStore::worker() {
  std::lock_guard<std::mutex> lock(mu_);
  workers_.push_back(std::make_unique<Worker>());
  return workers_.back().get();
}

void CandidateStore::finish() {
  std::vector<Part*> parts;
  std::size_t members = 0, cands = 0;
  for (auto& w : workers_)
    for (Part& p : w->parts) {
      parts.push_back(&p);
      members += p.row.size();
      cands += p.cand.size();
    }
  if (cands > UINT32_MAX) throw_internal("optimiser: more than 2^32 candidates");
  std::sort(parts.begin(), parts.end(), [](const Part* a, const Part* b) { return a->first_row < b->first_row; });
  row.reserve(members), customer_id.reserve(members), budget.reserve(members), churn.reserve(members);
  off.reserve(members + 1), cand.reserve(cands), allowance_.reserve(members * caps_);
  off.push_back(0);
  for (Part* p : parts) {
    row.insert(row.end(), p->row.begin(), p->row.end());
    customer_id.insert(customer_id.end(), p->id.begin(), p->id.end());
    budget.insert(budget.end(), p->budget.begin(), p->budget.end());
    churn.insert(churn.end(), p->churn.begin(), p->churn.end());
    for (uint32_t n : p->count) off.push_back(off.back() + n);
    cand.insert(cand.end(), p->cand.begin(), p->cand.end());
    allowance_.insert(allowance_.end(), p->allowance.begin(), p->allowance.end());
    *p = Part{};  // free as we go
  }
  workers_.clear();
}

}  // namespace nudge::optimise
