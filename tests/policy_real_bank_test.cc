// A history-driven sweep on real records: the UCI Bank Marketing
// telemarketing data (../shared/data/real/uci-bank-marketing/bank.zip,
// bank-full.csv, 45,211 clients; data/real-data.md "Contact history: UCI Bank
// Marketing"). The records become a contact history (each client's last call
// of the campaign, the previous campaign's last call `pdays` earlier, a
// `convert` response where the client subscribed); data/campaigns/
// bank_followup.toml is swept with it at the last day of the data, and its
// funnel must equal a plain loop over the parsed records that applies the
// campaign's rules by hand (windows, caps, basket) without the engine.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/history/history.h"
#include "engine/policy/history_policy.h"
#include "tests/support/test_paths.h"

namespace nudge {
namespace {

struct Client {
  int age;
  double balance;
  int32_t last_call;  // date of the campaign's last contact
  int pdays;          // -1: not contacted before
  bool subscribed, previous_success;
};

// bank-full.csv: ';'-separated, strings quoted. Rows are in date order from
// May 2008 to November 2010 without the year: a month earlier than the
// previous row's starts the next year.
std::vector<Client> read_bank(const std::filesystem::path& csv) {
  static const char* months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  std::vector<Client> out;
  int year = 2008, prev_month = 5;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ';');) {
      if (x.size() >= 2 && x.front() == '"') x = x.substr(1, x.size() - 2);
      f.push_back(x);
    }
    if (f.size() != 17) ADD_FAILURE() << "bad row: " << line;
    int month = 0;
    for (int m = 0; m < 12; ++m)
      if (f[10] == months[m]) month = m + 1;
    if (month < prev_month) ++year;
    prev_month = month;
    out.push_back({std::stoi(f[0]), std::stod(f[5]), days_from_civil(year, unsigned(month), unsigned(std::stoi(f[9]))),
                   std::stoi(f[13]), f[16] == "yes", f[15] == "success"});
  }
  return out;
}

