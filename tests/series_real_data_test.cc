// The real datasets end to end (data/real-data.md): the Maven airline
// loyalty data (unzipped from ../shared) and the CDNOW purchase log, imported
// with their activity schemas; exact member, row, repeated-key and duplicate
// counts; the campaign triggers' audiences, each counted independently by a
// plain loop over the raw files (no nudge code in that count); the parallel
// import equal to the reference; and the documented command sequences
// (tools/run-airline.sh, tools/run-cdnow.sh) through the CLI.
#include <gtest/gtest.h>

#include <toml++/toml.h>

#include <array>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/expr/program.h"
#include "io/activity/activity_import.h"
#include "io/csv/csv_import.h"
#include "io/csv/import_schema.h"
#include "io/csv/whitespace_table.h"
#include "tests/oracles/activity_reference.h"
#include "tests/support/raw_text.h"
#include "tests/support/test_paths.h"

using namespace nudge;
namespace fs = std::filesystem;
using test::lines_of;
using test::split;

namespace {

// ---- plain reading of the raw files (independent of nudge) ----

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> f;
  std::istringstream ss(s);
  std::string x;
  while (ss >> x) f.push_back(x);
  return f;
}

// The trigger of action `name` in a campaign file, as written.
std::string campaign_trigger(const fs::path& campaign, const std::string& name) {
  toml::table t = toml::parse_file(campaign.string());
  for (const auto& a : *t["action"].as_array())
    if (a.as_table()->get("name")->value<std::string>() == name)
      return *a.as_table()->get("trigger")->value<std::string>();
  ADD_FAILURE() << "no action " << name;
  return "FALSE";
}

std::size_t audience(const Population& pop, const std::string& trigger) {
  auto set = expr::CompiledSet::compile(pop, {{trigger, "campaign"}});
  auto bits = expr::select_all(pop, set);
  std::size_t n = 0;
  for (uint64_t w : bits[0]) n += static_cast<std::size_t>(__builtin_popcountll(w));
  return n;
}

struct Airline {
  fs::path dir;
  fs::path members() const { return dir / "Customer Loyalty History.csv"; }
  fs::path activity() const { return dir / "Customer Flight Activity.csv"; }
};

const Airline& airline() {
  static Airline a = [] {
    Airline x;
    x.dir = test::make_temp_dir("airline");
    const fs::path zip = test::shared_dir() / "data/real/airline-loyalty-program/Airline+Loyalty+Program.zip";
    std::string out;
    EXPECT_EQ(test::run_command("unzip -q -o '" + zip.string() + "' -x '__MACOSX/*' -d '" + x.dir.string() + "'", &out),
              0)
        << out;
    return x;
  }();
  return a;
}

Population airline_members() {
  ImportOptions o;
  o.schema = load_import_schema(test::source_dir() / "data/schemas/airline_members.toml");
  o.as_of = days_from_civil(2018, 12, 31);
  return import_csv(airline().members(), o).population;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string grep_line(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l))
    if (l.rfind(prefix, 0) == 0) return l;
  return "<no line " + prefix + ">";
}

}  // namespace

