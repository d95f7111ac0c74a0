// The progress bar (engine/progress/progress.h): silent when disabled (not a
// terminal), draws label and percentage when enabled, safe from many threads.
#include <gtest/gtest.h>

#include <chrono>
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
