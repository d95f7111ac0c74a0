// The `nudge` command-line tool: shared plumbing for subcommands.
//
// Each subcommand lives in its own tools/cmd_<name>.cc and registers itself
// with a static Registrar, so adding a command touches no other file:
//
//   static nudge::cli::Registrar reg("inspect", [](CLI::App& app) {
//     auto* sub = app.add_subcommand("inspect", "Describe a snapshot");
//     auto opts = std::make_shared<Opts>();
//     sub->add_option("snapshot", opts->path, "Snapshot file")->required();
//     return [opts] { return run_inspect(*opts); };   // returns the exit code
//   });
//
// Like LevelDB's leveldbutil, a command parses its options, calls one library
// function, prints the result; everything else lives in the library.
// Exit codes: 0 ok, 1 bad input (nudge::Error InvalidInput/Io), 2 usage,
// 3 internal error. Errors go to stderr as "nudge: error: <message>".
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace nudge::cli {

using RunFn = std::function<int()>;
using MakeFn = std::function<RunFn(CLI::App&)>;

struct Registrar {
  Registrar(std::string name, MakeFn make);
};

struct Entry {
  std::string name;
  MakeFn make;
};
std::vector<Entry>& registry();

// Global options parsed before any subcommand runs.
struct GlobalOptions {
  int threads = 0;            // 0 = all hardware threads
  std::string simd = "best";  // scalar, sse4.2, avx2, avx512, best
};
const GlobalOptions& global_options();

}  // namespace nudge::cli
