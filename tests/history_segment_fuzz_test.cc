// A damaged segment never crashes a reader: every byte of a small segment
// flipped (one bit, and all eight), and the file cut at many lengths, then
// the history opened and read the way `nudge history inspect`, `nudge report`
// and the sweep's policies read it. Each case ends in an error (naming the
// segment) or in a result; none may crash or read outside the columns (run
// it in the ASan build too: cmake -DCMAKE_BUILD_TYPE=Asan or -fsanitize=address).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "engine/decide/bound_campaign.h"
#include "engine/decide/campaign_loader.h"
#include "engine/decide/sweep.h"
#include "engine/dialogue/dialogue_pass.h"
#include "engine/history/history.h"
#include "engine/policy/history_policy.h"
#include "engine/report/uplift.h"
#include "engine/report/uplift_format.h"
#include "io/history/history_csv.h"
#include "io/history/history_store.h"
#include "io/history/history_summary.h"
#include "tests/support/test_paths.h"

namespace nudge {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
void spit(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes; }

// A small history in one segment: 12 members, several contacts each over
// three actions and two channels, a control contact, campaigns and brands,
// responses of three types (one user-defined), one skipped response.
fs::path make_history(const fs::path& dir) {
  std::string c = "customer_id,sent_on,action,channel,message_type,cost,campaign,brand,control\n";
  std::string r = "customer_id,action,sent_on,responded_on,type,value\n";
  const char* actions[] = {"birthday", "offer", "winback"};
  for (int m = 1; m <= 12; ++m)
    for (int k = 0; k < 1 + m % 4; ++k) {
      const std::string day = "2026-10-" + std::string(k + 1 < 10 ? "0" : "") + std::to_string(k + 1);
      const char* a = actions[(m + k) % 3];
      c += std::to_string(m * 7) + "," + day + "," + a + "," + (k % 2 ? "sms" : "email") + ",service," +
           std::to_string(1 + k) + "," + (m % 2 ? "autumn" : "") + "," + (m % 3 ? "b1" : "b2") + "," +
           (m == 5 && k == 0 ? "1" : "0") + "\n";
      if (k == 0) r += std::to_string(m * 7) + "," + a + "," + day + ",2026-10-20," + (m % 2 ? "open" : "vip") + ",\n";
      if (k == 0 && m % 3 == 0) r += std::to_string(m * 7) + "," + a + "," + day + ",2026-10-21,convert,12.5\n";
    }
  r += "999,nothing,2026-10-01,2026-10-02,click,\n";  // attaches to no contact: skipped
  spit(dir / "c.csv", c);
  spit(dir / "r.csv", r);
  const fs::path h = dir / "h";
  for (const char* kind : {"contacts", "responses"}) {
    history::EventTable t;
    history::BatchInfo info;
    info.kind = kind;
    info.source = (dir / (std::string(kind).substr(0, 1) + ".csv")).string();
    if (info.kind == "contacts") history::read_contacts_csv(info.source, t);
    else history::read_responses_csv(info.source, t);
    history::AddOptions ao;
    ao.compact_after = true;  // one segment: the zero-copy open, no merge
    history::add_batch(h, std::move(t), info, ao);
  }
  return h;
}

// A campaign reading the segment's actions and channels the ways a sweep does: the basket and two
// frequency caps from the history (the policy's fast walk), aggregates of contacts, responses and
// answered contacts (its general walk and the unsubscribe scan), and a dialogue whose first step is
// the history's `winback` action (the dialogue summary, fused into the policy's pre-pass).
constexpr const char* kCampaign = R"(
[campaign]
name = "fuzz"
max_decisions_per_member = 3
[basket]
points_per_period = 25
period = "month"
[channels.email]
consent = "opt_in"
[channels.sms]
consent = "opt_in"
[[frequency_cap]]
name = "c30"
window_days = 30
max = 4
[[frequency_cap]]
name = "sms14"
window_days = 14
max = 1
channels = ["sms"]
[[action]]
name = "offer"
trigger = "contacts(last 60 days) >= 0 AND responses(last 60 days, type = 'open') >= 0"
message_type = "service"
channel = "sms"
priority = "answered(last 60 days, within = 30) + 1"
[[action]]
name = "birthday"
trigger = "TRUE"
message_type = "service"
channel = "email"
value = 1
priority = "weight * value"
[[dialogue]]
name = "d"
entry = "TRUE"
[[dialogue.step]]
name = "winback"
message_type = "service"
channel = "email"
value = 3
priority = "weight * value"
[[dialogue.step]]
name = "winback_call"
message_type = "service"
channel = "sms"
value = 4
priority = "weight * value"
wait_days = 7
)";

