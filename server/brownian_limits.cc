#include "server/brownian_limits.h"

#include <algorithm>
#include <climits>

namespace pathwise::server {

int BrownianLimits::MaxRequestBytes() const {
  // An interval costs at most 2 + 2 * 9 bytes; a PathSpec well under 1 KiB.
  const uint64_t bytes = max_queries * 20 + (64 << 10);
  return static_cast<int>(std::min<uint64_t>(bytes, INT_MAX));
}

int BrownianLimits::MaxSendBytes() const {
  const uint64_t bytes = max_response_bytes + (1 << 20);
  return static_cast<int>(std::min<uint64_t>(bytes, INT_MAX));
}

}  // namespace pathwise::server
