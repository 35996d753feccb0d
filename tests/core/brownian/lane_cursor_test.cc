// A lane of paths read together (LaneCursor) answers every query with exactly
// the bits its paths' own BrownianCursors give, and batched Sample requests
// over many paths (which take the lanes) equal one request per path.
#include "core/brownian/lane_cursor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "core/brownian/batch.h"
#include "core/brownian/cursor.h"
#include "tests/core/brownian/brownian_test_util.h"

namespace pathwise::brownian {
namespace {

constexpr size_t kLanes = LaneCursor::kLanes;

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof(double)) == 0; }

struct Query {
  double s, t;
};

// Every lane of every group against its own path's cursor, query by query (in
// the given order, so the lane cursor's cache sees the same sequence).
void ExpectLanesMatchPaths(const PathSpec& spec, uint32_t num_paths,
                           const std::vector<Query>& queries) {
  const BrownianPath base = *BrownianPath::Create(spec);
  LaneCursor lanes(base);
  const size_t d = spec.dim;
  std::vector<double> w(d * kLanes), h(d * kLanes), k(d * kLanes);
  for (uint32_t first = 0; first < num_paths; first += kLanes) {
    const size_t count = std::min<size_t>(kLanes, num_paths - first);
    lanes.Reset(spec.path_index + first, count);
    std::vector<BrownianPath> paths;
    for (size_t i = 0; i < count; ++i)
      paths.push_back(base.WithPathIndex(spec.path_index + first + i));
    std::vector<BrownianCursor> cursors;
    for (const BrownianPath& path : paths) cursors.emplace_back(path);
    for (size_t q = 0; q < queries.size(); ++q) {
      lanes.Increment(queries[q].s, queries[q].t, w.data(), h.data(), k.data());
      for (size_t i = 0; i < count; ++i) {
        const testing::Triple one = testing::IncrementOf(cursors[i], queries[q].s, queries[q].t);
        for (size_t j = 0; j < d; ++j) {
          ASSERT_TRUE(SameBits(one.w[j], w[j * kLanes + i]))
              << "path " << first + i << " query " << q << " [" << queries[q].s << ", "
              << queries[q].t << "] component " << j << ": " << one.w[j] << " vs "
              << w[j * kLanes + i];
          if (HasSpaceTime(spec.levy_area)) {
            ASSERT_TRUE(SameBits(one.h[j], h[j * kLanes + i]));
          }
          if (HasSpaceTimeTime(spec.levy_area)) {
            ASSERT_TRUE(SameBits(one.k[j], k[j * kLanes + i]));
          }
        }
      }
    }
  }
}

class LaneCursorTest : public ::testing::TestWithParam<LevyArea> {};

TEST_P(LaneCursorTest, SolverStepsOnADyadicGridMatchEachPath) {
  // A constant-step solve: dt = 2^-7 over [0, 1] on a tree of tol dt/2.
  const PathSpec spec = testing::SpecOf(GetParam(), 17, 1, 0.0, 1.0, 0x1p-8);
  std::vector<Query> steps;
  for (int i = 0; i < 128; ++i) steps.push_back({i * 0x1p-7, (i + 1) * 0x1p-7});
  ExpectLanesMatchPaths(spec, 11, steps);
}

TEST_P(LaneCursorTest, NonDyadicStepsOnAShiftedSpanMatchEachPath) {
  // Steps that straddle leaves and end inside them (leaf interpolation), dim 3.
  PathSpec spec = testing::SpecOf(GetParam(), 5, 3, -1.0, 2.0, 0.004);
  spec.path_index = 1000;
  std::vector<Query> steps;
  for (int i = 0; i < 300; ++i)
    steps.push_back({-1.0 + i * 0.01, std::min(2.0, -1.0 + (i + 1) * 0.01)});
  ExpectLanesMatchPaths(spec, 13, steps);
}

