// Scoring RS-1 members: RS-1/GBDT (data/models/rs1_gbdt.json: 100 trees of
// depth 6 over 22 columns) and RS-1's logistic churn model, on a generated
// RS-1 population (generate_rs1(N, 42), N = $NUDGE_BENCH_MEMBERS or 10M),
// with 2 threads (oneTBB arena capped here, as the CLI's --threads 2 would).
// Each benchmark checks its answer against the per-row reference on every
// 97th member before timing. Baselines beside the fast path: the same
// scoring with Isa::Scalar (plain C++ traversal of the same layout).
// XGBoost's own time for the same model and rows: bench/xgboost_predict.py.
//
//   build/bench/score_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <cstdlib>
#include <string>

#include "bench/support/bench_env.h"
#include "engine/base/simd.h"
#include "engine/score/model.h"
#include "io/gen/rs1_generator.h"

namespace {

using namespace nudge;

const Population& population() {
  static const Population pop = generate_rs1(bench::bench_members(), 42);
  return pop;
}

std::string model_path(const char* name) { return std::string(NUDGE_SOURCE_DIR "/data/models/") + name; }

void score_bench(benchmark::State& state, const char* model_file, simd::Isa isa) {
  if (!simd::cpu_supports(isa)) return state.SkipWithError("instruction set not supported here");
  const Population& pop = population();
  auto model = score::load_model(model_path(model_file));
  auto bound = model->bind(pop);
  simd::ScopedIsa use(isa);
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 2);
  {  // the answer first
    const std::vector<double> got = score::score_all(*bound, pop.rows());
    for (std::size_t r = 0; r < pop.rows(); r += 97)
      if (got[r] != bound->reference_score(r))
        return state.SkipWithError(("wrong score at row " + std::to_string(r)).c_str());
  }
  std::size_t bytes_per_member = 0;
  for (std::size_t c : bound->columns_read()) bytes_per_member += type_width(pop.column(c).type());
  for (auto _ : state) {
    std::vector<double> s = score::score_all(*bound, pop.rows());
    benchmark::DoNotOptimize(s.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * pop.rows()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * pop.rows() * bytes_per_member));
  state.SetLabel(model->describe() + ", " + std::string(simd::isa_name(isa)) + ", 2 threads");
}

void BM_Rs1GbdtBest(benchmark::State& s) { score_bench(s, "rs1_gbdt.json", simd::best_isa()); }
void BM_Rs1GbdtScalar(benchmark::State& s) { score_bench(s, "rs1_gbdt.json", simd::Isa::Scalar); }
void BM_Rs1ChurnLogistic(benchmark::State& s) { score_bench(s, "rs1_churn.toml", simd::best_isa()); }

}  // namespace

BENCHMARK(BM_Rs1GbdtBest)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(3);
BENCHMARK(BM_Rs1GbdtScalar)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(1);
BENCHMARK(BM_Rs1ChurnLogistic)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime()->Iterations(3);
