// Fuzz target: campaign TOML (engine/decide/campaign_loader.h) through the sweep.
//
// Input: the campaign TOML, read as if it were data/campaigns/fuzz.toml (so
// `model = "../models/rs1_churn.toml"` finds the shipped models). A campaign
// that parses is bound to a 300-member RS-1 population (io/gen) and swept
// (greedy or optimise, as the campaign says), once more with a trace of one
// member (`nudge explain`), and the summary is formatted. nudge::Error (parse,
// bind, a campaign that needs a history) is a fine answer. Checks: the ranked
// decisions are in rank order, each with a finite priority, a known action
// and a row of the population; the funnel has one entry per action; and, in
// greedy mode without dialogues, the decisions (priority bit for bit, order,
// budget left, churn) equal the row-by-row reference of the whole procedure
// (tests/oracles/decide_reference.h: priority expressions through the
// expression language's reference evaluator, precedence included).
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/optimise/optimise.h"
#include "io/gen/rs1_generator.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/oracles/decide_reference.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace nudge;
  static const Population pop = generate_rs1(300, 7);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    decide::Campaign campaign =
        decide::parse_campaign(text, "fuzz.toml", std::string(NUDGE_SOURCE_DIR) + "/data/campaigns");
    auto bound = decide::BoundCampaign::bind(campaign, pop);
    auto result = optimise::run_arbitrated_sweep(bound, {});
    const auto& ranked = result.sweep.ranked;
    fuzz::check(result.sweep.funnel.size() == campaign.actions.size(), "one funnel entry per action");
    for (std::size_t i = 0; i < ranked.size(); ++i) {
      const auto& d = ranked[i];
      fuzz::check(std::isfinite(d.priority), "a decision with a non-finite priority");
      fuzz::check(d.action < campaign.actions.size() && d.row < pop.rows(), "a decision out of range");
      if (i > 0) fuzz::check(!decide::ranks_before(d, ranked[i - 1]), "decisions out of rank order");
    }
    if (campaign.arbitration.mode == decide::ArbitrationMode::Greedy && campaign.dialogues.empty()) {
      const test::RefResult ref = test::reference_sweep(campaign, pop, bound.model(), campaign.top_k);
      fuzz::check(ranked.size() == ref.ranked.size(), "decision count differs from the reference");
      auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
      for (std::size_t i = 0; i < ranked.size(); ++i) {
        const auto& d = ranked[i];
        const auto& e = ref.ranked[i];
        fuzz::check(d.customer_id == e.customer_id && d.action == e.action && same(d.priority, e.priority) &&
                        same(d.budget_left, e.budget_left) && same(d.churn, e.churn) && d.row == e.row &&
                        bool(d.control) == e.control,
                    "rank " + std::to_string(i + 1) + " differs from the reference: sweep (" +
                        std::to_string(d.customer_id) + ", " + campaign.actions[d.action].name + ", " +
                        std::to_string(d.priority) + ") reference (" + std::to_string(e.customer_id) + ", " +
                        campaign.actions[e.action].name + ", " + std::to_string(e.priority) + ")");
      }
    }
    decide::SweepOptions trace;
    trace.trace_row = 17;
    auto traced = decide::run_sweep(bound, trace);
    fuzz::check(traced.trace.has_value() && traced.trace->row == 17, "no trace for the member asked for");
    (void)decide::format_summary(bound, traced);
    if (result.optimise) (void)optimise::format_optimise_report(*result.optimise);
  } catch (const Error&) { return 0; }
  return 0;
}
