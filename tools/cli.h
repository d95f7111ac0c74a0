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

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
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
// A whole number 0 .. 2^64-1 written in decimal digits only: "-1" (which
// would wrap to 2^64-1) and values beyond 2^64-1 (which would be clamped)
// are usage errors naming the value.
inline CLI::Validator unsigned_integer() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
          return "'" + s + "' is not a whole number 0 or more";
        uint64_t v = 0;
        auto r = std::from_chars(s.data(), s.data() + s.size(), v);
        if (r.ec != std::errc()) return "'" + s + "' is beyond 18446744073709551615";
        return {};
      },
      "UINT");
}
// Every integer option reads decimal digits only: CLI11 2.1 converts with
// strtoll(..., 0), so "00012" became octal 10 (another customer, seed or
// count) and "0x10" hex 16. This transform strips the leading zeros of a
// [+-]digits value ("00012" -> "12", "-007" -> "-7", "000" -> "0") and refuses
// the 0x/0o/0b forms ("'0x10' is not a decimal number"); anything else is left
// for the option's own conversion and checks. main.cc adds it to every option
// whose type is INT or UINT, so a new command needs nothing.
inline CLI::Validator decimal() {
  CLI::Validator v(
      [](std::string& s) -> std::string {
        const std::size_t sign = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
        const std::string_view digits = std::string_view(s).substr(sign);
        if (digits.size() > 1 && digits[0] == '0' && std::string_view("xXoObB").find(digits[1]) != std::string_view::npos)
          return "'" + s + "' is not a decimal number";
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) return {};
        const std::size_t first = std::min(digits.find_first_not_of('0'), digits.size() - 1);
        s = s.substr(0, sign) + std::string(digits.substr(first));
        return {};
      },
      "");
  return v;
}
// Writes `text` whole to `f`, embedded NUL bytes included (printf("%s",
// s.c_str()) would stop at the first one and silently drop the rest of a
// report whose names came from the data).
inline void write_text(std::FILE* f, std::string_view text) { std::fwrite(text.data(), 1, text.size(), f); }
// A whole number 1 .. 2^64-1 (e.g. --top): "must be 1 or more, not '0'"
// (CLI::PositiveNumber's message names DBL_MAX written out).
inline CLI::Validator at_least_one() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        std::string err = unsigned_integer().operator()(s);
        if (!err.empty() || s.find_first_not_of('0') == std::string::npos)
          return "must be 1 or more, not '" + s + "'";
        return {};
      },
      "N>=1");
}
// Adds the required positional argument "snapshot" (the path of a population
// snapshot, io/snapshot/snapshot.h) that most subcommands take, with `help` as
// its help text; returns the option so that callers can add checks.
inline CLI::Option* add_snapshot_argument(CLI::App* sub, std::string& path, const std::string& help) {
  return sub->add_option("snapshot", path, help)->required();
}
// Adds the positional "snapshot" (help "Population snapshot") and the required
// "--campaign,-c" (a campaign file, data/campaigns/README.md, with
// `campaign_help` as its help text) that the campaign commands take.
inline void add_snapshot_and_campaign(CLI::App* sub, std::string& snapshot, std::string& campaign,
                                      const std::string& campaign_help) {
  add_snapshot_argument(sub, snapshot, "Population snapshot");
  sub->add_option("--campaign,-c", campaign, campaign_help)->required();
}
// Throws Error(Usage) when `output` is the same file as one of `inputs`
// (same device and inode: symlinks, hard links and other spellings count),
// naming both: writing it would destroy the input before it is read. Empty
// names and outputs that do not exist yet pass. Also refuses an output that
// is a history folder's own file (MANIFEST, LOCK or seg-NNNNNN.nhs in a folder
// holding a MANIFEST), whether or not the command reads that history.
void refuse_output_over_input(const std::string& output, const std::vector<std::string>& inputs);
// Throws Error(Usage) naming both flags when two of a command's outputs
// (pairs of file name and flag; empty names skipped) are the same file (the
// same spelling after resolving symlinks and "..", or the same inode), or
// both "-": one would silently replace the other. Devices (/dev/null) and
// FIFOs may repeat.
void refuse_same_outputs(const std::vector<std::pair<std::string, std::string>>& outputs);
// Throws Error(Usage) naming `flag` and the folder when `output` is the
// history folder `history` or lies inside it (after resolving symlinks and
// relative spellings; an output that does not exist yet is judged by its
// parent folder): replacing a MANIFEST or segment file would destroy the
// history. Empty names, "-" and unresolvable paths pass.
void refuse_output_in_history(const std::string& output, const std::string& flag, const std::string& history);

}  // namespace nudge::cli
