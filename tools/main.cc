// nudge CLI entry point: global options, subcommand dispatch, error -> exit code.
#include <tbb/global_control.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "engine/base/error.h"
#include "engine/base/names.h"
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

void refuse_output_over_input(const std::string& output, const std::vector<std::string>& inputs) {
  if (output.empty() || output == "-") return;
  {  // A history folder's own files (MANIFEST, LOCK, seg-NNNNNN.nhs beside a MANIFEST), whatever the command.
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path out = fs::weakly_canonical(output, ec);
    const std::string name = ec ? std::string() : out.filename().string();
    const bool segment = name.size() == 14 && name.rfind("seg-", 0) == 0 && name.compare(10, 4, ".nhs") == 0;
    if ((name == "MANIFEST" || name == "LOCK" || segment) && fs::exists(out.parent_path() / "MANIFEST", ec))
      throw_usage("the output '" + output + "' is a file of the history folder '" + out.parent_path().string() +
                  "': writing it would destroy the history; choose a file outside it");
  }
  for (const auto& in : inputs) {
    std::error_code ec;
    if (!in.empty() && std::filesystem::equivalent(output, in, ec) && !ec)
      throw_usage("the output '" + output + "' is the input '" + in +
                  "': writing it would destroy the input; choose another output file");
  }
}

void refuse_same_outputs(const std::vector<std::pair<std::string, std::string>>& outputs) {
  namespace fs = std::filesystem;
  auto key = [](const std::string& name) -> std::string {
    if (name == "-") return "-";
    std::error_code ec;
    const fs::file_status st = fs::status(name, ec);
    if (!ec && (fs::is_character_file(st) || fs::is_block_file(st) || fs::is_fifo(st))) return {};
    const fs::path p = fs::weakly_canonical(name, ec);
    return ec ? name : p.string();
  };
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].first.empty()) continue;
    const std::string ki = key(outputs[i].first);
    if (ki.empty()) continue;
    for (std::size_t j = i + 1; j < outputs.size(); ++j) {
      if (outputs[j].first.empty()) continue;
      std::error_code ec;
      const bool same = key(outputs[j].first) == ki ||
                        (ki != "-" && outputs[j].first != "-" &&
                         fs::equivalent(outputs[i].first, outputs[j].first, ec) && !ec);
      if (same)
        throw_usage(outputs[i].second + " '" + outputs[i].first + "' and " + outputs[j].second + " '" +
                    outputs[j].first + "' are the same file: one output would replace the other; choose two files");
    }
  }
}

void refuse_output_in_history(const std::string& output, const std::string& flag, const std::string& history) {
  namespace fs = std::filesystem;
  if (output.empty() || output == "-" || history.empty()) return;
  std::error_code ec;
  fs::path h = fs::weakly_canonical(history, ec);
  if (ec) return;
  fs::path out = fs::weakly_canonical(output, ec);  // resolves the existing part (the parent) and symlinks
  if (ec) return;
  auto trim = [](fs::path& p) {
    if (p.has_relative_path() && p.filename().empty()) p = p.parent_path();  // "dir/" -> "dir"
  };
  trim(h), trim(out);
  const auto [hi, oi] = std::mismatch(h.begin(), h.end(), out.begin(), out.end());
  if (hi == h.end())
    throw_usage(flag + " '" + output + "' is inside the history folder '" + history +
                "' that this command reads: writing it would destroy the history; choose a file outside it");
}

}  // namespace nudge::cli

namespace {

// Standard output is buffered: a failed write (a full disk, /dev/full, a
// closed descriptor) shows in the stream's error flag, the final flush or the
// close. Any of them turns a successful exit into exit 1 with a message, so a
// truncated output never exits 0.
int finish_stdout(int rc) {
  errno = 0;
  bool bad = std::fflush(stdout) != 0;
  int err = errno;
  bad = std::ferror(stdout) || bad;
  errno = 0;
  if (std::fclose(stdout) != 0 && !bad) bad = true, err = errno;
  if (!bad) return rc;
  std::fprintf(stderr, "nudge: error: cannot write standard output: %s\n", err ? std::strerror(err) : "a write failed");
  return rc == 0 ? 1 : rc;
}

int run_main(int argc, char** argv) {
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

  // Integer options are decimal (cli::decimal(), tools/cli.h), in every
  // command and subcommand.
  std::function<void(CLI::App*)> decimal_options = [&](CLI::App* a) {
    for (CLI::Option* o : a->get_options()) {
      const std::string t = o->get_type_name();
      if (t.rfind("INT", 0) == 0 || t.rfind("UINT", 0) == 0) o->transform(cli::decimal());
    }
    for (CLI::App* sub : a->get_subcommands({})) decimal_options(sub);
  };
  decimal_options(&app);

  // The command: the first argument that is neither an option nor a global
  // option's value. CLI11 would call an unknown one "A subcommand is required".
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--threads" || a == "--simd") {
      ++i;
      continue;
    }
    if (a.empty() || a[0] == '-') continue;
    std::string names, near;
    std::size_t best = 3;
    for (auto& e : reg) {
      if (e.name == a) {
        names.clear();
        break;
      }
      names += (names.empty() ? "" : ", ") + e.name;
      if (std::size_t d = edit_distance(a, e.name); d < best) best = d, near = e.name;
    }
    if (names.empty()) break;
    std::fprintf(stderr, "nudge: error: unknown command '%s'%s (commands: %s; nudge --help)\n", a.c_str(),
                 near.empty() ? "" : (" (did you mean '" + near + "'?)").c_str(), names.c_str());
    return 2;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    // An expression that begins with '-' reads as an option: say how to pass it.
    for (int i = 1; rc != 0 && i < argc; ++i) {
      const std::string a = argv[i];
      if (a.size() > 1 && a[0] == '-' && a.find_first_of(" <>=()'*/+") != std::string::npos) {
        std::fprintf(stderr,
                     "nudge: '%s' begins with '-' and reads as an option; put '--' before it to pass it as an "
                     "expression: nudge select POP.snap -- \"%s\" (or write it as (0 - ...))\n",
                     a.c_str(), a.c_str());
        break;
      }
    }
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

}  // namespace

int main(int argc, char** argv) { return finish_stdout(run_main(argc, argv)); }
