// The sweep's work on one batch (sweeper.h; the per-worker batch layout is in
// sweep_pass.h, the pass over the batches in sweep_pass.cc).
#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <limits>

#include "engine/base/error.h"
#include "engine/decide/bitmap_words.h"
#include "engine/decide/held_walk.h"
#include "engine/decide/sweeper.h"

namespace nudge::decide::detail {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

}  // namespace

void Sweeper::batch(std::size_t begin, std::size_t count, Worker& w, TraceScratch* trace,
                    const expr::Workspace* results) const {
  auto th = Clock::now();
  if (inputs_) inputs_->fill(begin, count, w.hist, prepared_inputs);
  auto t0 = Clock::now();
  if (eval_) eval_->evaluate(bound_.population(), begin, count, w.ws);
  else if (results) w.ws.assign_results(*results, copy_predicates_, copy_numbers_);
  else throw_internal("Sweeper::batch: no expressions to evaluate and no results to copy");
  auto t1 = Clock::now();
  dlg_->batch(begin, count, w.ws, w.dlg, prepared_dlg);
  const auto t1d = Clock::now();
  w.t_dialogue += seconds(t1, t1d);
  t1 = t1d;
  gates(begin, count, w, trace);
  auto t2 = Clock::now();
  const std::size_t n = w.rows.size();
  w.churn.resize(n);
  if (bound_.model() && n) bound_.model()->score_rows(w.rows.data(), n, w.churn.data());
  else std::fill(w.churn.begin(), w.churn.end(), kNaN);
  auto t3 = Clock::now();
  walk(begin, w, trace);
  auto t4 = Clock::now();
  w.t_hist += seconds(th, t0);
  w.t_eval += seconds(t0, t1);
  w.t_gates += seconds(t1, t2);
  w.t_score += seconds(t2, t3);
  w.t_walk += seconds(t3, t4);
}

