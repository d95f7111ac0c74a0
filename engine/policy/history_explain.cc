// `nudge explain --history`: the history events behind one member's gates
// (HistoryPolicy::explain, history_policy.h). Plain loops over the member's
// events, written for reading, not speed.
#include <fmt/format.h>

#include "engine/policy/history_policy.h"
#include "engine/store/types.h"

namespace nudge::policy {
namespace {

std::string contact_text(const history::History& h, uint32_t i) {
  const auto& p = h.profile_of(i);
  return fmt::format("{} {} {}/{} cost {}{}", format_iso_date(h.sent_on()[i]), h.actions().name(p.action),
                     h.channels().name(p.channel), h.message_types().name(p.message_type), p.cost,
                     p.control ? " (control)" : "");
}

}  // namespace

std::string HistoryPolicy::explain(std::size_t row) const {
  const uint32_t m = (*member_of_row_)[row];
  std::string s;
  if (m == history::kNoMember)
    return "  (no history for this member: basket full, caps at 0, consent as the columns say)\n";
  const auto sent = h_.sent_on();
  std::size_t after = 0, control = 0;
  for (uint32_t i : h_.contacts_of(m)) {
    if (sent[i] > as_of_) ++after;
    else if (h_.profile_of(i).control) ++control;
  }
  if (c_.basket.from_history()) {
    std::string list;
    double used = 0;
    for (uint32_t i : h_.contacts_of(m))
      if (sent[i] >= period_first_ && sent[i] <= as_of_ && !h_.profile_of(i).control) {
        list += "    " + contact_text(h_, i) + "\n";
        used += h_.profile_of(i).cost;
      }
    s += fmt::format("  basket: {} points used this {} ({} to {}):\n{}", used, c_.basket.period,
                     format_iso_date(period_first_), format_iso_date(as_of_), list.empty() ? "    (none)\n" : list);
  }
  for (std::size_t j : history_caps_) {
    const auto& f = c_.frequency_caps[j];
    std::string list;
    std::size_t n = 0;
    for (uint32_t i : h_.contacts_of(m)) {
      const uint32_t p = h_.profile_code(i);
      if (sent[i] >= cap_first_[j] && sent[i] <= as_of_ && !profiles_[p].control && (profiles_[p].caps >> j & 1)) {
        list += "    " + contact_text(h_, i) + "\n";
        ++n;
      }
    }
    s += fmt::format("  cap {}: {} of max {} contacts in the last {} days ({} to {}):\n{}", f.name, n, f.max,
                     f.window_days, format_iso_date(cap_first_[j]), format_iso_date(as_of_),
                     list.empty() ? "    (none)\n" : list);
  }
  for (uint32_t k : h_.responses_of(m)) {
    const uint32_t ci = h_.contact_of_response(k, h_.contacts_of(m));
    if (h_.responded_on()[k] > as_of_ || h_.type_code(k) != history::kUnsubscribe) continue;
    const uint32_t p = h_.profile_code(ci);
    std::string chans;
    for (std::size_t ch = 0; ch < c_.channels.size(); ++ch)
      if (profiles_[p].revokes >> ch & 1) chans += (chans.empty() ? "" : ", ") + c_.channels[ch].name;
    s += fmt::format("  unsubscribe {} to {}: {}\n", format_iso_date(h_.responded_on()[k]), contact_text(h_, ci),
                     profiles_[p].control ? "ignored (control contact)"
                     : chans.empty()      ? "revokes no channel of this campaign"
                                          : "revokes " + chans);
  }
  for (std::size_t k = 0; k < aggs_.size(); ++k) {
    const Agg& a = aggs_[k];
    const bool dbl = a.call.kind == expr::HistoryAggregate::Points;
    const bool null = a.validity && !(a.validity[row >> 6] >> (row & 63) & 1);
    const std::string v = null  ? "NULL"
                          : dbl ? fmt::format("{}", static_cast<const double*>(a.values)[row])
                                : fmt::format("{}", static_cast<const int64_t*>(a.values)[row]);
    std::string list;
    if (a.call.kind != expr::HistoryAggregate::Responses && a.call.kind != expr::HistoryAggregate::Answered) {
      for (uint32_t i : h_.contacts_of(m)) {
        const uint32_t p = h_.profile_code(i);
        const bool in_window = !a.call.window || (sent[i] >= a.first && sent[i] <= a.last);
        if (sent[i] <= as_of_ && !profiles_[p].control && (profiles_[p].aggs >> k & 1) && in_window)
          list += "    " + contact_text(h_, i) + "\n";
      }
    } else {
      for (uint32_t r : h_.responses_of(m)) {
        const uint32_t ci = h_.contact_of_response(r, h_.contacts_of(m));
        const uint32_t p = h_.profile_code(ci);
        const int32_t t = h_.responded_on()[r];
        const bool in_window = a.call.kind == expr::HistoryAggregate::Answered || (t >= a.first && t <= a.last);
        if (t <= as_of_ && in_window && !profiles_[p].control && (profiles_[p].aggs >> k & 1) &&
            (a.type_ok.empty() || a.type_ok[h_.type_code(r)]))
          list += fmt::format("    {} {} to {}\n", format_iso_date(h_.responded_on()[r]),
                              h_.response_types().name(h_.type_code(r)), contact_text(h_, ci));
      }
    }
    s += fmt::format(
        "  {} = {}{}\n{}", a.call.key(), v,
        a.call.window ? fmt::format(" (window {} to {})", format_iso_date(a.first), format_iso_date(a.last)) : "",
        list);
  }
  if (after || control)
    s += fmt::format("  ignored: {} contacts dated after as_of {}, {} control contacts\n", after,
                     format_iso_date(as_of_), control);
  return s;
}

}  // namespace nudge::policy
