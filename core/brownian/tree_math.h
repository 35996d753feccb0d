// The formulas of the single-seed Brownian tree (BROWNIAN_MATH.md §4, §5, §7),
// on values of the normalised path (time in [0, 1]), component-wise over d
// components. Barred quantities are stored: Hb = h H, Kb = h^2 K.
//
// Each function loops over components with no branches inside the loop, so it
// vectorises; the formulas are written once, here, and used by every query path.
#ifndef PATHWISE_CORE_BROWNIAN_TREE_MATH_H_
#define PATHWISE_CORE_BROWNIAN_TREE_MATH_H_

#include <cstddef>

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

// §5: splits a node of length `length` at its midpoint into left and right children.
void SplitNode(LevyArea kind, double length, ConstSegment parent, const Draws& draws, size_t d,
               Segment left, Segment right);

// §7: the increment over [s, r] inside a leaf [s, u] (sr = r - s, ru = u - r, both > 0).
void InterpolateLeaf(LevyArea kind, ConstSegment leaf, double sr, double ru, const Draws& draws,
                     size_t d, Segment out);

// §4 forward: acc holds [a, a + p]; appends seg = [a + p, a + p + h] in place.
void AppendSegment(LevyArea kind, Segment acc, double p, ConstSegment seg, double h, size_t d);

// §4 backward: from the values of [a, a + sp] and [a, a + tp] (sp <= tp), the
// increment over [a + sp, a + tp].
void DifferenceOfPoints(LevyArea kind, ConstSegment to_s, double sp, ConstSegment to_t, double tp,
                        size_t d, Segment out);

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_TREE_MATH_H_
