#include "core/random/normal_kernels.h"

#include <algorithm>

#if defined(__x86_64__)
// GCC 12's AVX-512 intrinsics read a deliberately undefined register
// (_mm512_undefined_epi32), which -W(maybe-)uninitialized reports at their
// inlining (GCC bug 105593); the warning concerns the header, not this code.
#if defined(__clang__)
#include <immintrin.h>
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif
#define PATHWISE_X86_KERNELS 1
#else
#define PATHWISE_X86_KERNELS 0
#endif

namespace pathwise::random {
namespace {

// Where a fill's counters come from: At(i) is the counter of entry i.
struct ArrayCounters {
  const uint32_t *c0, *c1, *c2, *c3;
  PhiloxCounter At(size_t i) const { return {c0[i], c1[i], c2[i], c3[i]}; }
};

struct ComponentCounters {
  uint32_t c0, c1, c2_begin, c3;
  PhiloxCounter At(size_t i) const { return {c0, c1, c2_begin + static_cast<uint32_t>(i), c3}; }
};

// Entries past the paths' end repeat the last one, so that a fill may run
// whole vectors (their results are never read).
struct PaddedHeapPaths {
  HeapPathCounters paths;  // a copy: loads from the stack vectorise freely
  size_t last;
  PhiloxCounter At(size_t i) const { return paths.At(i < last ? i : last); }
};

// A tail shorter than this is cheaper in the scalar code that ends a
// vectorised loop than as a whole padded vector (a solver's descents often
// split one or two levels).
constexpr size_t kMinPaddedRest = 3;

size_t PaddedSize(const HeapPathCounters& paths) {
  const size_t rest = paths.size() % kHeapPathFillWidth;
  return rest < kMinPaddedRest ? paths.size() : paths.size() + (kHeapPathFillWidth - rest);
}

// The scalar loops, which the compiler vectorises for the instruction set of
// the kernel that inlines them.
template <class Counters>
[[gnu::always_inline]] inline void FillScalar(const Counters& counters, const PhiloxKey& key,
                                              size_t n, double* first, double* second) {
  for (size_t i = 0; i < n; ++i) {
    const NormalPair pair = NormalPairAt(counters.At(i), key);
    first[i] = pair.first;
    second[i] = pair.second;
  }
}

template <class Counters>
[[gnu::always_inline]] inline void BlocksScalar(const Counters& counters, const PhiloxKey& key,
                                                size_t n, PhiloxBlock* blocks) {
  for (size_t i = 0; i < n; ++i) blocks[i] = Philox4x32_10(counters.At(i), key);
}

template <class Counters>
void FillBaseline(const Counters& counters, const PhiloxKey& key, size_t n, double* first,
                  double* second) {
  FillScalar(counters, key, n, first, second);
}

#if PATHWISE_X86_KERNELS

template <class Counters>
[[gnu::target("avx2")]] void FillAvx2(const Counters& counters, const PhiloxKey& key, size_t n,
                                      double* first, double* second) {
  FillScalar(counters, key, n, first, second);
}

// AVX-512: eight blocks per step. Each 64-bit lane holds one 32-bit Philox word
// in its low half. vpmuludq multiplies the low halves only, and every other
// operation of a round (shift right by 32, xor) keeps the low half exact, so
// the high halves may hold anything: a round is 2 multiplies, 2 shifts and 2
// three-way xors on eight blocks.
constexpr size_t kLanes = 8;

struct CounterLanes {
  alignas(64) uint32_t word[4][kLanes];
};

struct PhiloxLanes {
  __m512i x0, x1, x2, x3;
};

template <bool kFull, class Counters>
[[gnu::always_inline]] inline void LoadCounters(const Counters& counters, size_t i, size_t lanes,
                                                CounterLanes& c) {
  for (size_t l = 0; l < kLanes; ++l) {
    const PhiloxCounter counter = counters.At(kFull ? i + l : i + std::min(l, lanes - 1));
    for (size_t w = 0; w < 4; ++w) c.word[w][l] = counter[w];
  }
}

[[gnu::target("arch=x86-64-v4"), gnu::always_inline]] inline __m512i LoadWord(const CounterLanes& c,
                                                                              size_t w) {
  return _mm512_cvtepu32_epi64(_mm256_load_si256(reinterpret_cast<const __m256i*>(c.word[w])));
}

[[gnu::target("arch=x86-64-v4"), gnu::always_inline]] inline PhiloxLanes Philox8(
    const CounterLanes& c, const PhiloxKey& key) {
  using namespace philox_internal;
  __m512i x0 = LoadWord(c, 0), x1 = LoadWord(c, 1), x2 = LoadWord(c, 2), x3 = LoadWord(c, 3);
  const __m512i m0 = _mm512_set1_epi64(kMultiplier0), m1 = _mm512_set1_epi64(kMultiplier1);
  uint32_t k0 = key[0], k1 = key[1];
#pragma GCC unroll 10
  for (int round = 0; round < kRounds; ++round) {
    const __m512i p0 = _mm512_mul_epu32(x0, m0);  // hi0:lo0
    const __m512i p1 = _mm512_mul_epu32(x2, m1);  // hi1:lo1
    // 0x96: a ^ b ^ c.
    x0 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), x1, _mm512_set1_epi64(k0), 0x96);
    x1 = p1;
    x2 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), x3, _mm512_set1_epi64(k1), 0x96);
    x3 = p0;
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  return {x0, x1, x2, x3};
}

