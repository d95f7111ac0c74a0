// Expression priorities (data/campaigns/README.md, [[action]] priority): a
// differential test of the sweep's priorities against the trigger language's
// own meaning of the whole priority text.
//
// Each case is a random arithmetic tree over RS-1 columns and constants,
// written with the fewest parentheses the precedence rules allow (plus some
// extra ones), with the churn score either as the last factor of the whole
// expression (`E * churn`: accepted) or somewhere else (`a + b * churn`,
// `churn * a`: refused at load, naming `churn`). For an accepted text, the
// oracle is the same text with `churn` replaced by a float64 column holding
// the model's reference score, evaluated row by row by the expression
// language's reference evaluator: every member's sweep priority must equal it
// bit for bit (or be stopped at the priority gate when it is NULL, NaN or
// infinite).
//
// Before the fix, a regex split `E * churn` off the text, so `clv + 1000 *
// churn` was computed as `(clv + 1000) * churn`; this test then fails.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/expr/program.h"
#include "engine/score/model.h"
#include "io/gen/rs1_generator.h"
#include "tests/support/test_paths.h"

using namespace nudge;
using namespace nudge::decide;

namespace {

// A tiny arithmetic tree with its own precedence-aware printer (independent of
// engine/expr's parser).
struct Node {
  char op = 0;       // 0 = leaf, else + - * /
  std::string leaf;  // column, constant or "churn"
  std::unique_ptr<Node> a, b;
};
using NodePtr = std::unique_ptr<Node>;

int prec(const Node& n) { return n.op == '+' || n.op == '-' ? 1 : n.op ? 2 : 3; }

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  NodePtr leaf() {
    static const char* cols[] = {"clv", "salary", "flights_3m", "points_balance", "distance_12m", "opens_90d"};
    static const char* consts[] = {"1000", "2", "0.5", "0.002", "3", "7.25", "0"};
    auto n = std::make_unique<Node>();
    n->leaf = pick(2) ? cols[pick(6)] : consts[pick(7)];
    return n;
  }
  NodePtr tree(int depth) {
    if (depth == 0 || pick(3) == 0) return leaf();
    auto n = std::make_unique<Node>();
    n->op = "+-*/"[pick(4)];
    n->a = tree(depth - 1);
    n->b = tree(depth - 1);
    return n;
  }
  // Replaces one random leaf of t by churn (t may be the leaf itself).
  void plant_churn(NodePtr& t) {
    NodePtr* at = &t;
    while ((*at)->op) at = pick(2) ? &(*at)->a : &(*at)->b;
    (*at)->leaf = "churn";
  }
  // Fewest parentheses: a child binding looser than its parent, or a right
  // child binding equally (operators are left-associative); sometimes extra.
  // `churn` is printed as '@', for the caller to spell.
  std::string print(const Node& n) {
    if (!n.op) return n.leaf == "churn" ? "@" : n.leaf;
    std::string l = print(*n.a), r = print(*n.b);
    if (prec(*n.a) < prec(n) || pick(8) == 0) l = "(" + l + ")";
    if (prec(*n.b) < prec(n) || (prec(*n.b) == prec(n) && n.b->op) || pick(8) == 0) r = "(" + r + ")";
    return l + " " + n.op + " " + r;
  }

 private:
  std::mt19937_64 rng_;
};

bool has_churn(const Node& n) { return n.op ? has_churn(*n.a) || has_churn(*n.b) : n.leaf == "churn"; }

std::string campaign_with_priority(const std::string& priority) {
  return "[campaign]\nmodel = \"../models/rs1_churn.toml\"\n"
         "[basket]\npoints_per_period = 1e9\nused_column = \"pressure_used\"\n"
         "[message_types]\nnote = 0\n"
         "[channels.email]\nconsent = \"email_opt_in\"\n"
         "[[action]]\nname = \"a\"\ntrigger = \"TRUE\"\nmessage_type = \"note\"\nchannel = \"email\"\n"
         "priority = '" +
         priority + "'\n";
}

class PriorityDifferential : public ::testing::Test {
 protected:
  void SetUp() override {
    pop_ = generate_rs1(3000, 7);
    auto model = score::load_model(test::source_dir() / "data/models/rs1_churn.toml");
    auto bound = model->bind(pop_);
    Column churn("churn_score", DataType::Float64, pop_.rows());
    for (std::size_t r = 0; r < pop_.rows(); ++r) churn.mutable_values<double>()[r] = bound->reference_score(r);
    pop_.add_column(std::move(churn));
  }
  Population pop_;
};

