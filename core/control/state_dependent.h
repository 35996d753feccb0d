// The state-dependent controller of StateDependentStep (see step_control.h).
#ifndef PATHWISE_CORE_CONTROL_STATE_DEPENDENT_H_
#define PATHWISE_CORE_CONTROL_STATE_DEPENDENT_H_

#include "core/control/controller.h"
#include "core/control/step_control.h"

namespace pathwise::control {

class StateDependentController final : public Controller {
 public:
  explicit StateDependentController(const StateDependentStep& opts) : opts_(opts) {}

  void Reset(double t0, const double* y0, int n) override;
  double Propose(double t) override { return t + h_; }
  Decision Decide(const StepAttempt& attempt) override;

 private:
  // clip((max(m, 0) · ctol)^{2/3}, hmin, hmax) for the smallest state value m.
  double StepFor(double m) const;

  StateDependentStep opts_;
  double h_ = 0.0;
};

}  // namespace pathwise::control

#endif  // PATHWISE_CORE_CONTROL_STATE_DEPENDENT_H_
