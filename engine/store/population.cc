#include "engine/store/population.h"

#include <algorithm>

#include "engine/base/error.h"

namespace nudge {

std::string_view bucket_unit_name(BucketUnit u) noexcept {
  switch (u) {
    case BucketUnit::Day: return "day";
    case BucketUnit::Week: return "week";
    case BucketUnit::Month: return "month";
  }
  return "?";
}

std::optional<std::size_t> Population::find(std::string_view name) const noexcept {
  // Hash lookups: a population of 100,000 bucket columns opens and binds in
  // linear time. Names are unique and so are non-empty aliases (add_column).
  const std::string key(name);
  if (auto it = by_name_.find(key); it != by_name_.end()) return it->second;
  if (auto it = by_alias_.find(key); it != by_alias_.end()) return it->second;
  return std::nullopt;
}

const Column& Population::column(std::string_view name) const {
  if (auto i = find(name)) return columns_[*i];
  throw_invalid_input("no column '" + std::string(name) + "' in the population" + nearest_column(name).hint());
}

NearestName Population::nearest_column(std::string_view name) const {
  NearestName near(name);
  const std::string alias = normalize_name(name);
  for (const auto& c : columns_)
    near.consider(c.name(), std::min(edit_distance(name, c.name()), edit_distance(alias, c.alias())));
  return near;
}

std::size_t Population::add_column(Column c) {
  if (c.rows() != rows_)
    throw_invalid_input("column '" + c.name() + "' has " + std::to_string(c.rows()) + " rows, the population " +
                        std::to_string(rows_));
  std::optional<std::size_t> other;
  if (auto it = by_name_.find(c.name()); it != by_name_.end()) other = it->second;
  else if (auto a = by_alias_.find(c.alias()); !c.alias().empty() && a != by_alias_.end()) other = a->second;
  if (other)
    throw_invalid_input("column '" + c.name() + "' clashes with existing column '" + columns_[*other].name() + "'");
  const std::size_t i = columns_.size();
  by_name_.emplace(c.name(), i);
  if (!c.alias().empty()) by_alias_.emplace(c.alias(), i);
  columns_.push_back(std::move(c));
  return i;
}

std::optional<std::size_t> Population::id_column() const noexcept {
  if (id_column_) return id_column_;
  auto i = find("customer_id");
  if (i && columns_[*i].type() == DataType::UInt64) return i;
  return std::nullopt;
}

void Population::set_id_column(std::size_t index) {
  if (index >= columns_.size() || columns_[index].type() != DataType::UInt64)
    throw_usage("the customer id column must be a uint64 column");
  id_column_ = index;
}

const Series* Population::find_series(std::string_view name) const noexcept {
  for (const auto& s : series_)
    if (s.name == name) return &s;
  return nullptr;
}

void Population::add_series(Series s) {
  if (find_series(s.name)) throw_invalid_input("series '" + s.name + "' is defined twice");
  for (std::size_t c : s.bucket_columns)
    if (c >= columns_.size()) throw_invalid_input("series '" + s.name + "' names a column that does not exist");
  series_.push_back(std::move(s));
}

std::size_t Population::memory_bytes() const noexcept {
  std::size_t n = 0;
  for (const auto& c : columns_) n += c.memory_bytes();
  return n;
}

}  // namespace nudge
