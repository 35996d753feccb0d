// The same query gives the same bits whatever else was asked: any order,
// repeats, batching, cache on or off (including the forward prefetch), one or
// many threads, and any number of further components (docs/design/brownian_tree.md §8).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <thread>

#include "core/brownian/batch.h"
#include "tests/core/brownian/brownian_test_util.h"

namespace pathwise::brownian {
namespace {

bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  return a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void ExpectSameBits(const testing::Triple& a, const testing::Triple& b, LevyArea kind) {
  EXPECT_TRUE(SameBits(a.w, b.w));
  if (HasSpaceTime(kind)) {
    EXPECT_TRUE(SameBits(a.h, b.h));
  }
  if (HasSpaceTimeTime(kind)) {
    EXPECT_TRUE(SameBits(a.k, b.k));
  }
}

// Random intervals, point queries, repeats and zero-length intervals.
std::vector<Interval> MixedQueries(double t0, double t1, int n) {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> uniform(t0, t1);
  std::vector<Interval> queries;
  for (int i = 0; i < n; ++i) {
    double a = uniform(rng), b = uniform(rng);
    if (a > b) std::swap(a, b);
    switch (i % 5) {
      case 0:
        queries.push_back({t0, b});
        break;
      case 1:
        queries.push_back({a, a});
        break;
      case 2:
        if (!queries.empty()) queries.push_back(queries[size_t(i) / 2]);
        break;
      default:
        queries.push_back({a, b});
    }
  }
  queries.push_back({t0, t1});
  return queries;
}

class InvarianceTest : public ::testing::TestWithParam<LevyArea> {
 protected:
  PathSpec Spec(uint32_t dim, double tol) const {
    return testing::SpecOf(GetParam(), 0xfeedfacecafebeefull, dim, -2.0, 3.0, tol);
  }
};

TEST_P(InvarianceTest, OrderRepeatsAndCacheDoNotChangeBits) {
  const BrownianPath path = *BrownianPath::Create(Spec(3, 1e-4));
  const std::vector<Interval> queries = MixedQueries(-2.0, 3.0, 400);
  BrownianCursor in_order(path);
  std::vector<testing::Triple> reference;
  for (const Interval& q : queries) reference.push_back(testing::IncrementOf(in_order, q.s, q.t));

  std::vector<size_t> order(queries.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937_64(5));
  BrownianCursor shuffled(path);
  BrownianCursor uncached(path, BrownianCursor::Cache::kOff);
  for (size_t i : order) {
    ExpectSameBits(testing::IncrementOf(shuffled, queries[i].s, queries[i].t), reference[i],
                   GetParam());
    ExpectSameBits(testing::IncrementOf(uncached, queries[i].s, queries[i].t), reference[i],
                   GetParam());
  }
  EXPECT_GT(shuffled.stats().levels_reused, 0u);
  EXPECT_EQ(uncached.stats().levels_reused, 0u);
}

TEST_P(InvarianceTest, SteppingForwardMatchesFreshCursors) {
  // The solver pattern, which exercises the forward prefetch: dyadic steps with
  // tol = h/2, and uneven steps that land inside leaves.
  for (uint32_t dim : {1u, 2u, 7u}) {
    const double h = 5.0 / 1024;
    const BrownianPath path = *BrownianPath::Create(Spec(dim, h / 2));
    BrownianCursor stepping(path);
    for (int step = 0; step < 1024; ++step) {
      const double s = -2.0 + step * h, t = step == 1023 ? 3.0 : s + h;
      BrownianCursor fresh(path, BrownianCursor::Cache::kOff);
      ExpectSameBits(testing::IncrementOf(stepping, s, t), testing::IncrementOf(fresh, s, t),
                     GetParam());
    }
    double s = -2.0;
    for (int step = 0; s < 3.0; ++step) {
      const double t = std::min(3.0, s + h * (0.3 + 0.9 * ((step * 7919) % 13) / 13.0));
      BrownianCursor fresh(path, BrownianCursor::Cache::kOff);
      ExpectSameBits(testing::IncrementOf(stepping, s, t), testing::IncrementOf(fresh, s, t),
                     GetParam());
      s = t;
    }
    EXPECT_LT(stepping.stats().levels_descended, stepping.stats().queries * 4)
        << "a forward stepper descends O(1) levels per step";
  }
}

TEST_P(InvarianceTest, BatchesPathsAndThreadsDoNotChangeBits) {
  BatchRequest request;
  request.path = Spec(2, 0.0);
  request.path.path_index = 1000;
  request.path_count = 9;
  request.times = {3.0, 0.5, -1.25, 0.5};
  request.intervals = {{-1.0, 2.0}, {0.1, 0.1000001}, {-2.0, 3.0}};
  const BatchResult whole = *SampleBatch(request);

  // Each path alone, each query alone.
  const std::vector<Interval> queries = QueriesOf(request);
  const size_t q_count = queries.size(), dim = 2;
  for (uint32_t p = 0; p < request.path_count; ++p) {
    PathSpec spec = request.path;
    spec.path_index += p;
    const BrownianPath path = *BrownianPath::Create(spec);
    for (size_t q = 0; q < q_count; ++q) {
      BrownianCursor cursor(path);
      const testing::Triple one = testing::IncrementOf(cursor, queries[q].s, queries[q].t);
      const size_t at = (p * q_count + q) * dim;
      const std::vector<double> w(whole.w.begin() + at, whole.w.begin() + at + dim);
      EXPECT_TRUE(SameBits(one.w, w)) << "path " << p << " query " << q;
      if (HasSpaceTime(GetParam())) {
        EXPECT_TRUE(SameBits(one.h, {whole.h.begin() + at, whole.h.begin() + at + dim}));
      }
      if (HasSpaceTimeTime(GetParam())) {
        EXPECT_TRUE(SameBits(one.k, {whole.k.begin() + at, whole.k.begin() + at + dim}));
      }
    }
  }

  // The same request split over threads by path ranges.
  BatchResult threaded;
  SizeResult(request, threaded);
  std::vector<std::thread> workers;
  for (uint32_t first = 0; first < request.path_count; first += 3) {
    workers.emplace_back(
        [&, first] { EvaluatePaths(request, queries, first, 3, threaded, nullptr); });
  }
  for (std::thread& worker : workers) worker.join();
  EXPECT_TRUE(SameBits(threaded.w, whole.w));
  EXPECT_TRUE(SameBits(threaded.h, whole.h));
  EXPECT_TRUE(SameBits(threaded.k, whole.k));
}

TEST_P(InvarianceTest, LeadingComponentsDoNotDependOnDim) {
  const BrownianPath narrow = *BrownianPath::Create(Spec(1, 1e-3));
  const BrownianPath wide = *BrownianPath::Create(Spec(5, 1e-3));
  BrownianCursor a(narrow), b(wide);
  const testing::Triple x = testing::IncrementOf(a, -1.0, 2.5);
  const testing::Triple y = testing::IncrementOf(b, -1.0, 2.5);
  EXPECT_EQ(std::memcmp(&x.w[0], &y.w[0], sizeof(double)), 0);
  if (HasSpaceTime(GetParam())) {
    EXPECT_EQ(std::memcmp(&x.h[0], &y.h[0], sizeof(double)), 0);
  }
  EXPECT_NE(y.w[0], y.w[1]);
}

TEST_P(InvarianceTest, OneComponentPathsMatchTheLeadingComponentOfWiderOnes) {
  // One-component paths draw and split an interval query's two descents
  // together (descent.h); wider paths take the general way. Component 0 of a
  // wider path has the same draws and formulas, so every answer must agree bit
  // for bit: in random order, cached or not, shallow and deep trees (node ids
  // past 32 bits).
  for (double tol : {1e-3, 1e-13}) {
    const BrownianPath narrow = *BrownianPath::Create(Spec(1, tol));
    const BrownianPath wide = *BrownianPath::Create(Spec(2, tol));
    BrownianCursor one(narrow), two(wide), one_uncached(narrow, BrownianCursor::Cache::kOff);
    for (const Interval& q : MixedQueries(-2.0, 3.0, 500)) {
      const testing::Triple x = testing::IncrementOf(one, q.s, q.t);
      const testing::Triple y = testing::IncrementOf(two, q.s, q.t);
      const testing::Triple z = testing::IncrementOf(one_uncached, q.s, q.t);
      for (const testing::Triple* other : {&y, &z}) {
        ASSERT_EQ(std::memcmp(&x.w[0], &other->w[0], sizeof(double)), 0) << q.s << " " << q.t;
        if (HasSpaceTime(GetParam())) {
          ASSERT_EQ(std::memcmp(&x.h[0], &other->h[0], sizeof(double)), 0) << q.s << " " << q.t;
        }
        if (HasSpaceTimeTime(GetParam())) {
          ASSERT_EQ(std::memcmp(&x.k[0], &other->k[0], sizeof(double)), 0) << q.s << " " << q.t;
        }
      }
    }
    EXPECT_EQ(one.stats().blocks_drawn * 2, two.stats().blocks_drawn) << "same draws per component";
  }
}

TEST_P(InvarianceTest, AntitheticMirrorIsTheExactNegation) {
  // The mirror negates every normal; since every tree value is odd in the
  // draws and rounding is symmetric, each increment is the exact negation
  // (no tolerance: bit for bit), whatever the query and however the cursor
  // moved between the path and its mirror.
  const PathSpec spec = Spec(3, 1e-4);
  PathSpec mirrored_spec = spec;
  mirrored_spec.antithetic = true;
  const BrownianPath path = *BrownianPath::Create(spec);
  const BrownianPath mirrored = *BrownianPath::Create(mirrored_spec);
  BrownianCursor cursor(path);
  BrownianCursor shared(path);
  auto negated = [](std::vector<double> v) {
    // A zero-length interval gives +0.0 on both (written, not computed).
    for (double& x : v) x = x == 0.0 ? x : -x;
    return v;
  };
  for (const Interval& q : MixedQueries(-2.0, 3.0, 200)) {
    const testing::Triple plain = testing::IncrementOf(cursor, q.s, q.t);
    shared.Reset(mirrored);
    const testing::Triple mirror = testing::IncrementOf(shared, q.s, q.t);
    shared.Reset(path);
    ExpectSameBits(mirror, {negated(plain.w), negated(plain.h), negated(plain.k)}, GetParam());
    ExpectSameBits(testing::IncrementOf(shared, q.s, q.t), plain, GetParam());
  }
}

INSTANTIATE_TEST_SUITE_P(AllKinds, InvarianceTest, ::testing::ValuesIn(testing::kAllKinds),
                         testing::KindTestName);

TEST(KindTest, TheLevyKindIsPartOfThePath) {
  // docs/design/brownian_tree.md §8: W-only and space-time trees from one seed differ.
  const BrownianPath w_only =
      *BrownianPath::Create(testing::SpecOf(LevyArea::kNone, 1, 1, 0, 1, 0));
  const BrownianPath space_time =
      *BrownianPath::Create(testing::SpecOf(LevyArea::kSpaceTime, 1, 1, 0, 1, 0));
  BrownianCursor a(w_only), b(space_time);
  EXPECT_NE(testing::IncrementOf(a, 0.0, 0.5).w[0], testing::IncrementOf(b, 0.0, 0.5).w[0]);
}

}  // namespace
}  // namespace pathwise::brownian
