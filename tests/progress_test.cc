// The progress bar (engine/progress/progress.h): silent when disabled (not a
// terminal), draws label and percentage when enabled, safe from many threads.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/progress/progress.h"

TEST(Progress, DisabledDrawsNothing) {
  nudge::Progress p("sweep", 100, false);
  for (int i = 0; i < 100; ++i) p.advance(1);
  EXPECT_EQ(p.last_line(), "");
}

TEST(Progress, EnabledDrawsFromManyThreadsAfterHalfASecond) {
  nudge::Progress p("import", 4000, true);
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        p.advance(1);
        if (i % 100 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(70));
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_NE(p.last_line().find("import ["), std::string::npos);
  EXPECT_NE(p.last_line().find('%'), std::string::npos);
  p.finish();
}

TEST(Progress, FormatLineDrawsLabelCellsPercentAndSeconds) {
  using nudge::Progress;
  EXPECT_EQ(Progress::format_line("import", 0, 200, 0.04), "\rimport [..............................]   0%  0.0 s");
  EXPECT_EQ(Progress::format_line("import", 100, 200, 3.06), "\rimport [###############...............]  50%  3.1 s");
  EXPECT_EQ(Progress::format_line("simulate", 1, 3, 12.0), "\rsimulate [##########....................]  33%  12.0 s");
  // done past total, and a total of 0, read as complete
  EXPECT_EQ(Progress::format_line("history add", 7, 5, 1.25),
            "\rhistory add [##############################] 100%  1.2 s");
  EXPECT_EQ(Progress::format_line("x", 0, 0, 0), "\rx [..............................]   0%  0.0 s");
}

TEST(Progress, FakeTerminalSeesEveryFrameThenTheClearingSequence) {
  std::vector<std::string> frames;
  {
    nudge::Progress p("simulate", 4, true, [&](std::string_view s) { frames.emplace_back(s); }, {0, 0});
    for (int i = 0; i < 4; ++i) p.advance(1);
    p.finish();
    p.finish();  // once is enough: no second clear
  }
  ASSERT_EQ(frames.size(), 5u);
  const char* bars[] = {"[#######.......................]  25%", "[###############...............]  50%",
                        "[######################........]  75%", "[##############################] 100%"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(frames[i].rfind("\rsimulate ", 0), 0u) << frames[i];
    EXPECT_NE(frames[i].find(bars[i]), std::string::npos) << frames[i];
    EXPECT_EQ(frames[i].substr(frames[i].size() - 2), " s");
  }
  EXPECT_EQ(frames[4], "\r\033[K");
}

TEST(Progress, DisabledFakeTerminalStaysEmpty) {
  std::vector<std::string> frames;
  {
    nudge::Progress p("import", 4, false, [&](std::string_view s) { frames.emplace_back(s); }, {0, 0});
    for (int i = 0; i < 4; ++i) p.advance(1);
  }
  EXPECT_TRUE(frames.empty());
}

TEST(Progress, NothingBeforeTheMinimumElapsedTime) {
  std::vector<std::string> frames;
  {
    nudge::Progress p("import", 4, true, [&](std::string_view s) { frames.emplace_back(s); }, {3600, 0});
    for (int i = 0; i < 4; ++i) p.advance(1);
  }
  EXPECT_TRUE(frames.empty());  // and no clear either: nothing was drawn
}
