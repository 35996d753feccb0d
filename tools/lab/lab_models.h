// Models the lab commands can name: the built-ins, and underdamped Langevin
// with the built-in potentials (logistic regression on a deterministic
// synthetic data set).
#ifndef PATHWISE_TOOLS_LAB_LAB_MODELS_H_
#define PATHWISE_TOOLS_LAB_LAB_MODELS_H_

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/model/catalog.h"
#include "core/model/langevin.h"

namespace pathwise::lab {

// rows × (dim + 1) values: features a_rc = sin(1.3 r + 0.7 c + 0.1) and label
// 1 when Σ_c a_rc (−1)^c (c + 1)/dim > 0.
inline std::vector<double> SyntheticLogisticData(int rows, int dim) {
  std::vector<double> data;
  for (int r = 0; r < rows; ++r) {
    double score = 0.0;
    for (int c = 0; c < dim; ++c) {
      const double a = std::sin(1.3 * r + 0.7 * c + 0.1);
      data.push_back(a);
      score += a * ((c % 2 == 0) ? 1.0 : -1.0) * (c + 1) / dim;
    }
    data.push_back(score > 0.0 ? 1.0 : 0.0);
  }
  return data;
}

// name: a built-in model, or "langevin-gaussian" / "langevin-logistic" (dim
// from `dim`, gamma = 1, u = 1; the logistic data has 4·dim rows).
inline absl::StatusOr<std::unique_ptr<model::Sde>> MakeLabModel(const std::string& name,
                                                                const model::ParamMap& params,
                                                                int state_dim, int dim,
                                                                model::Calculus calculus) {
  if (name == "langevin-gaussian" || name == "langevin-logistic") {
    const bool gauss = name == "langevin-gaussian";
    const std::vector<double> data =
        gauss ? std::vector<double>{} : SyntheticLogisticData(4 * dim, dim);
    auto pot = model::MakeBuiltinPotential(gauss ? "gaussian" : "logistic_regression", params, data,
                                           dim + 1, dim);
    if (!pot.ok()) return pot.status();
    auto lm = model::LangevinModel::Create(*pot, 1.0, 1.0);
    if (!lm.ok()) return lm.status();
    return std::unique_ptr<model::Sde>(std::make_unique<model::LangevinModel>(std::move(*lm)));
  }
  return model::MakeBuiltinModel(name, params, state_dim, calculus);
}

}  // namespace pathwise::lab

#endif  // PATHWISE_TOOLS_LAB_LAB_MODELS_H_
