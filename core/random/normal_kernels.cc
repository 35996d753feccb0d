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
#include "core/random/normal_avx2.h"
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

// The scalar loops: the baseline kernels (vectorised by the compiler, 2
// doubles wide), and the AVX2 fill's answer to a lone pair.
template <class Counters>
[[gnu::always_inline]] inline void FillScalar(const Counters& counters, const PhiloxKey& key,
                                              size_t n, double* first, double* second) {
  for (size_t i = 0; i < n; ++i) {
    const NormalPair pair = NormalPairAt(counters.At(i), key);
    first[i] = pair.first;
    second[i] = pair.second;
  }
}

[[gnu::always_inline]] inline void BoxMullerScalar(const uint64_t* radius_bits,
                                                   const uint64_t* angle_bits, size_t n,
                                                   double* first, double* second) {
  for (size_t i = 0; i < n; ++i) {
    const NormalPair pair = BoxMuller(radius_bits[i], angle_bits[i]);
    first[i] = pair.first;
    second[i] = pair.second;
  }
}

template <class Counters>
void FillBaseline(const Counters& counters, const PhiloxKey& key, size_t n, double* first,
                  double* second) {
  FillScalar(counters, key, n, first, second);
}

#if PATHWISE_X86_KERNELS

// AVX2: normal_avx2.h's Philox and Box-Muller on four blocks per register,
// in groups of two registers (eight blocks) whose Box-Muller runs alongside
// the next group's Philox, so that the long dependent chains of the one
// overlap those of the other.
constexpr size_t kAvx2Lanes = 4;
constexpr size_t kAvx2Sets = 2;

// The counters of entries i, ..., i + 3 in the lanes of a Blocks4; entries at
// or past i + lanes repeat entry i + lanes - 1 (padding, whose results are
// never read). Through the stack, except where the counters have a closed form.
template <class Counters>
[[gnu::target("avx2"), gnu::always_inline]] inline avx2::Blocks4 PaddedCounters4(
    const Counters& counters, size_t i, size_t lanes) {
  alignas(32) uint32_t words[4][kAvx2Lanes];
  for (size_t l = 0; l < kAvx2Lanes; ++l) {
    const PhiloxCounter counter = counters.At(i + std::min(l, lanes - 1));
    for (size_t w = 0; w < 4; ++w) words[w][l] = counter[w];
  }
  return {{avx2::LoadWords(words[0]), avx2::LoadWords(words[1]), avx2::LoadWords(words[2]),
           avx2::LoadWords(words[3])}};
}

template <>
[[gnu::target("avx2"), gnu::always_inline]] inline avx2::Blocks4 PaddedCounters4(
    const ComponentCounters& counters, size_t i, size_t lanes) {
  const __m256i lane = _mm256_min_epu32(_mm256_set_epi64x(3, 2, 1, 0),
                                        _mm256_set1_epi64x(static_cast<int64_t>(lanes - 1)));
  // Only the low halves count: c2_begin + i + lane wraps modulo 2^32 there.
  const __m256i c2 =
      _mm256_add_epi32(_mm256_set1_epi64x(counters.c2_begin + static_cast<uint32_t>(i)), lane);
  return {{_mm256_set1_epi64x(counters.c0), _mm256_set1_epi64x(counters.c1), c2,
           _mm256_set1_epi64x(counters.c3)}};
}

// HeapPathCounters::At on four entries, in 64-bit lanes: indices, counts and
// levels are far below 2^31, so signed 64-bit comparisons and differences
// give the unsigned 32-bit code's values; a word's sum wraps in the low half
// as the 32-bit sum does; vpsrlvq shifts each lane's leaf id by its own count.
template <>
[[gnu::target("avx2"), gnu::always_inline]] inline avx2::Blocks4 PaddedCounters4(
    const PaddedHeapPaths& padded, size_t i, size_t lanes) {
  const HeapPathCounters& paths = padded.paths;
  using avx2::Broadcast;
  const __m256i index =
      _mm256_min_epu32(_mm256_add_epi64(Broadcast(i), _mm256_set_epi64x(3, 2, 1, 0)),
                       Broadcast(std::min(i + lanes - 1, padded.last)));
  const uint32_t count0 = paths.paths[0].count;
  const __m256i second = _mm256_cmpgt_epi64(index, _mm256_set1_epi64x(int64_t{count0} - 1));
  const __m256i entry = _mm256_sub_epi64(index, _mm256_and_si256(Broadcast(count0), second));
  const __m256i from = _mm256_blendv_epi8(Broadcast(paths.paths[0].from_level),
                                          Broadcast(paths.paths[1].from_level), second);
  const __m128i log2_blocks = _mm_cvtsi32_si128(static_cast<int>(paths.log2_blocks));
  const __m256i level = _mm256_add_epi64(from, _mm256_srl_epi64(entry, log2_blocks));
  const uint64_t top = uint64_t{1} << paths.depth;
  const __m256i leaf_id = _mm256_blendv_epi8(Broadcast(top | paths.paths[0].leaf),
                                             Broadcast(top | paths.paths[1].leaf), second);
  const __m256i id = _mm256_srlv_epi64(leaf_id, _mm256_sub_epi64(Broadcast(paths.depth), level));
  const __m256i at_leaf = _mm256_cmpeq_epi64(level, Broadcast(paths.depth));
  const __m256i block = _mm256_and_si256(entry, Broadcast((uint64_t{1} << paths.log2_blocks) - 1));
  const __m256i word = _mm256_add_epi64(
      _mm256_blendv_epi8(Broadcast(paths.split_word), Broadcast(paths.leaf_word), at_leaf), block);
  return {{id, _mm256_srli_epi64(id, 32), Broadcast(paths.component), word}};
}