// The sweep's reading of the history: policy and dialogues, then explain. `aggregates`: with response
// aggregates (the policy's general walk), else contact counts only (its fast walk).
double sweep_reads(const history::History& h, bool aggregates) {
  const int32_t D = days_from_civil(2026, 10, 25);
  Population pop(14, D);
  Column id("customer_id", DataType::UInt64, 14);
  Column opt("opt_in", DataType::Bool, 14);
  for (int r = 0; r < 14; ++r) id.mutable_values<uint64_t>()[r] = 7 * (r + 1), opt.mutable_values<uint8_t>()[r] = 1;
  pop.add_column(std::move(id));
  pop.add_column(std::move(opt));
  double sum = 0;
  {
    std::string text = kCampaign;
    if (!aggregates) {
      const std::string trig = R"("contacts(last 60 days) >= 0 AND responses(last 60 days, type = 'open') >= 0")";
      text.replace(text.find(trig), trig.size(), R"("TRUE")");
      const std::string prio = R"("answered(last 60 days, within = 30) + 1")";
      text.replace(text.find(prio), prio.size(), R"("contacts(last 60 days) + 1")");
    }
    const decide::Campaign c = decide::parse_campaign(text, "fuzz.toml", ".");
    policy::HistoryPolicy hp(c, pop, h, D);
    const auto bound = decide::BoundCampaign::bind(c, hp.population());
    const auto dlg = dialogue::BoundDialogues::bind(bound, &h, hp.member_map().data(), D);
    decide::SweepOptions opt;
    opt.inputs = &hp;
    opt.dialogues = &dlg;
    const decide::SweepResult r = decide::run_sweep(bound, opt);
    sum += static_cast<double>(r.ranked.size());
    for (std::size_t row = 0; row < pop.rows(); ++row) sum += static_cast<double>(hp.explain(row).size());
    std::vector<dialogue::ReadEvent> ev;
    for (std::size_t row = 0; row < pop.rows(); ++row) (void)dlg.explain(row, 0, true, false, &ev), sum += ev.size();
  }
  return sum;
}

// Everything a reader does with the view; returns a checksum so that nothing is optimised away.
double read_everything(const fs::path& dir) {
  const history::History h = history::open_history(dir);
  h.check_events();  // the contract of a reader that indexes with raw codes of every event (history.h)
  double sum = 0;
  std::vector<uint64_t> ids(h.customer_ids().begin(), h.customer_ids().end());
  ids.push_back(3);
  const auto member = h.map_rows(ids);
  for (uint32_t m : member) {
    if (m == history::kNoMember) continue;
    for (uint32_t i : h.contacts_of(m)) {
      const auto& p = h.profile_of(i);
      sum += p.cost + h.sent_on()[i] + h.actions().name(p.action).size() + h.channels().name(p.channel).size() +
             h.message_types().name(p.message_type).size();
      if (p.campaign >= 0) sum += h.campaigns().name(p.campaign).size();
      if (p.brand >= 0) sum += h.brands().name(p.brand).size();
    }
    for (uint32_t r : h.responses_of(m)) {
      const uint32_t c = h.response_contact()[r];
      sum += h.profile_of(c).cost + h.responded_on()[r] + h.response_types().name(h.response_type()[r]).size();
      if (!std::isnan(h.response_value()[r])) sum += h.response_value()[r];
    }
  }
  sum += h.count_skipped(INT32_MAX).total();
  const auto s = history::summarize_history(dir);
  sum += history::format_history_summary(dir, s).size();
  report::UpliftOptions opt;
  const auto rep = report::compute_uplift(h, opt);
  sum += report::format_uplift_table(rep).size() + report::uplift_json(rep).dump().size();
  return sum;
}

struct Tally {
  std::size_t errors = 0, results = 0;
};

