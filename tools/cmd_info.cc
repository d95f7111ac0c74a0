// `nudge info`: version, instruction sets this CPU supports, the active one, threads.
#include <tbb/info.h>

#include <cstdio>

#include "engine/base/simd.h"
#include "tools/cli.h"

namespace {
nudge::cli::Registrar reg("info", [](CLI::App& app) {
  app.add_subcommand("info", "Show version, supported instruction sets and thread count");
  return [] {
    std::printf("nudge %s\n", NUDGE_VERSION);
    std::printf("instruction sets:");
    for (auto i : nudge::simd::supported_isas()) std::printf(" %s", std::string(nudge::simd::isa_name(i)).c_str());
    std::printf("\nactive: %s\n", std::string(nudge::simd::isa_name(nudge::simd::active_isa())).c_str());
    std::printf("hardware threads: %d\n", tbb::info::default_concurrency());
    return 0;
  };
});
}  // namespace
