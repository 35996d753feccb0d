// Non-dyadic constant steps (issue 17): a step that starts and ends inside
// leaves reuses the last interpolation, takes its leaf draws from a batch drawn
// ahead, and, from a cursor's second path on, replays interpolation weights.
// None of it may change a bit: every increment is compared with a fresh,
// uncached cursor answering the same interval alone (random access), and the
// counters check that each kind of reuse happened exactly where it should.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "core/brownian/prefetched_leaves.h"
#include "core/brownian/tree_math.h"
#include "tests/core/brownian/brownian_test_util.h"

namespace pathwise::brownian {
namespace {

bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

// A constant-step grid over [t0, t1] as the solver's controller lays it: t0 + n dt.
std::vector<double> Grid(double t0, double t1, double dt) {
  std::vector<double> ts{t0};
  for (int n = 1; ts.back() < t1; ++n) ts.push_back(std::min(t1, t0 + n * dt));
  return ts;
}

// Whether t lies strictly inside a leaf of `path` (not on a leaf boundary).
bool StrictlyInsideLeaf(const BrownianPath& path, double t) {
  const double scaled = path.Normalise(t) * PowerOfTwo(path.depth());
  return scaled != static_cast<double>(static_cast<uint64_t>(scaled));
}

class NonDyadicStepsTest : public ::testing::TestWithParam<LevyArea> {
 protected:
  static constexpr double kT0 = -0.5, kT1 = 1.5;
  // One path of an ensemble stepping with dt; tol as a solve sets it by
  // default (dt / 2) unless given.
  BrownianPath Path(uint64_t path_index, uint32_t dim, double tol) const {
    PathSpec spec = testing::SpecOf(GetParam(), 0x5eedull, dim, kT0, kT1, tol);
    spec.path_index = path_index;
    return *BrownianPath::Create(spec);
  }