void Sweeper::gates(std::size_t begin, std::size_t count, Worker& w, TraceScratch* trace) const {
  const std::size_t words = (count + 63) / 64;
  const auto& consent_cols = bound_.consent_columns();
  const auto& caps = bound_.cap_counts();
  const auto& ws = w.ws;
  w.rows.clear();
  w.row_masks.clear();
  for (std::size_t wi = 0; wi < words; ++wi) {
    const std::size_t row0 = begin + 64 * wi;
    const std::size_t live = std::min<std::size_t>(64, count - 64 * wi);
    const uint64_t rowmask = live == 64 ? ~uint64_t{0} : (uint64_t{1} << live) - 1;
    for (std::size_t k = 0; k < consent_cols.size(); ++k) {
      const Column& col = *consent_cols[k];
      uint64_t bits = pack_bools(col.values<uint8_t>() + row0);
      if (const uint64_t* v = col.validity()) bits &= v[row0 >> 6];
      w.consent[k * kWords + wi] = bits;
    }
    for (std::size_t j = 0; j < caps.size(); ++j) {
      const int64_t max = campaign_.frequency_caps[j].max;
      uint64_t bits = 0;
      if (!caps[j].column) {  // from the history
        const int64_t* n = w.hist.cap_counts.data() + j * expr::kBatchRows + 64 * wi;
        for (std::size_t r = 0; r < live; ++r) bits |= static_cast<uint64_t>(n[r] >= max) << r;
      } else {
        for (std::size_t r = 0; r < live; ++r)
          bits |= static_cast<uint64_t>(cap_allowance(max, caps[j].at(row0 + r)) <= 0) << r;
      }
      w.capped[j * kWords + wi] = bits;
    }
    const bool tracing = trace && *trace_row_ >= row0 && *trace_row_ < row0 + live;
    const unsigned tbit = tracing ? static_cast<unsigned>(*trace_row_ - row0) : 0;
    if (tracing) record_inputs(*trace_row_, *trace_row_ - begin, w, *trace);
    uint64_t exclusive = 0;
    for (std::size_t a = 0; a < actions_; ++a) {
      const BoundAction& ba = bound_.actions()[a];
      ActionFunnel& f = w.funnel[a];
      // A dialogue step fires where the member is due for it (dialogue_pass.h), not on its trigger.
      const uint64_t fired = (a >= dlg_->first_step_action() ? dlg_->fired(w.dlg, a, wi)
                                                             : ws.predicate_bits(bound_.trigger_predicate(a))[wi]) &
                             rowmask;
      uint64_t c = fired & w.consent[ba.consent * kWords + wi];
      if (inputs_) c &= ~w.hist.revoked[campaign_.actions[a].channel * kWords + wi];
      uint64_t supp = 0;
      for (std::size_t r : ba.suppressions) supp |= ws.predicate_bits(bound_.suppression_predicate(r))[wi];
      const uint64_t s = c & ~supp;
      uint64_t capm = 0;
      for (uint64_t m = ba.cap_mask; m; m &= m - 1)
        capm |= w.capped[static_cast<std::size_t>(std::countr_zero(m)) * kWords + wi];
      const uint64_t k = s & ~capm;
      f.fired += bits_set(fired);
      f.consent += bits_set(fired ^ c);
      f.suppression += bits_set(c ^ s);
      f.frequency_cap += bits_set(s ^ k);
      w.cand[a * kWords + wi] = k;
      if (ba.exclusive) exclusive |= k;
      if (tracing) {
        auto& g = trace->gate[a];
        if (!(fired >> tbit & 1)) g.reset();
        else if (!(c >> tbit & 1)) g = Gate::Consent;
        else if (!(s >> tbit & 1)) g = Gate::Suppression;
        else if (!(k >> tbit & 1)) g = Gate::FrequencyCap;
        else g = Gate::Kept;
      }
    }
    uint64_t any = 0;
    for (std::size_t a = 0; a < actions_; ++a) {
      uint64_t& k = w.cand[a * kWords + wi];
      if (exclusive && !bound_.actions()[a].exclusive) {
        w.funnel[a].suppression += bits_set(k & exclusive);
        if (tracing && (k & exclusive) >> tbit & 1) trace->gate[a] = Gate::Suppression;
        k &= ~exclusive;
      }
      any |= k;
    }
    w.any[wi] = any;
    // Each candidate row's actions as one mask (walk()): a bit transpose of the word's candidate bits, one
    // step per candidate (rm's entries are zero between words: each set entry is consumed below).
    uint64_t* rm = w.row_masks_word.data();
    for (std::size_t a = 0; a < actions_; ++a)
      for (uint64_t m = w.cand[a * kWords + wi]; m; m &= m - 1) rm[std::countr_zero(m)] |= uint64_t{1} << a;
    for (uint64_t m = any; m; m &= m - 1) {
      const int r = std::countr_zero(m);
      w.rows.push_back(static_cast<uint32_t>(row0 + static_cast<std::size_t>(r)));
      w.row_masks.push_back(rm[r]);
      rm[r] = 0;
    }
  }
  w.with_candidates += w.rows.size();
}

void Sweeper::record_inputs(std::size_t row, std::size_t off, const Worker& w, TraceScratch& t) const {
  auto used =
      bound_.basket_used().column ? bound_.basket_used().used_at(row) : std::optional<double>(w.hist.basket_used[off]);
  t.used = used ? *used : kNaN;
  t.cap_counts.clear();
  for (std::size_t j = 0; j < bound_.cap_counts().size(); ++j) {
    auto v = bound_.cap_counts()[j].column ? bound_.cap_counts()[j].at(row)
                                           : std::optional<double>(w.hist.cap_counts[j * expr::kBatchRows + off]);
    t.cap_counts.push_back(v ? *v : kNaN);
  }
  t.revoked.assign(campaign_.channels.size(), false);
  if (inputs_)
    for (std::size_t ch = 0; ch < campaign_.channels.size(); ++ch)
      t.revoked[ch] = w.hist.revoked[ch * kWords + off / 64] >> (off % 64) & 1;
}

