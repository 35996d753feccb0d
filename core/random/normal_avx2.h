// Philox4x32-10 and Box-Muller written in AVX2 intrinsics, four blocks per
// register: the building blocks of the AVX2 kernels (normal_kernels.cc,
// lane_normal.cc). Only for x86-64, and only from functions compiled with
// [[gnu::target("avx2")]].
//
// Philox: each 64-bit lane holds one 32-bit word in its low half. vpmuludq
// multiplies the low halves into the whole 64-bit product, and every other
// operation of a round (shift right by 32, xor) keeps the low half exact, so
// the high halves may hold anything: a round is 2 multiplies, 2 shifts and
// 4 xors for four blocks, with no shuffles.
//
// Box-Muller: DeterministicLog and DeterministicSinCosTurns of elementary.h
// transcribed operation for operation onto four doubles. Each lane runs the
// scalar code's IEEE operations in the scalar code's order (no fused
// multiply-add: the target is AVX2 alone; vdivpd and vsqrtpd round correctly
// like their scalar forms), and its integer steps are the same bit operations,
// so every lane gives the scalar bits.
#ifndef PATHWISE_CORE_RANDOM_NORMAL_AVX2_H_
#define PATHWISE_CORE_RANDOM_NORMAL_AVX2_H_

#if !defined(__x86_64__)
#error "normal_avx2.h is for x86-64 only"
#endif

#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>

#include "core/random/elementary.h"
#include "core/random/philox.h"

namespace pathwise::random::avx2 {

// Four normal pairs: NormalPair's first and second members.
struct Pairs4 {
  __m256d first;
  __m256d second;
};

// Four Philox counters or blocks: word w of the block in lane l is the low
// half of 64-bit lane l of x[w].
struct Blocks4 {
  __m256i x[4];
};

// The keys of the ten rounds for four lanes (each lane may have its own key):
// round r xors k0[r] and k1[r], the key plus r times the Weyl increments.
struct RoundKeys4 {
  __m256i k0[philox_internal::kRounds];
  __m256i k1[philox_internal::kRounds];
};

// k0 and k1 hold each lane's key word in the low half of its 64-bit lane.
[[gnu::target("avx2"), gnu::always_inline]] inline RoundKeys4 MakeRoundKeys(__m256i k0,
                                                                            __m256i k1) {
  using namespace philox_internal;
  const __m256i weyl0 = _mm256_set1_epi32(static_cast<int>(kWeyl0));
  const __m256i weyl1 = _mm256_set1_epi32(static_cast<int>(kWeyl1));
  RoundKeys4 keys;
  for (int round = 0; round < kRounds; ++round) {
    keys.k0[round] = k0;
    keys.k1[round] = k1;
    k0 = _mm256_add_epi32(k0, weyl0);  // the low halves wrap mod 2^32
    k1 = _mm256_add_epi32(k1, weyl1);
  }
  return keys;
}

// The same key in every lane.
[[gnu::target("avx2"), gnu::always_inline]] inline RoundKeys4 MakeRoundKeys(const PhiloxKey& key) {
  return MakeRoundKeys(_mm256_set1_epi64x(key[0]), _mm256_set1_epi64x(key[1]));
}

// `value` in every 64-bit lane.
[[gnu::target("avx2"), gnu::always_inline]] inline __m256i Broadcast(uint64_t value) {
  return _mm256_set1_epi64x(static_cast<int64_t>(value));
}

// Four 32-bit words from memory, one per 64-bit lane.
[[gnu::target("avx2"), gnu::always_inline]] inline __m256i LoadWords(const uint32_t* words) {
  return _mm256_cvtepu32_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(words)));
}

