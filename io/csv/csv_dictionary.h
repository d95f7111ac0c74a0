// CsvDictionary: the strings of a category column and their int32 codes,
// in the order they were added (code = position).
//
// Lookups take a string_view (no allocation): small dictionaries (the usual
// case: tiers, channels, provinces) are scanned linearly, larger ones go
// through a hash index built once they pass kLinearMax entries.
// truncate() drops the most recent entries, so a parser can undo the
// values a rejected row added.
//
// Thread-safety: single-writer; concurrent const lookups are safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nudge::csv {

class CsvDictionary {
 public:
  CsvDictionary() = default;
  explicit CsvDictionary(std::vector<std::string> values) {
    for (auto& v : values) add(v);
  }

  // Code of `v`, or -1 when absent.
  int32_t find(std::string_view v) const noexcept {
    if (values_.size() <= kLinearMax) {
      for (std::size_t i = 0; i < values_.size(); ++i)
        if (values_[i] == v) return static_cast<int32_t>(i);
      return -1;
    }
    auto it = index_.find(v);
    return it == index_.end() ? -1 : it->second;
  }
  // Appends `v` (which must be absent) and returns its code.
  int32_t add(std::string_view v) {
    const auto code = static_cast<int32_t>(values_.size());
    values_.emplace_back(v);
    if (values_.size() > kLinearMax) {
      if (index_.empty())
        for (std::size_t i = 0; i < values_.size(); ++i) index_.emplace(values_[i], static_cast<int32_t>(i));
      else index_.emplace(values_.back(), code);
    }
    return code;
  }
  int32_t find_or_add(std::string_view v) {
    const int32_t c = find(v);
    return c >= 0 ? c : add(v);
  }
  // Keeps the first `n` entries.
  void truncate(std::size_t n) {
    while (values_.size() > n) {
      if (!index_.empty()) index_.erase(values_.back());
      values_.pop_back();
    }
    if (values_.size() <= kLinearMax) index_.clear();
  }
  std::size_t size() const noexcept { return values_.size(); }
  const std::vector<std::string>& values() const noexcept { return values_; }
  std::vector<std::string> take_values() { return std::move(values_); }

 private:
  static constexpr std::size_t kLinearMax = 8;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> values_;
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> index_;
};

}  // namespace nudge::csv
