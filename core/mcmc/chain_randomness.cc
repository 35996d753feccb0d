#include "core/mcmc/chain_randomness.h"

#include "core/random/normal.h"
#include "core/random/philox.h"

namespace pathwise::mcmc {
namespace {

random::PhiloxBlock BlockAt(uint64_t seed, uint32_t chain, ChainDraw purpose, uint32_t round,
                            int block) {
  const random::PhiloxKey key = {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)};
  const uint32_t word = (static_cast<uint32_t>(purpose) << 24) | (round & 0xffffffu);
  return random::Philox4x32_10({chain, static_cast<uint32_t>(block), word, kMcmcDomain}, key);
}

uint64_t Word64(uint32_t low, uint32_t high) { return (uint64_t{high} << 32) | low; }

}  // namespace

std::vector<double> ChainNormals(uint64_t seed, uint32_t chain, ChainDraw purpose, uint32_t round,
                                 int dim) {
  std::vector<double> out(dim);
  for (int b = 0; 2 * b < dim; ++b) {
    const random::NormalPair pair =
        random::NormalPairFromBlock(BlockAt(seed, chain, purpose, round, b));
    out[2 * b] = pair.first;
    if (2 * b + 1 < dim) out[2 * b + 1] = pair.second;
  }
  return out;
}

std::vector<double> ChainUniforms(uint64_t seed, uint32_t chain, ChainDraw purpose, uint32_t round,
                                  int dim) {
  std::vector<double> out(dim);
  for (int b = 0; 2 * b < dim; ++b) {
    const random::PhiloxBlock block = BlockAt(seed, chain, purpose, round, b);
    // UnitIntervalPlusOne is in [1, 2): 2 (x - 1) - 1 is in [-1, 1).
    out[2 * b] = 2.0 * random::UnitIntervalPlusOne(Word64(block[0], block[1])) - 3.0;
    if (2 * b + 1 < dim) {
      out[2 * b + 1] = 2.0 * random::UnitIntervalPlusOne(Word64(block[2], block[3])) - 3.0;
    }
  }
  return out;
}

}  // namespace pathwise::mcmc
