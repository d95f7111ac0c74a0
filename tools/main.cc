// nudge CLI entry point: global options, subcommand dispatch, error -> exit code.
#include <tbb/global_control.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "engine/base/error.h"
#include "engine/base/simd.h"
#include "tools/cli.h"

namespace nudge::cli {

std::vector<Entry>& registry() {
  static std::vector<Entry> r;
  return r;
}

Registrar::Registrar(std::string name, MakeFn make) { registry().push_back({std::move(name), std::move(make)}); }

static GlobalOptions g_options;
const GlobalOptions& global_options() { return g_options; }

}  // namespace nudge::cli

int main(int argc, char** argv) {
  using namespace nudge;
  CLI::App app{
      "nudge: decides, for a whole customer population at once, who should be contacted, about what, "
      "on which channel, and who should be left alone."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "nudge " NUDGE_VERSION);
  app.add_option("--threads", cli::g_options.threads, "Worker threads (0 = all hardware threads)")
      ->check(CLI::Range(0, 1024));
  app.add_option("--simd", cli::g_options.simd, "Instruction set: scalar, sse4.2, avx2, avx512 or best")
      ->check([](const std::string& s) {
        return simd::parse_isa(s) ? std::string() : "unknown instruction set '" + s + "'";
      });

  auto& reg = cli::registry();
  std::sort(reg.begin(), reg.end(), [](auto& a, auto& b) { return a.name < b.name; });
  std::vector<std::pair<CLI::App*, cli::RunFn>> commands;
  for (auto& e : reg) {
    std::size_t before = app.get_subcommands({}).size();
    cli::RunFn fn = e.make(app);
    auto subs = app.get_subcommands({});
    if (subs.size() != before + 1) {
      std::fprintf(stderr, "nudge: internal error: command %s did not register one subcommand\n", e.name.c_str());
      return 3;
    }
    commands.emplace_back(subs.back(), std::move(fn));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  try {
    simd::set_active_isa(*simd::parse_isa(cli::g_options.simd));
    std::optional<tbb::global_control> threads;
    if (cli::g_options.threads > 0)
      threads.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(cli::g_options.threads));
    for (auto& [sub, fn] : commands)
      if (sub->parsed()) return fn();
    return 2;
  } catch (const Error& e) {
    std::fprintf(stderr, "nudge: error: %s\n", e.what());
    switch (e.kind()) {
      case ErrorKind::Usage: return 2;
      case ErrorKind::Internal: return 3;
      default: return 1;
    }
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "nudge: error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "nudge: internal error: %s\n", e.what());
    return 3;
  }
}
