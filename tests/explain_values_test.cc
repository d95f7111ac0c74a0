// `nudge explain`'s values (engine/explain/explain_values.h and
// engine/decide/explain.h): every column read and both sides of each
// comparison, equal to the population's own values on that row; category
// names; multi-line triggers keep their layout; the JSON form.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/explain.h"
#include "engine/decide/sweep.h"
#include "engine/explain/explain_values.h"
#include "io/gen/rs1_generator.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

std::map<std::string, std::string> as_map(const std::vector<explain::ExpressionValue>& v) {
  std::map<std::string, std::string> m;
  for (const auto& x : v) m[x.text] = x.value;
  return m;
}

}  // namespace

TEST(ExplainValues, ColumnsAndBothSidesOfEachComparison) {
  Population pop = generate_rs1(2000, 4);
  const Column& prev = pop.column("flights_prev_3m");
  const Column& now = pop.column("flights_3m");
  const expr::Source src{"flights_prev_3m >= 4 AND flights_3m < 0.5 * flights_prev_3m", "test"};
  for (std::size_t row : {0u, 17u, 1999u}) {
    const int32_t p = prev.values<int32_t>()[row], n = now.values<int32_t>()[row];
    auto m = as_map(explain::predicate_values(pop, src, row));
    EXPECT_EQ(m["flights_prev_3m"], std::to_string(p));
    EXPECT_EQ(m["flights_3m"], std::to_string(n));
    EXPECT_EQ(m["0.5 * flights_prev_3m"], fmt::format("{}", 0.5 * p));
    EXPECT_EQ(m["flights_prev_3m >= 4"], p >= 4 ? "TRUE" : "FALSE");
    EXPECT_EQ(m["flights_3m < 0.5 * flights_prev_3m"], n < 0.5 * p ? "TRUE" : "FALSE");
  }
  auto tier = as_map(explain::predicate_values(pop, {"tier IN ('Star', 'Nova') AND salary > 90000", "t"}, 5));
  const Column& t = pop.column("tier");
  EXPECT_EQ(tier["tier"], "'" + t.dictionary()[static_cast<std::size_t>(t.values<int32_t>()[5])] + "'");
  EXPECT_TRUE(tier.count("salary"));
  // A float32 column shows the float it holds, in its shortest form.
  auto clv = as_map(explain::predicate_values(pop, {"clv > 5000", "t"}, 5));
  ASSERT_EQ(pop.column("clv").type(), DataType::Float32);
  EXPECT_EQ(clv["clv"], fmt::format("{}", pop.column("clv").values<float>()[5]));
}

TEST(ExplainValues, ExplanationShowsValuesPriorityTermsAndKeepsMultiLineTriggers) {
  decide::Campaign c = decide::load_campaign(test::source_dir() / "data/campaigns/rs1.toml");
  c.actions[1].trigger.text = "flights_prev_3m >= 2\n  AND flights_3m < 0.5 * flights_prev_3m";
  Population pop = generate_rs1(5000, 2);
  const auto b = decide::BoundCampaign::bind(c, pop);
  decide::SweepOptions o;
  o.trace_row = 42;
  const auto r = decide::run_sweep(b, o);
  const std::string text = decide::format_explanation(b, r);
  EXPECT_NE(text.find("flights_prev_3m >= 2\n"), std::string::npos);
  EXPECT_NE(text.find("  AND flights_3m < 0.5 * flights_prev_3m"), std::string::npos);
  EXPECT_NE(text.find("0.5 * flights_prev_3m = "), std::string::npos);
  EXPECT_NE(text.find("days_to_birthday = " + std::to_string(pop.column("days_to_birthday").values<int32_t>()[42])),
            std::string::npos);
  const nlohmann::json j = decide::explanation_json(b, r);
  ASSERT_EQ(j["actions"].size(), c.actions.size());
  bool found = false;
  for (const auto& v : j["actions"][3]["values"])
    if (v["text"] == "days_to_birthday")
      found = v["value"] == std::to_string(pop.column("days_to_birthday").values<int32_t>()[42]);
  EXPECT_TRUE(found);
  for (const auto& a : j["actions"])
    if (a.contains("gate")) { EXPECT_NE(a["priority_terms"].get<std::string>().find("value"), std::string::npos); }
}
