// The model a method integrates, and its initial state, from the model a user
// gave: the decisions every caller of the core shares (the server's Solve,
// pathwise-lab), so that they all solve the same process.
//
// - Built-in models are Itô SDEs as written. A Stratonovich method (Heun,
//   Euler–Heun, ...) solves the same process through the model's Stratonovich
//   form (model/stratonovich_form.h) where it has one; otherwise the
//   method/model check of MakePlan reports the mismatch. A model whose
//   calculus the user declared (an expression model) is kept as declared.
// - A Langevin model's initial state is y0, or its positions x0 then its
//   velocities v0 (zeros when v0 is empty).
#ifndef PATHWISE_CORE_INTEGRATE_MODEL_FOR_METHOD_H_
#define PATHWISE_CORE_INTEGRATE_MODEL_FOR_METHOD_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "core/model/sde.h"
#include "core/solver/method.h"

namespace pathwise::integrate {

// The model as the user gave it.
struct UserModel {
  std::shared_ptr<const model::Sde> sde;
  // True for a built-in model (Itô as written: converted to the calculus the
  // method needs); false when the user declared the calculus.
  bool ito_as_written = false;
  std::vector<double> y0;  // may be empty for a Langevin model given by x0 (and v0)
  // Langevin models only: positions and velocities, dim values each (v0 may be empty).
  std::vector<double> x0;
  std::vector<double> v0;
};

struct PreparedModel {
  std::shared_ptr<const model::Sde> sde;  // what the method integrates
  std::vector<double> y0;                 // its initial state: state_dim values
};

// Errors are INVALID_ARGUMENT naming the field as in the wire contract:
// "y0: give either y0 or model.langevin.x0 / v0, not both",
// "model.langevin.x0: expected 2 values (dim), got 1 (or give y0 with 4 values)",
// "model.langevin.v0: expected 2 values (dim) or none, got 1",
// "model.langevin.x0: only for a Langevin model, not ou",
// "y0: expected 2 values for heston, got 3".
// Finiteness of y0 and the method/model fit are MakePlan's.
absl::StatusOr<PreparedModel> ModelForMethod(UserModel user, const solver::Method& method);

}  // namespace pathwise::integrate

#endif  // PATHWISE_CORE_INTEGRATE_MODEL_FOR_METHOD_H_
