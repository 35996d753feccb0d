// Philox4x32-10: the counter-based generator of Salmon, Moraes, Dror & Shaw,
// "Parallel random numbers: as easy as 1, 2, 3" (SC'11), Section 3.3.
//
// A pure function (counter, key) -> block that is a bijection on the 128-bit
// counter for a fixed 64-bit key. There is no hidden state: every consumer
// addresses its random numbers directly (see core/brownian/counter_layout.h).
#ifndef PATHWISE_CORE_RANDOM_PHILOX_H_
#define PATHWISE_CORE_RANDOM_PHILOX_H_

#include <array>
#include <cstdint>

namespace pathwise::random {

using PhiloxCounter = std::array<uint32_t, 4>;
using PhiloxKey = std::array<uint32_t, 2>;
using PhiloxBlock = std::array<uint32_t, 4>;

namespace philox_internal {
// Round multipliers and Weyl key increments of the published algorithm.
inline constexpr uint32_t kMultiplier0 = 0xD2511F53u;
inline constexpr uint32_t kMultiplier1 = 0xCD9E8D57u;
inline constexpr uint32_t kWeyl0 = 0x9E3779B9u;
inline constexpr uint32_t kWeyl1 = 0xBB67AE85u;
inline constexpr int kRounds = 10;
}  // namespace philox_internal

// One Philox4x32 block: ten rounds of the S-box of the paper, with the key
// bumped by the Weyl sequence between rounds. Written on scalars so that the
// batch loops in normal.h vectorise (the 32x32->64 products map to pmuludq).
constexpr PhiloxBlock Philox4x32_10(PhiloxCounter counter, PhiloxKey key) {
  using namespace philox_internal;
  uint32_t x0 = counter[0], x1 = counter[1], x2 = counter[2], x3 = counter[3];
  uint32_t k0 = key[0], k1 = key[1];
#pragma GCC unroll 10
  for (int round = 0; round < kRounds; ++round) {
    const uint64_t p0 = static_cast<uint64_t>(kMultiplier0) * x0;
    const uint64_t p1 = static_cast<uint64_t>(kMultiplier1) * x2;
    const uint32_t hi0 = static_cast<uint32_t>(p0 >> 32), lo0 = static_cast<uint32_t>(p0);
    const uint32_t hi1 = static_cast<uint32_t>(p1 >> 32), lo1 = static_cast<uint32_t>(p1);
    x0 = hi1 ^ x1 ^ k0;
    x1 = lo1;
    x2 = hi0 ^ x3 ^ k1;
    x3 = lo0;
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  return {x0, x1, x2, x3};
}

}  // namespace pathwise::random

#endif  // PATHWISE_CORE_RANDOM_PHILOX_H_
