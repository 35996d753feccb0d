#include "core/control/constant.h"

namespace pathwise::control {

// A grid point closer than this fraction of dt to t1 is merged into t1, so that
// rounding in t0 + k dt never leaves a sliver of a last step.
constexpr double kSnap = 1e-9;

void ConstantController::Reset(double, const double*, int) { k_ = 0; }

double ConstantController::Propose(double t) {
  while (Grid(k_ + 1) <= t) ++k_;
  const double next = Grid(k_ + 1);
  return next >= t1_ - kSnap * dt_ ? t1_ : next;
}

}  // namespace pathwise::control
