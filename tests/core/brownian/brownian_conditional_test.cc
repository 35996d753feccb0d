// docs/design/brownian_tree.md §9, conditional law: given the leaf's values, the value at a
// time r inside the leaf has the mean and covariance of §7.
//
// With tol = t1 - t0 the whole path is one leaf [0, 1]. For each of many paths
// we read the leaf (the increment over [t0, t1]) and the value over [t0, r],
// subtract the conditional mean of §7, and check that the residual (1) is
// uncorrelated with every leaf value and (2) has the covariance of §7. Both
// within 5 standard errors (about 40 checks: false-positive rate < 1e-4).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/core/brownian/brownian_test_util.h"
#include "tests/util/statistics.h"

namespace pathwise::brownian {
namespace {

using pathwise::testing::CovarianceStandardError;
using pathwise::testing::ZeroMeanCovariance;

struct ConditionalLaw {
  // Rows: barred W, Hb, Kb over [0, r]; columns: W, Hb, Kb over the leaf [0, 1].
  double mean[3][3] = {};
  double cov[3][3] = {};
};

// §7 with s = 0, u = 1, sr = r, ru = 1 - r, su = 1, in barred quantities.
ConditionalLaw LawOf(LevyArea kind, double r) {
  ConditionalLaw law;
  const double sr = r, ru = 1.0 - r;
  if (kind == LevyArea::kNone) {
    law.mean[0][0] = sr;
    law.cov[0][0] = sr * ru;
    return law;
  }
  if (kind == LevyArea::kSpaceTime) {
    const double d = std::sqrt(sr * sr * sr + ru * ru * ru);
    const double a = sr * sr * sr * std::sqrt(sr * ru) / (2 * d);
    const double b = ru * ru * ru * std::sqrt(sr * ru) / (2 * d);
    const double c = std::sqrt(3 * sr * sr * sr * ru * ru * ru) / (6 * d);
    law.mean[0][0] = sr;
    law.mean[0][1] = 6 * sr * ru;
    law.mean[1][1] = sr * sr * sr;
    law.cov[0][0] = 4 * (a + b) * (a + b);
    law.cov[0][1] = law.cov[1][0] = -2 * (a + b) * a;
    law.cov[1][1] = a * a + c * c;
    return law;
  }
  // Space-time-time (paper Thm 3.7), normalised H, K scaled to Hb = sr H, Kb = sr^2 K.
  const double p = sr, q = ru;
  const double scale[3] = {1.0, sr, sr * sr};
  const double m[3][3] = {{sr, 6 * sr * ru, 120 * sr * ru * (0.5 - sr)},
                          {0.0, sr * sr, sr * sr * 30 * ru},
                          {0.0, 0.0, sr * sr * sr}};
  const double diff = sr - ru;
  const double c[3][3] = {
      {p * q * (std::pow(diff, 4) + 4 * sr * sr * ru * ru),
       -std::pow(p, 3) * q * (sr * sr - 3 * sr * ru + 6 * ru * ru) / 2,
       std::pow(p, 4) * q * diff / 12},
      {0.0, (sr / 12) * (1 - std::pow(p, 3) * (sr * sr + 2 * sr * ru + 16 * ru * ru)),
       -(ru / 24) * std::pow(p, 5)},
      {0.0, 0.0, (sr / 720) * (1 - std::pow(p, 5))}};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      law.mean[i][j] = scale[i] * m[i][j];
      const double cij = i <= j ? c[i][j] : c[j][i];
      law.cov[i][j] = scale[i] * scale[j] * cij;
    }
  }
  return law;
}

void CheckConditionalLaw(LevyArea kind, double r) {
  const int n_values = DrawsPerNode(kind);
  const BrownianPath base = *BrownianPath::Create(testing::SpecOf(kind, 31337, 1, 0.0, 1.0, 1.0));
  const ConditionalLaw law = LawOf(kind, r);
  BrownianCursor cursor(base);
  const size_t n = 40000;
  std::vector<std::vector<double>> rows;  // residuals, then the leaf values
  for (size_t i = 0; i < n; ++i) {
    const BrownianPath path = base.WithPathIndex(i);
    cursor.Reset(path);
    const testing::Triple leaf = testing::IncrementOf(cursor, 0.0, 1.0);
    const testing::Triple part = testing::IncrementOf(cursor, 0.0, r);
    const double leaf_values[3] = {leaf.w[0], leaf.h[0], leaf.k[0]};
    const double part_values[3] = {part.w[0], r * part.h[0], r * r * part.k[0]};
    std::vector<double> row(2 * size_t(n_values));
    for (int a = 0; a < n_values; ++a) {
      double mean = 0.0;
      for (int b = 0; b < n_values; ++b) mean += law.mean[a][b] * leaf_values[b];
      row[size_t(a)] = part_values[a] - mean;
      row[size_t(n_values + a)] = leaf_values[a];
    }
    rows.push_back(row);
  }
  const std::vector<double> cov = ZeroMeanCovariance(rows);
  const size_t k = rows[0].size();
  const double leaf_var[3] = {1.0, 1.0 / 12, 1.0 / 720};
  for (int a = 0; a < n_values; ++a) {
    for (int b = 0; b < n_values; ++b) {
      // Residual against leaf value: 0.
      const double se_cross = CovarianceStandardError(law.cov[a][a], leaf_var[b], 0.0, n);
      EXPECT_NEAR(cov[size_t(a) * k + size_t(n_values + b)], 0.0, 5 * se_cross)
          << "residual " << a << " vs leaf " << b;
      if (b < a) continue;
      // Residual covariance: §7.
      const double se = CovarianceStandardError(law.cov[a][a], law.cov[b][b], law.cov[a][b], n);
      EXPECT_NEAR(cov[size_t(a) * k + size_t(b)], law.cov[a][b], 5 * se)
          << "residual covariance " << a << ", " << b;
    }
  }
}

class ConditionalLawTest : public ::testing::TestWithParam<LevyArea> {};

TEST_P(ConditionalLawTest, ValueInsideALeafHasTheLawOfSection7) {
  const LevyArea kind = GetParam();
  // Non-dyadic times inside the single leaf [0, 1]; K's couplings are strong
  // only towards the right end, so one time on each side.
  for (double r : {0.3, 0.7}) {
    SCOPED_TRACE(r);
    CheckConditionalLaw(kind, r);
  }
}

INSTANTIATE_TEST_SUITE_P(AllKinds, ConditionalLawTest, ::testing::ValuesIn(testing::kAllKinds),
                         testing::KindTestName);

}  // namespace
}  // namespace pathwise::brownian
