// Names the user types: the normalised alias of a column or key, and the
// "did you mean" hint for a misspelt one (the one nearest-name search of the
// project: columns, series, functions, TOML keys, declared names, CSV headers).
//
//   NearestName near(typed);                        // hint_distance(typed)
//   for (const auto& c : known) near.consider(c);
//   throw_invalid_input("unknown column '" + typed + "'" + near.hint());
//   // -> "unknown column 'tierr' (did you mean 'tier'?)"
//
// Distance: Levenshtein edit distance (insert, delete, substitute: 1 each),
// the smaller of the two names as written and of their normalize_name forms,
// so "Flights 3M" is 0 from flights_3m. A candidate further than the limit is
// never offered; of equally near candidates the first considered wins.
// Thread-safety: pure functions; a NearestName is one search's state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nudge {

// Normalised column alias: lower-case ASCII, runs of non-alphanumerics become
// one '_', no leading/trailing '_'. "Loyalty Number" -> "loyalty_number".
std::string normalize_name(std::string_view name);

// Levenshtein edit distance between a and b (bytes).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The farthest a hint may be from the typed name: max(2, size / 3) edits.
std::size_t hint_distance(std::string_view typed) noexcept;

// The known name nearest to a typed one (see the file comment).
class NearestName {
 public:
  explicit NearestName(std::string_view typed) : NearestName(typed, hint_distance(typed)) {}
  NearestName(std::string_view typed, std::size_t max_distance);

  // Offers a known name (distance as in the file comment).
  void consider(std::string_view candidate);
  // Offers `shown` at a distance the caller measured (e.g. to a column alias).
  void consider(std::string_view shown, std::size_t distance);

  // The nearest name offered within the limit; empty when none.
  const std::string& best() const noexcept { return best_; }
  // " (did you mean 'best'?)", or "" when there is no best().
  std::string hint() const;

 private:
  std::string typed_, typed_normal_;
  std::size_t best_distance_;  // one past the farthest allowed until a name is found
  std::string best_;
};

}  // namespace nudge
