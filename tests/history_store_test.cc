// History folders (io/history/): segments round-trip, adds equal one build
// of all records (dedupe across batches, responses that arrive before their
// contact), re-adds, interrupted adds, compaction, corruption.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "engine/base/error.h"
#include "engine/history/history.h"
#include "engine/store/types.h"
#include "io/history/history_csv.h"
#include "io/history/history_store.h"
#include "io/history/segment_file.h"
#include "tests/support/history_compare.h"
#include "tests/support/test_paths.h"

namespace nudge::history {
namespace {

namespace fs = std::filesystem;

// A random RS-2-like event set; a contact's other fields are a function of
// its triple, so repeats across files agree.
struct Events {
  std::vector<ContactRecord> contacts;
  std::vector<ResponseRecord> responses;
};

ContactRecord make_contact(uint64_t id, int32_t day, int a) {
  static const char* actions[] = {"birthday", "winback_sms", "tier_nudge", "newsletter", "calamity_notice"};
  static const char* channels[] = {"email", "sms", "email", "email", "call"};
  static const char* types[] = {"service", "commercial", "editorial", "editorial", "calamity"};
  static const double costs[] = {2, 15, 5, 5, 40};
  ContactRecord c;
  c.customer_id = id;
  c.sent_on = day;
  c.action = actions[a];
  c.channel = channels[a];
  c.message_type = types[a];
  c.cost = costs[a];
  c.campaign = a == 3 ? "" : "rs2";
  c.control = (id + static_cast<uint64_t>(day)) % 17 == 0;
  return c;
}

Events random_events(uint64_t seed, int contacts) {
  std::mt19937_64 rng(seed);
  Events e;
  const int32_t d0 = *parse_iso_date("2026-06-01");
  for (int i = 0; i < contacts; ++i) {
    const uint64_t id = 6'000'000'000ull + rng() % 400;
    const int32_t day = d0 + static_cast<int32_t>(rng() % 180);
    const int a = static_cast<int>(rng() % 5);
    e.contacts.push_back(make_contact(id, day, a));
    if (rng() % 3 == 0) {
      ResponseRecord r;
      r.customer_id = rng() % 20 ? id : id + 1;  // some to the wrong member
      r.action = e.contacts.back().action;
      r.sent_on = day;
      r.responded_on = day + static_cast<int32_t>(rng() % 10) - 1;  // some before the contact
      const char* types[] = {"open", "click", "convert", "unsubscribe", "complaint", "reply"};
      r.type = types[rng() % 6];
      if (r.type == "convert") r.value = static_cast<double>(rng() % 10000) / 100;
      e.responses.push_back(r);
    }
  }
  return e;
}

void write_contacts(const fs::path& p, const std::vector<ContactRecord>& cs) {
  std::ofstream o(p);
  o << "customer_id,sent_on,action,channel,message_type,cost,campaign,control\n";
  for (const auto& c : cs)
    o << c.customer_id << ',' << format_iso_date(c.sent_on) << ',' << c.action << ',' << c.channel << ','
      << c.message_type << ',' << c.cost << ',' << c.campaign << ',' << (c.control ? "true" : "") << '\n';
}

void write_responses(const fs::path& p, const std::vector<ResponseRecord>& rs) {
  std::ofstream o(p);
  o << "customer_id,action,sent_on,responded_on,type,value\n";
  for (const auto& r : rs) {
    o << r.customer_id << ',' << r.action << ',' << format_iso_date(r.sent_on) << ',' << format_iso_date(r.responded_on)
      << ',' << r.type << ',';
    if (!std::isnan(r.value)) o << r.value;
    o << '\n';
  }
}

// Reads `file` (contacts or responses CSV, by `kind`) and adds it to the history in `dir` as one batch.
AddResult add_file(const fs::path& dir, const fs::path& file, const std::string& kind, const AddOptions& ao) {
  EventTable t;
  if (kind == "contacts") read_contacts_csv(file, t);
  else read_responses_csv(file, t);
  BatchInfo info;
  info.kind = kind;
  info.source = file.string();
  return add_batch(dir, std::move(t), info, ao);
}

AddResult add_contacts(const fs::path& dir, const fs::path& file, const AddOptions& ao = {}) {
  return add_file(dir, file, "contacts", ao);
}

AddResult add_responses(const fs::path& dir, const fs::path& file, const AddOptions& ao = {}) {
  return add_file(dir, file, "responses", ao);
}

TEST(HistorySegment, WriteThenOpenGivesTheSameViewAndVerifies) {
  const auto dir = test::make_temp_dir("hseg");
  Events e = random_events(1, 5000);
  const History h = build_history(e.contacts, e.responses);
  write_segment(h, dir / "a.nhs");
  SegmentOpenOptions o;
  o.verify_data = true;
  const History back = open_segment(dir / "a.nhs", o);
  EXPECT_TRUE(test::histories_equal(h, back));
  EXPECT_GT(h.skipped().size(), 0u);
  write_segment(History(), dir / "empty.nhs");
  EXPECT_TRUE(test::histories_equal(History(), open_segment(dir / "empty.nhs", o)));
}

TEST(HistoryStore, AddsEqualOneBuildOfAllRecordsWithDedupeAndLateContacts) {
  const auto dir = test::make_temp_dir("hstore");
  Events e = random_events(2, 6000);
  // Batch 1: the first 2/3 of contacts; batch 2: all responses (some to
  // contacts not yet added); batch 3: the last 2/3 of contacts (overlap:
  // repeats of batch 1 count once).
  const std::size_t n = e.contacts.size();
  std::vector<ContactRecord> a(e.contacts.begin(), e.contacts.begin() + static_cast<long>(2 * n / 3));
  std::vector<ContactRecord> c(e.contacts.begin() + static_cast<long>(n / 3), e.contacts.end());
  write_contacts(dir / "a.csv", a);
  write_responses(dir / "r.csv", e.responses);
  write_contacts(dir / "c.csv", c);
  const auto hist = dir / "hist";
  EXPECT_TRUE(add_contacts(hist, dir / "a.csv").added);
  const AddResult r2 = add_responses(hist, dir / "r.csv");
  EXPECT_TRUE(r2.added);
  EXPECT_GT(r2.info.responses_skipped, 0u);
  const AddResult r3 = add_contacts(hist, dir / "c.csv");
  EXPECT_TRUE(r3.added);
  EXPECT_GT(r3.info.contacts_repeated, 0u);
  EXPECT_EQ(r3.batch, 3u);

  // The same records built in one go, each contact with the batch it first came in.
  std::vector<ContactRecord> all;
  for (auto x : a) all.push_back((x.batch = 1, x));
  for (auto x : c) all.push_back((x.batch = 3, x));
  const History expect = build_history(all, e.responses);
  const History got = open_history(hist);
  EXPECT_TRUE(test::histories_equal(expect, got));
  // Responses to contacts of batch 3 (added after them) attached.
  EXPECT_LT(got.skipped().size(), r2.info.responses_skipped);

  // Compaction changes no answer, and the compacted history opens zero copy.
  EXPECT_EQ(compact_history(hist), 3u);
  EXPECT_EQ(read_manifest(hist).segments.size(), 1u);
  EXPECT_TRUE(test::histories_equal(expect, open_history(hist)));
  EXPECT_EQ(compact_history(hist), 1u);

  // Adding after a compaction still dedupes against everything.
  const AddResult again = add_contacts(hist, dir / "a.csv");
  EXPECT_FALSE(again.added);
  EXPECT_TRUE(again.already_added);
  write_contacts(dir / "a2.csv", std::vector<ContactRecord>(a.rbegin(), a.rend()));  // same contacts, other bytes
  const AddResult again2 = add_contacts(hist, dir / "a2.csv");
  EXPECT_FALSE(again2.added);
  EXPECT_EQ(again2.info.contacts_repeated, a.size());
  EXPECT_TRUE(test::histories_equal(expect, open_history(hist)));
}

TEST(HistoryStore, InterruptedAddLeavesTheHistoryAsItWas) {
  const auto dir = test::make_temp_dir("hcrash");
  Events e = random_events(3, 2000);
  std::vector<ContactRecord> first(e.contacts.begin(), e.contacts.begin() + 1000);
  std::vector<ContactRecord> second(e.contacts.begin() + 1000, e.contacts.end());
  write_contacts(dir / "a.csv", first);
  write_contacts(dir / "b.csv", second);
  const auto hist = dir / "hist";
  add_contacts(hist, dir / "a.csv");
  const History before = open_history(hist);
  for (const char* stage : {"segment-written", "manifest-written-to-temp"}) {
    AddOptions ao;
    ao.on_stage = [&](std::string_view s) {
      if (s == stage) throw std::runtime_error("simulated crash");
    };
    EXPECT_THROW(add_contacts(hist, dir / "b.csv", ao), std::runtime_error);
    EXPECT_TRUE(test::histories_equal(before, open_history(hist))) << stage;
    EXPECT_EQ(read_manifest(hist).batches.size(), 1u);
  }
  // A crash may leave a segment file behind; the next add removes it.
  const AddResult r = add_contacts(hist, dir / "b.csv");
  EXPECT_TRUE(r.added);
  std::size_t files = 0;
  for (const auto& f : fs::directory_iterator(hist)) files += f.path().filename().string().rfind("seg-", 0) == 0;
  EXPECT_EQ(files, read_manifest(hist).segments.size());
  std::vector<ContactRecord> all;
  for (auto x : first) all.push_back((x.batch = 1, x));
  for (auto x : second) all.push_back((x.batch = 2, x));
  EXPECT_TRUE(test::histories_equal(build_history(all, {}), open_history(hist)));
}

TEST(HistoryStore, ConflictingRepeatAcrossBatchesNamesFileLineAndBatch) {
  const auto dir = test::make_temp_dir("hconf");
  auto c = make_contact(5, *parse_iso_date("2026-11-01"), 0);
  write_contacts(dir / "a.csv", {c});
  c.cost = 3;
  write_contacts(dir / "b.csv", {make_contact(6, c.sent_on, 1), c});
  add_contacts(dir / "h", dir / "a.csv");
  try {
    add_contacts(dir / "h", dir / "b.csv");
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("b.csv:3"), std::string::npos) << m;
    EXPECT_NE(m.find("batch 1"), std::string::npos) << m;
  }
  EXPECT_EQ(read_manifest(dir / "h").batches.size(), 1u);
}

TEST(HistoryStore, StrictAddRefusesAnOrphanResponseNamingItsLine) {
  const auto dir = test::make_temp_dir("hstrict");
  const int32_t d = *parse_iso_date("2026-11-01");
  write_contacts(dir / "a.csv", {make_contact(5, d, 0)});
  add_contacts(dir / "h", dir / "a.csv");
  ResponseRecord ok{5, "birthday", d, d + 1, "open"}, orphan{5, "birthday", d + 1, d + 1, "open"};
  write_responses(dir / "r.csv", {ok, orphan});
  AddOptions strict;
  strict.strict_responses = true;
  try {
    add_responses(dir / "h", dir / "r.csv", strict);
    FAIL() << "no error";
  } catch (const Error& e) { EXPECT_NE(std::string(e.what()).find("r.csv:3"), std::string::npos) << e.what(); }
  const AddResult r = add_responses(dir / "h", dir / "r.csv");
  EXPECT_EQ(r.info.responses_skipped, 1u);
  const History h = open_history(dir / "h");
  EXPECT_EQ(h.responses(), 1u);
  EXPECT_EQ(h.count_skipped(INT32_MAX).no_contact, 1u);
}

TEST(HistoryStore, DamagedSegmentOrManifestIsAnErrorNotACrash) {
  const auto dir = test::make_temp_dir("hdamage");
  Events e = random_events(4, 500);
  write_contacts(dir / "a.csv", e.contacts);
  add_contacts(dir / "h", dir / "a.csv");
  const fs::path seg = dir / "h" / read_manifest(dir / "h").segments[0];
  std::string bytes;
  {
    std::ifstream in(seg, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto write = [&](const std::string& b) { std::ofstream(seg, std::ios::binary | std::ios::trunc) << b; };
  for (std::size_t at : {std::size_t{3}, std::size_t{20}, bytes.size() - 5}) {
    std::string b = bytes;
    b[at] ^= 0x40;
    write(b);
    EXPECT_THROW(open_history(dir / "h"), Error) << at;
  }
  write(bytes.substr(0, bytes.size() - 100));
  EXPECT_THROW(open_history(dir / "h"), Error);
  {  // a flipped byte in the column data: found by verify_data
    std::string b = bytes;
    b[200] ^= 0x01;
    write(b);
    HistoryOpenOptions v;
    v.verify_data = true;
    EXPECT_THROW(open_history(dir / "h", v), Error);
  }
  std::ofstream(dir / "h" / "MANIFEST", std::ios::trunc) << "{\"format\": 1";
  EXPECT_THROW(open_history(dir / "h"), Error);
  EXPECT_THROW(open_history(dir / "nothing"), Error);
}

}  // namespace
}  // namespace nudge::history
