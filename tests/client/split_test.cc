#include "client/cli/split.h"

#include <atomic>

#include "client/cli/args.h"
#include "gtest/gtest.h"

namespace pathwise::cli {
namespace {

// The ranges cover 0 .. total - 1 in order, without gaps or overlaps, and all
// but the last are multiples of align.
void ExpectTiling(const std::vector<PathRange>& ranges, uint64_t total, uint64_t align) {
  uint64_t next = 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    EXPECT_EQ(ranges[i].offset, next);
    EXPECT_GT(ranges[i].count, 0u);
    if (i + 1 < ranges.size()) {
      EXPECT_EQ(ranges[i].count % align, 0u) << i;
    }
    next += ranges[i].count;
  }
  EXPECT_EQ(next, total);
}

TEST(SplitTest, BlocksAreSharedEvenly) {
  // 3000 paths = 47 blocks (46 of 64 and one of 56): 16, 16 and 15 blocks, the
  // last range holding the short block.
  const std::vector<PathRange> r = SplitRanges(3000, 3, 64);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].count, 16u * 64);
  EXPECT_EQ(r[1].count, 16u * 64);
  EXPECT_EQ(r[2].count, 14u * 64 + 56);
  ExpectTiling(r, 3000, 64);
}

TEST(SplitTest, FewerRangesThanBlocks) {
  EXPECT_EQ(SplitRanges(100, 8, 64).size(), 2u);
  EXPECT_EQ(SplitRanges(64, 8, 64).size(), 1u);
  EXPECT_EQ(SplitRanges(1, 3, 64).size(), 1u);
}

TEST(SplitTest, TilesForManyShapes) {
  for (uint64_t total : {1u, 2u, 63u, 64u, 65u, 1000u, 4097u}) {
    for (uint64_t parts : {1u, 2u, 3u, 7u, 100u}) {
      for (uint64_t align : {1u, 64u}) {
        SCOPED_TRACE(testing::Message() << total << " " << parts << " " << align);
        const std::vector<PathRange> r = SplitRanges(total, parts, align);
        EXPECT_LE(r.size(), parts);
        ExpectTiling(r, total, align);
      }
    }
  }
}

TEST(SplitTest, NoPathsIsOneEmptyRange) {
  const std::vector<PathRange> r = SplitRanges(0, 3, 64);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].count, 0u);
}

TEST(SplitTest, DefaultIsTheNumberOfAddresses) {
  EXPECT_EQ(ParseSplit(std::nullopt, 3), 3u);
  EXPECT_EQ(ParseSplit(std::nullopt, 1), 1u);
  EXPECT_EQ(ParseSplit(std::string("5"), 1), 5u);
  EXPECT_THROW(ParseSplit(std::string("0"), 1), UsageError);
  EXPECT_THROW(ParseSplit(std::string("100000"), 1), UsageError);
}

TEST(SplitTest, RunConcurrentlyRunsEveryIndexOnce) {
  std::vector<std::atomic<int>> runs(5);
  RunConcurrently(5, [&](size_t i) { runs[i].fetch_add(1); });
  for (const auto& r : runs) EXPECT_EQ(r.load(), 1);
}

}  // namespace
}  // namespace pathwise::cli
