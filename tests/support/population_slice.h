// Test helper: rows [begin, end) of a population as a population of its own
// (values, NULLs and category dictionaries copied; series are not carried).
// Used by the sweep-in-parts tests (decide_sweep_parts_test, holdout_sweep_test).
#pragma once

#include <cstddef>
#include <cstring>

#include "engine/store/population.h"

namespace nudge::test {

inline Population slice(const Population& pop, std::size_t begin, std::size_t end) {
  Population out(end - begin, pop.as_of());
  for (const Column& c : pop.columns()) {
    Column s(c.name(), c.type(), end - begin);
    const std::size_t w = type_width(c.type());
    if (end > begin) std::memcpy(s.mutable_values<std::byte>(), c.values<std::byte>() + begin * w, (end - begin) * w);
    for (std::size_t r = begin; r < end; ++r)
      if (c.is_null(r)) s.set_null(r - begin);
    s.set_dictionary(c.dictionary());
    out.add_column(std::move(s));
  }
  return out;
}

}  // namespace nudge::test
