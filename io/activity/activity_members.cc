// members_from_activity and format_activity_report (io/activity/activity_import.h).
#include <algorithm>
#include <sstream>

#include "engine/base/error.h"
#include "io/activity/activity_columns.h"
#include "io/activity/activity_import.h"

namespace nudge {

Population members_from_activity(const Population& table, const ActivitySpec& spec, std::string_view source,
                                 int32_t as_of) {
  spec.validate(source);
  const auto cols = activity::ActivityColumns::resolve(table, spec, source);
  std::vector<std::pair<uint64_t, int32_t>> seen;  // (id, first day of the row's period)
  seen.reserve(table.rows());
  std::string why;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    auto id = cols.member_id(r);
    if (!id)
      throw_invalid_input(cols.row_label(r) + ": column '" + cols.member->name() +
                          "' is empty; every activity row needs a member id");
    auto d = cols.first_day(r, &why);
    if (!d) throw_invalid_input(why);
    seen.emplace_back(*id, *d);
  }
  std::sort(seen.begin(), seen.end());  // by id, then day: the first of each id is its earliest
  seen.erase(std::unique(seen.begin(), seen.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
             seen.end());
  Population p(seen.size(), as_of);
  Column ids("customer_id", DataType::UInt64, seen.size());
  Column first("first_active", DataType::Date, seen.size());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    ids.mutable_values<uint64_t>()[i] = seen[i].first;
    first.mutable_values<int32_t>()[i] = seen[i].second;
  }
  p.set_id_column(p.add_column(std::move(ids)));
  p.add_column(std::move(first));
  return p;
}

std::string format_activity_report(const ActivityReport& r, const ActivitySpec& spec) {
  std::ostringstream o;
  o << "activity rows: " << r.rows << "\n"
    << "rows used: " << r.rows_used << "\n"
    << "repeated member-bucket rows: " << r.repeated_rows << " (rows whose member and bucket occurred before)\n"
    << "exact duplicates: " << r.exact_duplicates << " (equal to an earlier row in every column)\n"
    << "repeated rows policy: " << repeat_policy_name(spec.repeated_rows)
    << " (exact duplicates dropped: " << r.dropped_duplicates << ")\n"
    << "rows for unknown members: " << r.unknown_member_rows << " (policy "
    << unknown_member_policy_name(spec.unknown_members) << ")";
  if (!r.first_unknown_member.empty()) o << ", first: " << r.first_unknown_member;
  o << "\n"
    << "rows before the window: " << r.rows_before_window << "\n"
    << "rows after as_of: " << r.rows_after_as_of << "\n"
    << "empty metric cells counted as 0: " << r.null_metric_values << "\n"
    << "members with activity: " << r.members_with_activity << "\n";
  return o.str();
}

}  // namespace nudge
