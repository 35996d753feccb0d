// The Stratonovich form of an Itô SDE with diagonal noise: the same process,
// written so that a Stratonovich method (Euler–Heun, Heun, ...) solves it.
// With g diagonal and g_i depending on y_i only, the Itô SDE
//   dy_i = f_i dt + g_i dW_i
// equals the Stratonovich SDE
//   dy_i = (f_i − ½ g_i ∂g_i/∂y_i) dt + g_i ∘ dW_i
// (Kloeden & Platen 1992, §4.9). The correction is ½ times the diffusion's
// derivative along g itself, i.e. ½ DiffusionJvp(t, y, g(t, y)).
#ifndef PATHWISE_CORE_MODEL_STRATONOVICH_FORM_H_
#define PATHWISE_CORE_MODEL_STRATONOVICH_FORM_H_

#include <memory>

#include "absl/status/statusor.h"
#include "core/model/sde.h"

namespace pathwise::model {

// True when StratonovichForm can convert `sde`: Itô, diagonal shape with
// scalar or diagonal noise class, and a diffusion Jacobian-vector product.
bool HasStratonovichForm(const Sde& sde);

// The converted model (calculus kStratonovich, same name, noise and dimensions).
// INVALID_ARGUMENT when !HasStratonovichForm(*ito).
absl::StatusOr<std::shared_ptr<const Sde>> StratonovichForm(std::shared_ptr<const Sde> ito);

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_STRATONOVICH_FORM_H_
