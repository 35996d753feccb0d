#include "core/random/normal.h"

#include "core/random/normal_kernels.h"

namespace pathwise::random {

void FillNormalPairs(const PhiloxKey& key, const uint32_t* c0, const uint32_t* c1,
                     const uint32_t* c2, const uint32_t* c3, size_t n, double* first,
                     double* second) {
  FillNormalPairsOn(FillIsa(), key, c0, c1, c2, c3, n, first, second);
}

void FillNormalPairsAlongComponent(const PhiloxKey& key, uint32_t c0, uint32_t c1,
                                   uint32_t c2_begin, uint32_t c3, size_t n, double* first,
                                   double* second) {
  FillNormalPairsAlongComponentOn(FillIsa(), key, c0, c1, c2_begin, c3, n, first, second);
}

void FillNormalPairsAlongHeapPaths(const PhiloxKey& key, const HeapPathCounters& paths,
                                   double* first, double* second) {
  FillNormalPairsAlongHeapPathsOn(FillIsa(), key, paths, first, second);
}

}  // namespace pathwise::random
