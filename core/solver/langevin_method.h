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

// The info every Langevin method shares: it accepts only a Langevin model, whose
// noise is additive, so one strong order serves every noise class.
constexpr MethodInfo LangevinInfo(MethodId id, absl::string_view name,
                                  absl::string_view description, brownian::LevyArea levy_area,
                                  double strong_order, bool embedded_error = false) {
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
  };
}

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_LANGEVIN_METHOD_H_