template <class Counters>
[[gnu::target("avx2"), gnu::always_inline]] inline avx2::Blocks4 Counters4(const Counters& counters,
                                                                           size_t i) {
  return PaddedCounters4(counters, i, kAvx2Lanes);
}

template <>
[[gnu::target("avx2"), gnu::always_inline]] inline avx2::Blocks4 Counters4(
    const ArrayCounters& counters, size_t i) {
  return {{avx2::LoadWords(counters.c0 + i), avx2::LoadWords(counters.c1 + i),
           avx2::LoadWords(counters.c2 + i), avx2::LoadWords(counters.c3 + i)}};
}

// Group g of a fill: entries g * kAvx2Sets * kAvx2Lanes onwards.
template <class Counters>
struct GroupCounters {
  const Counters& counters;

  template <size_t kSets>
  [[gnu::target("avx2"), gnu::always_inline]] inline void Load(size_t g,
                                                               avx2::Blocks4 (&x)[kSets]) const {
    for (size_t s = 0; s < kSets; ++s) x[s] = Counters4(counters, (g * kSets + s) * kAvx2Lanes);
  }
};

struct GroupOutput {
  double* first;
  double* second;

  template <size_t kSets>
  [[gnu::target("avx2"), gnu::always_inline]] inline void Store(
      size_t g, const avx2::Pairs4 (&pairs)[kSets]) const {
    for (size_t s = 0; s < kSets; ++s) {
      const size_t at = (g * kSets + s) * kAvx2Lanes;
      avx2::StorePairs(pairs[s], first + at, second + at);
    }
  }
};

// Entries i, ..., i + lanes - 1 with 0 < lanes <= kSets * kAvx2Lanes, through
// padded sets.
template <size_t kSets, class Counters>
[[gnu::target("avx2"), gnu::always_inline]] inline void FillPaddedAvx2(
    const Counters& counters, const avx2::RoundKeys4& round_keys, size_t i, size_t lanes,
    double* first, double* second) {
  const avx2::RoundKeys4* keys[kSets];
  avx2::Blocks4 x[kSets];
  for (size_t s = 0; s < kSets; ++s) {
    keys[s] = &round_keys;
    x[s] = PaddedCounters4(counters, i + s * kAvx2Lanes,
                           std::clamp<size_t>(lanes - s * kAvx2Lanes, 1, kAvx2Lanes));
  }
  avx2::Philox(keys, x);
  avx2::Pairs4 pairs[kSets];
  avx2::NormalPairs(x, pairs);
  alignas(32) double head[kSets * kAvx2Lanes], tail[kSets * kAvx2Lanes];
  for (size_t s = 0; s < kSets; ++s) {
    avx2::StorePairs(pairs[s], head + s * kAvx2Lanes, tail + s * kAvx2Lanes);
  }
  std::copy(head, head + lanes, first + i);
  std::copy(tail, tail + lanes, second + i);
}

