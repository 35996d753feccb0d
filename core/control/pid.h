// The PID controller of AdaptiveStep (see step_control.h for the formulas).
#ifndef PATHWISE_CORE_CONTROL_PID_H_
#define PATHWISE_CORE_CONTROL_PID_H_

#include "core/control/controller.h"
#include "core/control/step_control.h"

namespace pathwise::control {

class PidController final : public Controller {
 public:
  // `opts` validated; `error_order` q > 0.
  PidController(const AdaptiveStep& opts, double t0, double t1, double error_order);

  bool NeedsErrorEstimate() const override { return true; }
  void Reset(double t0, const double* y0, int n) override;
  double Propose(double t) override { return t + h_; }
  Decision Decide(const StepAttempt& attempt) override;

 private:
  double Clip(double h) const;

  AdaptiveStep opts_;
  double dtmin_, dt0_;
  double beta1_, beta2_, beta3_;              // exponents of 1/ε_n, 1/ε_{n−1}, 1/ε_{n−2}
  double h_ = 0.0;                            // the next proposed step size
  double inv_prev1_ = 1.0, inv_prev2_ = 1.0;  // 1/ε of the last two accepted steps
};

}  // namespace pathwise::control

#endif  // PATHWISE_CORE_CONTROL_PID_H_
