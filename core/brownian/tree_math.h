// The formulas of the single-seed Brownian tree (docs/design/brownian_tree.md §4, §5, §7),
// on values of the normalised path (time in [0, 1]), component-wise over d
// components. Barred quantities are stored: Hb = h H, Kb = h^2 K.
//
// Each function loops over components with no branches inside the loop, so it
// vectorises; the formulas are written once, here, and used by every query path.
#ifndef PATHWISE_CORE_BROWNIAN_TREE_MATH_H_
#define PATHWISE_CORE_BROWNIAN_TREE_MATH_H_

#include <bit>
#include <cstddef>
#include <cstdint>

#include "core/brownian/levy_area.h"

namespace pathwise::brownian {

// Views of d components of (W, Hb, Kb); hb / kb are unused (may be null) when
// the Lévy kind does not carry them.
struct Segment {
  double* w;
  double* hb;
  double* kb;
};
struct ConstSegment {
  const double* w;
  const double* hb;
  const double* kb;
  ConstSegment(const double* w_, const double* hb_, const double* kb_) : w(w_), hb(hb_), kb(kb_) {}
  ConstSegment(const Segment& s) : w(s.w), hb(s.hb), kb(s.kb) {}  // NOLINT: views convert
};

// Standard normal draws for d components: draw k at draws[k][j].
struct Draws {
  const double* draw[3];
};

// §3: the root increment over [0, 1] from its draws.
void RootFromDraws(LevyArea kind, const Draws& draws, size_t d, Segment root);

// Constants of one tree level (node length 2^-level), computed once per level
// so that a descent does no square roots; the values are those the formulas of
// §5 would compute inline, so precomputing them changes no bit.
struct LevelConstants {
  double length;
  double sd_y;        // W only: sqrt(h/4)
  double sd_z;        // sqrt(h/16)
  double sd_n;        // sqrt(h/12)
  double sd_x1;       // sqrt(h/768)
  double sd_x2;       // sqrt(h/2880)
  double w_from_h;    // 3/(2h)
  double h_from_k;    // 15/(8h)
  double quarter;     // h/4
  double half;        // h/2
  double eighth_sq;   // h^2/8
  double quarter_sq;  // h^2/4
};

// Exact 2^e for e in [-1022, 1023], without a libm call.
inline double PowerOfTwo(int e) {
  return std::bit_cast<double>(static_cast<uint64_t>(1023 + e) << 52);
}

// The constants of levels 0 .. kMaxDepth, indexed by level (a table built once).
const LevelConstants* LevelConstantsTable();

// One component of a node: W, Hb, Kb (the ones the kind lacks stay 0).
struct NodeValues {
  double w = 0.0, hb = 0.0, kb = 0.0;
};
struct Children {
  NodeValues left, right;
};

// §5 on one component's values: the children of `parent` at its midpoint from
// the split's draws (d0, d1, d2; those the kind does not use are ignored).
template <LevyArea kKind>
inline Children SplitValues(const LevelConstants& c, const NodeValues& parent, double d0, double d1,
                            double d2) {
  Children out;
  if constexpr (kKind == LevyArea::kNone) {
    // W_{s,t} = W/2 + Y, W_{t,u} = W/2 - Y, Y ~ N(0, h/4).
    const double half = 0.5 * parent.w;
    const double y = c.sd_y * d0;
    out.left.w = half + y;
    out.right.w = half - y;
  } else if constexpr (kKind == LevyArea::kSpaceTime) {
    // Z ~ N(0, h/16), N ~ N(0, h/12).
    const double z = c.sd_z * d0;
    const double n = c.sd_n * d1;
    const double w_mean = 0.5 * parent.w + c.w_from_h * parent.hb;
    out.left.w = w_mean + z;
    out.right.w = parent.w - out.left.w;
    const double h_common = parent.hb / 8.0 - c.quarter * z;
    out.left.hb = h_common + c.quarter * n;
    out.right.hb = h_common - c.quarter * n;
  } else {
    // Z ~ N(0, h/16), X1 ~ N(0, h/768), X2 ~ N(0, h/2880).
    const double z = c.sd_z * d0;
    const double x1 = c.sd_x1 * d1;
    const double x2 = c.sd_x2 * d2;
    const double w_mean = 0.5 * parent.w + c.w_from_h * parent.hb;
    out.left.w = w_mean + z;
    out.right.w = parent.w - out.left.w;
    const double h_common = parent.hb / 8.0 - c.quarter * z;
    const double h_odd = c.h_from_k * parent.kb + c.half * x1;
    out.left.hb = h_common + h_odd;
    out.right.hb = h_common - h_odd;
    const double k_common = parent.kb / 32.0 - c.eighth_sq * x1;
    out.left.kb = k_common + c.quarter_sq * x2;
    out.right.kb = k_common - c.quarter_sq * x2;
  }
  return out;
}

// Component j of a segment, reading only what the kind carries.
template <LevyArea kKind>
inline NodeValues ValuesAt(ConstSegment segment, size_t j) {
  NodeValues v;
  v.w = segment.w[j];
  if constexpr (HasSpaceTime(kKind)) v.hb = segment.hb[j];
  if constexpr (HasSpaceTimeTime(kKind)) v.kb = segment.kb[j];
  return v;
}

template <LevyArea kKind>
inline void StoreValues(const NodeValues& v, Segment segment, size_t j) {
  segment.w[j] = v.w;
  if constexpr (HasSpaceTime(kKind)) segment.hb[j] = v.hb;
  if constexpr (HasSpaceTimeTime(kKind)) segment.kb[j] = v.kb;
}

namespace tree_math_internal {

template <LevyArea kKind>
inline void Split(const LevelConstants& c, ConstSegment parent, const Draws& draws, size_t d,
                  Segment left, Segment right) {
  for (size_t j = 0; j < d; ++j) {
    const double d1 = DrawsPerNode(kKind) > 1 ? draws.draw[1][j] : 0.0;
    const double d2 = DrawsPerNode(kKind) > 2 ? draws.draw[2][j] : 0.0;
    const Children children =
        SplitValues<kKind>(c, ValuesAt<kKind>(parent, j), draws.draw[0][j], d1, d2);
    StoreValues<kKind>(children.left, left, j);
    StoreValues<kKind>(children.right, right, j);
  }
}

}  // namespace tree_math_internal

// §5: splits a node at its midpoint into left and right children; `c` holds
// the constants of the node's level.
inline void SplitNode(LevyArea kind, const LevelConstants& c, ConstSegment parent,
                      const Draws& draws, size_t d, Segment left, Segment right) {
  using namespace tree_math_internal;
  switch (kind) {
    case LevyArea::kNone:
      return Split<LevyArea::kNone>(c, parent, draws, d, left, right);
    case LevyArea::kSpaceTime:
      return Split<LevyArea::kSpaceTime>(c, parent, draws, d, left, right);
    case LevyArea::kSpaceTimeTime:
      return Split<LevyArea::kSpaceTimeTime>(c, parent, draws, d, left, right);
  }
}

// §7: the increment over [s, r] inside a leaf [s, u] (sr = r - s, ru = u - r, both > 0).
// Equal to ApplyLeafWeights with the weights of ComputeLeafWeights(kind, sr, ru).
void InterpolateLeaf(LevyArea kind, ConstSegment leaf, double sr, double ru, const Draws& draws,
                     size_t d, Segment out);

// §7 in two parts. The weights of the interpolation depend only on where r lies
// in its leaf (sr, ru); they are most of its cost (square roots, divisions and,
// with K, a 3x3 factorisation), while applying them is a few products per
// component. Paths that query the same times (an ensemble stepping on one grid)
// can compute the weights once and apply them to each path (leaf_weights_cache.h);
// the values are those InterpolateLeaf computes inline, so this changes no bit.
struct LeafWeights {
  // Conditional means: E[W] = w_from_w W + w_from_h Hb + w_from_k Kb of the
  // leaf; E[H] = h_from_h Hb + h_from_k Kb; E[K] = k_from_k Kb (for W only and
  // space-time the H and K rows give barred values directly; with K they are
  // normalised by sr and sr^2, undone by h_scale and k_scale).
  double w_from_w = 0.0, w_from_h = 0.0, w_from_k = 0.0;
  double h_from_h = 0.0, h_from_k = 0.0, k_from_k = 0.0;
  // The noise: row i (W, H, K) is sum_k noise[i][k] draw k.
  double noise[3][3] = {};
  double h_scale = 0.0, k_scale = 0.0;
};
void ComputeLeafWeights(LevyArea kind, double sr, double ru, LeafWeights& weights);
void ApplyLeafWeights(LevyArea kind, const LeafWeights& weights, ConstSegment leaf,
                      const Draws& draws, size_t d, Segment out);

// §4 forward: acc holds [a, a + p]; appends seg = [a + p, a + p + h] in place.
// §4 backward (DifferenceOfPoints): from the values of [a, a + sp] and
// [a, a + tp] (sp <= tp), the increment over [a + sp, a + tp].
inline void AppendSegment(LevyArea kind, Segment acc, double p, ConstSegment seg, double h,
                          size_t d) {
  // With s = p, u = p + h relative to a, and B = u W_s - s W_u:
  //   Hb_u = Hb_s + Hb_{s,u} + B/2
  //   Kb_u = Kb_s + Kb_{s,u} + (h/2) Hb_s - (s/2) Hb_{s,u} + ((u - 2s)/12) B.
  const double u = p + h;
  const double k_from_b = (h - p) / 12.0;
  for (size_t j = 0; j < d; ++j) {
    const double w_s = acc.w[j];
    const double w_u = w_s + seg.w[j];
    acc.w[j] = w_u;
    if (!HasSpaceTime(kind)) continue;
    const double bridge = u * w_s - p * w_u;
    const double h_s = acc.hb[j];
    acc.hb[j] = h_s + seg.hb[j] + 0.5 * bridge;
    if (!HasSpaceTimeTime(kind)) continue;
    acc.kb[j] = acc.kb[j] + seg.kb[j] + (0.5 * h) * h_s - (0.5 * p) * seg.hb[j] + k_from_b * bridge;
  }
}

inline void DifferenceOfPoints(LevyArea kind, ConstSegment to_s, double sp, ConstSegment to_t,
                               double tp, size_t d, Segment out) {
  // docs/design/brownian_tree.md §4 with s = sp, u = tp, h = tp - sp, B = u W_s - s W_u.
  const double h = tp - sp;
  const double k_from_b = (tp - 2.0 * sp) / 12.0;
  for (size_t j = 0; j < d; ++j) {
    out.w[j] = to_t.w[j] - to_s.w[j];
    if (!HasSpaceTime(kind)) continue;
    const double bridge = tp * to_s.w[j] - sp * to_t.w[j];
    const double h_su = to_t.hb[j] - to_s.hb[j] - 0.5 * bridge;
    out.hb[j] = h_su;
    if (!HasSpaceTimeTime(kind)) continue;
    out.kb[j] =
        to_t.kb[j] - to_s.kb[j] - (0.5 * h) * to_s.hb[j] + (0.5 * sp) * h_su - k_from_b * bridge;
  }
}

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_TREE_MATH_H_