// Round `round` of Philox4x32_10 (philox.h) on kSets independent sets of
// four blocks; set s uses keys[s].
template <size_t kSets>
[[gnu::target("avx2"), gnu::always_inline]] inline void PhiloxRound(
    int round, const RoundKeys4* const (&keys)[kSets], Blocks4 (&x)[kSets]) {
  using namespace philox_internal;
  const __m256i m0 = _mm256_set1_epi64x(kMultiplier0), m1 = _mm256_set1_epi64x(kMultiplier1);
#pragma GCC unroll 4
  for (size_t s = 0; s < kSets; ++s) {
    const __m256i p0 = _mm256_mul_epu32(x[s].x[0], m0);  // hi0:lo0
    const __m256i p1 = _mm256_mul_epu32(x[s].x[2], m1);  // hi1:lo1
    // hi ^ (x ^ k): the key's xor waits for no multiply.
    x[s].x[0] = _mm256_xor_si256(_mm256_srli_epi64(p1, 32),
                                 _mm256_xor_si256(x[s].x[1], keys[s]->k0[round]));
    x[s].x[1] = p1;
    x[s].x[2] = _mm256_xor_si256(_mm256_srli_epi64(p0, 32),
                                 _mm256_xor_si256(x[s].x[3], keys[s]->k1[round]));
    x[s].x[3] = p0;
  }
}

// Philox4x32_10 on kSets sets: counters in, blocks out (the high halves of
// the lanes undefined).
template <size_t kSets>
[[gnu::target("avx2"), gnu::always_inline]] inline void Philox(
    const RoundKeys4* const (&keys)[kSets], Blocks4 (&x)[kSets]) {
#pragma GCC unroll 10
  for (int round = 0; round < philox_internal::kRounds; ++round) PhiloxRound(round, keys, x);
}

// (high << 32) | low in each lane, from the low halves: the 64-bit words of
// NormalPairFromBlock (words 0-1 the radius, 2-3 the angle).
[[gnu::target("avx2"), gnu::always_inline]] inline __m256i JoinWords(__m256i low, __m256i high) {
  return _mm256_blend_epi32(low, _mm256_slli_epi64(high, 32), 0xAA);
}

// UnitIntervalPlusOne of normal.h.
[[gnu::target("avx2"), gnu::always_inline]] inline __m256d UnitIntervalPlusOne(__m256i bits) {
  const __m256i one = _mm256_set1_epi64x(int64_t{1023} << 52);
  return _mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(bits, 12), one));
}

// One step of elementary.h's Horner loops: p * x + c.
[[gnu::target("avx2"), gnu::always_inline]] inline __m256d HornerStep(__m256d p, __m256d x,
                                                                      double c) {
  return _mm256_add_pd(_mm256_mul_pd(p, x), _mm256_set1_pd(c));
}

// BoxMuller of normal.h on four pairs of words, in three parts so that
// several sets can run each part side by side: Begin reduces the arguments of
// the logarithm and of sine and cosine, Step(k) runs step k of the three
// Horner loops, End finishes them. The operations of each lane are those of
// DeterministicLog and DeterministicSinCosTurns (elementary.h), in their order.
struct BoxMuller4 {
  __m256d e, f, s, series;                         // DeterministicLog of u
  __m256d shifted, theta, t2, sin_poly, cos_poly;  // DeterministicSinCosTurns of v