  // Steps `cursor` over the grid, checking every increment against a fresh
  // uncached cursor.
  void StepAndCompare(BrownianCursor& cursor, const std::vector<double>& ts) {
    const BrownianPath& path = cursor.path();
    for (size_t n = 0; n + 1 < ts.size(); ++n) {
      BrownianCursor fresh(path, BrownianCursor::Cache::kOff);
      const testing::Triple a = testing::IncrementOf(cursor, ts[n], ts[n + 1]);
      const testing::Triple b = testing::IncrementOf(fresh, ts[n], ts[n + 1]);
      ASSERT_TRUE(SameBits(a.w, b.w)) << "step " << n << " [" << ts[n] << ", " << ts[n + 1] << "]";
      if (HasSpaceTime(GetParam())) {
        ASSERT_TRUE(SameBits(a.h, b.h)) << "step " << n;
      }
      if (HasSpaceTimeTime(GetParam())) {
        ASSERT_TRUE(SameBits(a.k, b.k)) << "step " << n;
      }
    }
  }
};

TEST_P(NonDyadicStepsTest, ConstantStepsMatchRandomAccessBitForBit) {
  // Steps of about 2 leaves (the solver's default tol), of a third of a leaf
  // (several steps per leaf) and of 5.3 leaves; one cursor Reset from path to
  // path, the grids taken in turn so that weights recorded on one path meet
  // another's positions.
  for (uint32_t dim : {1u, 3u, 6u}) {
    const std::vector<std::pair<double, double>> grids = {
        {0.001, 0.0005}, {0.0037, 0.0111}, {0.0137, 0.0137 / 5.3}};
    for (const auto& [dt, tol] : grids) {
      SCOPED_TRACE(::testing::Message() << "dim " << dim << " dt " << dt);
      const BrownianPath first = Path(0, dim, tol);
      BrownianCursor cursor(first);
      for (uint64_t index = 0; index < 4; ++index) {
        const BrownianPath path = Path(index, dim, tol);
        cursor.Reset(path);
        // Paths 0 and 2 and 3 step on dt, path 1 on a shifted grid.
        const std::vector<double> ts =
            index == 1 ? Grid(kT0 + 0.3 * dt, kT1, dt) : Grid(kT0, kT1, dt);
        if (index == 1) StepAndCompare(cursor, {kT0, kT0 + 0.3 * dt});
        StepAndCompare(cursor, ts);
      }
    }
  }
}

TEST_P(NonDyadicStepsTest, CountersShowEachReuse) {
  const double dt = 0.001;
  const double tol = dt / 2;
  for (uint32_t dim : {1u, 6u}) {
    SCOPED_TRACE(::testing::Message() << "dim " << dim);
    const std::vector<double> ts = Grid(kT0, kT1, dt);
    const BrownianPath p0 = Path(0, dim, tol), p1 = Path(1, dim, tol), p2 = Path(2, dim, tol);
    // Interior points of the grid strictly inside leaves: each is the end of a
    // step (one interpolation) and the start of the next (the kept point).
    uint64_t inside = 0;
    for (size_t n = 1; n + 1 < ts.size(); ++n) inside += StrictlyInsideLeaf(p0, ts[n]) ? 1 : 0;
    ASSERT_GT(inside, ts.size() / 2) << "dt = 0.001 should put most grid points inside leaves";

    BrownianCursor cursor(p0);
    StepAndCompare(cursor, ts);
    const CursorStats first = cursor.stats();
    EXPECT_EQ(first.leaf_points_reused, inside) << "every step starting inside a leaf";
    EXPECT_EQ(first.leaf_weights_replayed, 0u) << "nothing is recorded before a Reset";
    // From the second step on, a constant step's leaf draws are drawn ahead
    // (paths of dim <= 4, whose draws are too few for the vector lanes);
    // the first step has no step before it to continue.
    const uint64_t ahead = dim <= 4 ? inside - (StrictlyInsideLeaf(p0, ts[1]) ? 1 : 0) : 0;
    EXPECT_EQ(first.leaf_draws_ahead, ahead);

    cursor.Reset(p1);  // recorded on this path ...
    StepAndCompare(cursor, ts);
    const CursorStats second = cursor.stats();
    EXPECT_EQ(second.leaf_weights_replayed, 0u);
    cursor.Reset(p2);  // ... replayed on this one: every interpolation
    StepAndCompare(cursor, ts);
    const CursorStats third = cursor.stats();
    EXPECT_EQ(third.leaf_weights_replayed - second.leaf_weights_replayed, inside);
    EXPECT_EQ(third.leaf_points_reused - second.leaf_points_reused, inside);
    EXPECT_EQ(third.leaf_draws_ahead - second.leaf_draws_ahead, ahead);
  }
}

TEST_P(NonDyadicStepsTest, DyadicStepsNeedNoInterpolation) {
  const double dt = 0x1p-8;  // (t1 - t0) 2^-7: every step a union of leaves
  const BrownianPath path = Path(0, 2, dt / 2);
  BrownianCursor cursor(path);
  StepAndCompare(cursor, Grid(kT0, kT1, dt));
  EXPECT_EQ(cursor.stats().leaf_points_reused, 0u);
  EXPECT_EQ(cursor.stats().leaf_draws_ahead, 0u);
}

TEST_P(NonDyadicStepsTest, StepsOfChangingLengthDrawNothingAhead) {
  // An adaptive solver's steps: each a different length, so no guess is made.
  const BrownianPath path = Path(0, 1, 0.0005);
  BrownianCursor cursor(path);
  std::vector<double> ts{kT0};
  for (int n = 0; ts.back() < kT1; ++n) {
    ts.push_back(std::min(kT1, ts.back() + 0.001 * (1.0 + 0.37 * (n % 5))));
  }
  StepAndCompare(cursor, ts);
  EXPECT_EQ(cursor.stats().leaf_draws_ahead, 0u);
  EXPECT_GT(cursor.stats().leaf_points_reused, 0u);
}

INSTANTIATE_TEST_SUITE_P(AllKinds, NonDyadicStepsTest, ::testing::ValuesIn(testing::kAllKinds),
                         testing::KindTestName);

}  // namespace
}  // namespace pathwise::brownian
