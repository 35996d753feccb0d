// The catalog of built-in models and Langevin potentials: names, descriptions,
// parameter specs (for ListCapabilities) and factories.
#ifndef PATHWISE_CORE_MODEL_CATALOG_H_
#define PATHWISE_CORE_MODEL_CATALOG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "core/model/params.h"
#include "core/model/potential.h"
#include "core/model/sde.h"

namespace pathwise::model {

struct ModelInfo {
  std::string name;         // e.g. "ou"
  std::string description;  // the equation
  std::vector<ParamSpec> params;
  int state_dim = 0;  // fixed state dimension, or 0: any n >= 1 (taken from y0)
  NoiseClass noise;   // noise class (for n = 1 when it depends on n)
  // Names of the state components: one per component for a fixed state_dim
  // (heston: S, v); one name for per-component models, indexed y[0], y[1], ...
  std::vector<std::string> state_names;
};

const std::vector<ModelInfo>& BuiltinModels();

// Builds a built-in model. `state_dim` is the length of y0 (checked against a
// fixed dimension). `calculus` selects the Itô (default, as the equations are
// written) or Stratonovich reading of multiplicative-noise models; additive
// models ignore it. Errors: "name: unknown model 'x' (known: ou, gbm, ...)",
// "y0: heston needs 2 values (S, v), got 1", parameter errors from ResolveParams.
absl::StatusOr<std::unique_ptr<Sde>> MakeBuiltinModel(absl::string_view name,
                                                      const ParamMap& params, int state_dim,
                                                      Calculus calculus = Calculus::kIto);

struct PotentialInfo {
  std::string name;
  std::string description;  // includes how `data` is read
  std::vector<ParamSpec> params;
  // The Langevin state is (x, v): positions x[0..dim) then velocities v[0..dim).
  std::vector<std::string> state_names = {"x", "v"};
};

const std::vector<PotentialInfo>& BuiltinPotentials();

// Builds a built-in potential. `dim` is the Langevin dimension (0: derived from
// the data, as for logistic_regression, or required for gaussian).
absl::StatusOr<std::shared_ptr<const Potential>> MakeBuiltinPotential(absl::string_view name,
                                                                      const ParamMap& params,
                                                                      absl::Span<const double> data,
                                                                      int data_cols, int dim);

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_CATALOG_H_
