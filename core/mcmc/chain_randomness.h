// The random numbers of a sampler run that are not Brownian increments: the
// spread of the initial positions, the velocities drawn from their stationary
// law, and the start vectors of the curvature probe (docs/mcmc.md).
//
// They are addressed directly, as the Brownian tree's are
// (core/brownian/counter_layout.h): one Philox4x32-10 block per counter under
// the key (seed & 0xffffffff, seed >> 32), with
//   ctr = (chain, block, purpose << 24 | round, kMcmcDomain).
// The Brownian paths use that key only with ctr[3] = kPathKeyDomain (to
// derive each path's key) and their own per-path keys otherwise, so these
// numbers are distinct from every Brownian path's. `block` b gives the
// values of coordinates 2b and 2b + 1; `round` numbers the redraws of one
// purpose (velocities are redrawn each time the inverse mass changes).
#ifndef PATHWISE_CORE_MCMC_CHAIN_RANDOMNESS_H_
#define PATHWISE_CORE_MCMC_CHAIN_RANDOMNESS_H_

#include <cstdint>
#include <vector>

namespace pathwise::mcmc {

inline constexpr uint32_t kMcmcDomain = 0x4d434d43u;  // "MCMC"

enum class ChainDraw : uint32_t {
  kInitialSpread = 0,  // uniform on [-1, 1): the initial positions' offsets
  kVelocity = 1,       // standard normal: the velocities
  kProbe = 2,          // standard normal: the curvature probe's start vector
};

// dim standard normals (kVelocity, kProbe): Box-Muller on the block, the
// first normal for coordinate 2b, the second for 2b + 1.
std::vector<double> ChainNormals(uint64_t seed, uint32_t chain, ChainDraw purpose, uint32_t round,
                                 int dim);

// dim uniforms on [-1, 1) (kInitialSpread): the block's words 0-1 and 2-3 as
// two 52-bit fractions, for coordinates 2b and 2b + 1.
std::vector<double> ChainUniforms(uint64_t seed, uint32_t chain, ChainDraw purpose, uint32_t round,
                                  int dim);

}  // namespace pathwise::mcmc

#endif  // PATHWISE_CORE_MCMC_CHAIN_RANDOMNESS_H_
