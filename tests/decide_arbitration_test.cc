// Arbitration of one member (engine/decide/arbitration.h), the ranking with
// channel capacity and top-K (ranking.h) and the decision writers
// (decision_writer.h), each on hand-made inputs with exact expected outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "engine/base/error.h"
#include "engine/decide/arbitration.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/decision_writer.h"
#include "engine/decide/ranking.h"

using namespace nudge;
using namespace nudge::decide;

namespace {

struct Walk {
  std::vector<Gate> gate;
  std::vector<double> left;
  std::size_t kept;
};

Walk walk(std::vector<Candidate> c, double budget, std::size_t max_kept, std::vector<int64_t> allowance = {}) {
  Walk w;
  w.gate.resize(c.size());
  w.left.assign(c.size(), -999);
  w.kept = walk_budget(c.data(), c.size(), budget, max_kept, allowance.data(), w.gate.data(), w.left.data());
  return w;
}

}  // namespace

TEST(Arbitration, OrdersByPriorityThenActionOrder) {
  std::vector<Candidate> c = {{5, 1, 3, 0}, {9, 1, 7, 0}, {5, 1, 1, 0}, {9, 1, 2, 0}, {-1, 1, 0, 0}};
  order_candidates(c.data(), c.size());
  std::vector<uint32_t> actions;
  for (auto& x : c) actions.push_back(x.action);
  EXPECT_EQ(actions, (std::vector<uint32_t>{2, 7, 1, 3, 0}));
}

TEST(Arbitration, SkipsCandidateThatDoesNotFitButKeepsCheaperOne) {
  // budget 12, max 2: 20 > 12 skipped; 10 <= 12 kept (12-10 = 2); 5 > 2 skipped; 2 <= 2 kept (2-2 = 0).
  Walk w = walk({{100, 20, 0, 0}, {90, 10, 1, 0}, {80, 5, 2, 0}, {70, 2, 3, 0}}, 12, 2);
  EXPECT_EQ(w.gate, (std::vector<Gate>{Gate::Budget, Gate::Kept, Gate::Budget, Gate::Kept}));
  EXPECT_EQ(w.left[1], 2.0);
  EXPECT_EQ(w.left[3], 0.0);
  EXPECT_EQ(w.kept, 2u);
  // Same with max 1: the last one would fit but the member already has one decision.
  Walk w1 = walk({{100, 20, 0, 0}, {90, 10, 1, 0}, {80, 5, 2, 0}, {70, 2, 3, 0}}, 12, 1);
  EXPECT_EQ(w1.gate, (std::vector<Gate>{Gate::Budget, Gate::Kept, Gate::Budget, Gate::MemberMax}));
  EXPECT_EQ(w1.kept, 1u);
}

TEST(Arbitration, ZeroOrNegativeBudgetFitsNothingNotEvenFreeContacts) {
  for (double budget : {0.0, -0.5, -25.0, std::nan("")}) {
    Walk w = walk({{10, 0, 0, 0}, {5, 2, 1, 0}}, budget, 2);
    EXPECT_EQ(w.gate, (std::vector<Gate>{Gate::Budget, Gate::Budget})) << budget;
    EXPECT_EQ(w.kept, 0u);
  }
  Walk free = walk({{10, 0, 0, 0}}, 0.5, 2);
  EXPECT_EQ(free.gate[0], Gate::Kept);
  EXPECT_EQ(free.left[0], 0.5);
}

TEST(Arbitration, BudgetGateComesBeforePerMemberMaximum) {
  // After one keep (max 1): a candidate that would not fit counts as budget, one that would fit as max.
  Walk w = walk({{10, 5, 0, 0}, {9, 100, 1, 0}, {8, 1, 2, 0}}, 25, 1);
  EXPECT_EQ(w.gate, (std::vector<Gate>{Gate::Kept, Gate::Budget, Gate::MemberMax}));
  EXPECT_EQ(w.left[0], 20.0);
}

TEST(Arbitration, FrequencyCapCountsDecisionsOfThisSweep) {
  // cap 0 allows 1 more contact on channels with bit 0; cap 1 allows 5.
  Walk w = walk({{10, 1, 0, 0b01}, {9, 1, 1, 0b01}, {8, 1, 2, 0b10}, {7, 1, 3, 0b11}}, 25, 4, {1, 5});
  EXPECT_EQ(w.gate, (std::vector<Gate>{Gate::Kept, Gate::FrequencyCap, Gate::Kept, Gate::FrequencyCap}));
  EXPECT_EQ(w.left[2], 23.0);
  EXPECT_EQ(w.kept, 2u);
}

