// Campaigns of one pass evaluating their common expressions once (shared_expressions.h).
#include "engine/decide/shared_expressions.h"

#include "engine/base/error.h"

namespace nudge::decide {

SharedExpressions share_expressions(const std::vector<const BoundCampaign*>& bounds,
                                    const std::vector<const MemberInputSource*>& inputs) {
  if (bounds.size() != inputs.size()) throw_internal("share_expressions: one history source per campaign");
  const std::size_t n = bounds.size();
  SharedExpressions out;
  out.jobs.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    const expr::CompiledSet& set = bounds[j]->expressions();
    out.jobs[j].evaluate = &set, out.jobs[j].leader = j;
    out.jobs[j].total = set.num_predicates() + set.num_numbers();
  }
  // Null sources key null: they write no columns.
  std::vector<const void*> key(n, nullptr);
  for (std::size_t j = 0; j < n; ++j)
    if (inputs[j]) key[j] = inputs[j]->columns_key();
  std::vector<bool> grouped(n, false);
  for (std::size_t l = 0; l < n; ++l) {
    if (grouped[l]) continue;
    std::vector<std::size_t> group{l};
    for (std::size_t j = l + 1; j < n; ++j)
      if (!grouped[j] && &bounds[j]->population() == &bounds[l]->population() && key[j] == key[l]) {
        group.push_back(j);
        grouped[j] = true;
      }
    if (group.size() < 2) continue;
    // Every member's expressions in one set, the leader's first.
    std::vector<expr::Source> predicates, numbers;
    std::vector<std::size_t> p_off, n_off;
    for (std::size_t j : group) {
      ExpressionSources s = expression_sources(bounds[j]->campaign());
      if (s.predicates.size() != bounds[j]->expressions().num_predicates() ||
          s.numbers.size() != bounds[j]->expressions().num_numbers())
        throw_internal("share_expressions: a campaign's expressions differ from its bound set");
      p_off.push_back(predicates.size()), n_off.push_back(numbers.size());
      predicates.insert(predicates.end(), s.predicates.begin(), s.predicates.end());
      numbers.insert(numbers.end(), s.numbers.begin(), s.numbers.end());
    }
    auto set =
        std::make_unique<expr::CompiledSet>(expr::CompiledSet::compile(bounds[l]->population(), predicates, numbers));
    out.jobs[l].evaluate = set.get();
    for (std::size_t k = 1; k < group.size(); ++k) {
      SharedExpressions::Job& job = out.jobs[group[k]];
      const expr::CompiledSet& own = bounds[group[k]]->expressions();
      job.evaluate = nullptr, job.leader = l;
      for (std::size_t i = 0; i < own.num_predicates(); ++i) {
        job.predicates.push_back(p_off[k] + i);
        job.shared += set->same_predicate_as(p_off[k] + i) < p_off[k];
      }
      for (std::size_t i = 0; i < own.num_numbers(); ++i) {
        job.numbers.push_back(n_off[k] + i);
        job.shared += set->same_number_as(n_off[k] + i) < n_off[k];
      }
    }
    out.combined.push_back(std::move(set));
  }
  return out;
}

}  // namespace nudge::decide
