// Shared plumbing of the methods written for the built-in CIR model
// (dy = a(b − y) dt + σ√y dW, per component): its parameters and the info both
// CIR methods declare.
#ifndef PATHWISE_CORE_SOLVER_CIR_METHOD_H_
#define PATHWISE_CORE_SOLVER_CIR_METHOD_H_

#include "core/model/cir.h"
#include "core/solver/method.h"

namespace pathwise::solver {

// The CIR form of `sde` (CheckCompatibility guarantees a ModelForm::kCir method
// sees only the built-in cir model).
inline const model::CirModel& AsCir(const model::Sde& sde) {
  return static_cast<const model::CirModel&>(sde);
}

// The info every CIR method shares: it accepts only the cir model, whose noise
// is diagonal, with strong order 1 whatever class a model names.
constexpr MethodInfo CirInfo(MethodId id, absl::string_view name, absl::string_view description,
                             brownian::LevyArea levy_area) {
  return MethodInfo{
      .id = id,
      .name = name,
      .description = description,
      .levy_area = levy_area,
      .form = ModelForm::kCir,
      .max_noise = model::NoiseClass::kDiagonal,
      .order_additive = 1.0,
      .order_commutative = 1.0,
      .order_general = 1.0,
  };
}

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_CIR_METHOD_H_
