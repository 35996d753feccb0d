#include "core/control/step_to.h"

namespace pathwise::control {

void StepToController::Reset(double, const double*, int) { i_ = 0; }

double StepToController::Propose(double t) {
  while (i_ + 1 < ts_->size() && (*ts_)[i_ + 1] <= t) ++i_;
  return i_ + 1 < ts_->size() ? (*ts_)[i_ + 1] : ts_->back();
}

}  // namespace pathwise::control