TEST(Arbitration, Rs1BasketArithmeticIsExact) {
  // pressure_used 15.5 -> budget 9.5; a commercial sms costs 15, a service e-mail 2, an editorial push 5.
  Walk w = walk({{120, 15, 5, 0}, {40, 2, 6, 0}, {21, 5, 8, 0}}, 25 - 15.5, 2);
  EXPECT_EQ(w.gate, (std::vector<Gate>{Gate::Budget, Gate::Kept, Gate::Kept}));
  EXPECT_EQ(w.left[1], 7.5);
  EXPECT_EQ(w.left[2], 2.5);
}

namespace {

Decision dec(double p, uint64_t id, uint16_t action, uint32_t row = 0) {
  return Decision{p, id, 1.0, 0.5, row, action, 0};
}

// Feeds each part to its own DecisionBuffer (as sweep workers do) and ranks.
RankingResult rank(const std::vector<std::vector<Decision>>& parts, const RankingInput& in) {
  std::vector<DecisionBuffer> buffers;
  for (std::size_t i = 0; i < parts.size(); ++i) buffers.emplace_back(in);
  std::vector<uint64_t> walk_kept(in.action_channel.size(), 0);
  for (std::size_t i = 0; i < parts.size(); ++i)
    for (const Decision& d : parts[i]) {
      buffers[i].add(d);
      ++walk_kept[d.action];
    }
  std::vector<DecisionBuffer*> ptrs;
  for (auto& b : buffers) ptrs.push_back(&b);
  return rank_decisions(ptrs, in, walk_kept);
}

std::vector<std::pair<uint64_t, uint16_t>> keys(const std::vector<Decision>& d) {
  std::vector<std::pair<uint64_t, uint16_t>> k;
  for (auto& x : d) k.emplace_back(x.customer_id, x.action);
  return k;
}

}  // namespace

TEST(Ranking, OrdersByPriorityThenCustomerIdThenAction) {
  std::vector<std::vector<Decision>> parts = {{dec(5, 30, 1), dec(7, 40, 0)}, {dec(5, 20, 2), dec(5, 20, 1)}, {}};
  RankingInput in{{std::nullopt}, {0, 0, 0}, std::nullopt};
  RankingResult r = rank(parts, in);
  EXPECT_EQ(keys(r.ranked), (std::vector<std::pair<uint64_t, uint16_t>>{{40, 0}, {20, 1}, {20, 2}, {30, 1}}));
  EXPECT_EQ(r.decisions, 4u);
}

TEST(Ranking, ChannelCapacityKeepsHighestPriorityTiesByCustomerIdThenAction) {
  // Channel 1 (actions 1 and 2) holds 3 decisions; five compete, two tie at priority 8.
  std::vector<std::vector<Decision>> parts = {
      {dec(9, 50, 1), dec(8, 70, 1), dec(3, 10, 0)},
      {dec(8, 60, 2), dec(8, 60, 1), dec(2, 5, 2), dec(4, 1, 0)},
  };
  RankingInput in{{std::nullopt, 3}, {0, 1, 1}, std::nullopt};
  RankingResult r = rank(parts, in);
  // Channel 1 in rank order: (9,50,1) (8,60,1) (8,60,2) | (8,70,1) (2,5,2) dropped.
  EXPECT_EQ(keys(r.ranked), (std::vector<std::pair<uint64_t, uint16_t>>{{50, 1}, {60, 1}, {60, 2}, {1, 0}, {10, 0}}));
  EXPECT_EQ(r.dropped_by_capacity, (std::vector<uint64_t>{0, 1, 1}));
  ASSERT_TRUE(r.capacity_cutoff[1]);
  EXPECT_EQ(r.capacity_cutoff[1]->customer_id, 60u);
  EXPECT_EQ(r.capacity_cutoff[1]->action, 2u);
  EXPECT_FALSE(r.capacity_cutoff[0]);
  EXPECT_EQ(r.decisions, 5u);
}

TEST(Ranking, ZeroCapacityDropsTheWholeChannel) {
  std::vector<std::vector<Decision>> parts = {{dec(9, 1, 0), dec(1, 2, 1)}};
  RankingResult r = rank(parts, {{0, std::nullopt}, {0, 1}, std::nullopt});
  EXPECT_EQ(keys(r.ranked), (std::vector<std::pair<uint64_t, uint16_t>>{{2, 1}}));
  EXPECT_EQ(r.dropped_by_capacity, (std::vector<uint64_t>{1, 0}));
}

