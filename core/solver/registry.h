// All methods by id and name, and the model/method compatibility check.
#ifndef PATHWISE_CORE_SOLVER_REGISTRY_H_
#define PATHWISE_CORE_SOLVER_REGISTRY_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::solver {

// Every method, in MethodId order (the wire methods first, then the CIR ones).
const std::vector<const Method*>& AllMethods();

// The method with this id (every MethodId has one).
const Method& GetMethod(MethodId id);

// By name ("euler", "shark", ...): "method: unknown method 'x' (known: ...)".
absl::StatusOr<const Method*> FindMethod(absl::string_view name);

// OK when `method` can solve `sde`; otherwise INVALID_ARGUMENT naming the
// requirement that fails and the methods that fit, e.g. "method: shark needs
// additive noise, but gbm (n=1, m=1, scalar noise, ito) has scalar noise;
// methods that fit: euler, milstein".
absl::Status CheckCompatibility(const Method& method, const model::Sde& sde);

// Names of the methods compatible with `sde`.
std::vector<absl::string_view> FittingMethods(const model::Sde& sde);

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_REGISTRY_H_
