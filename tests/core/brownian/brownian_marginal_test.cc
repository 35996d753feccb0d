// docs/design/brownian_tree.md §9, marginals: over random non-dyadic intervals [s, t],
// W/sqrt(h), H/sqrt(h/12) and K/sqrt(h/720) are N(0, 1) (KS test) and pairwise
// uncorrelated, for all three kinds, with a fine tree and with a coarse one
// (where both ends are interpolated inside leaves by §7).
//
// False-positive budget: 2 tolerances x 3 kinds x (up to 3 KS tests at
// p = 0.001 + 3 correlations at 5 standard errors): below 2% for an arbitrary
// seed; the seeds are fixed, so the outcome is reproducible.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "tests/core/brownian/brownian_test_util.h"
#include "tests/util/statistics.h"

namespace pathwise::brownian {
namespace {

using pathwise::testing::kKsCritical001;
using pathwise::testing::KsStatisticStandardNormal;

struct Standardised {
  std::vector<double> w, h, k;
};

// One random interval per path (path_index 0 .. n-1), of length at least
// tol_fraction of the span (so that with the coarse tree its ends lie in
// different leaves).
Standardised SampleIntervals(LevyArea kind, double tol_fraction, size_t n, bool point_queries) {
  const double t0 = 1.5, t1 = 4.0, span = t1 - t0;
  const PathSpec spec = testing::SpecOf(kind, 20240501, 1, t0, t1, tol_fraction * span);
  const BrownianPath base = *BrownianPath::Create(spec);
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Standardised out;
  BrownianCursor cursor(base);
  for (size_t i = 0; i < n; ++i) {
    double a = point_queries ? 0.0 : uniform(rng), b = uniform(rng);
    if (a > b) std::swap(a, b);
    if (b - a < tol_fraction) continue;  // ends in one leaf are only marginally exact
    const BrownianPath path = base.WithPathIndex(i);
    cursor.Reset(path);
    const double s = t0 + a * span, t = t0 + b * span, h = t - s;
    const testing::Triple v = testing::IncrementOf(cursor, s, t);
    out.w.push_back(v.w[0] / std::sqrt(h));
    if (HasSpaceTime(kind)) out.h.push_back(v.h[0] / std::sqrt(h / 12.0));
    if (HasSpaceTimeTime(kind)) out.k.push_back(v.k[0] / std::sqrt(h / 720.0));
  }
  return out;
}

double Correlation(const std::vector<double>& x, const std::vector<double>& y) {
  double xy = 0, xx = 0, yy = 0;
  for (size_t i = 0; i < x.size(); ++i) xy += x[i] * y[i], xx += x[i] * x[i], yy += y[i] * y[i];
  return xy / std::sqrt(xx * yy);
}

void ExpectStandardNormalMarginals(const Standardised& z, LevyArea kind) {
  ASSERT_GT(z.w.size(), 10000u);
  EXPECT_LT(KsStatisticStandardNormal(z.w), kKsCritical001) << "W";
  const double corr_bound = 5.0 / std::sqrt(static_cast<double>(z.w.size()));
  if (HasSpaceTime(kind)) {
    EXPECT_LT(KsStatisticStandardNormal(z.h), kKsCritical001) << "H";
    EXPECT_LT(std::fabs(Correlation(z.w, z.h)), corr_bound) << "corr(W, H)";
  }
  if (HasSpaceTimeTime(kind)) {
    EXPECT_LT(KsStatisticStandardNormal(z.k), kKsCritical001) << "K";
    EXPECT_LT(std::fabs(Correlation(z.w, z.k)), corr_bound) << "corr(W, K)";
    EXPECT_LT(std::fabs(Correlation(z.h, z.k)), corr_bound) << "corr(H, K)";
  }
}

class MarginalTest : public ::testing::TestWithParam<LevyArea> {};

TEST_P(MarginalTest, IntervalsOnAFineTree) {
  ExpectStandardNormalMarginals(SampleIntervals(GetParam(), std::ldexp(1.0, -16), 30000, false),
                                GetParam());
}

TEST_P(MarginalTest, IntervalsInterpolatedInsideCoarseLeaves) {
  // Leaves of a quarter of the path: most ends fall strictly inside a leaf (§7).
  ExpectStandardNormalMarginals(SampleIntervals(GetParam(), 0.25, 40000, false), GetParam());
}

TEST_P(MarginalTest, PointQueriesOnTheDefaultTree) {
  ExpectStandardNormalMarginals(SampleIntervals(GetParam(), std::ldexp(1.0, -20), 30000, true),
                                GetParam());
}

INSTANTIATE_TEST_SUITE_P(AllKinds, MarginalTest, ::testing::ValuesIn(testing::kAllKinds),
                         testing::KindTestName);

}  // namespace
}  // namespace pathwise::brownian
