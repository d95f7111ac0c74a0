#include "tests/oracles/activity_reference.h"

#include <map>
#include <set>

#include "engine/base/error.h"
#include "io/activity/activity_columns.h"

namespace nudge {

ActivityReport add_activity_series_reference(Population& members, const Population& table, const ActivitySpec& spec,
                                             std::string_view source) {
  spec.validate(source);
  const auto cols = activity::ActivityColumns::resolve(table, spec, source);
  for (const auto& m : spec.metrics) {
    if (members.find_series(m.series_name()))
      throw_invalid_input("the members already have a series '" + m.series_name() + "'");
    for (std::size_t k = 0; k < spec.buckets; ++k)
      if (members.find(m.series_name() + "@" + std::to_string(k)))
        throw_invalid_input("the members already have a column '" + m.series_name() + "@" + std::to_string(k) + "'");
  }
  activity::member_index(members);  // the same checks as the fast path: an id column, no repeated id
  // id -> member row, the plain way.
  const Column& ids = members.column(*members.id_column());
  std::map<uint64_t, std::size_t> member_row;
  for (std::size_t r = 0; r < members.rows(); ++r) member_row[ids.values<uint64_t>()[r]] = r;

  ActivityReport rep;
  rep.rows = table.rows();
  std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> rows_of;  // (member, bucket) -> rows seen
  std::map<std::pair<std::size_t, std::size_t>, std::vector<__int128>> isum;        // per metric
  std::map<std::pair<std::size_t, std::size_t>, std::vector<double>> fsum;
  std::set<std::size_t> active;
  std::string why;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    if (table.column(cols.member->name()).is_null(r))
      throw_invalid_input(cols.row_label(r) + ": column '" + cols.member->name() +
                          "' is empty; every activity row needs a member id");
    const uint64_t id = *cols.member_id(r);
    auto k = cols.bucket(r, spec, members.as_of(), &why);
    if (!k) throw_invalid_input(why);
    auto it = member_row.find(id);
    if (it == member_row.end()) {
      if (spec.unknown_members == UnknownMemberPolicy::Error) activity::throw_unknown_member(cols, r, id);
      if (rep.unknown_member_rows++ == 0) rep.first_unknown_member = std::to_string(id);
      continue;
    }
    if (*k < 0) {
      ++rep.rows_after_as_of;
      continue;
    }
    if (*k >= static_cast<int64_t>(spec.buckets)) {
      ++rep.rows_before_window;
      continue;
    }
    const auto key = std::make_pair(it->second, static_cast<std::size_t>(*k));
    auto& earlier = rows_of[key];
    bool duplicate = false;
    if (!earlier.empty()) {
      ++rep.repeated_rows;
      for (std::size_t e : earlier) duplicate = duplicate || cols.rows_equal(r, e);
      if (duplicate) ++rep.exact_duplicates;
    }
    earlier.push_back(r);
    if (duplicate && spec.repeated_rows == RepeatPolicy::DropExactDuplicates) {
      ++rep.dropped_duplicates;
      continue;
    }
    ++rep.rows_used;
    active.insert(it->second);
    auto& is = isum[key];
    auto& fs = fsum[key];
    is.resize(spec.metrics.size());
    fs.resize(spec.metrics.size());
    for (std::size_t m = 0; m < spec.metrics.size(); ++m) {
      if (cols.metrics[m]->is_null(r)) ++rep.null_metric_values;
      is[m] += activity::metric_int(*cols.metrics[m], r, spec.metrics[m].decimals);
      fs[m] += activity::metric_double(*cols.metrics[m], r);
    }
  }
  rep.members_with_activity = active.size();
  // Overflow: the lowest (member, bucket), then the first metric.
  for (const auto& [key, sums] : isum)
    for (std::size_t m = 0; m < spec.metrics.size(); ++m)
      if (spec.metrics[m].type == DataType::Int32 && (sums[m] < INT32_MIN || sums[m] > INT32_MAX))
        activity::throw_overflow(members, spec, m, key.first, key.second, sums[m]);

  for (std::size_t m = 0; m < spec.metrics.size(); ++m) {
    Series s;
    s.name = spec.metrics[m].series_name();
    s.unit = spec.unit;
    for (std::size_t k = 0; k < spec.buckets; ++k) {
      Column c(s.name + "@" + std::to_string(k), spec.metrics[m].type, members.rows());
      for (std::size_t r = 0; r < members.rows(); ++r) {
        const auto key = std::make_pair(r, k);
        if (!isum.count(key)) continue;
        if (spec.metrics[m].type == DataType::Int32)
          c.mutable_values<int32_t>()[r] = static_cast<int32_t>(isum[key][m]);
        else c.mutable_values<float>()[r] = activity::to_float32(fsum[key][m]);
      }
      s.bucket_columns.push_back(members.add_column(std::move(c)));
    }
    members.add_series(std::move(s));
  }
  return rep;
}

}  // namespace nudge