template <class Counters>
[[gnu::target("avx2")]] void FillAvx2(const Counters& counters, const PhiloxKey& key, size_t n,
                                      double* first, double* second) {
  constexpr size_t kGroup = kAvx2Sets * kAvx2Lanes;
  const size_t groups = n / kGroup;
  const size_t rest = n % kGroup;
  if (groups == 0 && rest == 1) {
    // A lone pair: the scalar code's shorter chain of dependent operations.
    return FillScalar(counters, key, n, first, second);
  }
  const avx2::RoundKeys4 round_keys = avx2::MakeRoundKeys(key);
  const avx2::RoundKeys4* keys[kAvx2Sets];
  std::fill_n(keys, kAvx2Sets, &round_keys);
  avx2::PipelinedNormalPairs(keys, groups, GroupCounters<Counters>{counters},
                             GroupOutput{first, second});
  const size_t i = groups * kGroup;
  if (rest > kAvx2Lanes) {
    FillPaddedAvx2<kAvx2Sets>(counters, round_keys, i, rest, first, second);
  } else if (rest > 0) {
    FillPaddedAvx2<1>(counters, round_keys, i, rest, first, second);
  }
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
  BoxMullerScalar(radius, angle, kLanes, first, second);
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
  const avx2::RoundKeys4 round_keys = avx2::MakeRoundKeys(key);
  const avx2::RoundKeys4* const tail_keys[1] = {&round_keys};
  static_assert(sizeof(PhiloxBlock) == 16);
  for (size_t i = 0; i < n; i += kAvx2Lanes) {
    const size_t lanes = std::min(kAvx2Lanes, n - i);
    avx2::Blocks4 x[1] = {lanes == kAvx2Lanes ? Counters4(counters, i)
                                              : PaddedCounters4(counters, i, lanes)};
    avx2::Philox(tail_keys, x);
    // Lane l's block is (words 0-1, words 2-3) = (low[l], high[l]): interleave
    // the 64-bit lanes and reorder the 128-bit halves into blocks 0, 1 | 2, 3.
    const __m256i low = avx2::JoinWords(x[0].x[0], x[0].x[1]);
    const __m256i high = avx2::JoinWords(x[0].x[2], x[0].x[3]);
    const __m256i even = _mm256_unpacklo_epi64(low, high);  // blocks 0 | 2
    const __m256i odd = _mm256_unpackhi_epi64(low, high);   // blocks 1 | 3
    alignas(32) PhiloxBlock out[kAvx2Lanes];
    _mm256_store_si256(reinterpret_cast<__m256i*>(out), _mm256_permute2x128_si256(even, odd, 0x20));
    _mm256_store_si256(reinterpret_cast<__m256i*>(out + 2),
                       _mm256_permute2x128_si256(even, odd, 0x31));
    std::copy(out, out + lanes, blocks + i);
  }
}
#endif

#if PATHWISE_X86_KERNELS
[[gnu::target("avx2")]] void BoxMullerAvx2(const uint64_t* radius_bits, const uint64_t* angle_bits,
                                           size_t n, double* first, double* second) {
  for (size_t i = 0; i < n; i += kAvx2Lanes) {
    const size_t lanes = std::min(kAvx2Lanes, n - i);
    alignas(32) uint64_t radius[kAvx2Lanes] = {}, angle[kAvx2Lanes] = {};
    std::copy(radius_bits + i, radius_bits + i + lanes, radius);
    std::copy(angle_bits + i, angle_bits + i + lanes, angle);
    const __m256i radius_lanes[1] = {_mm256_load_si256(reinterpret_cast<const __m256i*>(radius))};
    const __m256i angle_lanes[1] = {_mm256_load_si256(reinterpret_cast<const __m256i*>(angle))};
    avx2::Pairs4 pairs[1];
    avx2::BoxMuller(radius_lanes, angle_lanes, pairs);
    alignas(32) double head[kAvx2Lanes], tail[kAvx2Lanes];
    avx2::StorePairs(pairs[0], head, tail);
    std::copy(head, head + lanes, first + i);
    std::copy(tail, tail + lanes, second + i);
  }
}

[[gnu::target("arch=x86-64-v4")]] void BoxMullerAvx512(const uint64_t* radius_bits,
                                                       const uint64_t* angle_bits, size_t n,
                                                       double* first, double* second) {
  BoxMullerScalar(radius_bits, angle_bits, n, first, second);
}
#endif

void BlocksBaseline(const ArrayCounters& counters, const PhiloxKey& key, size_t n,
                    PhiloxBlock* blocks) {
  for (size_t i = 0; i < n; ++i) blocks[i] = Philox4x32_10(counters.At(i), key);
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

void BoxMullerOn(VectorIsa isa, const uint64_t* radius_bits, const uint64_t* angle_bits, size_t n,
                 double* first, double* second) {
#if PATHWISE_X86_KERNELS
  if (isa == VectorIsa::kAvx512) return BoxMullerAvx512(radius_bits, angle_bits, n, first, second);
  if (isa == VectorIsa::kAvx2) return BoxMullerAvx2(radius_bits, angle_bits, n, first, second);
#else
  (void)isa;
#endif
  BoxMullerScalar(radius_bits, angle_bits, n, first, second);
}

}  // namespace pathwise::random