TEST(AirlineRealData, ImportsEveryMemberAndActivityRowWithExactRepeatCounts) {
  Population m = airline_members();
  EXPECT_EQ(m.rows(), 16737u);
  const ActivitySpec spec = load_activity_spec(test::source_dir() / "data/schemas/airline_activity.toml");
  ActivityImport a = import_activity(airline().activity(), spec, m);
  EXPECT_EQ(a.report.rows, 405624u);
  EXPECT_EQ(a.report.repeated_rows, 3936u);
  EXPECT_EQ(a.report.exact_duplicates, 1864u);
  EXPECT_EQ(a.report.dropped_duplicates, 1864u);
  EXPECT_EQ(a.report.rows_used, 405624u - 1864u);
  EXPECT_EQ(a.report.rows_before_window + a.report.rows_after_as_of + a.report.unknown_member_rows, 0u);
  EXPECT_EQ(a.report.members_with_activity, 16737u);
  ASSERT_NE(m.find_series("flights"), nullptr);
  EXPECT_EQ(m.find_series("flights")->buckets(), 24u);

  // The parallel import equals the plain reference on the real table.
  Population ref = airline_members();
  EXPECT_EQ(add_activity_series_reference(ref, a.activity, spec, "activity"), a.report);
  for (const char* s : {"flights", "distance", "points", "redeemed"})
    for (std::size_t k = 0; k < 24; ++k) {
      const Column& x = m.column(std::string(s) + "@" + std::to_string(k));
      const Column& y = ref.column(std::string(s) + "@" + std::to_string(k));
      ASSERT_EQ(std::memcmp(x.values<unsigned char>(), y.values<unsigned char>(), 4 * m.rows()), 0) << x.name();
    }
}

namespace {

// Plain count over the raw CSVs: members (tier, cancellation) and flights per
// member and month, exact duplicate rows left out as the activity schema says.
struct PlainAirline {
  std::size_t members = 0, call = 0, email = 0, winback = 0;
};

const PlainAirline& plain_airline() {
  static PlainAirline p = [] {
    PlainAirline x;
    std::map<std::string, std::pair<std::string, bool>> member;  // id -> (card, cancelled)
    auto ml = lines_of(airline().members());
    auto al = lines_of(airline().activity());
    if (ml.empty() || al.empty()) {  // a missing file reads as no lines: fail, do not index into it
      ADD_FAILURE() << "cannot read " << airline().members() << " or " << airline().activity();
      return x;
    }
    EXPECT_EQ(ml[0].substr(0, 14), "Loyalty Number");
    for (std::size_t i = 1; i < ml.size(); ++i) {
      if (ml[i].empty()) continue;
      auto f = split(ml[i], ',');
      member[f[0]] = {f[9], !f[14].empty()};
    }
    std::map<std::string, std::array<long, 24>> flights;
    std::set<std::string> seen_rows;
    for (std::size_t i = 1; i < al.size(); ++i) {
      if (al[i].empty() || !seen_rows.insert(al[i]).second) continue;
      auto f = split(al[i], ',');
      const int k = (2018 * 12 + 11) - (std::stoi(f[1]) * 12 + std::stoi(f[2]) - 1);
      EXPECT_TRUE(k >= 0 && k < 24);
      flights[f[0]][k] += std::stol(f[5]);
    }
    for (const auto& [id, mc] : member) {
      const auto& f = flights[id];
      const long cur = f[0] + f[1] + f[2], prev = f[3] + f[4] + f[5];
      long older = 0;
      for (int k = 6; k < 24; ++k) older += f[k];
      const bool dropped = 2 * cur < prev;  // cur < 0.5 * prev, in integers
      const bool star_nova = mc.first == "Star" || mc.first == "Nova";
      x.call += star_nova && !mc.second && dropped;
      x.email += !star_nova && !mc.second && dropped;
      x.winback += cur + prev == 0 && older > 0;
    }
    x.members = member.size();
    return x;
  }();
  return p;
}

// The numbers of a funnel row "action fired consent ... kept output" of nudge sweep's summary.
std::vector<long> funnel_row(const std::string& log, const std::string& action) {
  std::vector<long> v;
  std::istringstream in(grep_line(log, action + " "));
  std::string name;
  long x;
  in >> name;
  while (in >> x) v.push_back(x);
  return v;
}

}  // namespace

