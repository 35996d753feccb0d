// The Bayesian logistic-regression potential (negative log posterior):
//   U(x) = Σ_r [log(1 + exp(a_r·x)) − y_r a_r·x] + |x|² / (2 prior_variance),
//   ∇U(x) = Σ_r (σ(a_r·x) − y_r) a_r + x / prior_variance,   σ the logistic function,
// for data rows a_r ∈ R^d with labels y_r ∈ {0, 1}.
#ifndef PATHWISE_CORE_MODEL_LOGISTIC_REGRESSION_H_
#define PATHWISE_CORE_MODEL_LOGISTIC_REGRESSION_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "core/model/params.h"
#include "core/model/potential.h"

namespace pathwise::model {

class LogisticRegressionPotential final : public Potential {
 public:
  // Params: prior_variance ((0, inf), default 1). `data` is row-major with
  // `data_cols` columns: the first data_cols − 1 are the features a_r, the last
  // is the label y_r (0 or 1). The dimension is data_cols − 1.
  static const std::vector<ParamSpec>& Specs();
  static absl::StatusOr<LogisticRegressionPotential> Create(const ParamMap& params,
                                                            absl::Span<const double> data,
                                                            int data_cols);

  absl::string_view name() const override { return "logistic_regression"; }
  double Value(const double* x) const override;
  void Gradient(const double* x, double* grad) const override;

  int rows() const { return rows_; }

 private:
  LogisticRegressionPotential(int dim, int rows, std::vector<double> features,
                              std::vector<double> labels, double prior_variance);
  int rows_;
  std::vector<double> features_;  // rows × dim, row-major
  std::vector<double> labels_;
  double inv_prior_variance_;
};

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_LOGISTIC_REGRESSION_H_
