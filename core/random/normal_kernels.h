// The batch loops of normal.h, built once per x86-64 instruction set and
// chosen at run time (normal.cc uses the widest the CPU runs).
//
// Every kernel gives the same bits: Philox is integer arithmetic, and the
// Box-Muller lanes run the same IEEE operations as the scalar code (with
// -ffp-contract=off nothing is fused). The baseline kernel is the scalar loop
// of normal.h, vectorised by the compiler. The AVX2 kernel is written by hand
// (normal_avx2.h): Philox with 32x32->64-bit multiplies (vpmuludq) on one
// word per 64-bit lane, four blocks per register, and Box-Muller transcribed
// operation for operation, with the next blocks' Philox run between the
// Horner steps; the compiler's vectorisation of the scalar loop spent many
// shuffles on the 32-bit words and ran half as fast. The AVX-512 kernel
// writes Philox's rounds the same way in eight lanes (the vectoriser would
// widen them to 64x64-bit multiplies, vpmullq, several times slower, when
// AVX512DQ is there) and leaves Box-Muller to the vectoriser.
//
// Tests run each kernel the CPU supports against the scalar reference.
#ifndef PATHWISE_CORE_RANDOM_NORMAL_KERNELS_H_
#define PATHWISE_CORE_RANDOM_NORMAL_KERNELS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/random/normal.h"
#include "core/random/philox.h"

namespace pathwise::random {

enum class VectorIsa {
  kBaseline,  // x86-64 (SSE2), or any other architecture
  kAvx2,      // AVX2
  kAvx512,    // x86-64-v4 (AVX-512 F, BW, CD, DQ, VL)
};

inline constexpr VectorIsa kAllVectorIsas[] = {VectorIsa::kBaseline, VectorIsa::kAvx2,
                                               VectorIsa::kAvx512};

std::string_view VectorIsaName(VectorIsa isa);  // "baseline", "avx2", "avx512"

// Whether this CPU (and this build) runs the kernels of `isa`.
bool CpuRuns(VectorIsa isa);

// The widest instruction set the CPU runs: the one normal.h's fills use.
VectorIsa FillIsa();

// The fills of normal.h on a named instruction set; CpuRuns(isa) must hold.
void PhiloxBlocksOn(VectorIsa isa, const PhiloxKey& key, const uint32_t* c0, const uint32_t* c1,
                    const uint32_t* c2, const uint32_t* c3, size_t n, PhiloxBlock* blocks);
void FillNormalPairsOn(VectorIsa isa, const PhiloxKey& key, const uint32_t* c0, const uint32_t* c1,
                       const uint32_t* c2, const uint32_t* c3, size_t n, double* first,
                       double* second);
void FillNormalPairsAlongComponentOn(VectorIsa isa, const PhiloxKey& key, uint32_t c0, uint32_t c1,
                                     uint32_t c2_begin, uint32_t c3, size_t n, double* first,
                                     double* second);
void FillNormalPairsAlongHeapPathsOn(VectorIsa isa, const PhiloxKey& key,
                                     const HeapPathCounters& paths, double* first, double* second);

// BoxMuller of normal.h as the fills of `isa` run it, on chosen words (for
// tests): first[i], second[i] from radius_bits[i], angle_bits[i].
void BoxMullerOn(VectorIsa isa, const uint64_t* radius_bits, const uint64_t* angle_bits, size_t n,
                 double* first, double* second);

}  // namespace pathwise::random

#endif  // PATHWISE_CORE_RANDOM_NORMAL_KERNELS_H_
