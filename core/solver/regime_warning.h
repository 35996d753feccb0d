// Warnings for a method used outside the regime where its documented accuracy
// holds (the solve still runs; the server logs the warning).
#ifndef PATHWISE_CORE_SOLVER_REGIME_WARNING_H_
#define PATHWISE_CORE_SOLVER_REGIME_WARNING_H_

#include <string>

#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::solver {

// "" when `method` is accurate on `sde` as documented; otherwise one sentence
// naming the method, the regime and the measured bias. Today: cir_splitting
// and cir_implicit_euler on a cir model with 4ab < σ², where both schemes
// clip at 0 and their mean is biased upward, converging like dt^0.15
// (docs/solver.md, "CIR methods below 4ab = σ²").
std::string RegimeWarning(const Method& method, const model::Sde& sde);

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_REGIME_WARNING_H_