// (high << 32) | low of the lanes' low halves: NormalPairFromBlock's words.
[[gnu::target("arch=x86-64-v4"), gnu::always_inline]] inline void StoreWords(__m512i low,
                                                                             __m512i high,
                                                                             uint64_t* out) {
  _mm512_store_si512(out, _mm512_mask_blend_epi32(0xAAAA, low, _mm512_slli_epi64(high, 32)));
}

// Eight normal pairs from eight counters.
[[gnu::target("arch=x86-64-v4"), gnu::always_inline]] inline void Draw8(const CounterLanes& c,
                                                                        const PhiloxKey& key,
                                                                        double* first,
                                                                        double* second) {
  alignas(64) uint64_t radius[kLanes], angle[kLanes];
  const PhiloxLanes x = Philox8(c, key);
  StoreWords(x.x0, x.x1, radius);
  StoreWords(x.x2, x.x3, angle);
  for (size_t l = 0; l < kLanes; ++l) {
    const NormalPair pair = BoxMuller(radius[l], angle[l]);
    first[l] = pair.first;
    second[l] = pair.second;
  }
}

template <class Counters>
[[gnu::target("arch=x86-64-v4")]] void FillAvx512(const Counters& counters, const PhiloxKey& key,
                                                  size_t n, double* first, double* second) {
  CounterLanes c;
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    LoadCounters<true>(counters, i, kLanes, c);
    Draw8(c, key, first + i, second + i);
  }
  if (i < n) {
    alignas(64) double head[kLanes], tail[kLanes];
    const size_t lanes = n - i;
    LoadCounters<false>(counters, i, lanes, c);
    Draw8(c, key, head, tail);
    std::copy(head, head + lanes, first + i);
    std::copy(tail, tail + lanes, second + i);
  }
}

[[gnu::target("arch=x86-64-v4")]] void BlocksAvx512(const ArrayCounters& counters,
                                                    const PhiloxKey& key, size_t n,
                                                    PhiloxBlock* blocks) {
  CounterLanes c;
  alignas(64) uint32_t words[4][kLanes];
  for (size_t i = 0; i < n; i += kLanes) {
    const size_t lanes = std::min(kLanes, n - i);
    LoadCounters<false>(counters, i, lanes, c);
    const PhiloxLanes x = Philox8(c, key);
    int w = 0;
    for (__m512i lane_words : {x.x0, x.x1, x.x2, x.x3}) {
      _mm256_store_si256(reinterpret_cast<__m256i*>(words[w++]), _mm512_cvtepi64_epi32(lane_words));
    }
    for (size_t l = 0; l < lanes; ++l) {
      blocks[i + l] = {words[0][l], words[1][l], words[2][l], words[3][l]};
    }
  }
}

