#include "core/model/expression_potential.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/expr/compiler.h"
#include "core/expr/symbols.h"
#include "core/model/expression_sde.h"
#include "core/util/status_macros.h"

namespace pathwise::model {
namespace {

constexpr absl::string_view kLabel = "model.langevin.expression";

std::vector<std::string> CoordinateNames(int dim) {
  std::vector<std::string> names;
  names.reserve(dim);
  for (int i = 0; i < dim; ++i) names.push_back(absl::StrCat("x", i));
  return names;
}

}  // namespace

ExpressionPotential::ExpressionPotential(int dim,
                                         std::shared_ptr<const expr::CompiledProgram> value,
                                         std::shared_ptr<const expr::CompiledProgram> gradient)
    : Potential(dim), value_(std::move(value)), gradient_(std::move(gradient)) {}

absl::StatusOr<std::shared_ptr<const ExpressionPotential>> ExpressionPotential::Create(
    const std::string& text, int dim, const ParamMap& params, expr::ProgramCache* cache) {
  expr::ProgramSpec spec;
  spec.state_names = CoordinateNames(std::max(dim, 0));
  if (dim < 1 || static_cast<size_t>(dim) > spec.limits.max_state) {
    return absl::InvalidArgumentError(
        absl::StrCat("model.langevin.dim: must be in [1, ", spec.limits.max_state, "], got ", dim));
  }
  spec.parameters = ToExprParameters(params);
  if (auto s = expr::Symbols::Create(spec.state_names, spec.parameters); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("model.langevin.params: ", s.status().message()));
  }
  // The dynamics need only ∇U, so the gradient program skips U's value; U
  // (for diagnostics) is a separate program so Gradient() never pays for it.
  spec.expressions = {{std::string(kLabel), text, false}};
  spec.derivatives = expr::JacobianRequests(0, 1, dim);
  ASSIGN_OR_RETURN(auto gradient, CompileCached(spec, cache));
  spec.expressions[0].value_needed = true;
  spec.derivatives.clear();
  ASSIGN_OR_RETURN(auto value, CompileCached(spec, cache));
  return std::shared_ptr<const ExpressionPotential>(
      new ExpressionPotential(dim, std::move(value), std::move(gradient)));
}

double ExpressionPotential::Value(const double* x) const {
  double u = 0.0;
  value_->EvaluateAt(0.0, x, &u);
  return u;
}

void ExpressionPotential::Gradient(const double* x, double* grad) const {
  // Output 0 (U, not needed) is left unwritten: the gradient is outputs
  // 1 .. dim. One buffer per thread, since Gradient is const and shared.
  thread_local std::vector<double> buffer;
  buffer.resize(gradient_->num_outputs());
  gradient_->EvaluateAt(0.0, x, buffer.data());
  std::copy(buffer.begin() + 1, buffer.end(), grad);
}

}  // namespace pathwise::model
