// Models shared by the core tests (solver, model, control, integrate).
#ifndef PATHWISE_TESTS_UTIL_TEST_MODELS_H_
#define PATHWISE_TESTS_UTIL_TEST_MODELS_H_

#include <memory>
#include <vector>

#include "core/model/catalog.h"
#include "core/model/langevin.h"
#include "core/model/logistic_regression.h"
#include "core/model/sde.h"

namespace pathwise::testing {

inline std::unique_ptr<model::Sde> Builtin(const char* name, model::ParamMap params, int n,
                                           model::Calculus calculus = model::Calculus::kIto) {
  auto m = model::MakeBuiltinModel(name, params, n, calculus);
  return m.ok() ? std::move(m).value() : nullptr;
}

// A small logistic-regression problem: 2 features, 8 rows, labels 0/1.
inline std::shared_ptr<const model::Potential> SmallLogistic() {
  const std::vector<double> data = {
      0.5, 1.0, 1, -0.3, 0.8, 1, 1.2, -0.4, 0, -1.0, -0.6, 0,
      0.1, 0.3, 1, -0.7, 0.2, 0, 0.9, 0.9,  1, 0.4,  -1.1, 0,
  };
  auto p = model::MakeBuiltinPotential("logistic_regression", {}, data, 3, 0);
  return p.ok() ? std::move(p).value() : nullptr;
}

inline std::unique_ptr<model::LangevinModel> SmallLangevin(double gamma = 1.0, double u = 1.0) {
  auto m = model::LangevinModel::Create(SmallLogistic(), gamma, u);
  return m.ok() ? std::make_unique<model::LangevinModel>(std::move(m).value()) : nullptr;
}

}  // namespace pathwise::testing

#endif  // PATHWISE_TESTS_UTIL_TEST_MODELS_H_