// A constant-step solve's work, lanes against each path's own cursor: the
// lanes take their draws from the same places (a split from the subtree drawn
// ahead, a leaf's draws drawn with the next steps' leaves, the start of a step
// from the kept point), so each kind of work adds up to the paths' total.
// (The values are the same bits either way: tests above.)
void ExpectLanesDoThePathsWork(LevyArea kind, double dt) {
  const PathSpec spec = testing::SpecOf(kind, 8, 2, 0.0, 1.0, dt / 2);
  const BrownianPath base = *BrownianPath::Create(spec);
  const int steps = static_cast<int>(std::ceil(1.0 / dt - 1e-9));
  CursorStats paths;
  for (size_t i = 0; i < kLanes; ++i) {
    const BrownianPath path = base.WithPathIndex(i);  // the cursor refers to it
    BrownianCursor cursor(path);
    for (int step = 0; step < steps; ++step) {
      testing::IncrementOf(cursor, step * dt, std::min(1.0, (step + 1) * dt));
    }
    const CursorStats& one = cursor.stats();
    paths.queries += one.queries;
    paths.levels_descended += one.levels_descended;
    paths.levels_reused += one.levels_reused;
    paths.blocks_drawn += one.blocks_drawn;
    paths.leaf_points_reused += one.leaf_points_reused;
    paths.leaf_draws_ahead += one.leaf_draws_ahead;
  }
  LaneCursor lanes(base);
  lanes.Reset(0, kLanes);
  std::vector<double> w(2 * kLanes), h(2 * kLanes), k(2 * kLanes);
  for (int step = 0; step < steps; ++step) {
    lanes.Increment(step * dt, std::min(1.0, (step + 1) * dt), w.data(), h.data(), k.data());
  }
  const CursorStats& got = lanes.stats();
  EXPECT_EQ(got.queries, paths.queries);
  EXPECT_EQ(got.levels_descended, paths.levels_descended);
  EXPECT_EQ(got.levels_reused, paths.levels_reused);
  EXPECT_EQ(got.blocks_drawn, paths.blocks_drawn);
  EXPECT_EQ(got.leaf_points_reused, paths.leaf_points_reused);
  EXPECT_EQ(got.leaf_draws_ahead, paths.leaf_draws_ahead);

  // The next lane steps on the same grid: it replays the interpolation
  // weights the first lane computed, as a cursor pointed at the next path does.
  EXPECT_EQ(got.leaf_weights_replayed, 0u);
  lanes.Reset(kLanes, kLanes);
  for (int step = 0; step < steps; ++step) {
    lanes.Increment(step * dt, std::min(1.0, (step + 1) * dt), w.data(), h.data(), k.data());
  }
  const BrownianPath first = base.WithPathIndex(0), second = base.WithPathIndex(1);
  BrownianCursor cursor(first);
  for (const BrownianPath* path : {&first, &second}) {
    cursor.Reset(*path);
    for (int step = 0; step < steps; ++step) {
      testing::IncrementOf(cursor, step * dt, std::min(1.0, (step + 1) * dt));
    }
  }
  EXPECT_EQ(lanes.stats().leaf_weights_replayed, kLanes * cursor.stats().leaf_weights_replayed);
}

TEST_P(LaneCursorTest, DyadicStepsDrawWhatEachPathDraws) {
  ExpectLanesDoThePathsWork(GetParam(), 0x1p-10);
}

TEST_P(LaneCursorTest, NonDyadicStepsDrawAheadAndReuseTheirStartAsEachPathDoes) {
  ExpectLanesDoThePathsWork(GetParam(), 0.001);
}

TEST_P(LaneCursorTest, RandomQueriesMatchEachPath) {
  // Random order: points, intervals in one leaf, across leaves, empty, whole span.
  PathSpec spec = testing::SpecOf(GetParam(), 99, 2, 0.0, 3.0, 1e-3);
  spec.antithetic = true;
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> u(0.0, 3.0);
  std::vector<Query> queries = {{0.0, 3.0}, {1.0, 1.0}, {0.0, 1e-4}, {2.9999, 3.0}};
  for (int i = 0; i < 200; ++i) {
    double a = u(rng), b = u(rng);
    if (a > b) std::swap(a, b);
    if (i % 5 == 0) a = 0.0;                      // a point value
    if (i % 7 == 0) b = std::min(3.0, a + 1e-4);  // inside one leaf
    queries.push_back({a, b});
  }
  ExpectLanesMatchPaths(spec, 9, queries);
}

TEST_P(LaneCursorTest, MultiPathSampleMatchesOnePathPerRequest) {
  BatchRequest request;
  request.path = testing::SpecOf(GetParam(), 3, 2, 0.0, 1.0, 1e-4);
  request.path.path_index = 7;
  request.path_count = 13;
  request.times = {0.5, 0.25, 1.0, 1e-5};
  request.intervals = {{0.1, 0.7}, {0.3, 0.30001}, {0.0, 1.0}, {0.6, 0.6}, {0.2, 0.9}};
  const BatchResult lanes = *SampleBatch(request);
  const size_t per_path = (request.times.size() + request.intervals.size()) * request.path.dim;
  for (uint32_t p = 0; p < request.path_count; ++p) {
    BatchRequest one = request;
    one.path.path_index = request.path.path_index + p;
    one.path_count = 1;
    const BatchResult alone = *SampleBatch(one);
    for (size_t v = 0; v < per_path; ++v) {
      ASSERT_TRUE(SameBits(alone.w[v], lanes.w[p * per_path + v]))
          << "path " << p << " value " << v;
      if (HasSpaceTime(request.path.levy_area)) {
        ASSERT_TRUE(SameBits(alone.h[v], lanes.h[p * per_path + v]));
      }
      if (HasSpaceTimeTime(request.path.levy_area)) {
        ASSERT_TRUE(SameBits(alone.k[v], lanes.k[p * per_path + v]));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, LaneCursorTest, ::testing::ValuesIn(testing::kAllKinds),
                         testing::KindTestName);

}  // namespace
}  // namespace pathwise::brownian
