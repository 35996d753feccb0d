// Where every random number of a Brownian path comes from
// (docs/design/brownian_tree.md §10; § numbers below refer to that page).
//
// A path's randomness is addressed directly, never through a chain of key
// splits, so any node can be generated without visiting its ancestors' keys.
//
// 1. Path key (64 bits). One Philox4x32-10 block under the user's seed:
//      key   = (seed & 0xffffffff, seed >> 32)
//      ctr   = (path_index & 0xffffffff, path_index >> 32, 0, kPathKeyDomain)
//      path key = (block[0], block[1])
//    Philox is a bijection on the counter, so distinct path indices give
//    distinct 128-bit blocks; two paths share a 64-bit key with probability 2^-64.
//
// 2. Node draws. Tree nodes are numbered as in a binary heap: the node at
//    level l (length 2^-l of the normalised path) and position i is
//    2^l + i (l <= 52, so ids fit in 53 bits); id 0 holds the root's own values.
//    Each (node, purpose, component, block) gives one Philox block = two normals:
//      ctr[0] = node id bits  0..31
//      ctr[1] = node id bits 32..63
//      ctr[2] = component j (0 .. dim-1)
//      ctr[3] = kTreeDomain << 24 | levy_kind << 16 | purpose << 8 | block
//    purpose: kRoot (node 0: W_1, H_1, K_1), kSplit (the midpoint draws of §5),
//    kLeaf (the interpolation draws of §7 at a query inside the leaf).
//    Draw k of a node uses block k / 2, first normal for even k, second for odd.
//    The Lévy kind is part of the address: W-only, space-time and
//    space-time-time trees from one seed are different (independent) paths.
#ifndef PATHWISE_CORE_BROWNIAN_COUNTER_LAYOUT_H_
#define PATHWISE_CORE_BROWNIAN_COUNTER_LAYOUT_H_

#include <cstdint>

#include "core/brownian/levy_area.h"
#include "core/random/philox.h"

namespace pathwise::brownian {

inline constexpr uint32_t kPathKeyDomain = 0x50574b59u;  // "PWKY"
inline constexpr uint32_t kTreeDomain = 0x01u;

enum class DrawPurpose : uint32_t { kSplit = 0, kLeaf = 1, kRoot = 2 };

inline random::PhiloxKey PathKey(uint64_t seed, uint64_t path_index) {
  const random::PhiloxBlock block =
      random::Philox4x32_10({static_cast<uint32_t>(path_index),
                             static_cast<uint32_t>(path_index >> 32), 0u, kPathKeyDomain},
                            {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)});
  return {block[0], block[1]};
}

inline constexpr uint64_t NodeId(int level, uint64_t position) {
  return (uint64_t{1} << level) | position;
}

inline constexpr uint32_t PurposeWord(LevyArea kind, DrawPurpose purpose, int block) {
  return (kTreeDomain << 24) | (static_cast<uint32_t>(kind) << 16) |
         (static_cast<uint32_t>(purpose) << 8) | static_cast<uint32_t>(block);
}

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_COUNTER_LAYOUT_H_
