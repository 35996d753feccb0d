// Step to given times: the steps are exactly [ts[i], ts[i+1]], with ts[0] = t0
// and ts.back() = t1 (checked by ValidateStepControl). Every step is accepted.
// Re-running an adaptive solve with its accepted step times gives the same
// bits: the steps, and so the Brownian queries, are identical.
#ifndef PATHWISE_CORE_CONTROL_STEP_TO_H_
#define PATHWISE_CORE_CONTROL_STEP_TO_H_

#include <cstddef>
#include <vector>

#include "core/control/controller.h"

namespace pathwise::control {

class StepToController final : public Controller {
 public:
  explicit StepToController(const std::vector<double>& ts) : ts_(&ts) {}

  void Reset(double t0, const double* y0, int n) override;
  double Propose(double t) override;
  bool AlwaysAccepts() const override { return true; }
  Decision Decide(const StepAttempt&) override { return {}; }

 private:
  const std::vector<double>* ts_;  // owned by the options, which outlive the solve
  size_t i_ = 0;
};

}  // namespace pathwise::control

#endif  // PATHWISE_CORE_CONTROL_STEP_TO_H_
