// Step-size control options (the wire StepControl), their validation, and the
// controller each one builds.
#ifndef PATHWISE_CORE_CONTROL_STEP_CONTROL_H_
#define PATHWISE_CORE_CONTROL_STEP_CONTROL_H_

#include <cmath>
#include <memory>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "core/control/controller.h"

namespace pathwise::control {

struct ConstantStep {
  double dt = 0.0;  // step size, in (0, t1 − t0]; required
};

struct StepTo {
  std::vector<double> ts;  // strictly increasing, ts.front() = t0, ts.back() = t1; required
};

// PID step-size control (Söderlind; as in Diffrax's PIDController). With the
// scaled error norm ε_n (error_norm.h) of step n and q = strong order + ½ (the
// local order of the error estimate), the next step is h·factor with
//   factor = safety · ε_n^{−(p+i+d)/q} · ε_{n−1}^{(p+2d)/q} · ε_{n−2}^{−d/q}
// clipped to [factormin, factormax] (and to at most `safety` after a rejection),
// then to [dtmin, dtmax]. A step is accepted when ε_n <= 1. A step whose size
// is already dtmin is accepted whatever its error (the solve then reports
// dtmin_reached, as Diffrax does) — unless y1 is not finite, which ends the
// path with status nonfinite. Rejected steps are retried over the shorter
// interval of the same Brownian path.
struct AdaptiveStep {
  double rtol = 0.0;            // relative tolerance, >= 0; rtol + atol > 0 (no default)
  double atol = 0.0;            // absolute tolerance, >= 0
  double dt0 = 0.0;             // first step; 0: (t1 − t0) / 64, clipped to [dtmin, dtmax]
  double dtmin = 0.0;           // smallest step, > 0; 0: (t1 − t0) · 2^-20
  double dtmax = INFINITY;      // largest step, >= dtmin
  double pcoeff = 0.0;          // proportional coefficient
  double icoeff = 1.0;          // integral coefficient (0, 1, 0 is the classical I controller)
  double dcoeff = 0.0;          // derivative coefficient
  double safety = 0.9;          // in (0, 1]
  double factormin = 0.2;       // in (0, 1]
  double factormax = 10.0;      // >= 1
  std::vector<double> step_ts;  // times the solve must step to exactly, within [t0, t1]
};

// The state-dependent controller of the CIR experiment (Foster, dos Reis &
// Strange, arXiv 2210.17543, §7): after the step from y_n to y_{n+1},
//   h_{n+1} = clip((max(min(y_n, y_{n+1}), 0) · ctol)^{2/3}, hmin, hmax),
// the minimum taken over both states and all components; the first step uses
// y_0 alone. Every step is accepted (no error estimate): small steps where the
// solution approaches 0, where the square root's non-smoothness hurts.
struct StateDependentStep {
  double ctol = 0.0;      // > 0; required
  double hmin = 0x1p-15;  // > 0
  double hmax = 1.0;      // >= hmin
};

using StepControl = std::variant<ConstantStep, AdaptiveStep, StepTo, StateDependentStep>;

// The wire name of the variant's field: "constant", "adaptive", "step_to", "state_dependent".
const char* StepControlName(const StepControl& step);

// Checks every field against [t0, t1]. Messages name the field plainly
// ("rtol: must be >= 0"); the caller prefixes the path.
absl::Status ValidateStepControl(const StepControl& step, double t0, double t1);

// The smallest step the control can take (dt, dtmin resolved, hmin, or the
// smallest gap of ts): the Brownian tree's tolerance defaults to half of it.
double SmallestStep(const StepControl& step, double t0, double t1);

// The resolved dtmin of an adaptive control (its default applied).
double ResolvedDtmin(const AdaptiveStep& step, double t0, double t1);

// Builds a controller for a validated control. `error_order` is the local order
// q of the error estimate (used by the PID controller only).
std::unique_ptr<Controller> MakeController(const StepControl& step, double t0, double t1,
                                           double error_order);

}  // namespace pathwise::control

#endif  // PATHWISE_CORE_CONTROL_STEP_CONTROL_H_
