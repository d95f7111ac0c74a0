// The activity import's reference: add_activity_series (io/activity/activity_import.h)
// written as one plain loop over the rows in file order with std::map, no
// parallelism, no sorting tricks. Same rules, same results, same errors;
// tests compare the two on random and adversarial tables. Not for production
// use (O(rows * log) with large constants; exact-duplicate checks are
// quadratic in a key's rows).
//
// Thread-safety: as add_activity_series.
#pragma once

#include <string_view>

#include "engine/store/population.h"
#include "io/activity/activity_import.h"

namespace nudge {

ActivityReport add_activity_series_reference(Population& members, const Population& activity, const ActivitySpec& spec,
                                             std::string_view source);

}  // namespace nudge
