#include "core/integrate/solution.h"

#include "absl/strings/string_view.h"

namespace pathwise::integrate {

absl::string_view SolveStatusName(SolveStatus status) {
  switch (status) {
    case SolveStatus::kSuccess:
      return "success";
    case SolveStatus::kMaxStepsReached:
      return "max_steps_reached";
    case SolveStatus::kDtminReached:
      return "dtmin_reached";
    case SolveStatus::kNonfinite:
      return "nonfinite";
  }
  return "unknown";
}

}  // namespace pathwise::integrate
