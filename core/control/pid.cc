#include "core/control/pid.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/control/error_norm.h"

namespace pathwise::control {

// Relative slack when comparing a step with dtmin (steps are differences of times).
constexpr double kDtminSlack = 1e-12;

PidController::PidController(const AdaptiveStep& opts, double t0, double t1, double error_order)
    : opts_(opts), dtmin_(ResolvedDtmin(opts, t0, t1)) {
  dt0_ = opts.dt0 > 0.0 ? opts.dt0 : (t1 - t0) / 64.0;
  dt0_ = std::clamp(dt0_, dtmin_, std::max(dtmin_, opts.dtmax));
  // Söderlind's PID in the parametrisation of Diffrax's PIDController.
  beta1_ = (opts.pcoeff + opts.icoeff + opts.dcoeff) / error_order;
  beta2_ = -(opts.pcoeff + 2.0 * opts.dcoeff) / error_order;
  beta3_ = opts.dcoeff / error_order;
}

double PidController::Clip(double h) const {
  return std::clamp(h, dtmin_, std::max(dtmin_, opts_.dtmax));
}

void PidController::Reset(double, const double*, int) {
  h_ = dt0_;
  inv_prev1_ = inv_prev2_ = 1.0;
}

Decision PidController::Decide(const StepAttempt& a) {
  const double proposed = a.proposed_t1 - a.t0;
  const bool at_dtmin = proposed <= dtmin_ * (1.0 + kDtminSlack);
  double eps = std::numeric_limits<double>::infinity();
  if (a.finite) eps = ScaledErrorNorm(a.n, a.err, a.y0, a.y1, opts_.rtol, opts_.atol);
  Decision d;
  d.accept = eps <= 1.0 || (at_dtmin && a.finite);
  d.forced_at_dtmin = d.accept && eps > 1.0;
  d.give_up = !a.finite && at_dtmin;
  const double inv = eps > 0.0 ? 1.0 / eps : std::numeric_limits<double>::infinity();
  double factor = opts_.safety * std::pow(inv, beta1_) * std::pow(inv_prev1_, beta2_) *
                  std::pow(inv_prev2_, beta3_);
  if (!std::isfinite(factor)) factor = inv > 1.0 ? opts_.factormax : opts_.factormin;
  factor = std::clamp(factor, opts_.factormin, opts_.factormax);
  if (!d.accept) factor = std::min(factor, opts_.safety);
  // After a step clipped to a must-hit time, scale the unclipped proposal (as Diffrax).
  const bool clipped = a.t1 < a.proposed_t1;
  const double base = clipped && d.accept ? proposed : a.t1 - a.t0;
  h_ = Clip(base * factor);
  if (d.accept) {
    inv_prev2_ = inv_prev1_;
    inv_prev1_ = std::isfinite(inv) ? inv : opts_.factormax;
  }
  return d;
}

}  // namespace pathwise::control
