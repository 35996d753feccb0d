// Shared plumbing of the underdamped Langevin methods (ALIGN, ShOULD, QUICSORT):
// the state y = (x, v) with x, v ∈ R^d, the model's γ, u, ρ = √(2γu) and ∇U.
#ifndef PATHWISE_CORE_SOLVER_LANGEVIN_METHOD_H_
#define PATHWISE_CORE_SOLVER_LANGEVIN_METHOD_H_

#include "core/model/langevin.h"
#include "core/solver/method.h"

namespace pathwise::solver {

// The Langevin form of `sde` (CheckCompatibility guarantees it is non-null).
inline const model::LangevinModel& AsLangevin(const model::Sde& sde) { return *sde.AsLangevin(); }

// ∇U(x) into grad, counted as a drift evaluation.
inline void GradientAt(const model::LangevinModel& lm, const double* x, double* grad,
                       StepWork& work) {
  lm.potential().Gradient(x, grad);
  work.counts.drift += 1;
}

// The error companion of the third-order methods (ShOULD, QUICSORT): the same
// step with its drift integrals replaced by ALIGN's quadrature, which takes
// ∇U at the step's two ends only,
//   ∫ e^{−γ(h−s)} ∇U(x(s)) ds ≈ (a1 − b1) f0 + b1 f1,   ∫ a_{h−s} ∇U(x(s)) ds ≈ h b1 f0,
// with a1 = h E_1(γh), b1 = h E_2(γh), f0 = ∇U(x0), f1 = ∇U(x1) (exact when
// ∇U(x(s)) is linear in s, resp. constant). The noise terms are the method's
// own, so err = y_method − y_companion is the difference of the drift terms
// alone: O(h^2.5) in mean square (docs/solver.md §3).
inline constexpr double kCompanionErrorOrder = 2.5;

struct AlignDriftQuadrature {
  double uhb1;    // u h b1: the weight of f0 in x
  double v0, v1;  // u (a1 − b1) and u b1: the weights of f0 and f1 in v
  double X(double f0) const { return -uhb1 * f0; }
  double V(double f0, double f1) const { return -(v0 * f0 + v1 * f1); }
};

inline AlignDriftQuadrature MakeAlignDriftQuadrature(double h, double a1, double b1, double u) {
  return {u * h * b1, u * (a1 - b1), u * b1};
}

// The info every Langevin method shares: it accepts only a Langevin model, whose
// noise is additive, so one strong order serves every noise class.
constexpr MethodInfo LangevinInfo(MethodId id, absl::string_view name,
                                  absl::string_view description, brownian::LevyArea levy_area,
                                  double strong_order, bool embedded_error = false,
                                  double embedded_error_order = 0.0) {
  return MethodInfo{
      .id = id,
      .name = name,
      .description = description,
      .levy_area = levy_area,
      .form = ModelForm::kLangevin,
      .max_noise = model::NoiseClass::kAdditive,
      .order_additive = strong_order,
      .order_commutative = strong_order,
      .order_general = strong_order,
      .embedded_error = embedded_error,
      .embedded_error_order = embedded_error_order,
  };
}

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_LANGEVIN_METHOD_H_