TEST_F(PriorityDifferential, SweepPriorityEqualsTheLanguageMeaningOfTheWholeText) {
  Gen g(20261202);
  int accepted = 0, refused = 0;
  const Column& consent = pop_.column("email_opt_in");
  for (int i = 0; i < 240; ++i) {
    NodePtr t = g.tree(3);
    if (has_churn(*t)) continue;
    bool last_factor = g.pick(2);
    if (last_factor) {
      auto m = std::make_unique<Node>();
      m->op = '*';
      m->a = std::move(t);
      m->b = std::make_unique<Node>();
      m->b->leaf = "churn";
      t = std::move(m);
    } else {
      auto m = std::make_unique<Node>();
      m->op = "+-*/"[g.pick(4)];
      m->a = std::move(t);
      m->b = g.tree(2);
      if (m->b->op == 0 || g.pick(2)) std::swap(m->a, m->b);
      t = std::move(m);
      g.plant_churn(t);
      if (t->op == '*' && !t->b->op && t->b->leaf == "churn" && !has_churn(*t->a)) last_factor = true;
    }
    std::string text, oracle_text;
    for (char ch : g.print(*t)) {
      text += ch == '@' ? std::string("churn") : std::string(1, ch);
      oracle_text += ch == '@' ? std::string("churn_score") : std::string(1, ch);
    }
    SCOPED_TRACE(text);
    if (!last_factor) {
      try {
        parse_campaign(campaign_with_priority(text), "c.toml", test::source_dir() / "data/campaigns");
        ADD_FAILURE() << "accepted a priority with churn inside the expression";
      } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("churn score can only multiply the whole priority"), std::string::npos)
            << e.what();
      }
      ++refused;
      continue;
    }
    ++accepted;
    Campaign c = parse_campaign(campaign_with_priority(text), "c.toml", test::source_dir() / "data/campaigns");
    ASSERT_TRUE(c.actions[0].uses_churn());
    BoundCampaign b = BoundCampaign::bind(c, pop_);
    SweepResult r = run_sweep(b, {});
    std::unordered_map<std::size_t, double> got;
    for (const Decision& d : r.ranked) got[d.row] = d.priority;
    auto oracle = expr::CompiledSet::compile(pop_, {}, {{oracle_text, "oracle"}});
    uint64_t stopped = 0;
    for (std::size_t row = 0; row < pop_.rows(); ++row) {
      if (consent.is_null(row) || !consent.values<uint8_t>()[row]) continue;
      std::optional<double> want = oracle.reference_number(pop_, 0, row);
      auto it = got.find(row);
      if (!want || !std::isfinite(*want)) {
        ++stopped;
        EXPECT_EQ(it, got.end()) << "row " << row;
        continue;
      }
      ASSERT_NE(it, got.end()) << "row " << row << " expected " << *want;
      ASSERT_EQ(it->second, *want) << "row " << row;
    }
    EXPECT_EQ(r.funnel[0].priority, stopped);
  }
  EXPECT_GT(accepted, 40);
  EXPECT_GT(refused, 40);
}

TEST_F(PriorityDifferential, ChurnInsideASumIsRefusedWithItsPosition) {
  // Was computed as (clv + 1000) * churn.
  try {
    parse_campaign(campaign_with_priority("clv + 1000 * churn"), "c.toml", test::source_dir() / "data/campaigns");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(
                  "c.toml:15:26: the churn score can only multiply the whole priority, as its last factor", 0),
              0u)
        << e.what();
  }
  Campaign c =
      parse_campaign(campaign_with_priority("(clv + 1000) * churn"), "c.toml", test::source_dir() / "data/campaigns");
  EXPECT_EQ(c.actions[0].priority_expression.text, "(clv + 1000)");
  EXPECT_TRUE(c.actions[0].priority_times_churn);
}

TEST_F(PriorityDifferential, ALongPriorityIsParsedWithoutRecursionTrouble) {
  // A 32 kB priority crashed std::regex; now the parser's height limit answers.
  std::string text = "clv";
  while (text.size() < 32'000) text += " + clv";
  text += " * churn";
  try {
    parse_campaign(campaign_with_priority(text), "c.toml", test::source_dir() / "data/campaigns");
    FAIL() << "accepted";
  } catch (const Error& e) { EXPECT_NE(std::string(e.what()).find("c.toml:15:"), std::string::npos) << e.what(); }
  std::string nested = "(" + std::string(100, '(') + "clv" + std::string(100, ')') + ")";
  std::string spaces(32'000, ' ');
  Campaign c = parse_campaign(campaign_with_priority(nested + spaces + "*" + spaces + "churn"), "c.toml",
                              test::source_dir() / "data/campaigns");
  EXPECT_EQ(c.actions[0].priority_expression.text, nested);
}

}  // namespace

namespace {

// The column an error names after TOML escapes in a trigger was the
// unescaped text's: two columns short after each \" here.
TEST_F(PriorityDifferential, ErrorColumnsCountTheFilesCharactersAfterEscapes) {
  std::string text = campaign_with_priority("clv");
  const std::string plain = "trigger = \"TRUE\"";
  text.replace(text.find(plain), plain.size(), "trigger = \"\\\"flights_3m\\\" > 1 AND nope > 1\"");
  Campaign c = parse_campaign(text, "c.toml", test::source_dir() / "data/campaigns");
  try {
    BoundCampaign::bind(c, pop_);
    FAIL() << "bound";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_EQ(m.substr(0, m.find(':', m.find(':', 7) + 1)), "c.toml:12:35") << m;
    EXPECT_NE(m.find("unknown column 'nope'"), std::string::npos) << m;
  }
}

}  // namespace
