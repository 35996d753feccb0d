// Standard normals for a lane of paths: the same Philox counters under
// kLanes different keys (one per path), drawn in one vectorised loop.
//
// The paths of an ensemble read the same counters of their trees (counter
// layout: core/brownian/counter_layout.h) and differ only in their keys, so a
// lane of paths turns one node's draws into kLanes independent blocks, which
// fill the vector registers even for d = 1. Each output equals NormalPairAt
// on the same counter and key bit for bit (same IEEE operations per lane).
// The fill runs on the widest instruction set the CPU runs (normal_kernels.h),
// chosen at run time without an ifunc (so also under the sanitizers, whose
// runtime is not yet set up when the loader resolves one).
#ifndef PATHWISE_CORE_RANDOM_LANE_NORMAL_H_
#define PATHWISE_CORE_RANDOM_LANE_NORMAL_H_

#include <cstddef>
#include <cstdint>

#include "core/random/normal_kernels.h"
#include "core/random/philox.h"

namespace pathwise::random {

// Paths per lane: the doubles of an AVX-512 register (two AVX2 registers,
// four SSE2 ones); a fixed width keeps every loop's trip count a constant.
inline constexpr size_t kLanes = 8;

// The keys of one lane, structure of arrays: lane i has key (k0[i], k1[i]).
struct LaneKeys {
  uint32_t k0[kLanes];
  uint32_t k1[kLanes];
};

// For e in [0, n) and lane i: the block at counter (c0[e], c1[e], c2[e], c3[e])
// under key i gives first[e * kLanes + i] and second[e * kLanes + i].
void FillLaneNormalPairs(const LaneKeys& keys, const uint32_t* c0, const uint32_t* c1,
                         const uint32_t* c2, const uint32_t* c3, size_t n, double* first,
                         double* second);

// The same on a named instruction set; CpuRuns(isa) must hold.
void FillLaneNormalPairsOn(VectorIsa isa, const LaneKeys& keys, const uint32_t* c0,
                           const uint32_t* c1, const uint32_t* c2, const uint32_t* c3, size_t n,
                           double* first, double* second);

}  // namespace pathwise::random

#endif  // PATHWISE_CORE_RANDOM_LANE_NORMAL_H_
