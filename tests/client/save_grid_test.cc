#include "client/cli/save_grid.h"

#include <cmath>

#include "client/cli/args.h"
#include "gtest/gtest.h"

namespace pathwise::cli {
namespace {

TEST(SaveGridTest, InclusiveGridEndsExactlyOnItsEnd) {
  const std::vector<double> ts = GridTimes("save", 0.0, 1.0, 0.1);
  ASSERT_EQ(ts.size(), 11u);
  EXPECT_EQ(ts[3], 3 * 0.1);  // a + k step, not a running sum
  EXPECT_EQ(ts.back(), 1.0);
  // 3 * 0.1 is 0.30000000000000004, beyond t1 = 0.3: the grid ends on b itself.
  const std::vector<double> short_grid = GridTimes("save", 0.0, 0.3, 0.1);
  ASSERT_EQ(short_grid.size(), 4u);
  EXPECT_EQ(short_grid.back(), 0.3);
  const std::vector<double> fine = GridTimes("save", 0.0, 1.0, 0.01);
  EXPECT_EQ(fine.size(), 101u);
  EXPECT_EQ(fine.back(), 1.0);
}

TEST(SaveGridTest, GridStopsBeforeAnEndOffTheGrid) {
  EXPECT_EQ(GridTimes("save", 0.0, 1.0, 0.3), (std::vector<double>{0.0, 0.3, 0.6, 0.3 * 3}));
  EXPECT_EQ(GridTimes("save", 2.0, 2.0, 0.5), std::vector<double>{2.0});
}

TEST(SaveGridTest, BadGrids) {
  EXPECT_THROW(GridTimes("save", 1.0, 0.0, 0.1), UsageError);
  EXPECT_THROW(GridTimes("save", 0.0, 1.0, 0.0), UsageError);
  EXPECT_THROW(GridTimes("save", 0.0, 1.0, -0.1), UsageError);
  EXPECT_THROW(GridTimes("save", 0.0, INFINITY, 0.1), UsageError);
  EXPECT_THROW(GridTimes("save", 0.0, 1.0, 1e-9), UsageError);  // over kMaxGridTimes
}

TEST(SaveGridTest, ListsAndGridsConcatenate) {
  EXPECT_EQ(ParseSaveTimes("0:0.5:0.25, 0.75,1"), (std::vector<double>{0.0, 0.25, 0.5, 0.75, 1.0}));
  EXPECT_EQ(ParseSaveTimes("0.5"), std::vector<double>{0.5});
  try {
    ParseSaveTimes("0:1");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(e.message, "--save: '0:1' is not T or A:B:STEP");
  }
  EXPECT_THROW(ParseSaveTimes(""), UsageError);
  EXPECT_THROW(ParseSaveTimes("0:1:x"), UsageError);
}

TEST(SaveGridTest, FixedSaveTimesFollowTheCoreRule) {
  v1::SaveAt s;
  EXPECT_EQ(FixedSaveTimes(s, 0.0, 2.0), std::vector<double>{2.0});  // nothing set: t1
  s.set_steps(true);
  EXPECT_EQ(FixedSaveTimes(s, 0.0, 2.0), std::vector<double>{});  // steps only: none fixed
  s.set_t0(true);
  EXPECT_EQ(FixedSaveTimes(s, 0.0, 2.0), std::vector<double>{0.0});
  s.add_ts(1.0);
  s.add_ts(0.0);  // repeats t0
  s.set_t1(true);
  EXPECT_EQ(FixedSaveTimes(s, 0.0, 2.0), (std::vector<double>{0.0, 1.0, 2.0}));
}

}  // namespace
}  // namespace pathwise::cli
