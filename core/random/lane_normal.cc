#include "core/random/lane_normal.h"

#include "core/random/normal.h"

#if defined(__x86_64__)
#include "core/random/normal_avx2.h"
#define PATHWISE_X86_KERNELS 1
#else
#define PATHWISE_X86_KERNELS 0
#endif

namespace pathwise::random {
namespace {

// The scalar loop: the baseline kernel, and the AVX-512 one compiled for
// x86-64-v4, where the compiler vectorises it across the lanes.
[[gnu::always_inline]] inline void FillLaneScalar(const LaneKeys& keys, const uint32_t* c0,
                                                  const uint32_t* c1, const uint32_t* c2,
                                                  const uint32_t* c3, size_t n, double* first,
                                                  double* second) {
  for (size_t e = 0; e < n; ++e) {
    const PhiloxCounter counter{c0[e], c1[e], c2[e], c3[e]};
    double* out_first = first + e * kLanes;
    double* out_second = second + e * kLanes;
    for (size_t i = 0; i < kLanes; ++i) {
      const NormalPair pair = NormalPairAt(counter, {keys.k0[i], keys.k1[i]});
      out_first[i] = pair.first;
      out_second[i] = pair.second;
    }
  }
}

void FillLaneBaseline(const LaneKeys& keys, const uint32_t* c0, const uint32_t* c1,
                      const uint32_t* c2, const uint32_t* c3, size_t n, double* first,
                      double* second) {
  FillLaneScalar(keys, c0, c1, c2, c3, n, first, second);
}

#if PATHWISE_X86_KERNELS

[[gnu::target("arch=x86-64-v4")]] void FillLaneAvx512(const LaneKeys& keys, const uint32_t* c0,
                                                      const uint32_t* c1, const uint32_t* c2,
                                                      const uint32_t* c3, size_t n, double* first,
                                                      double* second) {
  FillLaneScalar(keys, c0, c1, c2, c3, n, first, second);
}

// AVX2: a lane's eight paths are two sets of four blocks (one key per 64-bit
// lane), and entry e is one group: Philox of entry e + 1 runs inside the
// Box-Muller of entry e (normal_avx2.h).
constexpr size_t kSets = 2;
static_assert(kLanes == kSets * 4);

struct EntryCounters {
  const uint32_t *c0, *c1, *c2, *c3;

  // The same counter in every lane.
  [[gnu::target("avx2"), gnu::always_inline]] inline void Load(size_t e,
                                                               avx2::Blocks4 (&x)[kSets]) const {
    const avx2::Blocks4 counter = {{_mm256_set1_epi64x(c0[e]), _mm256_set1_epi64x(c1[e]),
                                    _mm256_set1_epi64x(c2[e]), _mm256_set1_epi64x(c3[e])}};
    for (avx2::Blocks4& set : x) set = counter;
  }
};

struct EntryOutput {
  double* first;
  double* second;

  [[gnu::target("avx2"), gnu::always_inline]] inline void Store(
      size_t e, const avx2::Pairs4 (&pairs)[kSets]) const {
    for (size_t s = 0; s < kSets; ++s) {
      avx2::StorePairs(pairs[s], first + e * kLanes + 4 * s, second + e * kLanes + 4 * s);
    }
  }
};

[[gnu::target("avx2")]] void FillLaneAvx2(const LaneKeys& keys, const uint32_t* c0,
                                          const uint32_t* c1, const uint32_t* c2,
                                          const uint32_t* c3, size_t n, double* first,
                                          double* second) {
  avx2::RoundKeys4 round_keys[kSets];
  const avx2::RoundKeys4* set_keys[kSets];
  for (size_t s = 0; s < kSets; ++s) {
    round_keys[s] =
        avx2::MakeRoundKeys(avx2::LoadWords(keys.k0 + 4 * s), avx2::LoadWords(keys.k1 + 4 * s));
    set_keys[s] = &round_keys[s];
  }
  avx2::PipelinedNormalPairs(set_keys, n, EntryCounters{c0, c1, c2, c3},
                             EntryOutput{first, second});
}

#endif  // PATHWISE_X86_KERNELS

}  // namespace

void FillLaneNormalPairsOn(VectorIsa isa, const LaneKeys& keys, const uint32_t* c0,
                           const uint32_t* c1, const uint32_t* c2, const uint32_t* c3, size_t n,
                           double* first, double* second) {
#if PATHWISE_X86_KERNELS
  switch (isa) {
    case VectorIsa::kAvx512:
      return FillLaneAvx512(keys, c0, c1, c2, c3, n, first, second);
    case VectorIsa::kAvx2:
      return FillLaneAvx2(keys, c0, c1, c2, c3, n, first, second);
    case VectorIsa::kBaseline:
      break;
  }
#else
  (void)isa;
#endif
  FillLaneBaseline(keys, c0, c1, c2, c3, n, first, second);
}

void FillLaneNormalPairs(const LaneKeys& keys, const uint32_t* c0, const uint32_t* c1,
                         const uint32_t* c2, const uint32_t* c3, size_t n, double* first,
                         double* second) {
  FillLaneNormalPairsOn(FillIsa(), keys, c0, c1, c2, c3, n, first, second);
}

}  // namespace pathwise::random
