// io/file: MappedFile on FIFOs and files changed while mapped; AtomicFile on
// symlinks, device nodes, FIFOs, interrupted writes and stale temp files.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "engine/base/error.h"
#include "io/file/atomic_file.h"
#include "io/file/mapped_file.h"
#include "tests/support/test_paths.h"

using namespace nudge;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) { return e.what(); }
  return "";
}

#define EXPECT_CONTAINS(haystack, needle) EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

}  // namespace

// Opening a FIFO for reading blocked forever, waiting for a writer.
TEST(MappedFile, FifoIsRefusedAtOnce) {
  const auto dir = test::make_temp_dir("mapped_fifo");
  const auto fifo = dir / "in.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(error_of([&] { MappedFile::open(fifo); }),
            "'" + fifo.string() + "' is not a regular file (a FIFO); nudge reads regular files only");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_CONTAINS(error_of([&] { MappedFile::open(dir); }), "is not a regular file (a directory)");
}

// Truncating a mapped file made the next read die of SIGBUS with no word.
TEST(MappedFileDeathTest, FileTruncatedWhileMappedIsAClearErrorNotASilentSigbus) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const auto dir = test::make_temp_dir("mapped_sigbus");
  const auto path = dir / "pop.snap";
  std::ofstream(path) << std::string(3 * 4096, 'x');
  EXPECT_EXIT(
      {
        auto f = MappedFile::open(path);
        if (::truncate(path.c_str(), 0) != 0) std::_Exit(9);
        // The death-test child (which re-runs this test, so made its own folder) exits without running
        // destructors: it removes its folder here; the mapping keeps the truncated file until the read.
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
        volatile char c = static_cast<char>(f->data()[2 * 4096 + 5]);
        (void)c;
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(1), "nudge: error: '.*pop.snap' changed while nudge was reading it");
}

namespace {

std::vector<std::string> temp_files(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

// The rename replaced a symlink by a regular file (and as root, `-o /dev/null`
// would replace the device node): now the link is followed.
TEST(AtomicFile, SymlinkIsFollowedNotReplaced) {
  const auto dir = test::make_temp_dir("atomic_symlink");
  std::filesystem::create_directory(dir / "real");
  std::ofstream(dir / "real/out.csv") << "old";
  std::filesystem::create_symlink("real/out.csv", dir / "link.csv");
  AtomicFile f(dir / "link.csv");
  f.write("new");
  f.commit();
  EXPECT_TRUE(std::filesystem::is_symlink(std::filesystem::symlink_status(dir / "link.csv")));
  EXPECT_EQ(slurp(dir / "real/out.csv"), "new");
  EXPECT_TRUE(temp_files(dir).empty());
  EXPECT_TRUE(temp_files(dir / "real").empty());
}

TEST(AtomicFile, FifoIsWrittenThroughAndStaysAFifo) {
  const auto dir = test::make_temp_dir("atomic_fifo");
  const auto fifo = dir / "out.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = slurp(fifo); });
  {
    AtomicFile f(fifo);
    f.write("a,b\n1,2\n");
    f.commit();
  }
  reader.join();
  EXPECT_EQ(got, "a,b\n1,2\n");
  EXPECT_TRUE(std::filesystem::is_fifo(std::filesystem::symlink_status(fifo)));
  EXPECT_TRUE(temp_files(dir).empty());
  EXPECT_CONTAINS(error_of([&] { AtomicFile d(dir); }), "it is a directory");
}

// SIGINT/SIGTERM left <target>.tmp-PID-N files behind.
TEST(AtomicFile, SigtermAndSigintDeleteTheTempFile) {
  for (int sig : {SIGTERM, SIGINT}) {
    const auto dir = test::make_temp_dir("atomic_signal");
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      AtomicFile f(dir / "out.snap");
      f.write("partial");
      std::fflush(f.stream());
      ::raise(sig);
      std::_Exit(7);  // not reached
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << status;
    EXPECT_TRUE(temp_files(dir).empty()) << temp_files(dir)[0];
    EXPECT_FALSE(std::filesystem::exists(dir / "out.snap"));
  }
}

// kill -9 leaves a temp file no handler can delete: the next write to the
// same target deletes those of processes that are gone, not of live ones.
TEST(AtomicFile, StaleTempFilesOfDeadProcessesAreSweptOnTheNextWrite) {
  const auto dir = test::make_temp_dir("atomic_stale");
  const pid_t dead = ::fork();
  if (dead == 0) std::_Exit(0);
  ::waitpid(dead, nullptr, 0);
  const std::string stale = "out.snap.tmp-" + std::to_string(dead) + "-3";
  const std::string live = "out.snap.tmp-" + std::to_string(::getppid()) + "-0";
  const std::string other = "other.snap.tmp-" + std::to_string(dead) + "-0";
  for (const auto& n : {stale, live, other}) std::ofstream(dir / n) << "x";
  AtomicFile f(dir / "out.snap");
  f.write("new");
  f.commit();
  EXPECT_EQ(temp_files(dir), (std::vector<std::string>{other, live}));  // sorted
  EXPECT_EQ(slurp(dir / "out.snap"), "new");
}
