// PrefetchedLeaves: the leaves drawn ahead carry exactly the draws a leaf
// drawn alone gets, and only the leaves named are held.
#include "core/brownian/prefetched_leaves.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/brownian/counter_layout.h"
#include "core/brownian/draw_batch.h"

namespace pathwise::brownian {
namespace {

TEST(PrefetchedLeavesTest, HoldsTheNamedLeavesWithTheirOwnDraws) {
  const int depth = 11;
  const size_t dim = 3;
  const random::PhiloxKey key = PathKey(99, 4);
  for (LevyArea kind : {LevyArea::kNone, LevyArea::kSpaceTime, LevyArea::kSpaceTimeTime}) {
    PrefetchedLeaves ahead(kind, dim, depth);
    const uint64_t leaves[] = {5, 7, 9, 2047};
    EXPECT_EQ(ahead.Draw(key, leaves, 4), size_t(4 * BlocksPerNode(kind)) * dim);
    for (uint64_t leaf : leaves) {
      const std::optional<Draws> held = ahead.Find(leaf);
      ASSERT_TRUE(held.has_value()) << leaf;
      DrawBatch alone(kind, dim, 1);
      alone.FillOne(key, NodeId(depth, leaf), DrawPurpose::kLeaf);
      const Draws expected = alone.At(0);
      // The draws of §7: one, two or three per component.
      const int used = std::min(3, 2 * BlocksPerNode(kind));
      for (int k = 0; k < used; ++k) {
        for (size_t j = 0; j < dim; ++j) {
          EXPECT_EQ(held->draw[k][j], expected.draw[k][j]) << "leaf " << leaf << " draw " << k;
        }
      }
    }
    EXPECT_FALSE(ahead.Find(6).has_value());
    ahead.Forget();
    EXPECT_FALSE(ahead.Find(5).has_value());
  }
}

}  // namespace
}  // namespace pathwise::brownian
