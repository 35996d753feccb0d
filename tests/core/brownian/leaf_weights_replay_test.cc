// LeafWeightsReplay: weights are replayed only for the same positions at the
// same place in a path's sequence, and are then exactly ComputeLeafWeights'.
#include "core/brownian/leaf_weights_replay.h"

#include <gtest/gtest.h>

#include <cstring>

namespace pathwise::brownian {
namespace {

bool SameBits(const LeafWeights& a, const LeafWeights& b) {
  return std::memcmp(&a, &b, sizeof(LeafWeights)) == 0;
}

LeafWeights Computed(LevyArea kind, double sr, double ru) {
  LeafWeights w;
  ComputeLeafWeights(kind, sr, ru, w);
  return w;
}

TEST(LeafWeightsReplayTest, NothingIsReplayedBeforeTheFirstRewind) {
  LeafWeightsReplay replay(LevyArea::kSpaceTimeTime);
  bool reused = true;
  for (int pass = 0; pass < 2; ++pass) {
    EXPECT_TRUE(
        SameBits(replay.Get(0.25, 0.75, reused), Computed(LevyArea::kSpaceTimeTime, 0.25, 0.75)));
    EXPECT_FALSE(reused);
  }
}

TEST(LeafWeightsReplayTest, ReplaysTheSameSequenceAndRecomputesWhereItDiffers) {
  for (LevyArea kind : {LevyArea::kNone, LevyArea::kSpaceTime, LevyArea::kSpaceTimeTime}) {
    LeafWeightsReplay replay(kind);
    const double positions[][2] = {{0.1, 0.3}, {0.2, 0.2}, {0.35, 0.05}};
    bool reused = true;
    replay.Rewind();  // the first path records
    for (const auto& p : positions) {
      EXPECT_TRUE(SameBits(replay.Get(p[0], p[1], reused), Computed(kind, p[0], p[1])));
      EXPECT_FALSE(reused);
    }
    replay.Rewind();  // the second replays all three
    for (const auto& p : positions) {
      EXPECT_TRUE(SameBits(replay.Get(p[0], p[1], reused), Computed(kind, p[0], p[1])));
      EXPECT_TRUE(reused);
    }
    replay.Rewind();  // a third path differs at its second query, then has one more
    replay.Get(0.1, 0.3, reused);
    EXPECT_TRUE(reused);
    EXPECT_TRUE(SameBits(replay.Get(0.2, 0.20000000000000004, reused),
                         Computed(kind, 0.2, 0.20000000000000004)));
    EXPECT_FALSE(reused) << "positions must match exactly";
    replay.Get(0.35, 0.05, reused);
    EXPECT_TRUE(reused);
    EXPECT_TRUE(SameBits(replay.Get(0.01, 0.39, reused), Computed(kind, 0.01, 0.39)));
    EXPECT_FALSE(reused);
    replay.Rewind();  // the third path's sequence is now the recorded one
    replay.Get(0.1, 0.3, reused);
    replay.Get(0.2, 0.20000000000000004, reused);
    EXPECT_TRUE(reused);
  }
}

TEST(LeafWeightsReplayTest, KeepsAtMostItsBound) {
  LeafWeightsReplay replay(LevyArea::kNone);
  const size_t n = LeafWeightsReplay::kMaxEntries + 2;
  bool reused = false;
  for (int pass = 0; pass < 2; ++pass) {
    replay.Rewind();
    size_t replayed = 0;
    for (size_t i = 0; i < n; ++i) {
      const double sr = 1e-3 * (1.0 + static_cast<double>(i) / static_cast<double>(n));
      EXPECT_TRUE(SameBits(replay.Get(sr, 1e-3, reused), Computed(LevyArea::kNone, sr, 1e-3)));
      replayed += reused ? 1 : 0;
    }
    EXPECT_EQ(replayed, pass == 0 ? 0 : LeafWeightsReplay::kMaxEntries);
  }
}

}  // namespace
}  // namespace pathwise::brownian
