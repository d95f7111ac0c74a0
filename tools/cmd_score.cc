// `nudge score POP.snap --model FILE [--top N] [-o OUT.csv]`: scores every
// member of a snapshot with a churn/propensity model (engine/score/model.h)
// and writes `customer_id,score` as CSV: all members in row order, or the N
// highest scores (ties: lower customer_id first), through
// engine/score/score_writer.h. Output goes to OUT.csv (written atomically:
// temp file + rename) or, without -o, to stdout.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "engine/base/error.h"
#include "engine/score/model.h"
#include "engine/score/score_writer.h"
#include "engine/score/top_scores.h"
#include "io/file/atomic_file.h"
#include "io/snapshot/snapshot.h"
#include "tools/cli.h"

namespace {

struct ScoreOptions {
  std::string snapshot, model, out;
  std::size_t top = 0;  // 0 = every member
};

int run_score(const ScoreOptions& o) {
  nudge::cli::refuse_output_over_input(o.out, {o.snapshot, o.model});
  const auto t0 = std::chrono::steady_clock::now();
  const nudge::Population pop = nudge::open_snapshot(o.snapshot);
  const auto id_col = pop.id_column();
  if (!id_col) nudge::throw_invalid_input("snapshot " + o.snapshot + " has no customer id column");
  const uint64_t* ids = pop.column(*id_col).values<uint64_t>();
  auto model = nudge::score::load_model(o.model);
  auto bound = model->bind(pop);
  const std::vector<double> scores = nudge::score::score_all(*bound, pop.rows());
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::vector<uint32_t> order;
  if (o.top > 0) order = nudge::score::top_scores(scores, ids, o.top);
  const std::vector<uint32_t>* rows = o.top > 0 ? &order : nullptr;
  if (o.out.empty()) {
    nudge::score::write_scores(stdout, ids, scores, rows);
  } else {
    nudge::AtomicFile f(o.out);
    nudge::score::write_scores(f.stream(), ids, scores, rows);
    f.commit();
    std::fprintf(stderr, "scored %zu members with %s in %.2f s; wrote %zu rows to %s\n", pop.rows(),
                 model->describe().c_str(), secs, rows ? rows->size() : scores.size(), o.out.c_str());
  }
  return 0;
}

nudge::cli::Registrar reg("score", [](CLI::App& app) {
  auto* sub = app.add_subcommand("score", "Score every member of a snapshot with a churn/propensity model");
  auto o = std::make_shared<ScoreOptions>();
  nudge::cli::add_snapshot_argument(sub, o->snapshot, "Population snapshot (.snap)");
  sub->add_option("--model", o->model, "Model file: *.toml (linear/logistic) or *.json (XGBoost)")->required();
  sub->add_option("--top", o->top, "Write only the N highest scores")->check(nudge::cli::at_least_one());
  sub->add_option("-o,--output", o->out, "Output CSV (default: stdout)");
  sub->footer("Example: nudge score members.snap --model data/models/rs1_gbdt.json --top 1000 -o top.csv");
  return [o] { return run_score(*o); };
});

}  // namespace
