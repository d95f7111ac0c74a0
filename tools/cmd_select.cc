// `nudge select POP.snap "EXPR" [--ids]`: quick audience counts. Opens a
// snapshot (zero copy), compiles EXPR as a trigger (engine/expr/README.md),
// evaluates it over all members in one parallel pass and prints the number of
// members where it is TRUE; with --ids, their customer ids follow, one per
// line, in row order. Warnings (e.g. a string not in a category's
// dictionary) go to stderr. Errors: a bad expression prints
// "EXPR:line:col: message", the expression and a caret; exit code 1.
#include <cstdio>
#include <memory>
#include <string>

#include "engine/base/error.h"
#include "engine/expr/program.h"
#include "io/snapshot/snapshot.h"
#include "tools/cli.h"

namespace {

struct SelectOptions {
  std::string path;
  std::string expression;
  bool ids = false;
};

int run_select(const SelectOptions& o) {
  const nudge::Population pop = nudge::open_snapshot(o.path);
  // Checked before anything reaches stdout: a failing command prints nothing there.
  const auto id = pop.id_column();
  if (o.ids && !id) nudge::throw_invalid_input(o.path + ": the population has no customer id column to list");
  auto set = nudge::expr::CompiledSet::compile(pop, {{o.expression, "EXPR"}});
  for (const auto& w : set.warnings()) nudge::cli::write_text(stderr, "nudge: warning: " + w + "\n");
  const auto bits = nudge::expr::select_all(pop, set);
  std::size_t count = 0;
  for (uint64_t w : bits[0]) count += static_cast<std::size_t>(__builtin_popcountll(w));
  std::printf("%zu\n", count);
  if (o.ids) {
    const uint64_t* ids = pop.column(*id).values<uint64_t>();
    for (std::size_t r = 0; r < pop.rows(); ++r)
      if ((bits[0][r / 64] >> (r % 64)) & 1) std::printf("%llu\n", static_cast<unsigned long long>(ids[r]));
  }
  return 0;
}

nudge::cli::Registrar reg("select", [](CLI::App& app) {
  auto* sub = app.add_subcommand("select", "Count (or list with --ids) the members where a trigger expression is TRUE");
  auto o = std::make_shared<SelectOptions>();
  nudge::cli::add_snapshot_argument(sub, o->path, "Population snapshot (.snap)");
  sub->add_option("expression", o->expression, "Trigger expression, e.g. \"flights_3m < 2 AND tier = 'Star'\"")
      ->required();
  sub->add_flag("--ids", o->ids, "Also print the customer ids of the selected members, one per line");
  return [o] { return run_select(*o); };
});

}  // namespace
