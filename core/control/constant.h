// Constant steps: the grid t0 + k dt (k = 0, 1, ...), each point computed
// directly (not accumulated), the last step ending at t1. Every step is accepted.
#ifndef PATHWISE_CORE_CONTROL_CONSTANT_H_
#define PATHWISE_CORE_CONTROL_CONSTANT_H_

#include <cstdint>

#include "core/control/controller.h"

namespace pathwise::control {

class ConstantController final : public Controller {
 public:
  ConstantController(double t0, double t1, double dt) : t0_(t0), t1_(t1), dt_(dt) {}

  void Reset(double t0, const double* y0, int n) override;
  double Propose(double t) override;
  bool AlwaysAccepts() const override { return true; }
  Decision Decide(const StepAttempt&) override { return {}; }

 private:
  double Grid(int64_t k) const { return t0_ + static_cast<double>(k) * dt_; }

  double t0_, t1_, dt_;
  int64_t k_ = 0;  // index of the last grid point at or before the current time
};

}  // namespace pathwise::control

#endif  // PATHWISE_CORE_CONTROL_CONSTANT_H_
