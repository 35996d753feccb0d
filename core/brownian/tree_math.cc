#include "core/brownian/tree_math.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <array>
#include <cmath>

#include "core/brownian/path_spec.h"

namespace pathwise::brownian {

namespace {

LevelConstants MakeLevelConstants(int level) {
  LevelConstants c;
  const double h = PowerOfTwo(-level);
  c.length = h;
  c.sd_y = std::sqrt(h / 4.0);
  c.sd_z = std::sqrt(h / 16.0);
  c.sd_n = std::sqrt(h / 12.0);
  c.sd_x1 = std::sqrt(h / 768.0);
  c.sd_x2 = std::sqrt(h / 2880.0);
  c.w_from_h = 3.0 / (2.0 * h);
  c.h_from_k = 15.0 / (8.0 * h);
  c.quarter = h / 4.0;
  c.half = h / 2.0;
  c.eighth_sq = h * h / 8.0;
  c.quarter_sq = h * h / 4.0;
  return c;
}

}  // namespace

const LevelConstants* LevelConstantsTable() {
  static const std::array<LevelConstants, kMaxDepth + 1> table = [] {
    std::array<LevelConstants, kMaxDepth + 1> levels;
    for (int l = 0; l <= kMaxDepth; ++l) levels[size_t(l)] = MakeLevelConstants(l);
    return levels;
  }();
  return table.data();
}

void RootFromDraws(LevyArea kind, const Draws& draws, size_t d, Segment root) {
  // W_1 ~ N(0, 1), Hb_{0,1} ~ N(0, 1/12), Kb_{0,1} ~ N(0, 1/720).
  const double sd_h = std::sqrt(1.0 / 12.0);
  const double sd_k = std::sqrt(1.0 / 720.0);
  for (size_t j = 0; j < d; ++j) root.w[j] = draws.draw[0][j];
  if (HasSpaceTime(kind)) {
    for (size_t j = 0; j < d; ++j) root.hb[j] = sd_h * draws.draw[1][j];
  }
  if (HasSpaceTimeTime(kind)) {
    for (size_t j = 0; j < d; ++j) root.kb[j] = sd_k * draws.draw[2][j];
  }
}

namespace {

void WeightsW(double sr, double ru, LeafWeights& c) {
  // W_{s,r} = (sr/su) W_{s,u} + sqrt(sr ru / su) xi.
  const double su = sr + ru;
  c.w_from_w = sr / su;
  c.noise[0][0] = std::sqrt(sr * ru / su);
}

void ApplyW(const LeafWeights& c, ConstSegment leaf, const Draws& draws, size_t d, Segment out) {
  for (size_t j = 0; j < d; ++j)
    out.w[j] = c.w_from_w * leaf.w[j] + c.noise[0][0] * draws.draw[0][j];
}

void WeightsSpaceTime(double sr, double ru, LeafWeights& c) {
  // Foster, thesis Thm 6.1.4 (docs/design/brownian_tree.md §7).
  const double su = sr + ru;
  const double sr3 = sr * sr * sr;
  const double ru3 = ru * ru * ru;
  const double root = std::sqrt(sr3 + ru3);
  const double geo = std::sqrt(sr * ru);
  const double a = sr3 * geo / (2.0 * su * root);
  const double b = ru3 * geo / (2.0 * su * root);
  const double su3 = su * su * su;
  c.w_from_w = sr / su;
  c.w_from_h = 6.0 * sr * ru / su3;
  c.noise[0][0] = 2.0 * (a + b) / su;
  c.h_from_h = sr3 / su3;
  // Hb = h_from_h Hb - a xi1 + c xi2; adding (-a) xi1 is exactly subtracting a xi1.
  c.noise[1][0] = -a;
  c.noise[1][1] = std::sqrt(3.0 * sr3 * ru3) / (6.0 * root);
}

void ApplySpaceTime(const LeafWeights& c, ConstSegment leaf, const Draws& draws, size_t d,
                    Segment out) {
  for (size_t j = 0; j < d; ++j) {
    const double xi1 = draws.draw[0][j];
    const double xi2 = draws.draw[1][j];
    out.w[j] = c.w_from_w * leaf.w[j] + c.w_from_h * leaf.hb[j] + c.noise[0][0] * xi1;
    out.hb[j] = c.h_from_h * leaf.hb[j] + c.noise[1][0] * xi1 + c.noise[1][1] * xi2;
  }
}

// A square root of the conditional covariance of (W, H, K) in §7 (paper Thm 3.7),
// by a pivoted LDL^T that stays stable when the matrix is nearly singular
// (r near s or u); negative pivots from rounding are clamped to 0.
Eigen::Matrix3d SpaceTimeTimeCovarianceRoot(double sr, double ru) {
  const double su = sr + ru;
  const double p = sr / su, q = ru / su;
  const double p3 = p * p * p, p4 = p3 * p, p5 = p4 * p;
  const double diff = sr - ru;
  Eigen::Matrix3d cov;
  cov(0, 0) = p * q * (diff * diff * diff * diff + 4.0 * sr * sr * ru * ru) / (su * su * su);
  cov(0, 1) = -p3 * q * (sr * sr - 3.0 * sr * ru + 6.0 * ru * ru) / (2.0 * su);
  cov(0, 2) = p4 * q * diff / 12.0;
  cov(1, 1) = (sr / 12.0) * (1.0 - p3 * (sr * sr + 2.0 * sr * ru + 16.0 * ru * ru) / (su * su));
  cov(1, 2) = -(ru / 24.0) * p5;
  cov(2, 2) = (sr / 720.0) * (1.0 - p5);
  cov(1, 0) = cov(0, 1);
  cov(2, 0) = cov(0, 2);
  cov(2, 1) = cov(1, 2);
  const Eigen::LDLT<Eigen::Matrix3d> ldlt(cov);
  const Eigen::Vector3d pivots = ldlt.vectorD().cwiseMax(0.0).cwiseSqrt();
  Eigen::Matrix3d lower = ldlt.matrixL();
  lower = lower * pivots.asDiagonal();
  // cov = P^T L D L^T P, so P^T L sqrt(D) is a square root.
  return ldlt.transpositionsP().transpose() * lower;
}

void WeightsSpaceTimeTime(double sr, double ru, LeafWeights& c) {
  const double su = sr + ru;
  const double su2 = su * su, su3 = su2 * su, su4 = su3 * su, su5 = su4 * su;
  // Conditional means of normalised (W, H, K) on [s, r] (docs/design/brownian_tree.md §7).
  c.w_from_w = sr / su;
  c.w_from_h = 6.0 * sr * ru / su3;
  c.w_from_k = 120.0 * sr * ru * (0.5 - sr / su) / su4;
  c.h_from_h = sr * sr / su3;
  c.h_from_k = c.h_from_h * 30.0 * ru / su2;
  c.k_from_k = sr * sr * sr / su5;
  const Eigen::Matrix3d m = SpaceTimeTimeCovarianceRoot(sr, ru);
  for (int i = 0; i < 3; ++i) {
    for (int k = 0; k < 3; ++k) c.noise[i][k] = m(i, k);
  }
  c.h_scale = sr;
  c.k_scale = sr * sr;
}

void ApplySpaceTimeTime(const LeafWeights& c, ConstSegment leaf, const Draws& draws, size_t d,
                        Segment out) {
  const double(&m)[3][3] = c.noise;
  for (size_t j = 0; j < d; ++j) {
    const double x0 = draws.draw[0][j], x1 = draws.draw[1][j], x2 = draws.draw[2][j];
    const double w = c.w_from_w * leaf.w[j] + c.w_from_h * leaf.hb[j] + c.w_from_k * leaf.kb[j] +
                     (m[0][0] * x0 + m[0][1] * x1 + m[0][2] * x2);
    const double h = c.h_from_h * leaf.hb[j] + c.h_from_k * leaf.kb[j] +
                     (m[1][0] * x0 + m[1][1] * x1 + m[1][2] * x2);
    const double k = c.k_from_k * leaf.kb[j] + (m[2][0] * x0 + m[2][1] * x1 + m[2][2] * x2);
    out.w[j] = w;
    out.hb[j] = c.h_scale * h;
    out.kb[j] = c.k_scale * k;
  }
}

}  // namespace

void ComputeLeafWeights(LevyArea kind, double sr, double ru, LeafWeights& weights) {
  switch (kind) {
    case LevyArea::kNone:
      return WeightsW(sr, ru, weights);
    case LevyArea::kSpaceTime:
      return WeightsSpaceTime(sr, ru, weights);
    case LevyArea::kSpaceTimeTime:
      return WeightsSpaceTimeTime(sr, ru, weights);
  }
}

void ApplyLeafWeights(LevyArea kind, const LeafWeights& weights, ConstSegment leaf,
                      const Draws& draws, size_t d, Segment out) {
  switch (kind) {
    case LevyArea::kNone:
      return ApplyW(weights, leaf, draws, d, out);
    case LevyArea::kSpaceTime:
      return ApplySpaceTime(weights, leaf, draws, d, out);
    case LevyArea::kSpaceTimeTime:
      return ApplySpaceTimeTime(weights, leaf, draws, d, out);
  }
}

void InterpolateLeaf(LevyArea kind, ConstSegment leaf, double sr, double ru, const Draws& draws,
                     size_t d, Segment out) {
  LeafWeights weights;
  ComputeLeafWeights(kind, sr, ru, weights);
  ApplyLeafWeights(kind, weights, leaf, draws, d, out);
}

}  // namespace pathwise::brownian
