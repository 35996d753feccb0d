// What a BrownianCursor counts: the work behind its answers, for benchmarks
// and for tests that check the cache is used.
#ifndef PATHWISE_CORE_BROWNIAN_CURSOR_STATS_H_
#define PATHWISE_CORE_BROWNIAN_CURSOR_STATS_H_

#include <cstdint>

namespace pathwise::brownian {

struct CursorStats {
  uint64_t queries = 0;           // increments answered
  uint64_t levels_descended = 0;  // node splits computed
  uint64_t levels_reused = 0;     // node splits served from the cache
  uint64_t blocks_drawn = 0;      // Philox blocks drawn (two normals each), prefetch included
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_CURSOR_STATS_H_
