#include "core/model/catalog.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "core/expr/lexer.h"  // Abbreviate: echoed names stay short
#include "core/model/cir.h"
#include "core/model/double_well.h"
#include "core/model/gaussian_potential.h"
#include "core/model/gbm.h"
#include "core/model/heston.h"
#include "core/model/logistic_regression.h"
#include "core/model/ou.h"
#include "core/util/status_macros.h"

namespace pathwise::model {
namespace {

template <typename M>
absl::StatusOr<std::unique_ptr<Sde>> Boxed(absl::StatusOr<M> model) {
  if (!model.ok()) return model.status();
  return std::unique_ptr<Sde>(std::make_unique<M>(std::move(model).value()));
}

std::string KnownModels() {
  std::vector<std::string> names;
  for (const ModelInfo& info : BuiltinModels()) names.push_back(info.name);
  return absl::StrJoin(names, ", ");
}

}  // namespace

const std::vector<ModelInfo>& BuiltinModels() {
  static const std::vector<ModelInfo> models = {
      {"ou",
       "dy = theta (mu - y) dt + sigma dW, per component",
       OuModel::Specs(),
       0,
       NoiseClass::kAdditive,
       {"y"}},
      {"gbm",
       "dy = mu y dt + sigma y dW, per component",
       GbmModel::Specs(),
       0,
       NoiseClass::kScalar,
       {"y"}},
      {"cir",
       "dy = a (b - y) dt + sigma sqrt(max(y, 0)) dW, per component",
       CirModel::Specs(),
       0,
       NoiseClass::kScalar,
       {"y"}},
      {"heston",
       "dS = r S dt + sqrt(v) S dW1; dv = kappa (theta - v) dt + xi sqrt(v) (rho dW1 + "
       "sqrt(1 - rho^2) dW2); state (S, v)",
       HestonModel::Specs(),
       2,
       NoiseClass::kGeneral,
       {"S", "v"}},
      {"double_well",
       "dy = (y - y^3) dt + sigma dW, per component",
       DoubleWellModel::Specs(),
       0,
       NoiseClass::kAdditive,
       {"y"}},
  };
  return models;
}

absl::StatusOr<std::unique_ptr<Sde>> MakeBuiltinModel(absl::string_view name,
                                                      const ParamMap& params, int state_dim,
                                                      Calculus calculus) {
  if (state_dim < 1) return absl::InvalidArgumentError("y0: must hold at least one value");
  if (name == "ou") return Boxed(OuModel::Create(params, state_dim));
  if (name == "gbm") return Boxed(GbmModel::Create(params, state_dim, calculus));
  if (name == "cir") return Boxed(CirModel::Create(params, state_dim, calculus));
  if (name == "double_well") return Boxed(DoubleWellModel::Create(params, state_dim));
  if (name == "heston") {
    if (state_dim != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("y0: heston needs 2 values (S, v), got ", state_dim));
    }
    if (calculus != Calculus::kIto) {
      return absl::InvalidArgumentError("calculus: heston is defined in Itô form only");
    }
    return Boxed(HestonModel::Create(params));
  }
  return absl::InvalidArgumentError(absl::StrCat("name: unknown model '", expr::Abbreviate(name),
                                                 "' (known: ", KnownModels(), ")"));
}

const std::vector<PotentialInfo>& BuiltinPotentials() {
  static const std::vector<PotentialInfo> potentials = {
      {"gaussian",
       "U(x) = sum_i ((x_i - mean) / s_i)^2 / 2; s_i = scale, or data holds dim per-coordinate "
       "scales",
       GaussianPotential::Specs()},
      {"logistic_regression",
       "U(x) = sum_r [log(1 + exp(a_r.x)) - y_r a_r.x] + |x|^2 / (2 prior_variance); data is "
       "row-major with data_cols columns, features then a 0/1 label; dim = data_cols - 1",
       LogisticRegressionPotential::Specs()},
  };
  return potentials;
}

absl::StatusOr<std::shared_ptr<const Potential>> MakeBuiltinPotential(absl::string_view name,
                                                                      const ParamMap& params,
                                                                      absl::Span<const double> data,
                                                                      int data_cols, int dim) {
  if (name == "gaussian") {
    ASSIGN_OR_RETURN(GaussianPotential p, GaussianPotential::Create(params, data, dim));
    return std::shared_ptr<const Potential>(std::make_shared<GaussianPotential>(std::move(p)));
  }
  if (name == "logistic_regression") {
    ASSIGN_OR_RETURN(LogisticRegressionPotential p,
                     LogisticRegressionPotential::Create(params, data, data_cols));
    if (dim != 0 && dim != p.dim()) {
      return absl::InvalidArgumentError(
          absl::StrCat("dim: must equal data_cols - 1 = ", p.dim(), ", got ", dim));
    }
    return std::shared_ptr<const Potential>(
        std::make_shared<LogisticRegressionPotential>(std::move(p)));
  }
  return absl::InvalidArgumentError(absl::StrCat("name: unknown potential '",
                                                 expr::Abbreviate(name),
                                                 "' (known: gaussian, logistic_regression)"));
}

}  // namespace pathwise::model
