// The interpolation draws (§7) of a few leaves, drawn ahead in one batch.
//
// A solver whose steps end inside leaves (a step length that is not a
// multiple of the leaf length) needs one leaf's draws per step. Drawn alone,
// one leaf's few normals run through the generator's scalar code (or, for a
// lane of paths, a vector pass mostly empty); a constant-step solver's next
// leaves are known in advance, so the cursor names them (StepLeavesAhead) and
// they are drawn together in vector code. Draws are pure functions of the
// leaf's id, so where they came from changes no bit.
//
// One path's cursor draws them in a DrawBatch under its key (PrefetchedLeaves),
// a lane of paths in a LaneDrawBatch under the lane's keys (LanePrefetchedLeaves).
#ifndef PATHWISE_CORE_BROWNIAN_PREFETCHED_LEAVES_H_
#define PATHWISE_CORE_BROWNIAN_PREFETCHED_LEAVES_H_

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/brownian/counter_layout.h"
#include "core/brownian/draw_batch.h"
#include "core/brownian/lane_draw_batch.h"
#include "core/brownian/leaf_position.h"
#include "core/brownian/levy_area.h"
#include "core/brownian/tree_math.h"

namespace pathwise::brownian {

// The most leaves one batch holds: one vector pass of the generator for a
// space-time path with d = 1, and 8 steps ahead of a solver.
inline constexpr size_t kMaxLeavesAhead = 8;

// Two step lengths this close count as one constant step: t0 + n dt rounds
// each step's length differently in its last bits. Only a guess of where the
// next steps end depends on it, never a value.
inline constexpr double kSameLengthTolerance = 1e-6;

// Whether the query [tau_s, tau_t] continues a solver's constant steps: it
// starts at the last query's end and has its length (normalised times).
inline bool ContinuesConstantSteps(double tau_s, double tau_t, double last_tau_t,
                                   double last_length) {
  const double length = tau_t - tau_s;
  return tau_s == last_tau_t && std::abs(length - last_length) <= kSameLengthTolerance * length;
}

// The leaves that steps of `length` from tau_t would end in next, each once,
// starting with leaf_t (tau_t's): writes up to kMaxLeavesAhead into `leaves`
// and returns how many. A guess that misses costs only draws, never a bit.
inline size_t StepLeavesAhead(double tau_t, double length, uint64_t leaf_t, int depth,
                              uint64_t* leaves) {
  size_t n = 0;
  leaves[n++] = leaf_t;
  for (size_t k = 1; n < kMaxLeavesAhead && k <= 4 * kMaxLeavesAhead; ++k) {
    const double tau = tau_t + static_cast<double>(k) * length;
    if (!(tau < 1.0)) break;
    const uint64_t leaf = LeafIndexOf(tau, depth);
    if (leaf != leaves[n - 1]) leaves[n++] = leaf;
  }
  return n;
}

// Batch: DrawBatch or LaneDrawBatch (Clear, Add, Fill(keys), At).
template <class Batch>
class BasicPrefetchedLeaves {
 public:
  static constexpr size_t kMaxLeaves = kMaxLeavesAhead;

  // For paths with this Lévy kind and dim whose leaves are at `depth`.
  BasicPrefetchedLeaves(LevyArea kind, size_t dim, int depth)
      : depth_(depth),
        node_size_(size_t(BlocksPerNode(kind)) * dim),
        batch_(kind, dim, kMaxLeaves) {}

  // Holds nothing (a new path, or new keys).
  void Forget() { count_ = 0; }

  // Draws the leaf draws of leaves[0, n), n <= kMaxLeaves, under `keys` (the
  // batch's Fill argument), replacing what was held; returns the number of
  // Philox blocks drawn (per key).
  template <class Keys>
  size_t Draw(const Keys& keys, const uint64_t* leaves, size_t n) {
    batch_.Clear();
    count_ = 0;
    for (size_t i = 0; i < n && i < kMaxLeaves; ++i) {
      batch_.Add(NodeId(depth_, leaves[i]), DrawPurpose::kLeaf);
      leaves_[count_++] = leaves[i];
    }
    return batch_.Fill(keys);
  }

  // The draws of `leaf`, if held.
  std::optional<Draws> Find(uint64_t leaf) const {
    for (size_t i = 0; i < count_; ++i) {
      if (leaves_[i] == leaf) return batch_.At(i * node_size_);
    }
    return std::nullopt;
  }

 private:
  int depth_;
  size_t node_size_;  // counters of one leaf's draws
  std::array<uint64_t, kMaxLeaves> leaves_{};
  size_t count_ = 0;
  Batch batch_;
};

using PrefetchedLeaves = BasicPrefetchedLeaves<DrawBatch>;
using LanePrefetchedLeaves = BasicPrefetchedLeaves<LaneDrawBatch>;

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_PREFETCHED_LEAVES_H_