TEST(AirlineRealData, CampaignAudiencesEqualAPlainCountOverTheCsvFiles) {
  const PlainAirline& plain = plain_airline();
  EXPECT_EQ(plain.members, 16737u);
  EXPECT_EQ(plain.call, 2986u);
  EXPECT_EQ(plain.email, 779u);
  EXPECT_EQ(plain.winback, 882u);
  const std::size_t call = plain.call, email = plain.email, winback = plain.winback;

  Population m = airline_members();
  import_activity(airline().activity(), load_activity_spec(test::source_dir() / "data/schemas/airline_activity.toml"),
                  m);
  const fs::path campaign = test::source_dir() / "data/campaigns/airline_defection.toml";
  EXPECT_EQ(audience(m, campaign_trigger(campaign, "defection_call")), call);
  EXPECT_EQ(audience(m, campaign_trigger(campaign, "defection_email")), email);
  EXPECT_EQ(audience(m, campaign_trigger(campaign, "winback_email")), winback);
}

TEST(AirlineRealData, ActivityCommandReportsTheCountsAndWritesTheSeriesSnapshot) {
  const fs::path out = test::make_temp_dir("airline-cli");
  std::string log;
  const std::string cmd = "'" + test::cli_path().string() + "' activity '" + airline().members().string() +
                          "' --schema '" + (test::source_dir() / "data/schemas/airline_members.toml").string() +
                          "' --activity '" + airline().activity().string() + "' --activity-schema '" +
                          (test::source_dir() / "data/schemas/airline_activity.toml").string() +
                          "' --as-of 2018-12-31 --default email_opt_in=true -o '" + (out / "a.snap").string() + "'";
  ASSERT_EQ(test::run_command(cmd, &log), 0) << log;
  EXPECT_EQ(grep_line(log, "members:").substr(0, 31), "members: 16737 rows x 16 column");
  EXPECT_EQ(grep_line(log, "activity rows:"), "activity rows: 405624");
  EXPECT_EQ(grep_line(log, "repeated member-bucket rows:"),
            "repeated member-bucket rows: 3936 (rows whose member and bucket occurred before)");
  EXPECT_EQ(grep_line(log, "exact duplicates:"), "exact duplicates: 1864 (equal to an earlier row in every column)");
  EXPECT_EQ(grep_line(log, "default (not in the data):"),
            "default (not in the data): email_opt_in = true (bool) for all 16737 members");
  std::string inspect;
  ASSERT_EQ(
      test::run_command("'" + test::cli_path().string() + "' inspect '" + (out / "a.snap").string() + "'", &inspect),
      0);
  EXPECT_NE(inspect.find("flights          month   24 buckets  2017-01-01 .. 2018-12-31  total "), std::string::npos)
      << inspect;
  EXPECT_NE(inspect.find("@23  2017-01-01 .. 2017-01-31"), std::string::npos);
}

TEST(CdnowRealData, DailyPurchasesRollIntoMonthsAndBuysLessAudienceEqualsAPlainCount) {
  const fs::path log_file = test::shared_dir() / "data/real/cdnow/CDNOW_master.txt";
  // Plain count in whole cents per customer and month (no floating point).
  std::map<std::string, std::array<long long, 18>> cents;
  std::size_t rows = 0;
  auto ll = lines_of(log_file);
  for (std::size_t i = 1; i < ll.size(); ++i) {
    auto w = words(ll[i]);
    if (w.empty()) continue;
    ++rows;
    const int y = std::stoi(w[1].substr(0, 4)), mo = std::stoi(w[1].substr(4, 2));
    const int k = (1998 * 12 + 5) - (y * 12 + mo - 1);
    ASSERT_TRUE(k >= 0 && k < 18) << ll[i];
    const auto dot = w[3].find('.');
    cents[w[0]][k] += std::stoll(w[3].substr(0, dot)) * 100 + std::stoll(w[3].substr(dot + 1));
  }
  std::size_t buys_less = 0;
  for (const auto& [id, c] : cents) {
    const long long cur = c[0] + c[1] + c[2], prev = c[3] + c[4] + c[5];
    buys_less += prev >= 5000 && 4 * cur < prev;
  }
  EXPECT_EQ(rows, 69659u);
  EXPECT_EQ(cents.size(), 23570u);

  const ActivitySpec spec = load_activity_spec(test::source_dir() / "data/schemas/cdnow_activity.toml");
  const int32_t as_of = days_from_civil(1998, 6, 30);
  const ImportResult t = import_csv_text(whitespace_table_to_csv_file(log_file.string()), log_file.string(),
                                         activity_table_options(spec, as_of));
  Population m = members_from_activity(t.population, spec, "cdnow", as_of);
  EXPECT_EQ(m.rows(), 23570u);
  const ActivityReport r = add_activity_series(m, t.population, spec, "cdnow");
  EXPECT_EQ(r.rows, 69659u);
  EXPECT_EQ(r.rows_used, 69659u);
  EXPECT_EQ(r.rows_before_window + r.rows_after_as_of, 0u);
  EXPECT_EQ(
      audience(m, campaign_trigger(test::source_dir() / "data/campaigns/cdnow_buys_less.toml", "buys_less_email")),
      buys_less);
  EXPECT_EQ(buys_less, 793u);
}