void Sweeper::walk(std::size_t begin, Worker& w, TraceScratch* trace) const {
  const auto& ws = w.ws;
  const double points = campaign_.basket.points_per_period;
  const auto& caps = bound_.cap_counts();
  const uint64_t* ids = bound_.customer_ids();
  for (std::size_t i = 0; i < w.rows.size(); ++i) {
    const std::size_t row = w.rows[i];
    const std::size_t off = row - begin, wi = off >> 6;
    const unsigned bit = static_cast<unsigned>(off & 63);
    const double churn = w.churn[i];
    const bool tracing = trace && row == *trace_row_;
    uint64_t mask = w.row_masks[i];  // the member's candidate actions (gates())
    std::size_t n = 0;
    for (; mask; mask &= mask - 1) {
      const std::size_t a = static_cast<std::size_t>(std::countr_zero(mask));
      const Plan& pl = plan_[a];
      std::optional<double> number;
      if (pl.rule.kind == PriorityKind::Expression && (ws.number_validity(pl.number)[wi] >> bit & 1))
        number = ws.number_values(pl.number)[off];
      const double p = pl.rule.of(number, churn);
      if (tracing) trace->priority[a] = p;
      if (!std::isfinite(p)) {
        ++w.funnel[a].priority;
        if (tracing) trace->gate[a] = Gate::Priority;
        continue;
      }
      w.cands[n++] = {p, pl.cost, static_cast<uint32_t>(a), pl.cap_mask};
    }
    if (tracing) trace->churn = churn, trace->scored = true;
    if (n == 0) continue;
    order_candidates(w.cands.data(), n);
    std::optional<double> used =
        bound_.basket_used().column ? bound_.basket_used().used_at(row) : std::optional<double>(w.hist.basket_used[off]);
    const double budget = used ? points - *used : kNaN;  // unknown basket: fits nothing
    for (std::size_t j = 0; j < caps.size(); ++j)
      w.allowance[j] = caps[j].column ? cap_allowance(campaign_.frequency_caps[j].max, caps[j].at(row))
                                      : campaign_.frequency_caps[j].max - w.hist.cap_counts[j * expr::kBatchRows + off];
    // Held out of the whole campaign: walked here, not by the optimiser (member_sink.h); of actions: held_walk.h.
    const bool held = holdout_.any() && holdout_.member_held(ids[row]);
    std::size_t nh = 0;
    if (w.sink && !held && holdout_.any_action_level())
      n -= nh =
          split_held(w.cands.data(), n, w.held.data(), [&](uint32_t a) { return holdout_.action_held(a, ids[row]); });
    auto emit = [&](const Candidate& cd, Gate gate, double left, bool control) {
      const std::size_t a = cd.action;
      ActionFunnel& f = w.funnel[a];
      if (tracing) trace->gate[a] = gate, trace->budget_left[a] = left;
      const Decision d{cd.priority, ids[row], left, churn, uint32_t(row), uint16_t(a), 0, uint8_t(control)};
      if (w.sink && control) w.sink->add_control(d, gate);
      switch (gate) {
        case Gate::Kept:
          ++f.kept, f.control += d.control;
          if (!w.sink) w.decisions->add(d);  // with a sink its owner ranks (member_sink.h)
          break;
        case Gate::FrequencyCap: ++f.frequency_cap; break;
        case Gate::Budget: ++f.budget; break;
        case Gate::MemberMax: ++f.member_max; break;
        default: throw_internal("unexpected gate from the budget walk");
      }
    };
    for (std::size_t k = 0; k < nh; ++k)  // alone, before the walk below changes the allowances
      w.gates[k] = walk_alone(w.held[k], budget, campaign_.max_decisions_per_member, w.allowance.data(), caps.size(),
                              w.held_allowance.data(), &w.left[k]);
    for (std::size_t k = 0; k < nh; ++k) emit(w.held[k], w.gates[k], w.left[k], true);
    const bool to_sink = w.sink && !held && n > 0;
    if (to_sink) std::copy(w.allowance.begin(), w.allowance.end(), w.allowance_before.begin());
    walk_budget(w.cands.data(), n, budget, campaign_.max_decisions_per_member, w.allowance.data(), w.gates.data(),
                w.left.data());
    if (to_sink)
      w.sink->add({static_cast<uint32_t>(row), ids[row], budget, churn, w.cands.data(), n, w.allowance_before.data(),
                   caps.size(), w.gates.data()});
    for (std::size_t k = 0; k < n; ++k)
      emit(w.cands[k], w.gates[k], w.left[k], held || holdout_.action_held(w.cands[k].action, ids[row]));
  }
}

}  // namespace nudge::decide::detail
