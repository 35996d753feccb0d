// Which Brownian path drives which sample of an estimate.
//
// Sample i of level l (the coupled pair P_l - P_{l-1}, or P_0 at level 0) is
// driven by the path of the estimate's seed with
//
//   path_index = l << kSampleBits | i,   i < 2^kSampleBits, l < 2^(64 - kSampleBits)
//
// (core/brownian/counter_layout.h turns (seed, path_index) into the path's
// key). So every sample of every level is reproducible on its own, levels use
// disjoint path sets and are independent, and sample i of level l is the same
// path however many samples the level ends up with. Plain Monte Carlo at level
// l uses the same layout; an antithetic sample adds the mirror of its path
// (PathSpec::antithetic), not another index.
#ifndef PATHWISE_CORE_ESTIMATE_SAMPLE_LAYOUT_H_
#define PATHWISE_CORE_ESTIMATE_SAMPLE_LAYOUT_H_

#include <cstdint>

namespace pathwise::estimate {

inline constexpr int kSampleBits = 40;  // up to 2^40 (about 1.1e12) samples per level
inline constexpr uint64_t kMaxSamplesPerLevel = uint64_t{1} << kSampleBits;

// Samples are solved in blocks of kBlockSamples consecutive indices: block b
// of a level is samples [b kBlockSamples, (b + 1) kBlockSamples). Sample counts
// grow in whole blocks, and a level's statistics are its blocks' combined in
// block order, so they do not depend on who solved which block.
inline constexpr uint64_t kBlockSamples = 64;

inline constexpr uint64_t SamplePathIndex(int level, uint64_t sample) {
  return (static_cast<uint64_t>(level) << kSampleBits) | sample;
}

}  // namespace pathwise::estimate

#endif  // PATHWISE_CORE_ESTIMATE_SAMPLE_LAYOUT_H_
