// load_model: picks the reader by file extension; score_all: the parallel driver.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cctype>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include "engine/base/error.h"
#include "engine/score/linear_model.h"
#include "engine/score/model.h"
#include "engine/score/xgboost_model.h"

#include "engine/base/read_file.h"

namespace nudge::score {

std::unique_ptr<Model> load_model(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".toml") return make_linear_model(parse_linear_model(read_file(path, "model"), path.string()));
  if (ext == ".json") return make_xgboost_model(read_file(path, "model"), path.string());
  throw_invalid_input("model file " + path.string() +
                      ": unknown kind (expected *.toml for a linear model or *.json for an XGBoost model)");
}

std::vector<double> score_all(const BoundModel& model, std::size_t rows) {
  std::vector<double> out(rows);
  // Grain: 16 Ki rows per task, enough to amortise task overhead and the
  // per-block set-up of the scorers, small enough to balance 2-16 cores.
  constexpr std::size_t kGrain = 16 * 1024;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, rows, kGrain), [&](const tbb::blocked_range<std::size_t>& r) {
    model.score_range(r.begin(), r.end(), out.data() + r.begin());
  });
  return out;
}

}  // namespace nudge::score