  [[gnu::target("avx2"), gnu::always_inline]] inline void Begin(__m256i radius_bits,
                                                                __m256i angle_bits) {
    using namespace elementary_internal;
    const __m256d one = _mm256_set1_pd(1.0);
    const __m256d magic = _mm256_set1_pd(kMagic);
    // Logarithm: u = 2^e m, f = (m - 1) / (m + 1).
    const __m256d u = _mm256_sub_pd(_mm256_set1_pd(2.0), UnitIntervalPlusOne(radius_bits));
    const __m256i bits = _mm256_castpd_si256(u);
    const __m256i mantissa = _mm256_and_si256(bits, _mm256_set1_epi64x(kMantissaMask));
    const __m256i halve = _mm256_srli_epi64(
        _mm256_add_epi64(mantissa, _mm256_set1_epi64x(kMantissaMask - kSqrt2Mantissa)), 52);
    const __m256d m = _mm256_castsi256_pd(_mm256_or_si256(
        mantissa,
        _mm256_sub_epi64(_mm256_set1_epi64x(kExponentOne), _mm256_slli_epi64(halve, 52))));
    // (bits >> 52) - 1023 + halve, added to the magic constant's bits modulo
    // 2^64 as the scalar code's uint64_t sum.
    const __m256i exponent = _mm256_add_epi64(
        _mm256_sub_epi64(_mm256_srli_epi64(bits, 52), _mm256_set1_epi64x(1023)), halve);
    e = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_add_epi64(_mm256_castpd_si256(magic), exponent)),
                      magic);
    f = _mm256_div_pd(_mm256_sub_pd(m, one), _mm256_add_pd(m, one));
    s = _mm256_mul_pd(f, f);
    series = _mm256_set1_pd(kAtanhSeries[0]);
    // Sine and cosine: 4v = quadrant + r, theta = r pi / 2.
    const __m256d v = _mm256_sub_pd(UnitIntervalPlusOne(angle_bits), one);
    const __m256d w = _mm256_mul_pd(_mm256_set1_pd(4.0), v);
    shifted = _mm256_add_pd(w, magic);
    const __m256d r = _mm256_sub_pd(w, _mm256_sub_pd(shifted, magic));
    theta = _mm256_mul_pd(r, _mm256_set1_pd(kHalfPi));
    t2 = _mm256_mul_pd(theta, theta);
    sin_poly = _mm256_set1_pd(kSinSeries[0]);
    cos_poly = _mm256_set1_pd(kCosSeries[0]);
  }

  static constexpr size_t kSteps = std::max({std::size(elementary_internal::kAtanhSeries),
                                             std::size(elementary_internal::kSinSeries),
                                             std::size(elementary_internal::kCosSeries)});

  // Step k in [1, kSteps) of each Horner loop that has one.
  [[gnu::target("avx2"), gnu::always_inline]] inline void Step(size_t k) {
    using namespace elementary_internal;
    if (k < std::size(kAtanhSeries)) series = HornerStep(series, s, kAtanhSeries[k]);
    if (k < std::size(kSinSeries)) sin_poly = HornerStep(sin_poly, t2, kSinSeries[k]);
    if (k < std::size(kCosSeries)) cos_poly = HornerStep(cos_poly, t2, kCosSeries[k]);
  }

  // radius = sqrt(-2 log u); (radius cos, radius sin) of 2 pi v.
  [[gnu::target("avx2"), gnu::always_inline]] inline Pairs4 End() const {
    using namespace elementary_internal;
    const __m256d two_f = _mm256_mul_pd(_mm256_set1_pd(2.0), f);
    const __m256d log_m = _mm256_add_pd(two_f, _mm256_mul_pd(two_f, _mm256_mul_pd(s, series)));
    const __m256d log_u =
        _mm256_add_pd(_mm256_mul_pd(e, _mm256_set1_pd(kLn2Hi)),
                      _mm256_add_pd(_mm256_mul_pd(e, _mm256_set1_pd(kLn2Lo)), log_m));
    const __m256d radius = _mm256_sqrt_pd(_mm256_mul_pd(_mm256_set1_pd(-2.0), log_u));
    const __m256d sin_theta =
        _mm256_add_pd(theta, _mm256_mul_pd(theta, _mm256_mul_pd(t2, sin_poly)));
    const __m256d cos_theta = _mm256_sub_pd(_mm256_set1_pd(1.0), _mm256_mul_pd(t2, cos_poly));
    // The quadrant is bits 0-1 of `shifted`. vblendvpd reads only each lane's
    // sign bit, so bit 0 moved to the top selects as the scalar code's
    // all-ones odd_mask does; the negations are the scalar code's sign bits.
    const __m256i quadrant = _mm256_castpd_si256(shifted);
    const __m256d odd = _mm256_castsi256_pd(_mm256_slli_epi64(quadrant, 63));
    const __m256d negate_sin =
        _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_srli_epi64(quadrant, 1), 63));
    const __m256d negate_cos = _mm256_castsi256_pd(
        _mm256_slli_epi64(_mm256_xor_si256(quadrant, _mm256_srli_epi64(quadrant, 1)), 63));
    const __m256d sin = _mm256_xor_pd(_mm256_blendv_pd(sin_theta, cos_theta, odd), negate_sin);
    const __m256d cos = _mm256_xor_pd(_mm256_blendv_pd(cos_theta, sin_theta, odd), negate_cos);
    return {_mm256_mul_pd(radius, cos), _mm256_mul_pd(radius, sin)};
  }
};

