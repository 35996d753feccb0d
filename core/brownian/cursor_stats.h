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
  // Interpolations inside a leaf (steps that start or end inside one):
  uint64_t leaf_points_reused = 0;     // served by the kept last one (a step starting at its end)
  uint64_t leaf_weights_replayed = 0;  // with weights recorded on the path before
  uint64_t leaf_draws_ahead = 0;       // with leaf draws drawn ahead in a batch
};

}  // namespace pathwise::brownian

#endif  // PATHWISE_CORE_BROWNIAN_CURSOR_STATS_H_