TEST(Ranking, BufferedTopKEqualsFullSortPrefixForAnySplit) {
  std::mt19937_64 rng(7);
  std::vector<Decision> all;
  // Enough decisions that the buffers cut their lanes several times; few distinct priorities: many ties.
  for (uint32_t i = 0; i < 60000; ++i)
    all.push_back(dec(static_cast<double>(rng() % 17), rng() % 40000, static_cast<uint16_t>(rng() % 4), i));
  // Unique (customer, action) as in a sweep.
  std::sort(all.begin(), all.end(),
            [](auto& a, auto& b) { return std::pair(a.customer_id, a.action) < std::pair(b.customer_id, b.action); });
  all.erase(std::unique(all.begin(), all.end(),
                        [](auto& a, auto& b) { return a.customer_id == b.customer_id && a.action == b.action; }),
            all.end());
  std::vector<Decision> expect = all;
  // Reference: capacity 100 on channel 1 (actions 2, 3), then top 250, by plain sorting.
  std::sort(expect.begin(), expect.end(), [](auto& a, auto& b) { return ranks_before(a, b); });
  std::vector<Decision> kept;
  std::size_t on1 = 0;
  for (auto& d : expect)
    if (d.action < 2 || on1++ < 100) kept.push_back(d);
  kept.resize(250);
  for (std::size_t nparts : {1u, 2u, 3u, 8u}) {
    std::vector<std::vector<Decision>> parts(nparts);
    for (std::size_t i = 0; i < all.size(); ++i) parts[(i * 7) % nparts].push_back(all[i]);
    RankingResult r = rank(parts, {{std::nullopt, 100}, {0, 0, 1, 1}, 250});
    EXPECT_EQ(keys(r.ranked), keys(kept)) << nparts;
    EXPECT_EQ(r.decisions, all.size() - (on1 - 100));
  }
}

namespace {

std::string write_to_string(const Campaign& c, const std::vector<Decision>& d, OutputFormat f) {
  char* buf = nullptr;
  std::size_t len = 0;
  std::FILE* mem = open_memstream(&buf, &len);
  write_decisions(mem, c, d, f);
  std::fclose(mem);
  std::string s(buf, len);
  std::free(buf);
  return s;
}

const char* kWriterCampaign = R"(
[campaign]
model = "m.toml"
[basket]
points_per_period = 25
used_column = "pressure_used"
[channels.call]
factor = 2.0
consent = "phone_opt_in"
[channels.email]
consent = "email_opt_in"
[[action]]
name = "defection_call"
trigger = "tier IN ('Star', 'Nova') AND flights_3m < 2"
message_type = "commercial"
channel = "call"
value = 400
priority = "weight * value * churn"
[[action]]
name = "say \"hi\""
brand = "Sky, Fly"
trigger = "flights_3m < 2"
message_type = "service"
channel = "email"
value = 20
priority = "weight * value"
)";

}  // namespace

TEST(DecisionWriter, CsvQuotesTextAndWritesShortestRoundTripNumbers) {
  Campaign c = parse_campaign(kWriterCampaign, "w.toml", "/");
  std::vector<Decision> d = {{400 * 0.1, 6000000017, 5, 0.1, 3, 0, 0, 0},
                             {20, 6000000001, 2.5, std::nan(""), 1, 1, 0, 1}};
  EXPECT_EQ(
      write_to_string(c, d, OutputFormat::Csv),
      "rank,customer_id,action,channel,message_type,priority,cost,budget_left,churn,trigger,brand,control\n"
      "1,6000000017,defection_call,call,commercial,40,20,5,0.1,\"tier IN ('Star', 'Nova') AND flights_3m < 2\",,false\n"
      "2,6000000001,\"say \"\"hi\"\"\",email,service,20,2,2.5,,flights_3m < 2,\"Sky, Fly\",true\n");
}

