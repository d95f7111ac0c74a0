// BoundCampaign: a campaign checked against one population and compiled for
// the sweep.
//
// Binding resolves every column the campaign names (consent columns must be
// bool; the basket and contact-count columns numeric), compiles all triggers,
// suppression conditions and expression priorities into ONE
// expr::CompiledSet (so the sweep evaluates them in one pass), loads and binds
// the churn model, and precomputes per action its cost, consent column,
// suppression rules and frequency caps.
//
//   auto campaign = nudge::decide::load_campaign("data/campaigns/rs1.toml");
//   auto bound = nudge::decide::BoundCampaign::bind(campaign, pop);
//   auto result = nudge::decide::run_sweep(bound, {});       // sweep.h
//
// Errors: throws Error(InvalidInput) "file:line:col: ..." at the campaign key
// naming a column the population lacks (with "did you mean"), a column of the
// wrong type, or an expression that does not compile (the expression
// compiler's message points inside the expression); model load/bind errors
// are passed on. A population without a customer id column, or of 2^32 rows
// or more, is refused.
//
// Ownership: keeps references to `campaign` and `pop`: both must outlive it.
// Thread-safety: immutable after bind(); the sweep shares it across threads.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "engine/decide/arbitration.h"
#include "engine/decide/campaign.h"
#include "engine/expr/program.h"
#include "engine/score/model.h"
#include "engine/store/population.h"

namespace nudge::decide {

// A numeric column read one row at a time as double (NULL -> nullopt).
// column == nullptr: the value comes from the history (member_inputs.h), not a column.
struct NumericColumn {
  const Column* column = nullptr;
  std::optional<double> at(std::size_t row) const noexcept {
    if (column->is_null(row)) return std::nullopt;  // bind() admits numeric columns only
    return visit_values(*column, [row](const auto* v) { return static_cast<double>(v[row]); });
  }
  // The basket's points used: nullopt (an unknown basket, which fits nothing)
  // when NULL, NaN or -inf (points_per_period - -inf would be an endless budget).
  std::optional<double> used_at(std::size_t row) const noexcept {
    auto u = at(row);
    if (u && (std::isnan(*u) || *u == -std::numeric_limits<double>::infinity())) return std::nullopt;
    return u;
  }
};

// Contacts a frequency cap still allows a member who already had `count`
// contacts: floor(max - count); 0 when the count is NULL or NaN (unknown
// history is treated as capped, like missing consent).
inline int64_t cap_allowance(int64_t max, std::optional<double> count) noexcept {
  if (!count || std::isnan(*count)) return 0;
  double a = std::floor(static_cast<double>(max) - *count);
  if (a > 1e15) return int64_t{1} << 50;
  if (a < -1e15) return -(int64_t{1} << 50);
  return static_cast<int64_t>(a);
}

// How an action's priority is computed: the one place the formula is
// written (RS-1, shared/WORKLOAD.md "Arbitration"; campaign.h PriorityKind).
// The sweep's hot loop and BoundCampaign::priority (explain) both call of().
struct PriorityRule {
  PriorityKind kind = PriorityKind::WeightValue;
  double weight_value = 0;   // weight * value, computed once (the formula is evaluated left to right)
  bool times_churn = false;  // Expression priorities: multiplied by the churn score

