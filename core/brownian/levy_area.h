// The kinds of Lévy area a Brownian path carries (docs/design/brownian_tree.md §1).
#ifndef PATHWISE_CORE_BROWNIAN_LEVY_AREA_H_
#define PATHWISE_CORE_BROWNIAN_LEVY_AREA_H_

#include <string_view>

namespace pathwise::brownian {

enum class LevyArea {
  kNone = 0,           // W only
  kSpaceTime = 1,      // W and H
  kSpaceTimeTime = 2,  // W, H and K
};

// Normal variates a tree node (or a leaf query) draws per component:
// W only 1, space-time 2 (Z, N), space-time-time 3 (Z, X1, X2).
constexpr int DrawsPerNode(LevyArea kind) { return static_cast<int>(kind) + 1; }

// Philox blocks per node and component: each block yields two normals.
constexpr int BlocksPerNode(LevyArea kind) { return (DrawsPerNode(kind) + 1) / 2; }

constexpr bool HasSpaceTime(LevyArea kind) { return kind != LevyArea::kNone; }
constexpr bool HasSpaceTimeTime(LevyArea kind) { return kind == LevyArea::kSpaceTimeTime; }

std::string_view LevyAreaName(LevyArea kind);  // "none", "space-time", "space-time-time"

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_LEVY_AREA_H_
