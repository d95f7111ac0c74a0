// Binding a campaign to a population (bound_campaign.h).
#include "engine/decide/bound_campaign.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/base/error.h"

namespace nudge::decide {
namespace {

const Column& find_column(const Population& pop, const ColumnRef& ref, std::string_view role) {
  auto i = pop.find(ref.name);
  if (!i) {
    throw_invalid_input(fmt::format("{}: {} column '{}' is not in the population{}", ref.origin, role, ref.name,
                                    pop.nearest_column(ref.name).hint()));
  }
  return pop.column(*i);
}

NumericColumn numeric(const Population& pop, const ColumnRef& ref, std::string_view role) {
  const Column& c = find_column(pop, ref, role);
  if (!is_numeric(c.type()))
    throw_invalid_input(
        fmt::format("{}: {} column '{}' must be numeric, not {}", ref.origin, role, ref.name, type_name(c.type())));
  return {&c};
}

std::size_t index_of(const Population& pop, const Column* c) {
  for (std::size_t i = 0; i < pop.num_columns(); ++i)
    if (&pop.column(i) == c) return i;
  throw_internal("column not in population");
}

}  // namespace

bool cap_covers(const Campaign& c, const FrequencyCap& f, const Action& a) {
  auto in = [](const auto& v, const auto& x) { return v.empty() || std::find(v.begin(), v.end(), x) != v.end(); };
  return in(f.channels, a.channel) && in(f.message_types, a.message_type) && in(f.actions, a.name) &&
         in(f.brands, a.brand) && in(f.campaigns, c.name);
}

ExpressionSources expression_sources(const Campaign& c) {
  ExpressionSources s;
  for (const auto& a : c.actions) s.predicates.push_back(a.trigger);
  for (const auto& r : c.suppressions) s.predicates.push_back(r.when);
  for (const auto& d : c.dialogues) {  // dialogue goals follow the suppression rules
    s.goals.push_back(d.goal ? std::optional<std::size_t>(s.predicates.size()) : std::nullopt);
    if (d.goal) s.predicates.push_back(*d.goal);
  }
  s.number_of.resize(c.actions.size());
  for (std::size_t i = 0; i < c.actions.size(); ++i)
    if (c.actions[i].priority_kind == PriorityKind::Expression) {
      s.number_of[i] = s.numbers.size();
      s.numbers.push_back(c.actions[i].priority_expression);
    }
  return s;
}

BoundCampaign BoundCampaign::bind(const Campaign& c, const Population& pop, std::shared_ptr<const score::Model> model) {
  if (pop.rows() >= (std::size_t{1} << 32))
    throw_usage(fmt::format("the sweep handles up to 4294967295 members per population, not {}", pop.rows()));
  if (c.frequency_caps.size() > kMaxFrequencyCaps)
    throw_invalid_input(fmt::format("{}: at most {} frequency caps per campaign, not {}", c.name, kMaxFrequencyCaps,
                                    c.frequency_caps.size()));
  auto id = pop.id_column();
  if (!id) throw_invalid_input("the population has no customer id column (a uint64 column named customer_id)");

  ExpressionSources src = expression_sources(c);
  BoundCampaign b(c, pop, expr::CompiledSet::compile(pop, src.predicates, src.numbers));
  b.goal_predicates_ = std::move(src.goals);
  const auto& number_of = src.number_of;
  b.ids_ = pop.column(*id).values<uint64_t>();
  std::vector<std::size_t> read = b.set_.columns_read();
  read.push_back(*id);

  // Consent columns, one entry per distinct column.
  std::vector<std::size_t> channel_consent(c.channels.size());
  for (std::size_t ch = 0; ch < c.channels.size(); ++ch) {
    const ColumnRef& ref = c.channels[ch].consent;
    const Column& col = find_column(pop, ref, fmt::format("channel '{}': consent", c.channels[ch].name));
    if (col.type() != DataType::Bool)
      throw_invalid_input(fmt::format("{}: channel '{}': consent column '{}' must be bool, not {}", ref.origin,
                                      c.channels[ch].name, ref.name, type_name(col.type())));
    auto it = std::find(b.consent_columns_.begin(), b.consent_columns_.end(), &col);
    channel_consent[ch] = static_cast<std::size_t>(it - b.consent_columns_.begin());
    if (it == b.consent_columns_.end()) b.consent_columns_.push_back(&col);
    read.push_back(index_of(pop, &col));
  }
  // Basket and caps from the history have no column (nullptr): the sweep reads
  // them from its MemberInputSource (member_inputs.h).
  if (!c.basket.from_history()) {
    b.basket_used_ = numeric(pop, c.basket.used, "[basket] used_column:");
    read.push_back(index_of(pop, b.basket_used_.column));
  }
  for (const auto& f : c.frequency_caps) {
    b.cap_counts_.emplace_back();
    if (f.from_history()) continue;
    b.cap_counts_.back() = numeric(pop, f.count_column, fmt::format("frequency cap '{}': count", f.name));
    read.push_back(index_of(pop, b.cap_counts_.back().column));
  }

  for (std::size_t i = 0; i < c.actions.size(); ++i) {
    const Action& a = c.actions[i];
    BoundAction ba;
    ba.cost = c.cost(a);
    ba.consent = channel_consent[a.channel];
    ba.exclusive = c.message_types[a.message_type].exclusive;
    ba.priority_number = number_of[i];
    // weight * value * churn is evaluated left to right, so (weight * value) may be computed once.
    ba.priority = {a.priority_kind, a.weight * a.value, a.priority_times_churn};
    for (std::size_t r = 0; r < c.suppressions.size(); ++r) {
      const auto& s = c.suppressions[r];
      bool type_ok = s.message_types.empty() ||
                     std::find(s.message_types.begin(), s.message_types.end(), a.message_type) != s.message_types.end();
      bool chan_ok =
          s.channels.empty() || std::find(s.channels.begin(), s.channels.end(), a.channel) != s.channels.end();
      if (type_ok && chan_ok) ba.suppressions.push_back(r);
    }
    for (std::size_t j = 0; j < c.frequency_caps.size(); ++j)
      if (cap_covers(c, c.frequency_caps[j], a)) ba.cap_mask |= uint64_t{1} << j;
    b.actions_.push_back(std::move(ba));
  }

  if (!model && c.model_path) model = score::load_model(*c.model_path);
  if (model) {
    b.model_ = std::move(model);
    b.bound_model_ = b.model_->bind(pop);
    for (std::size_t i : b.bound_model_->columns_read()) read.push_back(i);
  }
  std::sort(read.begin(), read.end());
  read.erase(std::unique(read.begin(), read.end()), read.end());
  b.columns_read_ = std::move(read);
  return b;
}

}  // namespace nudge::decide
