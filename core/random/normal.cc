#include "core/random/normal.h"

namespace pathwise::random {

// The batch loops are compiled for AVX2 and for baseline x86-64, chosen at load
// time. Both give the same bits: lanes run the same IEEE operations, and
// -ffp-contract=off keeps the compiler from fusing multiplies and adds.
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define PATHWISE_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define PATHWISE_VECTOR_CLONES
#endif

PATHWISE_VECTOR_CLONES
void FillNormalPairs(const PhiloxKey& key, const uint32_t* c0, const uint32_t* c1,
                     const uint32_t* c2, const uint32_t* c3, size_t n, double* first,
                     double* second) {
  for (size_t i = 0; i < n; ++i) {
    const NormalPair pair = NormalPairAt({c0[i], c1[i], c2[i], c3[i]}, key);
    first[i] = pair.first;
    second[i] = pair.second;
  }
}

PATHWISE_VECTOR_CLONES
void FillNormalPairsAlongComponent(const PhiloxKey& key, uint32_t c0, uint32_t c1,
                                   uint32_t c2_begin, uint32_t c3, size_t n, double* first,
                                   double* second) {
  for (size_t i = 0; i < n; ++i) {
    const NormalPair pair = NormalPairAt({c0, c1, c2_begin + static_cast<uint32_t>(i), c3}, key);
    first[i] = pair.first;
    second[i] = pair.second;
  }
}

}  // namespace pathwise::random