// Each reader on its own (an error of one must not hide another's crash): the sweep's fast and general
// walks first, which check the codes they read, then the readers of every event (History::check_events).
void run_case(const fs::path& dir, Tally& t, const std::string& what) {
  for (int stage = 0; stage < 3; ++stage) {
    try {
      if (stage < 2) (void)sweep_reads(history::open_history(dir), stage == 1);
      else (void)read_everything(dir);
      ++t.results;
    } catch (const Error& e) {
      ++t.errors;
      EXPECT_NE(std::string(e.what()).find("seg-"), std::string::npos) << what << ": " << e.what();
    }
  }
}

TEST(HistorySegmentFuzz, EveryByteFlippedNeverCrashes) {
  const fs::path dir = test::make_temp_dir("hseg-fuzz");
  const fs::path h = make_history(dir);
  const history::Manifest m = history::read_manifest(h);
  ASSERT_EQ(m.segments.size(), 1u);
  const fs::path seg = h / m.segments[0];
  const std::string good = slurp(seg);
  ASSERT_GT(good.size(), 1000u);
  const double expected = read_everything(h);
  EXPECT_GT(sweep_reads(history::open_history(h), false), 0);
  EXPECT_GT(sweep_reads(history::open_history(h), true), 0);

  Tally t;
  for (std::size_t pos = 0; pos < good.size(); ++pos) {
    for (const unsigned char mask : {static_cast<unsigned char>(1u << (pos % 8)), static_cast<unsigned char>(0xFF)}) {
      std::string bad = good;
      bad[pos] = static_cast<char>(static_cast<unsigned char>(bad[pos]) ^ mask);
      spit(seg, bad);
      run_case(h, t, "byte " + std::to_string(pos) + " ^ " + std::to_string(mask));
    }
  }
  for (std::size_t len = 0; len < good.size(); len += 37) {  // truncations
    spit(seg, good.substr(0, len));
    run_case(h, t, "cut at " + std::to_string(len));
  }
  spit(seg, good);
  EXPECT_EQ(read_everything(h), expected);  // the restored segment reads as before
  // Both outcomes occur: header and meta damage is refused; some data changes (a date, a cost, a
  // padding byte) read as other values, which only the data hash (--verify) finds.
  EXPECT_GT(t.errors, good.size());
  EXPECT_GT(t.results, 0u);
  std::printf("%zu damaged segments x 3 readers: %zu errors, %zu results\n", (t.errors + t.results) / 3, t.errors,
              t.results);
}

// The cases the attack report found crashing `nudge report` (rc 139) now name the segment and --verify.
TEST(HistorySegmentFuzz, DamagedProfileCodeIsAClearError) {
  const fs::path dir = test::make_temp_dir("hseg-code");
  const fs::path h = make_history(dir);
  const fs::path seg = h / history::read_manifest(h).segments[0];
  std::string bytes = slurp(seg);
  // The contact_profile column: after the header (128), ids (12 x 8 -> 128), offsets (13 x 4 -> 64 each),
  // sent_on (C x 4). Set the first contact's profile to a code far out of range.
  const history::History before = history::open_history(h);
  const std::size_t C = before.contacts();
  const std::size_t pad = (C * 4 + 63) / 64 * 64;
  const std::size_t at = 128 + 128 + 64 + 64 + pad;
  ASSERT_EQ(static_cast<uint32_t>(static_cast<unsigned char>(bytes[at])), before.contact_profile()[0]);
  bytes[at + 3] = static_cast<char>(0x80);
  spit(seg, bytes);
  // The open reads the members only (O(M)); the first reader of that contact names the damage, whether
  // it scans every event (the summary: History::check_events) or reads a few (the sweep).
  const history::History opened = history::open_history(h);
  for (bool aggregates : {false, true}) {  // the fast walk, then the general walk
    try {
      (void)sweep_reads(opened, aggregates);
      FAIL() << "a profile code out of range was swept, aggregates " << aggregates;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(seg.string() + ": damaged segment: a contact profile code out of range"),
                std::string::npos)
          << e.what();
    }
  }
  try {
    (void)history::summarize_history(h);
    FAIL() << "a profile code out of range was summarised";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidInput);
    const std::string msg = e.what();
    EXPECT_NE(msg.find(seg.string() + ": damaged segment: a contact profile code out of range"), std::string::npos)
        << msg;
    EXPECT_NE(msg.find("nudge history inspect " + h.string() + " --verify"), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace nudge