// Work to run between the steps of the Horner loops: call(k) before step k
// in [1, BoxMuller4::kSteps).
struct NothingBetween {
  void operator()(size_t) const {}
};

// Philox on `x`, one round before each Horner step.
template <size_t kSets>
struct PhiloxRoundsBetween {
  static_assert(BoxMuller4::kSteps - 1 == philox_internal::kRounds);
  const RoundKeys4* const (&keys)[kSets];
  Blocks4 (&x)[kSets];

  [[gnu::target("avx2"), gnu::always_inline]] inline void operator()(size_t k) const {
    PhiloxRound(static_cast<int>(k - 1), keys, x);
  }
};

// BoxMuller of normal.h on kSets sets of four pairs of words, the sets' long,
// dependent Horner chains interleaved so that they overlap, with `between`
// (another chain, such as the next blocks' Philox) between their steps.
template <size_t kSets, class Between = NothingBetween>
[[gnu::target("avx2"), gnu::always_inline]] inline void BoxMuller(
    const __m256i (&radius_bits)[kSets], const __m256i (&angle_bits)[kSets], Pairs4 (&pairs)[kSets],
    const Between& between = {}) {
  BoxMuller4 state[kSets];
#pragma GCC unroll 4
  for (size_t set = 0; set < kSets; ++set) state[set].Begin(radius_bits[set], angle_bits[set]);
#pragma GCC unroll 16
  for (size_t k = 1; k < BoxMuller4::kSteps; ++k) {
    between(k);
#pragma GCC unroll 4
    for (size_t set = 0; set < kSets; ++set) state[set].Step(k);
  }
#pragma GCC unroll 4
  for (size_t set = 0; set < kSets; ++set) pairs[set] = state[set].End();
}

// NormalPairFromBlock of normal.h on kSets sets of four blocks.
template <size_t kSets, class Between = NothingBetween>
[[gnu::target("avx2"), gnu::always_inline]] inline void NormalPairs(const Blocks4 (&blocks)[kSets],
                                                                    Pairs4 (&pairs)[kSets],
                                                                    const Between& between = {}) {
  __m256i radius_bits[kSets], angle_bits[kSets];
#pragma GCC unroll 4
  for (size_t set = 0; set < kSets; ++set) {
    radius_bits[set] = JoinWords(blocks[set].x[0], blocks[set].x[1]);
    angle_bits[set] = JoinWords(blocks[set].x[2], blocks[set].x[3]);
  }
  BoxMuller(radius_bits, angle_bits, pairs, between);
}

// Normal pairs of `groups` groups of kSets x 4 counters: source.Load(g, x)
// writes group g's counters into x, sink.Store(g, pairs) takes its pairs.
// Philox of group g + 1 runs inside the Box-Muller of group g.
template <size_t kSets, class Source, class Sink>
[[gnu::target("avx2"), gnu::always_inline]] inline void PipelinedNormalPairs(
    const RoundKeys4* const (&keys)[kSets], size_t groups, const Source& source, const Sink& sink) {
  if (groups == 0) return;
  Blocks4 x[kSets];
  Pairs4 pairs[kSets];
  source.Load(0, x);
  Philox(keys, x);
  for (size_t g = 0; g + 1 < groups; ++g) {
    Blocks4 next[kSets];
    source.Load(g + 1, next);
    NormalPairs(x, pairs, PhiloxRoundsBetween<kSets>{keys, next});
    sink.Store(g, pairs);
    std::copy(next, next + kSets, x);
  }
  NormalPairs(x, pairs);
  sink.Store(groups - 1, pairs);
}

[[gnu::target("avx2"), gnu::always_inline]] inline void StorePairs(const Pairs4& pairs,
                                                                   double* first, double* second) {
  _mm256_storeu_pd(first, pairs.first);
  _mm256_storeu_pd(second, pairs.second);
}

}  // namespace pathwise::random::avx2

#endif  // PATHWISE_CORE_RANDOM_NORMAL_AVX2_H_