TEST(DecisionWriter, JsonLinesHasOneObjectPerDecision) {
  Campaign c = parse_campaign(kWriterCampaign, "w.toml", "/");
  std::vector<Decision> d = {{0.1 + 0.2, 7, 23, 0.25, 3, 0, 0, 0}, {20, 8, 2.5, std::nan(""), 1, 1, 0, 1}};
  EXPECT_EQ(write_to_string(c, d, OutputFormat::JsonLines),
            "{\"rank\":1,\"customer_id\":7,\"action\":\"defection_call\",\"channel\":\"call\",\"message_type\":"
            "\"commercial\",\"priority\":0.30000000000000004,\"cost\":20,\"budget_left\":23,\"churn\":0.25,"
            "\"trigger\":\"tier IN ('Star', 'Nova') AND flights_3m < 2\",\"brand\":null,\"control\":false}\n"
            "{\"rank\":2,\"customer_id\":8,\"action\":\"say \\\"hi\\\"\",\"channel\":\"email\",\"message_type\":"
            "\"service\",\"priority\":20,\"cost\":2,\"budget_left\":2.5,\"churn\":null,\"trigger\":\"flights_3m < 2\","
            "\"brand\":\"Sky, Fly\",\"control\":true}\n");
  EXPECT_EQ(parse_output_format("jsonl"), OutputFormat::JsonLines);
  EXPECT_THROW(parse_output_format("xml"), Error);
}

// Attack 2, finding 3: a 20,000-id `customer_id IN (...)` trigger was copied into every row (360 MB for
// 1,501 decisions). The column keeps 200 characters and says how many were left out and where they are.
TEST(DecisionWriter, LongTriggerIsCutAt200CharactersWithAVisibleMarker) {
  std::string ids;
  for (int i = 0; i < 20000; ++i) ids += (i ? ", " : "") + std::to_string(6000000000LL + i);
  const std::string trigger = "customer_id IN (" + ids + ")";
  std::string toml = kWriterCampaign;
  toml.replace(toml.find("trigger = \"flights_3m < 2\""), 26, "trigger = \"" + trigger + "\"");
  Campaign c = parse_campaign(toml, "w.toml", "/");
  ASSERT_EQ(c.actions[1].trigger.text, trigger);
  std::vector<Decision> d = {{20, 6000000001, 2.5, std::nan(""), 1, 1, 0, 0},
                             {20, 6000000002, 2.5, std::nan(""), 1, 1, 0, 0}};
  const std::string cut = trigger.substr(0, 200) + "\xE2\x80\xA6 (+" + std::to_string(trigger.size() - 200) +
                          " characters; see action 'say \"hi\"' in the campaign)";
  EXPECT_EQ(trigger.substr(190, 10), "0014, 6000");  // the cut falls inside the 16th id
  EXPECT_EQ(trigger.size() - 200, 239815u);
  const std::string csv_cut = "\"" + std::string(cut).replace(cut.find("\"hi\""), 4, "\"\"hi\"\"") + "\"";
  EXPECT_EQ(write_to_string(c, d, OutputFormat::Csv),
            "rank,customer_id,action,channel,message_type,priority,cost,budget_left,churn,trigger,brand,control\n"
            "1,6000000001,\"say \"\"hi\"\"\",email,service,20,2,2.5,," + csv_cut + ",\"Sky, Fly\",false\n"
            "2,6000000002,\"say \"\"hi\"\"\",email,service,20,2,2.5,," + csv_cut + ",\"Sky, Fly\",false\n");
  const std::string jl = write_to_string(c, d, OutputFormat::JsonLines);
  EXPECT_LT(jl.size(), 1000u);  // two rows of about 470 bytes, not 2 x 240 KB
  EXPECT_NE(jl.find("\"trigger\":\"customer_id IN (6000000000, 6000000001, "), std::string::npos);
  EXPECT_NE(jl.find("\xE2\x80\xA6 (+239815 characters; see action 'say \\\"hi\\\"' in the campaign)\""),
            std::string::npos);
}

TEST(DecisionWriter, TriggerColumnTextCountsCodePointsAndKeeps200Exactly) {
  const std::string a200(200, 'a');
  EXPECT_EQ(trigger_column_text("x", a200), a200);  // at the limit: unchanged
  EXPECT_EQ(trigger_column_text("x", a200 + "b"), a200 + "\xE2\x80\xA6 (+1 characters; see action 'x' in the campaign)");
  // 'é' is two bytes, one character: 200 of them (400 bytes) are kept whole, and a cut never splits one.
  std::string e200;
  for (int i = 0; i < 200; ++i) e200 += "\xC3\xA9";
  EXPECT_EQ(trigger_column_text("x", e200), e200);
  EXPECT_EQ(trigger_column_text("x", e200 + "\xC3\xA9\xC3\xA9"),
            e200 + "\xE2\x80\xA6 (+2 characters; see action 'x' in the campaign)");
  EXPECT_EQ(trigger_column_text("x", "flights_3m < 2"), "flights_3m < 2");
}
