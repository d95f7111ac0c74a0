// Name normalisation and "did you mean" hints (names.h).
#include "engine/base/names.h"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <vector>

namespace nudge {

std::string normalize_name(std::string_view name) {
  std::string out;
  bool pending_sep = false;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      if (pending_sep && !out.empty()) out.push_back('_');
      pending_sep = false;
      out.push_back(static_cast<char>(std::tolower(c)));
    } else {
      pending_sep = true;
    }
  }
  return out;
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

std::size_t hint_distance(std::string_view typed) noexcept { return std::max<std::size_t>(2, typed.size() / 3); }

NearestName::NearestName(std::string_view typed, std::size_t max_distance)
    : typed_(typed), typed_normal_(normalize_name(typed)), best_distance_(max_distance + 1) {}

void NearestName::consider(std::string_view candidate) {
  consider(candidate,
           std::min(edit_distance(typed_, candidate), edit_distance(typed_normal_, normalize_name(candidate))));
}

void NearestName::consider(std::string_view shown, std::size_t distance) {
  if (distance < best_distance_) best_distance_ = distance, best_ = std::string(shown);
}

std::string NearestName::hint() const { return best_.empty() ? std::string() : " (did you mean '" + best_ + "'?)"; }

}  // namespace nudge
