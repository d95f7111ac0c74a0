// LinearModel: binds a LinearSpec to a population and scores rows in blocks.
//
// Batch layout: rows are scored kBlock at a time into a stack array z[kBlock]
// of doubles; each term adds its contribution to all rows of the block in one
// tight loop over the column (the compiler vectorises the contiguous case).
// The per-row reference walks the same terms in the same order with the same
// expressions, so both paths give bit-identical doubles.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "engine/base/error.h"
#include "engine/score/column_values.h"
#include "engine/score/linear_model.h"

namespace nudge::score {
namespace {

constexpr std::size_t kBlock = 256;  // rows per block: z[] stays in L1 (2 KiB)

struct BoundNumeric {
  const Column* column;
  const uint64_t* validity;
  double weight, mean, std, null_value;
  bool standardise;
};

struct BoundCategory {
  const int32_t* codes;
  const uint64_t* validity;
  std::vector<double> by_code;  // weight per dictionary code
  double null_weight;
};

// One term's contribution to a raw value x (shared by both paths).
inline double contribution(const BoundNumeric& t, double x) noexcept {
  return t.standardise ? t.weight * ((x - t.mean) / t.std) : t.weight * x;
}
inline double category_weight(const BoundCategory& t, int32_t code) noexcept {
  // Codes are < dictionary size by the store's invariant; a corrupt code gives NaN, not a stray read.
  return static_cast<uint32_t>(code) < t.by_code.size() ? t.by_code[code] : std::nan("");
}

class BoundLinear final : public BoundModel {
 public:
  BoundLinear(double intercept, LinearLink link, std::vector<BoundNumeric> num, std::vector<BoundCategory> cat,
              std::vector<std::size_t> cols)
      : intercept_(intercept), link_(link), num_(std::move(num)), cat_(std::move(cat)), cols_(std::move(cols)) {}

  void score_rows(const uint32_t* rows, std::size_t n, double* out) const override {
    for (std::size_t b = 0; b < n; b += kBlock)
      block([rows, b](std::size_t i) -> std::size_t { return rows[b + i]; }, std::min(kBlock, n - b), out + b);
  }
  void score_range(std::size_t begin, std::size_t end, double* out) const override {
    for (std::size_t b = begin; b < end; b += kBlock)
      block([b](std::size_t i) -> std::size_t { return b + i; }, std::min(kBlock, end - b), out + (b - begin));
  }
  double reference_score(std::size_t row) const override {
    double z = intercept_;
    for (const auto& t : num_) {
      double x = row_valid(t.validity, row) ? visit_values(*t.column, [row](auto* v) { return double(v[row]); })
                                            : t.null_value;
      z += contribution(t, x);
    }
    for (const auto& t : cat_) z += row_valid(t.validity, row) ? category_weight(t, t.codes[row]) : t.null_weight;
    return link(z);
  }
  const std::vector<std::size_t>& columns_read() const override { return cols_; }

 private:
  double link(double z) const noexcept { return link_ == LinearLink::Logistic ? 1.0 / (1.0 + std::exp(-z)) : z; }

  template <class RowAt>
  void block(RowAt row, std::size_t n, double* out) const {
    double z[kBlock];
    std::fill(z, z + n, intercept_);
    for (const auto& t : num_) {
      visit_values(*t.column, [&](auto* v) {
        if (t.validity == nullptr) {
          for (std::size_t i = 0; i < n; ++i) z[i] += contribution(t, double(v[row(i)]));
        } else {
          for (std::size_t i = 0; i < n; ++i) {
            const std::size_t r = row(i);
            z[i] += contribution(t, row_valid(t.validity, r) ? double(v[r]) : t.null_value);
          }
        }
      });
    }
    for (const auto& t : cat_)
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t r = row(i);
        z[i] += row_valid(t.validity, r) ? category_weight(t, t.codes[r]) : t.null_weight;
      }
    for (std::size_t i = 0; i < n; ++i) out[i] = link(z[i]);
  }