  // The priority for a member with churn score `churn`. `number` is the
  // action's number expression value (nullopt = NULL), read for Expression
  // priorities only; a NULL value gives NaN.
  double of(std::optional<double> number, double churn) const noexcept {
    switch (kind) {
      case PriorityKind::WeightValueChurn: return weight_value * churn;
      case PriorityKind::WeightValue: return weight_value;
      case PriorityKind::Expression:
        if (!number) return std::numeric_limits<double>::quiet_NaN();
        return times_churn ? *number * churn : *number;
    }
    return std::numeric_limits<double>::quiet_NaN();
  }
};

struct BoundAction {
  double cost = 0;                             // points
  std::size_t consent = 0;                     // index into BoundCampaign::consent_columns
  std::vector<std::size_t> suppressions;       // suppression rules that cover it
  uint64_t cap_mask = 0;                       // bit j: frequency cap j covers its channel
  bool exclusive = false;                      // its message type is exclusive (calamity)
  std::optional<std::size_t> priority_number;  // number expression index (Expression priorities)
  PriorityRule priority;
};

// True when frequency cap f covers action a: its channel, message type,
// name, brand and the campaign's name pass the cap's filters (empty = any).
bool cap_covers(const Campaign& c, const FrequencyCap& f, const Action& a);

// The expressions bind() compiles into BoundCampaign::expressions(), in its
// index order: predicates = every action's trigger, then every suppression
// rule's condition, then the goal of each dialogue that has one (goals[d]:
// its index); numbers = the priority expression of each action with an
// Expression priority (number_of[a]: its index). engine/decide/
// shared_expressions.h compiles several campaigns' sources into one set.
struct ExpressionSources {
  std::vector<expr::Source> predicates, numbers;
  std::vector<std::optional<std::size_t>> goals;      // per dialogue
  std::vector<std::optional<std::size_t>> number_of;  // per action
};
ExpressionSources expression_sources(const Campaign& campaign);

class BoundCampaign {
 public:
  // `model`: the churn model to use; when null, the campaign's model file (if
  // any) is loaded.
  static BoundCampaign bind(const Campaign& campaign, const Population& pop,
                            std::shared_ptr<const score::Model> model = nullptr);

  const Campaign& campaign() const noexcept { return *campaign_; }
  const Population& population() const noexcept { return *pop_; }
  const expr::CompiledSet& expressions() const noexcept { return set_; }
  // Predicate indices in expressions(): trigger of action a = a; suppression rule r = actions + r.
  std::size_t trigger_predicate(std::size_t action) const noexcept { return action; }
  std::size_t suppression_predicate(std::size_t rule) const noexcept { return campaign_->actions.size() + rule; }
  // Dialogue d's goal predicate (nullopt: no goal); its entry condition is
  // the trigger of each of its steps (engine/dialogue/dialogue.h).
  std::optional<std::size_t> goal_predicate(std::size_t dialogue) const noexcept { return goal_predicates_[dialogue]; }
  const std::vector<BoundAction>& actions() const noexcept { return actions_; }
  // Distinct consent columns (several channels may share one).
  const std::vector<const Column*>& consent_columns() const noexcept { return consent_columns_; }
  const NumericColumn& basket_used() const noexcept { return basket_used_; }
  const std::vector<NumericColumn>& cap_counts() const noexcept { return cap_counts_; }
  const uint64_t* customer_ids() const noexcept { return ids_; }
  // Null when the campaign has no model.
  const score::BoundModel* model() const noexcept { return bound_model_.get(); }
  const score::Model* model_definition() const noexcept { return model_.get(); }
  // Column indices the sweep reads (expressions, consent, basket, caps, model, ids).
  const std::vector<std::size_t>& columns_read() const noexcept { return columns_read_; }

  // The priority of action a for a member, given the value of its number
  // expression (when it has one) and the member's churn score. NaN for a
  // NULL expression value (PriorityRule::of).
  double priority(std::size_t action, std::optional<double> number, double churn) const noexcept {
    return actions_[action].priority.of(number, churn);
  }

  BoundCampaign(BoundCampaign&&) noexcept = default;

 private:
  BoundCampaign(const Campaign& c, const Population& p, expr::CompiledSet set)
      : campaign_(&c), pop_(&p), set_(std::move(set)) {}
  const Campaign* campaign_;
  const Population* pop_;
  expr::CompiledSet set_;
  std::vector<BoundAction> actions_;
  std::vector<const Column*> consent_columns_;
  NumericColumn basket_used_;
  std::vector<NumericColumn> cap_counts_;
  const uint64_t* ids_ = nullptr;
  std::shared_ptr<const score::Model> model_;
  std::unique_ptr<score::BoundModel> bound_model_;
  std::vector<std::size_t> columns_read_;
  std::vector<std::optional<std::size_t>> goal_predicates_;
};

}  // namespace nudge::decide
