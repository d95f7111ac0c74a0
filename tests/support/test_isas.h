// The instruction sets a differential test runs, and the record of them.
//
//   for (auto isa : nudge::test::test_isas()) {
//     nudge::simd::ScopedIsa scoped(isa);
//     ... compare with the reference ...
//   }
//
// test_isas() returns every set the CPU supports (simd::supported_isas(),
// Scalar first) or, when the environment variable NUDGE_TEST_ISA names sets
// ("avx512", or a list "scalar,avx512"; names as simd::parse_isa reads them),
// exactly those. A named set the CPU (or OS) lacks fails the current test
// (ADD_FAILURE) and is left out, so a machine with AVX-512 can prove that the
// AVX-512 kernels ran: NUDGE_TEST_ISA=avx512 ctest ... An unknown name fails
// the test too.
//
// Each call records the sets in the test's output: the gtest property
// "isas" (XML/JSON reports, RecordProperty) and a stdout line
//   [ ISAS     ] Suite.Test: scalar sse4.2 avx2 avx512
// Thread-safety: call from the test's main thread.
#pragma once

#include <vector>

#include "engine/base/simd.h"

namespace nudge::test {

std::vector<simd::Isa> test_isas();

}  // namespace nudge::test
