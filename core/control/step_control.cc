#include "core/control/step_control.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "core/control/constant.h"
#include "core/control/pid.h"
#include "core/control/state_dependent.h"
#include "core/control/step_to.h"

namespace pathwise::control {
namespace {

absl::Status Invalid(const std::string& msg) { return absl::InvalidArgumentError(msg); }

bool Finite(double v) { return std::isfinite(v); }

// A step of `dt` from t moves time (t + dt != t) at every t in [t0, t1] when
// it does at the largest |t|, where doubles are spaced widest. A step that
// cannot advance time would repeat until max_steps.
absl::Status CheckAdvancesTime(const char* field, double dt, double t0, double t1) {
  const double t = std::max(std::abs(t0), std::abs(t1));
  if (t + dt != t) return absl::OkStatus();
  const double spacing = std::nextafter(t, std::numeric_limits<double>::infinity()) - t;
  return Invalid(absl::StrCat(field, ": ", dt,
                              " is below the spacing of doubles at max(|t0|, |t1|) = ", t, " (t + ",
                              field, " == t); must be more than half of ", spacing));
}

absl::Status ValidateConstant(const ConstantStep& s, double t0, double t1) {
  if (!(s.dt > 0.0) || !(s.dt <= t1 - t0)) return Invalid("dt: must be > 0 and <= t1 - t0");
  return CheckAdvancesTime("dt", s.dt, t0, t1);
}

absl::Status ValidateTimes(const std::vector<double>& ts, double t0, double t1, const char* field,
                           bool must_span) {
  for (size_t i = 0; i < ts.size(); ++i) {
    if (!Finite(ts[i]) || ts[i] < t0 || ts[i] > t1) {
      return Invalid(absl::StrCat(field, "[", i, "]: must be within [t0, t1]"));
    }
    if (i > 0 && !(ts[i] > ts[i - 1])) {
      return Invalid(absl::StrCat(field, "[", i, "]: must be greater than the previous time"));
    }
  }
  if (must_span && (ts.size() < 2 || ts.front() != t0 || ts.back() != t1)) {
    return Invalid(absl::StrCat(field, ": must start at t0 and end at t1"));
  }
  return absl::OkStatus();
}

absl::Status ValidateAdaptive(const AdaptiveStep& s, double t0, double t1) {
  if (!(s.rtol >= 0.0) || !Finite(s.rtol)) return Invalid("rtol: must be >= 0 and finite");
  if (!(s.atol >= 0.0) || !Finite(s.atol)) return Invalid("atol: must be >= 0 and finite");
  if (!(s.rtol + s.atol > 0.0)) return Invalid("rtol: rtol or atol must be > 0");
  if (!(s.dtmin >= 0.0) || s.dtmin > t1 - t0) return Invalid("dtmin: must be in [0, t1 - t0]");
  const double dtmin = ResolvedDtmin(s, t0, t1);
  if (!(s.dtmax >= dtmin)) return Invalid("dtmax: must be >= dtmin");
  if (absl::Status a = CheckAdvancesTime("dtmin", dtmin, t0, t1); !a.ok()) return a;
  if (!(s.dt0 >= 0.0) || !Finite(s.dt0)) return Invalid("dt0: must be >= 0 and finite");
  if (!Finite(s.pcoeff) || !Finite(s.icoeff) || !Finite(s.dcoeff)) {
    return Invalid("pcoeff: pcoeff, icoeff and dcoeff must be finite");
  }
  if (!(s.pcoeff + s.icoeff + s.dcoeff > 0.0)) {
    return Invalid("icoeff: pcoeff + icoeff + dcoeff must be > 0");
  }
  if (!(s.safety > 0.0 && s.safety <= 1.0)) return Invalid("safety: must be in (0, 1]");
  if (!(s.factormin > 0.0 && s.factormin <= 1.0)) return Invalid("factormin: must be in (0, 1]");
  if (!(s.factormax >= 1.0) || !Finite(s.factormax)) {
    return Invalid("factormax: must be >= 1 and finite");
  }
  return ValidateTimes(s.step_ts, t0, t1, "step_ts", false);
}

absl::Status ValidateStateDependent(const StateDependentStep& s, double t0, double t1) {
  if (!(s.ctol > 0.0) || !Finite(s.ctol)) return Invalid("ctol: must be > 0 and finite");
  if (!(s.hmin > 0.0) || s.hmin > t1 - t0) return Invalid("hmin: must be in (0, t1 - t0]");
  if (!(s.hmax >= s.hmin)) return Invalid("hmax: must be >= hmin");
  return absl::OkStatus();
}

}  // namespace

const char* StepControlName(const StepControl& step) {
  static const char* const kNames[] = {"constant", "adaptive", "step_to", "state_dependent"};
  return kNames[step.index()];
}

double ResolvedDtmin(const AdaptiveStep& step, double t0, double t1) {
  return step.dtmin > 0.0 ? step.dtmin : (t1 - t0) * 0x1p-20;
}

absl::Status ValidateStepControl(const StepControl& step, double t0, double t1) {
  if (const auto* s = std::get_if<ConstantStep>(&step)) return ValidateConstant(*s, t0, t1);
  if (const auto* s = std::get_if<AdaptiveStep>(&step)) return ValidateAdaptive(*s, t0, t1);
  if (const auto* s = std::get_if<StepTo>(&step)) return ValidateTimes(s->ts, t0, t1, "ts", true);
  return ValidateStateDependent(std::get<StateDependentStep>(step), t0, t1);
}

double SmallestStep(const StepControl& step, double t0, double t1) {
  if (const auto* s = std::get_if<ConstantStep>(&step)) return std::min(s->dt, t1 - t0);
  if (const auto* s = std::get_if<AdaptiveStep>(&step)) return ResolvedDtmin(*s, t0, t1);
  if (const auto* s = std::get_if<StepTo>(&step)) {
    double m = t1 - t0;
    for (size_t i = 1; i < s->ts.size(); ++i) m = std::min(m, s->ts[i] - s->ts[i - 1]);
    return m;
  }
  return std::get<StateDependentStep>(step).hmin;
}

std::unique_ptr<Controller> MakeController(const StepControl& step, double t0, double t1,
                                           double error_order) {
  if (const auto* s = std::get_if<ConstantStep>(&step)) {
    return std::make_unique<ConstantController>(t0, t1, s->dt);
  }
  if (const auto* s = std::get_if<AdaptiveStep>(&step)) {
    return std::make_unique<PidController>(*s, t0, t1, error_order);
  }
  if (const auto* s = std::get_if<StepTo>(&step)) return std::make_unique<StepToController>(s->ts);
  return std::make_unique<StateDependentController>(std::get<StateDependentStep>(step));
}

}  // namespace pathwise::control