  double intercept_;
  LinearLink link_;
  std::vector<BoundNumeric> num_;
  std::vector<BoundCategory> cat_;
  std::vector<std::size_t> cols_;
};

class LinearModel final : public Model {
 public:
  explicit LinearModel(LinearSpec spec) : spec_(std::move(spec)) {}

  std::unique_ptr<BoundModel> bind(const Population& pop) const override {
    std::vector<std::string> faults;
    std::vector<BoundNumeric> num;
    std::vector<BoundCategory> cat;
    std::vector<std::size_t> cols;
    auto resolve = [&](const std::string& name, const std::string& where) -> const Column* {
      auto idx = pop.find(name);
      if (!idx) {
        faults.push_back(
            fmt::format("{}: column '{}' is not in the population{}", where, name, pop.nearest_column(name).hint()));
        return nullptr;
      }
      cols.push_back(*idx);
      return &pop.column(*idx);
    };
    for (const auto& t : spec_.numeric) {
      const Column* c = resolve(t.column, t.where);
      if (!c) continue;
      if (!is_model_numeric(c->type())) {
        faults.push_back(fmt::format("{}: column '{}' is {}, not a number{}", t.where, t.column, type_name(c->type()),
                                     c->type() == DataType::Category ? " (use a [[category]] term)" : ""));
        continue;
      }
      if (c->null_count() > 0 && !t.null_value)
        faults.push_back(fmt::format("{}: column '{}' holds {} NULL(s) and the term has no 'null_value'", t.where,
                                     t.column, c->null_count()));
      num.push_back({c, c->validity(), t.weight, t.mean.value_or(0), t.std.value_or(1),
                     t.null_value.value_or(std::nan("")), t.mean.has_value()});
    }
    for (const auto& t : spec_.category) {
      const Column* c = resolve(t.column, t.where);
      if (!c) continue;
      if (c->type() != DataType::Category) {
        faults.push_back(fmt::format("{}: column '{}' is {}, not a category", t.where, t.column, type_name(c->type())));
        continue;
      }
      if (c->null_count() > 0 && !t.null_weight)
        faults.push_back(fmt::format("{}: column '{}' holds {} NULL(s) and the term has no 'null_weight'", t.where,
                                     t.column, c->null_count()));
      BoundCategory b{c->values<int32_t>(), c->validity(), std::vector<double>(c->dictionary().size(), 0.0),
                      t.null_weight.value_or(std::nan(""))};
      for (const auto& [value, w] : t.weights) {
        auto code = c->find_code(value);
        if (!code) {
          std::string dict;
          for (const auto& d : c->dictionary()) dict += (dict.empty() ? "" : ", ") + d;
          faults.push_back(
              fmt::format("{}: category '{}' has no value '{}' (values: {})", t.where, t.column, value, dict));
          continue;
        }
        b.by_code[*code] = w;
      }
      cat.push_back(std::move(b));
    }
    if (!faults.empty()) {
      std::string msg = fmt::format("cannot bind model {} to the population:", spec_.source);
      for (const auto& f : faults) msg += "\n  " + f;
      throw_invalid_input(msg);
    }
    return std::make_unique<BoundLinear>(spec_.intercept, spec_.link, std::move(num), std::move(cat), std::move(cols));
  }

  std::string describe() const override {
    return fmt::format("linear model{}{} ({}), {} numeric term(s), {} category term(s)", spec_.name.empty() ? "" : " ",
                       spec_.name, spec_.link == LinearLink::Logistic ? "logistic" : "identity", spec_.numeric.size(),
                       spec_.category.size());
  }

 private:
  LinearSpec spec_;
};

}  // namespace

std::unique_ptr<Model> make_linear_model(LinearSpec spec) { return std::make_unique<LinearModel>(std::move(spec)); }

}  // namespace nudge::score
