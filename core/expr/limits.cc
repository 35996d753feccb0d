#include "core/expr/limits.h"

namespace pathwise::expr {

absl::Status Limits::Validate() const {
  // Offsets are stored in 32 bits.
  if (max_length < 1 || max_length > (size_t{1} << 30)) {
    return absl::InvalidArgumentError("limits.max_length: must be in [1, 2^30]");
  }
  if (max_depth < 1 || max_depth > 5000) {
    return absl::InvalidArgumentError("limits.max_depth: must be in [1, 5000]");
  }
  if (max_nodes < 1) return absl::InvalidArgumentError("limits.max_nodes: must be >= 1");
  if (max_outputs < 1) return absl::InvalidArgumentError("limits.max_outputs: must be >= 1");
  if (max_state < 1) return absl::InvalidArgumentError("limits.max_state: must be >= 1");
  return absl::OkStatus();
}

}  // namespace pathwise::expr
