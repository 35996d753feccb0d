// The interpolation draws (§7) of a few leaves, drawn ahead in one batch.
//
// A solver whose steps end inside leaves (a step length that is not a
// multiple of the leaf length) needs one leaf's draws per step. Drawn alone,
// one leaf's few normals run through the generator's scalar code; a
// constant-step solver's next leaves are known in advance, so the cursor names
// them and they are drawn together in vector code. Draws are pure functions of
// the leaf's id, so where they came from changes no bit.
#ifndef PATHWISE_CORE_BROWNIAN_PREFETCHED_LEAVES_H_
#define PATHWISE_CORE_BROWNIAN_PREFETCHED_LEAVES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/brownian/draw_batch.h"
#include "core/brownian/levy_area.h"
#include "core/brownian/tree_math.h"
#include "core/random/philox.h"

namespace pathwise::brownian {

class PrefetchedLeaves {
 public:
  // The most leaves one batch holds: one vector pass of the generator for a
  // space-time path with d = 1, and 8 steps ahead of a solver.
  static constexpr size_t kMaxLeaves = 8;

  // For a path with this Lévy kind and dim whose leaves are at `depth`.
  PrefetchedLeaves(LevyArea kind, size_t dim, int depth);

  // Holds nothing (a new path).
  void Forget() { count_ = 0; }

  // Draws the leaf draws of leaves[0, n), n <= kMaxLeaves, replacing what was
  // held; returns the number of Philox blocks drawn.
  size_t Draw(const random::PhiloxKey& key, const uint64_t* leaves, size_t n);

  // The draws of `leaf`, if held.
  std::optional<Draws> Find(uint64_t leaf) const {
    for (size_t i = 0; i < count_; ++i) {
      if (leaves_[i] == leaf) return batch_.At(i * node_size_);
    }
    return std::nullopt;
  }

 private:
  int depth_;
  size_t node_size_;  // blocks of one leaf's draws
  std::array<uint64_t, kMaxLeaves> leaves_{};
  size_t count_ = 0;
  DrawBatch batch_;
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_PREFETCHED_LEAVES_H_
