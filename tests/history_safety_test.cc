// Attack-report findings about the history folder (/work/tmp/attack/FINDINGS.md
// 1, 2, 6, 9, 13, 14): outputs that would overwrite a history's files, compact
// of a damaged segment, control characters in names, repeated rows counted as
// added, a busy LOCK, add into a foreign folder, --record after -o, a FIFO
// MANIFEST. CLI cases run the built `nudge`.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/base/error.h"
#include "io/history/history_csv.h"
#include "io/history/history_store.h"
#include "tests/support/test_paths.h"

namespace nudge {
namespace {

namespace fs = std::filesystem;

using test::nudge_cmd;
void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }
std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
// Every file of a folder and its bytes.
std::vector<std::pair<std::string, std::string>> snapshot_of(const fs::path& dir) {
  std::vector<std::pair<std::string, std::string>> v;
  for (const auto& e : fs::directory_iterator(dir)) v.emplace_back(e.path().filename().string(), slurp(e.path()));
  std::sort(v.begin(), v.end());
  return v;
}

const char* kHead = "customer_id,sent_on,action,channel,message_type,cost\n";
const char* kCampaign =
    "[campaign]\nname = \"C\"\n[basket]\npoints_per_period = 25\nperiod = \"month\"\n"
    "[channels.email]\nconsent = \"email_opt_in\"\n"
    "[[action]]\nname = \"a\"\ntrigger = \"TRUE\"\nmessage_type = \"service\"\nchannel = \"email\"\n"
    "value = 1\npriority = \"weight * value\"\n";

// A population, a campaign and a history with one batch.
struct Fixture {
  fs::path dir, hist, snap, camp;
  explicit Fixture(const std::string& tag) : dir(test::make_temp_dir(tag)) {
    hist = dir / "H", snap = dir / "p.snap", camp = dir / "camp.toml";
    write(dir / "c.csv", std::string(kHead) + "1,2026-11-01,a,email,service,2\n");
    write(dir / "p.csv", "customer_id,email_opt_in\n1,1\n2,1\n");
    write(camp, kCampaign);
    int rc = 0;
    std::string out = nudge_cmd("import " + (dir / "p.csv").string() + " -o " + snap.string() + " --as-of 2026-11-15",
                                &rc);
    EXPECT_EQ(rc, 0) << out;
    out = nudge_cmd("history add " + hist.string() + " --contacts " + (dir / "c.csv").string(), &rc);
    EXPECT_EQ(rc, 0) << out;
  }
};

// Finding 1: -o, --html, --json, --report inside a history folder the command reads are usage errors
// naming the flag and the folder; the history is left byte for byte.
TEST(HistorySafety, OutputInsideTheHistoryFolderIsRefused) {
  Fixture f("hsafe-out");
  const std::string H = f.hist.string(), P = f.snap.string(), C = f.camp.string();
  fs::create_symlink(f.hist / "MANIFEST", f.dir / "link");
  const auto before = snapshot_of(f.hist);
  struct Case {
    std::string args, flag, out;
  };
  const std::vector<Case> cases = {
      {"sweep " + P + " --campaign " + C + " --history " + H + " -o " + H + "/MANIFEST", "-o", H + "/MANIFEST"},
      {"sweep " + P + " --campaign " + C + " --history " + H + "/ --html " + H + "/../H/seg-000001.nhs", "--html",
       H + "/../H/seg-000001.nhs"},
      {"sweep " + P + " --campaign " + C + " --history " + H + " -o " + H + "/new.csv", "-o", H + "/new.csv"},
      {"sweep " + P + " --campaign " + C + " --record " + H + " -o " + H + "/MANIFEST", "-o", H + "/MANIFEST"},
      {"report " + H + " --json " + H + "/seg-000001.nhs", "--json", H + "/seg-000001.nhs"},
      {"report " + H + " --html " + (f.dir / "link").string(), "--html", (f.dir / "link").string()},
      {"diff " + P + " --campaign " + C + " --campaign-b " + C + " --history " + H + " --json " + H + "/MANIFEST",
       "--json", H + "/MANIFEST"},
      {"diff " + P + " --campaign " + C + " --campaign-b " + C + " --history " + H + " --html " + H + "/x.html",
       "--html", H + "/x.html"},
      {"simulate " + P + " --campaign " + C + " --history " + H + " --from 2026-11-16 --responses r.toml -o " + H +
           "/MANIFEST",
       "-o", H + "/MANIFEST"},
  };
  for (const Case& c : cases) {
    int rc = 0;
    const std::string out = nudge_cmd(c.args, &rc);
    EXPECT_EQ(rc, 2) << c.args << "\n" << out;
    EXPECT_NE(out.find(c.flag + " '" + c.out + "' is inside the history folder"), std::string::npos)
        << c.args << "\n" << out;
    EXPECT_EQ(snapshot_of(f.hist), before) << c.args;
  }
  // Outside the folder (and a sibling whose name starts like it) is fine.
  int rc = 0;
  std::string out = nudge_cmd("report " + H + " --json " + (f.dir / "H2.json").string(), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_TRUE(fs::exists(f.dir / "H2.json"));
  EXPECT_EQ(snapshot_of(f.hist), before);
}

// Attack 2, finding 9: simulate over a history that already has contacts on or after --from is a data
// condition, exit 1 (it was 2, usage), with the same message.
TEST(HistorySafety, SimulateFromBeforeTheHistorysLastContactIsExit1) {
  Fixture f("hsafe-sim");
  write(f.dir / "r.toml", "seed = 7\n[[response]]\naction = \"a\"\ntype = \"open\"\nprobability = 0.5\n"
                          "delay_days = [0, 2]\n");
  const std::string args = "simulate " + f.snap.string() + " --campaign " + f.camp.string() + " --history " +
                           f.hist.string() + " --days 2 --responses " + (f.dir / "r.toml").string() + " -o " +
                           (f.dir / "s.csv").string();
  int rc = 0;
  std::string out = nudge_cmd(args + " --from 2026-11-01", &rc);  // the history's contact is dated 2026-11-01
  EXPECT_EQ(rc, 1) << out;
  EXPECT_EQ(out,
            "nudge: error: the history holds contacts dated on or after the simulated day 2026-11-01: simulate "
            "days after the history's last contact\n");
  EXPECT_FALSE(fs::exists(f.dir / "s.csv"));
  out = nudge_cmd(args + " --from 2026-11-02", &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_TRUE(fs::exists(f.dir / "s.csv"));
}

// Finding 2: compact (and add --compact) verify the segments they merge; a damaged one is refused,
// naming it, and nothing is written or deleted.
TEST(HistorySafety, CompactRefusesADamagedSegmentAndKeepsEverything) {
  const fs::path dir = test::make_temp_dir("hsafe-compact");
  std::string c = kHead;
  for (int i = 1; i <= 300; ++i) c += std::to_string(i) + ",2026-10-" + (1 + i % 28 < 10 ? "0" : "") +
                                      std::to_string(1 + i % 28) + ",offer,email,service,1\n";
  write(dir / "c.csv", c);
  write(dir / "c2.csv", std::string(kHead) + "5,2026-11-01,x,sms,service,2\n");
  write(dir / "c3.csv", std::string(kHead) + "6,2026-11-02,x,sms,service,2\n");
  const fs::path h = dir / "H";
  auto add = [&](const char* file, bool compact) {
    history::EventTable t;
    history::read_contacts_csv(dir / file, t);
    history::BatchInfo info;
    info.kind = "contacts";
    info.source = file;
    history::AddOptions ao;
    ao.compact_after = compact;
    return history::add_batch(h, std::move(t), info, ao);
  };
  add("c.csv", false);
  add("c2.csv", false);
  // One bit of the first segment's data area (the sent_on column): the open does not hash the data.
  std::string seg = slurp(h / "seg-000001.nhs");
  seg[2576] = static_cast<char>(seg[2576] ^ 1);
  write(h / "seg-000001.nhs", seg);
  const auto before = snapshot_of(h);
  for (int via_add = 0; via_add < 2; ++via_add) {
    try {
      if (via_add) add("c3.csv", true);
      else history::compact_history(h);
      FAIL() << "a damaged segment was compacted";
    } catch (const Error& e) {
      const std::string msg = e.what();
      EXPECT_EQ(e.kind(), ErrorKind::InvalidInput);
      EXPECT_NE(msg.find((h / "seg-000001.nhs").string() + ": column data hash mismatch"), std::string::npos) << msg;
      EXPECT_NE(msg.find("nothing written or deleted"), std::string::npos) << msg;
    }
    EXPECT_EQ(snapshot_of(h), before) << (via_add ? "add --compact" : "compact");
  }
  int rc = 0;
  const std::string out = nudge_cmd("history compact " + h.string(), &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("seg-000001.nhs: column data hash mismatch"), std::string::npos) << out;
  EXPECT_EQ(snapshot_of(h), before);
}

// Finding 9: rows repeating a triple within one file are not counted as added.
TEST(HistorySafety, RepeatedRowsWithinAFileAreCountedAsSuch) {
  const fs::path dir = test::make_temp_dir("hsafe-dup");
  const std::string row = "1,2026-11-01,a,email,service,1\n";
  write(dir / "dup.csv", std::string(kHead) + row + row + row + "2,2026-11-01,a,email,service,1\n");
  const std::string h = (dir / "H").string();
  int rc = 0;
  std::string out = nudge_cmd("history add " + h + " --contacts " + (dir / "dup.csv").string(), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("batch 1: 2 contacts added, 2 repeated within the file, 0 already in the history"),
            std::string::npos)
      << out;
  out = nudge_cmd("history inspect " + h, &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("contacts     2 (0 control)"), std::string::npos) << out;
  EXPECT_NE(out.find("      1  contacts   -                    2           0           2           0           0"),
            std::string::npos)
      << out;
  // Again with one new row: the four old rows are already in the history (rows, not contacts).
  write(dir / "dup2.csv", std::string(kHead) + row + row + row + "2,2026-11-01,a,email,service,1\n" +
                              "3,2026-11-01,a,email,service,1\n3,2026-11-01,a,email,service,1\n");
  history::EventTable t;
  history::read_contacts_csv(dir / "dup2.csv", t);
  history::BatchInfo info;
  info.kind = "contacts";
  info.source = "dup2.csv";
  const auto r = history::add_batch(h, std::move(t), info);
  EXPECT_EQ(r.info.contacts_read, 6u);
  EXPECT_EQ(r.info.contacts_added, 1u);
  EXPECT_EQ(r.info.contacts_repeated_in_file, 1u);
  EXPECT_EQ(r.info.contacts_repeated, 4u);
  const history::Manifest m = history::read_manifest(h);
  ASSERT_EQ(m.batches.size(), 2u);
  EXPECT_EQ(m.batches[0].contacts_added, 2u);
  EXPECT_EQ(m.batches[0].contacts_repeated_in_file, 2u);
  EXPECT_EQ(m.batches[1].contacts_repeated_in_file, 1u);
}

// Finding 6 (history part): control characters in a name field are refused with file:line:col.
TEST(HistorySafety, ControlCharactersInNamesAreRefused) {
  const fs::path dir = test::make_temp_dir("hsafe-ctl");
  struct Case {
    std::string file, expect;
  };
  const std::string ch = "customer_id,sent_on,action,channel,message_type,cost,campaign,brand,dialogue,step\n";
  const std::vector<Case> cases = {
      {std::string(kHead) + "1,2026-11-01,a,email,service,1\n2,2026-11-01,a" + std::string(1, '\0') +
           "b,sms,service,1\n",
       "x.csv:3:14: column 'action': 'a\\x00b' holds the control character U+0000 (byte 2 of the value)"},
      {std::string(kHead) + "1,2026-11-01,a,em\tail,service,1\n",
       "x.csv:2:16: column 'channel': 'em\\x09ail' holds the control character U+0009"},
      {std::string(kHead) + "1,2026-11-01,a,email,serv\x1fice,1\n", "x.csv:2:22: column 'message_type'"},
      {ch + "1,2026-11-01,a,email,service,1,camp\x7f,,,\n", "x.csv:2:32: column 'campaign'"},
      {ch + "1,2026-11-01,a,email,service,1,,b\x01,,\n", "x.csv:2:33: column 'brand'"},
      {ch + "1,2026-11-01,a,email,service,1,,,\"d\nx\",1\n", "x.csv:2:34: column 'dialogue'"},
  };
  for (const Case& c : cases) {
    write(dir / "x.csv", c.file);
    int rc = 0;
    const std::string out =
        nudge_cmd("history add " + (dir / "h").string() + " --contacts " + (dir / "x.csv").string(), &rc);
    EXPECT_EQ(rc, 1) << c.expect << ": " << out;
    EXPECT_NE(out.find(c.expect), std::string::npos) << out;
    EXPECT_NE(out.find("names may not hold control characters"), std::string::npos) << out;
    EXPECT_FALSE(fs::exists(dir / "h" / "MANIFEST"));
  }
  // A response type, and a mapping's [types] value.
  write(dir / "r.csv", "customer_id,action,sent_on,responded_on,type,value\n1,a,2026-11-01,2026-11-02,op\x1b"
                       "en,\n");
  int rc = 0;
  std::string out = nudge_cmd("history add " + (dir / "h").string() + " --responses " + (dir / "r.csv").string(), &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("r.csv:2:27: column 'type'"), std::string::npos) << out;
  write(dir / "map.toml", "kind = \"responses\"\n[types]\nO = \"op\\u0000en\"\n");
  out = nudge_cmd("history add " + (dir / "h").string() + " --responses " + (dir / "r.csv").string() +
                      " --mapping " + (dir / "map.toml").string(),
                  &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("map.toml:3:5: [types] O: the value holds the control character U+0000"), std::string::npos)
      << out;
}

// Finding 14: add into an existing folder that is neither a history nor empty is refused.
TEST(HistorySafety, AddRefusesAFolderThatIsNotAHistory) {
  const fs::path dir = test::make_temp_dir("hsafe-foreign");
  write(dir / "c.csv", std::string(kHead) + "1,2026-11-01,a,email,service,1\n");
  fs::create_directories(dir / "proj");
  write(dir / "proj" / "notes.txt", "mine\n");
  int rc = 0;
  std::string out = nudge_cmd("history add " + (dir / "proj").string() + " --contacts " + (dir / "c.csv").string(), &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("not a history folder (no MANIFEST) and not empty (it holds 'notes.txt')"), std::string::npos)
      << out;
  EXPECT_EQ(snapshot_of(dir / "proj").size(), 1u);  // no LOCK, MANIFEST or segment added
  // An empty folder, and one holding what an interrupted first add leaves, are fine.
  fs::create_directories(dir / "empty");
  out = nudge_cmd("history add " + (dir / "empty").string() + " --contacts " + (dir / "c.csv").string(), &rc);
  EXPECT_EQ(rc, 0) << out;
  fs::create_directories(dir / "left");
  write(dir / "left" / "LOCK", "");
  write(dir / "left" / "seg-000001.nhs", "partial");
  write(dir / "left" / "MANIFEST.tmp-99999999-0", "partial");
  out = nudge_cmd("history add " + (dir / "left").string() + " --contacts " + (dir / "c.csv").string(), &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(history::open_history(dir / "left").contacts(), 1u);
}

// Finding 13: a busy LOCK exits 1 (retry), not 2 (usage); sweep --record refused by it leaves the old
// -o file as it was; a FIFO MANIFEST is called a FIFO.
TEST(HistorySafety, BusyLockExitsOneAndSweepKeepsItsOldOutput) {
  Fixture f("hsafe-lock");
  write(f.dir / "c2.csv", std::string(kHead) + "2,2026-11-02,a,email,service,2\n");
  const int fd = ::open((f.hist / "LOCK").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  int rc = 0;
  std::string out = nudge_cmd("history add " + f.hist.string() + " --contacts " + (f.dir / "c2.csv").string(), &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("another process"), std::string::npos) << out;
  EXPECT_NE(out.find("retry when it has finished"), std::string::npos) << out;
  write(f.dir / "dec.csv", "old decisions\n");
  out = nudge_cmd("sweep " + f.snap.string() + " --campaign " + f.camp.string() + " --history " + f.hist.string() +
                      " --record " + f.hist.string() + " -o " + (f.dir / "dec.csv").string(),
                  &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_EQ(slurp(f.dir / "dec.csv"), "old decisions\n");
  ::close(fd);
  out = nudge_cmd("sweep " + f.snap.string() + " --campaign " + f.camp.string() + " --history " + f.hist.string() +
                      " --record " + f.hist.string() + " -o " + (f.dir / "dec.csv").string(),
                  &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(slurp(f.dir / "dec.csv").find("customer_id"), std::string::npos);
  // A -o that fails (written through to a device) records nothing.
  const std::size_t batches = history::read_manifest(f.hist).batches.size();
  write(f.dir / "p2.csv", "customer_id,email_opt_in\n1,1\n2,1\n3,1\n");
  out = nudge_cmd("import " + (f.dir / "p2.csv").string() + " -o " + (f.dir / "p2.snap").string() +
                      " --as-of 2026-11-16",
                  &rc);
  ASSERT_EQ(rc, 0) << out;
  out = nudge_cmd("sweep " + (f.dir / "p2.snap").string() + " --campaign " + f.camp.string() + " --history " +
                      f.hist.string() + " --record " + f.hist.string() + " -o /dev/full",
                  &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_EQ(history::read_manifest(f.hist).batches.size(), batches) << out;

  fs::create_directories(f.dir / "F");
  ASSERT_EQ(::mkfifo((f.dir / "F" / "MANIFEST").c_str(), 0644), 0);
  out = nudge_cmd("history inspect " + (f.dir / "F").string(), &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("is not a regular file (it is a FIFO)"), std::string::npos) << out;
}

}  // namespace
}  // namespace nudge

namespace nudge {
namespace {

// Second attack, finding 1: a history whose MANIFEST is lost is refused, never emptied as strays;
// finding 4: only nudge's own segment and temporary names are ever deleted from a history folder.
TEST(HistorySafety, LostManifestIsRefusedAndUserFilesAreNeverStrays) {
  Fixture f("hsafe-lost");
  write(f.dir / "c2.csv", std::string(kHead) + "2,2026-11-02,a,sms,service,2\n");
  int rc = 0;
  std::string out = nudge_cmd("history add " + f.hist.string() + " --contacts " + (f.dir / "c2.csv").string(), &rc);
  ASSERT_EQ(rc, 0) << out;
  // User files beside the segments: a backup, notes, a CSV whose name holds ".tmp-".
  write(f.hist / "seg-000001.nhs.bak", "backup");
  write(f.hist / "seg-notes.txt", "notes");
  write(f.hist / "my.tmp-keep.csv", "keep");
  write(f.hist / "MANIFEST.tmp-12345-0", "a stray of ours");
  write(f.dir / "c3.csv", std::string(kHead) + "3,2026-11-03,a,email,service,2\n");
  out = nudge_cmd("history add " + f.hist.string() + " --contacts " + (f.dir / "c3.csv").string(), &rc);
  ASSERT_EQ(rc, 0) << out;
  for (const char* kept : {"seg-000001.nhs.bak", "seg-notes.txt", "my.tmp-keep.csv"})
    EXPECT_TRUE(fs::exists(f.hist / kept)) << kept;
  EXPECT_FALSE(fs::exists(f.hist / "MANIFEST.tmp-12345-0"));
  EXPECT_EQ(history::open_history(f.hist).contacts(), 3u);
  for (const char* user : {"seg-000001.nhs.bak", "seg-notes.txt", "my.tmp-keep.csv"}) fs::remove(f.hist / user);

  fs::remove(f.hist / "MANIFEST");
  const auto before = snapshot_of(f.hist);
  out = nudge_cmd("history add " + f.hist.string() + " --contacts " + (f.dir / "c.csv").string(), &rc);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("contacts, 0 responses) but no MANIFEST: a history whose MANIFEST was lost"), std::string::npos)
      << out;
  EXPECT_EQ(snapshot_of(f.hist), before);  // every segment kept, nothing written
}

}  // namespace
}  // namespace nudge

namespace nudge {
namespace {

// Second attack, finding 5: a history's own files are refused as outputs of every command, not only
// of those that read that history.
TEST(HistorySafety, NoCommandWritesOverAHistorysOwnFiles) {
  Fixture f("hsafe-any");
  const std::string H = f.hist.string();
  write(f.dir / "x.csv", "customer_id,x\n1,2\n");
  const auto before = snapshot_of(f.hist);
  const std::string model = std::string(NUDGE_SOURCE_DIR) + "/data/models/rs1_churn.toml";
  for (const std::string& args :
       {"gen --members 10 -o " + H + "/seg-000001.nhs", "gen --members 10 --csv " + H + "/MANIFEST",
        "import " + (f.dir / "x.csv").string() + " -o " + H + "/LOCK --as-of 2026-11-01",
        "score " + f.snap.string() + " --model " + model + " -o " + H + "/MANIFEST",
        "sweep " + f.snap.string() + " --campaign " + f.camp.string() + " -o " + H + "/../H/MANIFEST"}) {
    int rc = 0;
    const std::string out = nudge_cmd(args, &rc);
    EXPECT_EQ(rc, 2) << args << "\n" << out;
    EXPECT_NE(out.find("is a file of the history folder"), std::string::npos) << args << "\n" << out;
    EXPECT_EQ(snapshot_of(f.hist), before) << args;
  }
  int rc = 0;  // any other name in the folder is the user's choice
  const std::string out = nudge_cmd("gen --members 10 -o " + H + "/mine.snap", &rc);
  EXPECT_EQ(rc, 0) << out;
}

}  // namespace
}  // namespace nudge