TEST(PolicyRealBank, HistorySweepFunnelEqualsAPlainLoopOverTheRecords) {
  const auto zip = test::shared_dir() / "data/real/uci-bank-marketing/bank.zip";
  if (!std::filesystem::exists(zip)) GTEST_SKIP() << zip << " not found";
  const auto dir = test::make_temp_dir("bank");
  std::string out;
  ASSERT_EQ(test::run_command("unzip -q -o '" + zip.string() + "' bank-full.csv -d '" + dir.string() + "'", &out), 0)
      << out;
  const std::vector<Client> clients = read_bank(dir / "bank-full.csv");
  ASSERT_EQ(clients.size(), 45211u);
  int32_t D = 0;  // as_of: the last day of the data
  for (const Client& c : clients) D = std::max(D, c.last_call);
  ASSERT_EQ(format_iso_date(D), "2010-11-17");
  ASSERT_EQ(format_iso_date(clients.front().last_call), "2008-05-05");

  // Population: one row per client (customer_id = row + 1); no consent data, so every phone consent is TRUE.
  const std::size_t n = clients.size();
  Population pop(n, D);
  Column id("customer_id", DataType::UInt64, n), bal("balance", DataType::Float64, n),
      phone("phone_opt_in", DataType::Bool, n);
  std::vector<history::ContactRecord> cs;
  std::vector<history::ResponseRecord> rs;
  for (std::size_t i = 0; i < n; ++i) {
    const Client& c = clients[i];
    id.mutable_values<uint64_t>()[i] = i + 1;
    bal.mutable_values<double>()[i] = c.balance;
    phone.mutable_values<uint8_t>()[i] = 1;
    auto call = [&](const char* action, int32_t day) {
      history::ContactRecord r;
      r.customer_id = i + 1, r.sent_on = day, r.action = action, r.channel = "call", r.message_type = "commercial";
      r.cost = 2;
      cs.push_back(r);
    };
    auto convert = [&](const char* action, int32_t day) {
      history::ResponseRecord r;
      r.customer_id = i + 1, r.action = action, r.sent_on = day, r.responded_on = day, r.type = "convert";
      rs.push_back(r);
    };
    call("deposit_call", c.last_call);
    if (c.subscribed) convert("deposit_call", c.last_call);
    if (c.pdays >= 0) {
      call("previous_campaign_call", c.last_call - c.pdays);
      if (c.previous_success) convert("previous_campaign_call", c.last_call - c.pdays);
    }
  }
  pop.add_column(std::move(id)), pop.add_column(std::move(bal)), pop.add_column(std::move(phone));
  const history::History h = history::build_history(std::move(cs), std::move(rs));
  EXPECT_EQ(h.count_skipped(D).total(), 0u);

  const auto campaign = decide::load_campaign(std::string(NUDGE_SOURCE_DIR) + "/data/campaigns/bank_followup.toml");
  policy::HistoryPolicy hp(campaign, pop, h, D);
  const auto bound = decide::BoundCampaign::bind(campaign, hp.population());
  decide::SweepOptions opt;
  opt.inputs = &hp;
  const auto r = decide::run_sweep(bound, opt);

  // The plain loop: the campaign's rules written out over the records.
  const int32_t month_first = days_from_civil(2010, 11, 1), year_first = days_from_civil(2009, 12, 1);
  struct Count {
    uint64_t fired = 0, capped = 0, budget = 0, kept = 0;
  } thanks, winback;
  for (const Client& c : clients) {
    std::vector<int32_t> calls = {c.last_call};
    if (c.pdays >= 0) calls.push_back(c.last_call - c.pdays);
    int in30 = 0;
    double used = 0;
    int32_t newest = calls[0];
    for (int32_t t : calls) {
      in30 += t > D - 30 && t <= D;
      used += t >= month_first && t <= D ? 2 : 0;
      newest = std::max(newest, t);
    }
    bool converted_in_year = c.subscribed && c.last_call >= year_first;
    if (c.pdays >= 0 && c.previous_success && c.last_call - c.pdays >= year_first) converted_in_year = true;
    const bool t1 = c.subscribed && c.last_call > D - 180 && c.balance > 1000;
    const bool t2 = c.last_call >= year_first && !converted_in_year && D - newest > 60;
    for (auto [fired, cnt] : {std::pair{t1, &thanks}, std::pair{t2, &winback}}) {
      if (!fired) continue;
      ++cnt->fired;
      if (in30 >= 1) ++cnt->capped;
      else if (4 - used < 2) ++cnt->budget;
      else ++cnt->kept;
    }
  }
  EXPECT_EQ(r.funnel[0].fired, thanks.fired);
  EXPECT_EQ(r.funnel[0].frequency_cap, thanks.capped);
  EXPECT_EQ(r.funnel[0].budget, thanks.budget);
  EXPECT_EQ(r.funnel[0].kept, thanks.kept);
  EXPECT_EQ(r.funnel[1].fired, winback.fired);
  EXPECT_EQ(r.funnel[1].frequency_cap, winback.capped);
  EXPECT_EQ(r.funnel[1].budget, winback.budget);
  EXPECT_EQ(r.funnel[1].kept, winback.kept);
  // Every gate is exercised on the real records (figures in data/real-data.md).
  EXPECT_GT(thanks.kept, 0u);
  EXPECT_GT(thanks.capped, 0u);
  EXPECT_GT(winback.kept, 0u);
  std::printf(
      "bank: as_of %s, thanks fired %llu capped %llu budget %llu kept %llu; winback fired %llu capped %llu "
      "budget %llu kept %llu; %zu contacts, %zu responses\n",
      format_iso_date(D).c_str(), (unsigned long long)thanks.fired, (unsigned long long)thanks.capped,
      (unsigned long long)thanks.budget, (unsigned long long)thanks.kept, (unsigned long long)winback.fired,
      (unsigned long long)winback.capped, (unsigned long long)winback.budget, (unsigned long long)winback.kept,
      h.contacts(), h.responses());
}

}  // namespace
}  // namespace nudge