TEST(AirlineRealData, RunScriptImportsAndSweepsWithTheTriggerAudienceInTheFunnel) {
  const fs::path out = test::make_temp_dir("run-airline");
  std::string log;
  ASSERT_EQ(
      test::run_command("NUDGE='" + test::cli_path().string() + "' NUDGE_SHARED_DIR='" + test::shared_dir().string() +
                            "' '" + (test::source_dir() / "tools/run-airline.sh").string() + "' '" + out.string() + "'",
                        &log),
      0)
      << log;
  const std::string import_log = read_text(out / "import.log"), sweep_log = read_text(out / "sweep.log");
  EXPECT_EQ(grep_line(import_log, "activity rows:"), "activity rows: 405624");
  EXPECT_EQ(grep_line(import_log, "repeated member-bucket rows:").substr(0, 33), "repeated member-bucket rows: 3936");
  EXPECT_EQ(grep_line(import_log, "exact duplicates:").substr(0, 22), "exact duplicates: 1864");
  // fired consent suppression freq.cap priority budget max capacity kept output
  const auto call = funnel_row(sweep_log, "defection_call");
  ASSERT_EQ(call.size(), 10u) << sweep_log;
  EXPECT_EQ(call[0], static_cast<long>(plain_airline().call));
  EXPECT_EQ(call[8], 1000);  // the call centre's capacity
  EXPECT_EQ(funnel_row(sweep_log, "defection_email")[0], static_cast<long>(plain_airline().email));
  EXPECT_EQ(funnel_row(sweep_log, "winback_email")[0], static_cast<long>(plain_airline().winback));
  EXPECT_TRUE(fs::file_size(out / "decisions.csv") > 0);
}

TEST(CdnowRealData, RunScriptImportsTheLogAndSweepsTheBuysLessAudience) {
  const fs::path out = test::make_temp_dir("run-cdnow");
  std::string log;
  ASSERT_EQ(
      test::run_command("NUDGE='" + test::cli_path().string() + "' NUDGE_SHARED_DIR='" + test::shared_dir().string() +
                            "' '" + (test::source_dir() / "tools/run-cdnow.sh").string() + "' '" + out.string() + "'",
                        &log),
      0)
      << log;
  const std::string import_log = read_text(out / "import.log"), sweep_log = read_text(out / "sweep.log");
  EXPECT_EQ(grep_line(import_log, "members:").substr(0, 29), "members: 23570 distinct ids o");
  EXPECT_EQ(grep_line(import_log, "activity rows:"), "activity rows: 69659");
  const auto row = funnel_row(sweep_log, "buys_less_email");
  ASSERT_EQ(row.size(), 10u) << sweep_log;
  EXPECT_EQ(row[0], 793);  // = the plain count of CdnowRealData.DailyPurchases...
  EXPECT_EQ(row[9], 793);
}
