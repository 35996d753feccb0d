// docs/design/brownian_tree.md §9, joint law and Chen's relations.
//
// A Gaussian family is fixed by its covariance. For Brownian motion, the
// (W, H, K) of the intervals of a partition are independent with variances
// h, h/12, h/720, and Chen's relations (§4) then fix every other interval.
// So: (1) the standardised (W, H, K) over a partition's intervals, for every
// component, must have identity covariance — checked on a fine tree and on a
// coarse one whose partition points lie inside leaves (which tests the
// conditional law of §7 given the leaf); (2) the point values must have the
// covariances of Brownian motion and its time integral; (3) Chen's relations
// hold to rounding for any three times, also inside one leaf.
//
// Thresholds: 5 standard errors per covariance entry. With the ~1 000 entries
// checked below, a correct tree fails for an arbitrary seed with probability
// about 1e-3; the seeds are fixed.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "tests/core/brownian/brownian_test_util.h"
#include "tests/util/statistics.h"

namespace pathwise::brownian {
namespace {

using pathwise::testing::CovarianceStandardError;
using pathwise::testing::ZeroMeanCovariance;

constexpr double kT0 = -1.0, kT1 = 1.5;

// Standardised (W, H, K) of each interval of the partition and each component.
std::vector<std::vector<double>> PartitionSamples(LevyArea kind, double tol_fraction,
                                                  const std::vector<double>& cuts, size_t n) {
  const uint32_t dim = 2;
  const double span = kT1 - kT0;
  const BrownianPath base =
      *BrownianPath::Create(testing::SpecOf(kind, 777, dim, kT0, kT1, tol_fraction * span));
  BrownianCursor cursor(base);
  std::vector<std::vector<double>> rows;
  for (size_t i = 0; i < n; ++i) {
    const BrownianPath path = base.WithPathIndex(i);
    cursor.Reset(path);
    std::vector<double> row;
    for (size_t q = 0; q + 1 < cuts.size(); ++q) {
      const double s = kT0 + cuts[q] * span, t = kT0 + cuts[q + 1] * span, h = t - s;
      const testing::Triple v = testing::IncrementOf(cursor, s, t);
      for (uint32_t j = 0; j < dim; ++j) {
        row.push_back(v.w[j] / std::sqrt(h));
        if (HasSpaceTime(kind)) row.push_back(v.h[j] / std::sqrt(h / 12.0));
        if (HasSpaceTimeTime(kind)) row.push_back(v.k[j] / std::sqrt(h / 720.0));
      }
    }
    rows.push_back(row);
  }
  return rows;
}

void ExpectIdentityCovariance(const std::vector<std::vector<double>>& rows) {
  const std::vector<double> cov = ZeroMeanCovariance(rows);
  const size_t k = rows[0].size();
  for (size_t a = 0; a < k; ++a) {
    for (size_t b = a; b < k; ++b) {
      const double expected = a == b ? 1.0 : 0.0;
      const double se = CovarianceStandardError(1.0, 1.0, expected, rows.size());
      EXPECT_NEAR(cov[a * k + b], expected, 5.0 * se) << "entry (" << a << ", " << b << ")";
    }
  }
}

class JointLawTest : public ::testing::TestWithParam<LevyArea> {};

TEST_P(JointLawTest, PartitionIncrementsAreIndependentOnAFineTree) {
  ExpectIdentityCovariance(PartitionSamples(GetParam(), std::ldexp(1.0, -14),
                                            {0.0, 0.1234, 0.377, 0.61, 0.9011, 1.0}, 20000));
}

TEST_P(JointLawTest, PartitionIncrementsAreIndependentWithPointsInsideLeaves) {
  // Quarter-length leaves; each cut lies strictly inside its own leaf, so every
  // increment is built from §7 interpolations conditioned on the leaves.
  ExpectIdentityCovariance(
      PartitionSamples(GetParam(), 0.25, {0.0, 0.13, 0.38, 0.61, 0.9, 1.0}, 20000));
}

TEST_P(JointLawTest, PointValuesHaveTheCovariancesOfBrownianMotionAndItsIntegral) {
  // For a <= b on [0, 1] (Hb_r = Hb_{0,r} = integral of W minus r W_r / 2):
  //   Cov(W_a, W_b) = a, Cov(Hb_a, Hb_b) = a^3/12, Cov(W_a, Hb_b) = a (b - a)/2, Cov(Hb_a, W_b) =
  //   0.
  const LevyArea kind = GetParam();
  const std::vector<double> times = {0.2, 0.45, 0.8};
  const BrownianPath base =
      *BrownianPath::Create(testing::SpecOf(kind, 4242, 1, 0.0, 1.0, std::ldexp(1.0, -12)));
  BrownianCursor cursor(base);
  const size_t n = 20000;
  std::vector<std::vector<double>> rows;
  for (size_t i = 0; i < n; ++i) {
    const BrownianPath path = base.WithPathIndex(i);
    cursor.Reset(path);
    std::vector<double> row;
    for (double r : times) {
      const testing::Triple v = testing::IncrementOf(cursor, 0.0, r);
      row.push_back(v.w[0]);
      row.push_back(HasSpaceTime(kind) ? r * v.h[0] : 0.0);
    }
    rows.push_back(row);
  }
  const std::vector<double> cov = ZeroMeanCovariance(rows);
  const size_t k = rows[0].size();
  auto theory = [&](size_t x, size_t y) {
    const double a = times[x / 2], b = times[y / 2];
    const bool xw = x % 2 == 0, yw = y % 2 == 0;
    if (!HasSpaceTime(kind) && (!xw || !yw)) return 0.0;
    const double lo = std::min(a, b);
    if (xw && yw) return lo;
    if (!xw && !yw) return lo * lo * lo / 12.0;
    const double w_time = xw ? a : b, h_time = xw ? b : a;  // Cov(W_w_time, Hb_h_time)
    return w_time <= h_time ? w_time * (h_time - w_time) / 2.0 : 0.0;
  };
  for (size_t x = 0; x < k; ++x) {
    for (size_t y = x; y < k; ++y) {
      const double c = theory(x, y);
      const double se = CovarianceStandardError(theory(x, x), theory(y, y), c, n);
      EXPECT_NEAR(cov[x * k + y], c, 5.0 * se + 1e-300) << "entry (" << x << ", " << y << ")";
    }
  }
}

TEST_P(JointLawTest, DistinctPathsAndSeedsAreUncorrelated) {
  const LevyArea kind = GetParam();
  const BrownianPath a = *BrownianPath::Create(testing::SpecOf(kind, 5, 1, 0.0, 1.0, 0.0));
  const BrownianPath b = *BrownianPath::Create(testing::SpecOf(kind, 6, 1, 0.0, 1.0, 0.0));
  BrownianCursor ca(a), cb(b);
  const size_t n = 20000;
  double next_path = 0, other_seed = 0;
  for (size_t i = 0; i < n; ++i) {
    const BrownianPath p0 = a.WithPathIndex(i), p1 = a.WithPathIndex(i + 1),
                       q0 = b.WithPathIndex(i);
    ca.Reset(p0);
    const double w0 = testing::IncrementOf(ca, 0.3, 0.7).w[0];
    ca.Reset(p1);
    const double w1 = testing::IncrementOf(ca, 0.3, 0.7).w[0];
    cb.Reset(q0);
    const double v0 = testing::IncrementOf(cb, 0.3, 0.7).w[0];
    next_path += w0 * w1 / 0.4;
    other_seed += w0 * v0 / 0.4;
  }
  EXPECT_NEAR(next_path / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(other_seed / n, 0.0, 5.0 / std::sqrt(n));
}

TEST_P(JointLawTest, ChensRelationsHoldToRounding) {
  // For s < m < u, with barred Hb = h H and Kb = h^2 K in path time units and
  // p = m - s, q = u - s, B = q W_{s,m} - p W_{s,u} (docs/design/brownian_tree.md §4):
  //   W_{s,u} = W_{s,m} + W_{m,u}
  //   Hb_{s,u} = Hb_{s,m} + Hb_{m,u} + B/2
  //   Kb_{s,u} = Kb_{s,m} + Kb_{m,u} + ((u-m)/2) Hb_{s,m} - (p/2) Hb_{m,u} + ((q - 2p)/12) B
  // Checked on a fine tree and on a coarse one (times often share a leaf).
  const LevyArea kind = GetParam();
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (double tol : {std::ldexp(2.5, -18), 2.5 / 8}) {
    const BrownianPath path = *BrownianPath::Create(testing::SpecOf(kind, 11, 3, kT0, kT1, tol));
    BrownianCursor cursor(path);
    for (int trial = 0; trial < 2000; ++trial) {
      double t[3] = {kT0 + 2.5 * uniform(rng), kT0 + 2.5 * uniform(rng), kT0 + 2.5 * uniform(rng)};
      std::sort(t, t + 3);
      const double s = t[0], m = t[1], u = t[2], p = m - s, q = u - s;
      if (p <= 0 || u - m <= 0) continue;
      const testing::Triple sm = testing::IncrementOf(cursor, s, m);
      const testing::Triple mu = testing::IncrementOf(cursor, m, u);
      const testing::Triple su = testing::IncrementOf(cursor, s, u);
      for (size_t j = 0; j < 3; ++j) {
        const double tolerance = 1e-12;
        EXPECT_NEAR(su.w[j], sm.w[j] + mu.w[j], tolerance);
        if (!HasSpaceTime(kind)) continue;
        const double bridge = q * sm.w[j] - p * su.w[j];
        const double hb_sm = p * sm.h[j], hb_mu = (u - m) * mu.h[j], hb_su = q * su.h[j];
        EXPECT_NEAR(hb_su, hb_sm + hb_mu + 0.5 * bridge, tolerance);
        if (!HasSpaceTimeTime(kind)) continue;
        const double kb_sm = p * p * sm.k[j], kb_mu = (u - m) * (u - m) * mu.k[j],
                     kb_su = q * q * su.k[j];
        EXPECT_NEAR(
            kb_su,
            kb_sm + kb_mu + 0.5 * (u - m) * hb_sm - 0.5 * p * hb_mu + (q - 2.0 * p) / 12.0 * bridge,
            tolerance);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllKinds, JointLawTest, ::testing::ValuesIn(testing::kAllKinds),
                         testing::KindTestName);

}  // namespace
}  // namespace pathwise::brownian
