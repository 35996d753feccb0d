// Where a normalised time lies among the leaves of a tree of depth D
// (docs/design/brownian_tree.md §6): the arithmetic every reader of the tree
// must share, so that they pick the same leaves and positions bit for bit.
#ifndef PATHWISE_CORE_BROWNIAN_LEAF_POSITION_H_
#define PATHWISE_CORE_BROWNIAN_LEAF_POSITION_H_

#include <cstdint>

#include "core/brownian/tree_math.h"

namespace pathwise::brownian {

// The leaf (i 2^-D, (i + 1) 2^-D] containing tau, [0, 2^-D] for tau = 0: the
// same leaf as descending right exactly when tau is past a midpoint (§6).
// Integer truncation instead of ceil(), which is a libm call on baseline x86-64.
inline uint64_t LeafIndexOf(double tau, int depth) {
  const double scaled = tau * PowerOfTwo(depth);  // exact, in [0, 2^D]
  const auto whole = static_cast<uint64_t>(scaled);
  const bool on_boundary = static_cast<double>(whole) == scaled;
  return on_boundary && whole > 0 ? whole - 1 : whole;
}

// Where tau lies in the leaf [l, u].
struct LeafPosition {
  double sr;      // tau - l
  double ru;      // u - tau
  double length;  // u - l
};

inline LeafPosition PositionInLeafOf(double tau, uint64_t leaf, int depth) {
  const double length = PowerOfTwo(-depth);
  const double start = static_cast<double>(leaf) * length;  // exact
  return {tau - start, (start + length) - tau, length};
}

inline bool StrictlyInsideLeafOf(double tau, uint64_t leaf, int depth) {
  const LeafPosition at = PositionInLeafOf(tau, leaf, depth);
  return at.sr > 0.0 && at.ru > 0.0;
}

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_LEAF_POSITION_H_
