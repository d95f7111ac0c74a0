#include "engine/store/population.h"

#include <algorithm>
#include <numeric>

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
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].name() == name) return i;
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].alias() == name) return i;
  return std::nullopt;
}

const Column& Population::column(std::string_view name) const {
  if (auto i = find(name)) return columns_[*i];
  std::string msg = "no column '" + std::string(name) + "' in the population";
  auto near = nearest_names(name, 1);
  if (!near.empty()) msg += " (did you mean '" + near[0] + "'?)";
  throw_invalid_input(msg);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  std::iota(prev.begin(), prev.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> Population::nearest_names(std::string_view name, std::size_t max) const {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& c : columns_) {
    std::size_t d = std::min(edit_distance(name, c.name()), edit_distance(normalize_name(name), c.alias()));
    if (d <= std::max<std::size_t>(2, name.size() / 3)) scored.emplace_back(d, c.name());
  }
  std::stable_sort(scored.begin(), scored.end(), [](auto& x, auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (auto& s : scored) {
    if (out.size() == max) break;
    out.push_back(s.second);
  }
  return out;
}

std::size_t Population::add_column(Column c) {
  if (c.rows() != rows_)
    throw_invalid_input("column '" + c.name() + "' has " + std::to_string(c.rows()) + " rows, the population " +
                        std::to_string(rows_));
  for (const auto& e : columns_)
    if (e.name() == c.name() || (!c.alias().empty() && e.alias() == c.alias()))
      throw_invalid_input("column '" + c.name() + "' clashes with existing column '" + e.name() + "'");
  columns_.push_back(std::move(c));
  return columns_.size() - 1;
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
