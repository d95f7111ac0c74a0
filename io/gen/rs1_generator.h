// RS-1 population generator: a deterministic, realistic airline loyalty
// programme of any size (the reference workload, ../shared/WORKLOAD.md
// "Generated populations"; physical schema in RS1_SCHEMA.md).
//
//   nudge::Population pop = nudge::generate_rs1(1'000'000, /*seed=*/42);
//   const nudge::Column& tier = pop.column("tier");   // Star, Nova, Aurora
//
// Shape (per member):
//   - customer_id: unique, 6,000,000,000 + 7 * slot + jitter (0..6), where
//     slot is a keyed pseudo-random permutation of the row index (a Feistel
//     network with cycle walking), so ids are unique and not in row order;
//   - tier Star 20% / Nova 35% / Aurora 45%; higher tiers enrolled longer,
//     fly more and are worth more (clv);
//   - a lognormal flight rate (flights per 3 months, higher for Star) drives
//     flights_prev_3m, flights_3m and flights_12m as correlated counts;
//     about 3% of members are in a defection wave: their flights_3m is drawn
//     at 0-30% of their usual rate, and they complain more;
//     days_since_last_flight is consistent with the counts (a flight in the
//     last 91 days when flights_3m > 0, etc.);
//   - salary lognormal (mean about 72,000 CAD), NULL for about 25%;
//   - opt-in rates e-mail 85%, SMS 60%, phone 70%, mail 90%;
//   - pressure_used 0 for about 60%, otherwise the sum of 1-4 RS-1 contact
//     costs (base x channel factor, multiples of 0.5), at most 25;
//     contacts_30d is the number of those contacts;
//   - days_since_calamity < 7 for about 2%, 7-365 for about 6%, else 9999;
//   - e-mail opens and clicks (90 days) tied to activity and consent.
// At 1M members the ten RS-1 triggers select about 1.5%, 4.6%, 3.0%, 4.1%,
// 0.6%, 4.3%, 1.3%, 1.1%, 23% and 0.7% of members (tests/io_generator_test.cc
// checks this).
//
// Numbers: every float column holds values with at most 2 decimals (CAD
// cents, km, points); values of magnitude >= 2^17 are whole numbers and all
// stay below 2^24, so float32 storage is exact for the decimal value and the
// shortest round-trip text of each value has at most 2 decimals.
//
// Determinism: the result depends only on (members, seed, as_of); not on the
// thread count. Rows are generated in parallel (oneTBB) in fixed chunks of
// kGeneratorChunkRows rows, each with its own xoshiro256** stream seeded by
// splitmix64 from (seed, chunk index). as_of only sets Population::as_of():
// all columns are relative to it (days since, days to).
//
// Memory: the columns only (about 88 bytes per member); no scratch arrays.
// Errors: throws std::bad_alloc when memory runs out; nothing else.
// Thread-safety: reentrant; uses the calling thread's oneTBB arena.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/store/population.h"
#include "engine/store/types.h"

namespace nudge {

// Rows per independently seeded chunk (a multiple of 64, so each chunk owns
// whole validity-bitmap words). Changing it changes every generated population.
inline constexpr std::size_t kGeneratorChunkRows = 16384;

// The RS-1 tier dictionary, codes 0, 1, 2.
inline constexpr const char* kRs1Tiers[3] = {"Star", "Nova", "Aurora"};

// A population of `members` rows with RS-1's 24 columns in schema order,
// customer_id as the id column, and as_of = `as_of` (days since 1970-01-01).
// members may be 0.
Population generate_rs1(std::size_t members, uint64_t seed, int32_t as_of = days_from_civil(2026, 11, 1));

}  // namespace nudge
