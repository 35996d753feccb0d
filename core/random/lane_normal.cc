#include "core/random/lane_normal.h"

#include "core/random/normal.h"

namespace pathwise::random {

// Compiled for AVX-512, AVX2 and baseline x86-64, chosen at load time: every
// clone gives the same bits. Not under a sanitizer: the clones' resolver is an
// ifunc that the dynamic loader runs before the sanitizer's runtime is set up,
// and its instrumented code then crashes at start-up (seen under TSan).
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#endif
void FillLaneNormalPairs(const LaneKeys& keys, const uint32_t* c0, const uint32_t* c1,
                         const uint32_t* c2, const uint32_t* c3, size_t n, double* first,
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

}  // namespace pathwise::random
