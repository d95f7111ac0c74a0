// Policies from the contact history (history_policy.h).
#include "engine/policy/history_policy.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/base/error.h"
#include "engine/expr/program.h"
#include "engine/store/types.h"

namespace nudge::policy {
namespace {

using expr::HistoryAggregate;

bool listed(const std::vector<std::string>& v, const std::string& x) {
  return v.empty() || std::find(v.begin(), v.end(), x) != v.end();
}

// Every expression of the campaign (triggers, suppression conditions,
// expression priorities, dialogue goals; dialogue entries are their steps' triggers).
std::vector<expr::Source> campaign_expressions(const decide::Campaign& c) {
  std::vector<expr::Source> s;
  for (const auto& a : c.actions) {
    s.push_back(a.trigger);
    if (a.priority_kind == decide::PriorityKind::Expression) s.push_back(a.priority_expression);
  }
  for (const auto& r : c.suppressions) s.push_back(r.when);
  for (const auto& d : c.dialogues)
    if (d.goal) s.push_back(*d.goal);
  return s;
}

}  // namespace

std::size_t HistoryPolicy::record_words_for(std::size_t bytes) {
  // 4 or 8 words (32 or 64 bytes: a record never straddles a cache line), else whole cache lines.
  const std::size_t w = (bytes + 7) / 8;
  return w <= 4 ? 4 : (w + 7) / 8 * 8;
}

int32_t period_start(int32_t as_of, const std::string& period) {
  if (period == "day") return as_of;
  if (period == "week") {
    // 1970-01-01 was a Thursday: weekday (Monday = 0) = (days + 3) mod 7.
    const int32_t wd = ((as_of + 3) % 7 + 7) % 7;
    return as_of - wd;
  }
  int y;
  unsigned m, d;
  civil_from_days(as_of, y, m, d);
  return days_from_civil(y, m, 1);
}

HistoryPolicy::HistoryPolicy(const decide::Campaign& c, const Population& pop, history::History h, int32_t as_of,
                             const std::vector<const decide::Campaign*>& also)
    : c_(c), h_(std::move(h)), as_of_(as_of) {
  // The campaign's aggregates, then each of `also`'s not among them (collect_history_calls keeps
  // the first of equal calls).
  std::vector<expr::Source> sources = campaign_expressions(c);
  std::string names = c.name;
  for (const decide::Campaign* o : also) {
    const auto s = campaign_expressions(*o);
    sources.insert(sources.end(), s.begin(), s.end());
    names += " and " + o->name;
  }
  calls_ = expr::collect_history_calls(sources);
  if (calls_.size() > 64)
    throw_usage(also.empty()
                    ? fmt::format("campaign {} uses {} distinct history aggregates; at most 64", c.name, calls_.size())
                    : fmt::format("campaigns {} use {} distinct history aggregates together; at most 64", names,
                                  calls_.size()));
  add_aggregate_columns(pop);
  member_of_row_ = std::make_shared<const std::vector<uint32_t>>(h_.map_population(pop));
  setup_policies();
}

HistoryPolicy::HistoryPolicy(const decide::Campaign& c, const HistoryPolicy& shared)
    : c_(c),
      h_(shared.h_),
      as_of_(shared.as_of_),
      pop_(shared.pop_),
      member_of_row_(shared.member_of_row_),
      calls_(shared.calls_),
      aggs_(shared.aggs_) {
  for (const auto& call : expr::collect_history_calls(campaign_expressions(c))) {
    const std::string k = call.key();
    if (std::none_of(calls_.begin(), calls_.end(), [&](const expr::HistoryCall& x) { return x.key() == k; }))
      throw_usage(fmt::format("campaign {} reads {}, which the population shared with campaign {} has no column for",
                              c.name, k, shared.c_.name));
  }
  setup_policies();
}

void HistoryPolicy::add_aggregate_columns(const Population& pop) {
  // The population plus one column per aggregate (pop's columns are shared, not copied).
  pop_ = std::make_shared<Population>(pop.rows(), pop.as_of());
  for (const Column& col : pop.columns()) pop_->add_column(col);
  if (auto id = pop.id_column()) pop_->set_id_column(*id);
  for (const Series& s : pop.series()) pop_->add_series(s);
  const std::size_t rows = pop.rows();
  for (const auto& call : calls_) {
    Agg a;
    a.call = call;
    if (call.window) {
      call.window->range(as_of_, a.first, a.last);
      a.last = std::min(a.last, as_of_);
    }
    const std::string name = expr::history_column_name(call);
    const bool dbl = call.kind == HistoryAggregate::Points;
    Column col;
    if (call.kind == HistoryAggregate::DaysSinceContact) {
      col = Column::from_buffers(name, DataType::Int64, rows, Buffer::allocate(padded_rows(rows) * 8),
                                 Buffer::allocate(padded_rows(rows) / 8), {}, 0);
    } else {
      col = Column(name, dbl ? DataType::Float64 : DataType::Int64, rows);
    }
    a.column = pop_->add_column(std::move(col));
    Column& stored = pop_->mutable_column(a.column);
    a.values = dbl ? static_cast<void*>(stored.mutable_values<double>())
                   : static_cast<void*>(stored.mutable_values<int64_t>());
    if (stored.has_validity())
      a.validity = reinterpret_cast<uint64_t*>(const_cast<std::byte*>(stored.validity_buffer().data()));
    if (const auto* f = call.filter("type")) {
      a.type_ok.resize(h_.response_types().size());
      for (std::size_t t = 0; t < a.type_ok.size(); ++t)
        a.type_ok[t] = listed(f->values, h_.response_types().name(static_cast<int32_t>(t)));
    }
    aggs_.push_back(std::move(a));
  }
}

// The campaign's basket, caps, consent and profile classes over calls_'s aggregates; the record layout.
void HistoryPolicy::setup_policies() {
  const decide::Campaign& c = c_;
  const int32_t as_of = as_of_;
  if (c.channels.size() > 64) throw_usage("a campaign read with a history has at most 64 channels");
  period_first_ = c.basket.from_history() ? period_start(as_of, c.basket.period) : as_of + 1;
  cap_first_.assign(c.frequency_caps.size(), 0);
  lookback_first_ = c.basket.from_history() ? period_first_ : INT32_MAX;
  for (std::size_t j = 0; j < c.frequency_caps.size(); ++j)
    if (c.frequency_caps[j].from_history()) {
      history_caps_.push_back(j);
      cap_first_[j] = static_cast<int32_t>(as_of - c.frequency_caps[j].window_days + 1);
      lookback_first_ = std::min(lookback_first_, cap_first_[j]);
    }
  for (std::size_t k = 0; k < aggs_.size(); ++k) {
    const auto kind = aggs_[k].call.kind;
    if (kind == HistoryAggregate::Contacts || kind == HistoryAggregate::Points) {
      contact_mask_ |= uint64_t{1} << k;
      lookback_first_ = std::min(lookback_first_, aggs_[k].first);
    } else if (kind == HistoryAggregate::DaysSinceContact) {
      contact_mask_ |= uint64_t{1} << k;
      days_since_mask_ |= uint64_t{1} << k;
    } else {
      response_mask_ |= uint64_t{1} << k;
      if (kind == HistoryAggregate::Answered) answered_mask_ |= uint64_t{1} << k;
    }
  }

  // Classify each distinct contact profile once.
  for (const auto& p : h_.profiles()) {
    ProfileClass pc;
    pc.cost = p.cost;
    pc.control = p.control;
    const std::string& action = h_.actions().name(p.action);
    const std::string& channel = h_.channels().name(p.channel);
    const std::string& type = h_.message_types().name(p.message_type);
    const std::string brand = p.brand >= 0 ? h_.brands().name(p.brand) : std::string();
    const std::string campaign = p.campaign >= 0 ? h_.campaigns().name(p.campaign) : std::string();
    for (std::size_t j : history_caps_) {
      const auto& f = c.frequency_caps[j];
      bool ok =
          listed(f.actions, action) && listed(f.campaigns, campaign) && (f.brands.empty() || listed(f.brands, brand));
      if (f.brands.empty() == false && brand.empty()) ok = false;
      if (!f.channels.empty())
        ok = ok && std::any_of(f.channels.begin(), f.channels.end(),
                               [&](std::size_t ch) { return c.channels[ch].name == channel; });
      if (!f.message_types.empty())
        ok = ok && std::any_of(f.message_types.begin(), f.message_types.end(),
                               [&](std::size_t t) { return c.message_types[t].name == type; });
      if (ok) pc.caps |= uint64_t{1} << j;
    }
    for (std::size_t k = 0; k < aggs_.size(); ++k) {
      bool ok = true;
      for (const auto& f : aggs_[k].call.filters) {
        if (f.field == "channel") ok = ok && listed(f.values, channel);
        else if (f.field == "message_type") ok = ok && listed(f.values, type);
        else if (f.field == "action") ok = ok && listed(f.values, action);
        else if (f.field == "brand") ok = ok && !brand.empty() && listed(f.values, brand);
        else if (f.field == "campaign") ok = ok && !campaign.empty() && listed(f.values, campaign);
      }
      if (ok) pc.aggs |= uint64_t{1} << k;
    }
    for (std::size_t ch = 0; ch < c.channels.size(); ++ch)
      if (c.channels[ch].name == channel ||
          std::find(c.channels[ch].revoked_by.begin(), c.channels[ch].revoked_by.end(), channel) !=
              c.channels[ch].revoked_by.end())
        pc.revokes |= uint64_t{1} << ch;
    profiles_.push_back(pc);
  }
  // prepare()'s record (history_summary.cc, pack): used, revoked, 4 bytes a cap, 4 bytes an
  // aggregate (8 for points).
  policy_bytes_ = 16 + 4 * history_caps_.size();
  for (const Agg& a : aggs_) {
    agg_off_.push_back(policy_bytes_);
    policy_bytes_ += a.call.kind == HistoryAggregate::Points ? 8 : 4;
  }
  record_words_ = record_words_for(policy_bytes_);
  setup_fast_walk();
}

void HistoryPolicy::fill(std::size_t begin, std::size_t count, decide::MemberInputs& out,
                         const decide::PreparedInputs* prepared) const {
  if (prepared) {
    fill_prepared(static_cast<const Prepared*>(prepared)->table, begin, count, out);
    return;
  }
  // Without prepare()'s table (reports, explain, tests): walk each row's member.
  constexpr std::size_t B = expr::kBatchRows;
  out.basket_used.assign(B, 0.0);
  out.cap_counts.assign(c_.frequency_caps.size() * B, 0);
  out.revoked.assign(c_.channels.size() * (B / 64), 0);
  std::vector<uint32_t> scratch;
  std::vector<uint64_t> words(record_words_);
  uint8_t* rec = reinterpret_cast<uint8_t*>(words.data());
  Walked w;
  for (std::size_t r = 0; r < count; ++r) {
    const uint32_t m = (*member_of_row_)[begin + r];
    if (m == history::kNoMember) {
      write_none(begin + r);
      continue;
    }
    walk(m, w, scratch);
    pack(w, rec);
    write_record(rec, begin + r, r, out);
  }
}

uint64_t HistoryPolicy::revoked_by_unsubscribes(uint32_t m) const {
  // Only unsubscribes matter: read the types, and the rest of an unsubscribe only.
  const auto ron = h_.responded_on();
  const auto rtype = h_.response_type();
  uint64_t revoked = 0;
  const history::IndexRange rr = h_.responses_of(m), cr = h_.contacts_of(m);
  // The codes are checked where used (a damaged segment: History::damaged, never a read out of range).
  for (uint32_t k = rr.first; k < rr.last; ++k)
    if (rtype[k] == history::kUnsubscribe && ron[k] <= as_of_) {
      const ProfileClass& pc = profiles_[h_.profile_code(h_.contact_of_response(k, cr))];
      if (!pc.control) revoked |= pc.revokes;
    }
  return revoked;
}

void HistoryPolicy::walk(uint32_t m, Walked& w, std::vector<uint32_t>& scratch) const {
  const auto sent = h_.sent_on();
  const std::size_t K = aggs_.size();
  // Per aggregate and per cap (at most 64 each); only the first K / caps entries are used.
  int64_t* ival = w.ival;
  int64_t* caps = w.caps;
  double* dval = w.dval;
  int32_t* newest = w.newest;
  std::fill_n(ival, K, 0), std::fill_n(dval, K, 0.0), std::fill_n(newest, K, INT32_MIN);
  std::fill_n(caps, c_.frequency_caps.size(), 0);
  double used = 0;
  // Contacts newest first (they are sorted by sent_on): only those dated from
  // lookback_first_ on can count, except for a days_since_contact aggregate
  // that has not met its newest contact yet.
  const history::IndexRange cr = h_.contacts_of(m);
  uint32_t i = cr.last;
  while (i > cr.first && sent[i - 1] > as_of_) --i;  // dated after as_of: ignored
  uint64_t pending = days_since_mask_;
  for (; i > cr.first; --i) {
    const uint32_t ci = i - 1;
    const int32_t t = sent[ci];
    if (t < lookback_first_ && !pending) break;
    const ProfileClass& pc = profiles_[h_.profile_code(ci)];
    if (pc.control) continue;
    if (t >= period_first_) used += pc.cost;
    for (uint64_t b = pc.caps; b; b &= b - 1) {
      const int j = __builtin_ctzll(b);
      caps[j] += t >= cap_first_[static_cast<std::size_t>(j)];
    }
    for (uint64_t b = pc.aggs & contact_mask_; b; b &= b - 1) {
      const std::size_t k = static_cast<std::size_t>(__builtin_ctzll(b));
      const Agg& a = aggs_[k];
      if (a.call.kind == HistoryAggregate::Contacts) {
        ival[k] += t >= a.first && t <= a.last;
      } else if (a.call.kind == HistoryAggregate::Points) {
        if (t >= a.first && t <= a.last) dval[k] += pc.cost;
      } else if (pending >> k & 1) {  // DaysSinceContact: the newest match
        newest[k] = t;
        pending &= ~(uint64_t{1} << k);
      }
    }
  }
  uint64_t revoked = 0;
  const auto ron = h_.responded_on();
  const auto rtype = h_.response_type();
  if (!response_mask_) revoked = revoked_by_unsubscribes(m);
  for (uint32_t k = h_.responses_of(m).first; response_mask_ && k < h_.responses_of(m).last; ++k) {
    const int32_t t = ron[k];
    if (t > as_of_) break;  // responses are sorted by responded_on
    const uint32_t ci = h_.contact_of_response(k, cr);
    const ProfileClass& pc = profiles_[h_.profile_code(ci)];
    if (pc.control) continue;  // kept for holdout comparisons; no effect on any policy
    if (rtype[k] == history::kUnsubscribe) revoked |= pc.revokes;
    for (uint64_t b = pc.aggs & response_mask_ & ~answered_mask_; b; b &= b - 1) {
      const std::size_t j = static_cast<std::size_t>(__builtin_ctzll(b));
      const Agg& a = aggs_[j];
      if (!a.type_ok.empty() && !a.type_ok[h_.type_code(k)]) continue;
      ival[j] += t >= a.first && t <= a.last;
    }
  }
  if (answered_mask_) {
    // Contacts (sent in the window, filters passing) with a response of a passing type within `within` days.
    for (std::size_t j = 0; j < K; ++j) {
      const Agg& a = aggs_[j];
      if (a.call.kind != HistoryAggregate::Answered) continue;
      scratch.clear();
      for (uint32_t k = h_.responses_of(m).first; k < h_.responses_of(m).last; ++k) {
        if (ron[k] > as_of_) break;
        const uint32_t ci = h_.contact_of_response(k, cr);
        const ProfileClass& pc = profiles_[h_.profile_code(ci)];
        if (pc.control || !(pc.aggs >> j & 1)) continue;
        if (!a.type_ok.empty() && !a.type_ok[h_.type_code(k)]) continue;
        if (sent[ci] < a.first || sent[ci] > a.last || ron[k] - sent[ci] > a.call.within) continue;
        scratch.push_back(ci);
      }
      std::sort(scratch.begin(), scratch.end());
      ival[j] = std::unique(scratch.begin(), scratch.end()) - scratch.begin();
    }
  }
  w.used = used;
  w.revoked = revoked;
}

}  // namespace nudge::policy