#endif  // PATHWISE_X86_KERNELS

template <class Counters>
void Fill(VectorIsa isa, const Counters& counters, const PhiloxKey& key, size_t n, double* first,
          double* second) {
#if PATHWISE_X86_KERNELS
  switch (isa) {
    case VectorIsa::kAvx512:
      return FillAvx512(counters, key, n, first, second);
    case VectorIsa::kAvx2:
      return FillAvx2(counters, key, n, first, second);
    case VectorIsa::kBaseline:
      break;
  }
#else
  (void)isa;
#endif
  FillBaseline(counters, key, n, first, second);
}

#if PATHWISE_X86_KERNELS
[[gnu::target("avx2")]] void BlocksAvx2(const ArrayCounters& counters, const PhiloxKey& key,
                                        size_t n, PhiloxBlock* blocks) {
  BlocksScalar(counters, key, n, blocks);
}
#endif

void BlocksBaseline(const ArrayCounters& counters, const PhiloxKey& key, size_t n,
                    PhiloxBlock* blocks) {
  BlocksScalar(counters, key, n, blocks);
}

VectorIsa WidestIsa() {
#if PATHWISE_X86_KERNELS
  // A fill may run from a static initialiser, before libgcc's own constructor
  // has read the CPU's features.
  __builtin_cpu_init();
#if defined(__clang__)
  // Clang 14 does not know the level names: x86-64-v4's features one by one.
  const bool v4 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
                  __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("fma") &&
                  __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                  __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
                  __builtin_cpu_supports("avx512vl");
#else
  const bool v4 = __builtin_cpu_supports("x86-64-v4");
#endif
  if (v4) return VectorIsa::kAvx512;
  if (__builtin_cpu_supports("avx2")) return VectorIsa::kAvx2;
#endif
  return VectorIsa::kBaseline;
}

}  // namespace

std::string_view VectorIsaName(VectorIsa isa) {
  switch (isa) {
    case VectorIsa::kBaseline:
      return "baseline";
    case VectorIsa::kAvx2:
      return "avx2";
    case VectorIsa::kAvx512:
      return "avx512";
  }
  return "unknown";
}

bool CpuRuns(VectorIsa isa) { return static_cast<int>(isa) <= static_cast<int>(FillIsa()); }

VectorIsa FillIsa() {
  static const VectorIsa widest = WidestIsa();
  return widest;
}

void PhiloxBlocksOn(VectorIsa isa, const PhiloxKey& key, const uint32_t* c0, const uint32_t* c1,
                    const uint32_t* c2, const uint32_t* c3, size_t n, PhiloxBlock* blocks) {
  const ArrayCounters counters{c0, c1, c2, c3};
#if PATHWISE_X86_KERNELS
  if (isa == VectorIsa::kAvx512) return BlocksAvx512(counters, key, n, blocks);
  if (isa == VectorIsa::kAvx2) return BlocksAvx2(counters, key, n, blocks);
#else
  (void)isa;
#endif
  BlocksBaseline(counters, key, n, blocks);
}

void FillNormalPairsOn(VectorIsa isa, const PhiloxKey& key, const uint32_t* c0, const uint32_t* c1,
                       const uint32_t* c2, const uint32_t* c3, size_t n, double* first,
                       double* second) {
  Fill(isa, ArrayCounters{c0, c1, c2, c3}, key, n, first, second);
}

void FillNormalPairsAlongComponentOn(VectorIsa isa, const PhiloxKey& key, uint32_t c0, uint32_t c1,
                                     uint32_t c2_begin, uint32_t c3, size_t n, double* first,
                                     double* second) {
  Fill(isa, ComponentCounters{c0, c1, c2_begin, c3}, key, n, first, second);
}

void FillNormalPairsAlongHeapPathsOn(VectorIsa isa, const PhiloxKey& key,
                                     const HeapPathCounters& paths, double* first, double* second) {
  if (paths.size() == 0) return;
  Fill(isa, PaddedHeapPaths{paths, paths.size() - 1}, key, PaddedSize(paths), first, second);
}

}  // namespace pathwise::random
