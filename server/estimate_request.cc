#include "server/estimate_request.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/integrate/options.h"
#include "core/model/catalog.h"
#include "core/model/expression_sde.h"
#include "core/model/params.h"
#include "server/bad_request.h"

namespace pathwise::server {
namespace {

absl::Status Invalid(std::string field, std::string description) {
  return InvalidArgumentWithViolations({{std::move(field), std::move(description)}});
}

// The request's finest level as a solve of one path: what the solve's
// validation checks and converts (model, method, t0, t1, y0, Brownian options).
v1::SolveRequest FinestLevelSolve(const v1::EstimateRequest& r,
                                  const estimate::EstimateOptions& o) {
  v1::SolveRequest solve;
  *solve.mutable_model() = r.model();
  solve.set_method(r.method());
  solve.set_t0(r.t0());
  solve.set_t1(r.t1());
  *solve.mutable_y0() = r.y0();
  solve.set_seed(r.seed());
  solve.mutable_step()->mutable_constant()->set_dt(o.LevelDt(o.ResolvedMaxLevel()));
  solve.mutable_brownian()->set_tol(o.ResolvedTol());
  solve.mutable_brownian()->set_levy_area(r.brownian().levy_area());
  solve.set_num_paths(1);
  solve.set_output(v1::OUTPUT_STATISTICS);
  return solve;
}

// The solve's step is the estimate's finest level: its errors are about
// coarsest_dt (and max_level), the fields it comes from.
absl::Status RenameStepErrors(const absl::Status& status, double finest_dt) {
  if (status.code() != absl::StatusCode::kInvalidArgument ||
      !absl::StartsWith(status.message(), "step.")) {
    return status;
  }
  const absl::string_view message = status.message();
  const size_t colon = message.find(": ");
  const absl::string_view rule =
      colon == absl::string_view::npos ? message : message.substr(colon + 2);
  return Invalid(
      "coarsest_dt",
      absl::StrCat("the finest level's step coarsest_dt 2^-max_level = ", finest_dt, ": ", rule));
}

// Names y0 .. y{n-1} (or x0 ..) for `n` components called `base`, or `base`
// alone for one component.
std::vector<std::string> ComponentNames(const std::string& base, int n) {
  if (n == 1) return {base};
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back(absl::StrCat(base, i));
  return names;
}

std::vector<expr::Parameter> Parameters(const google::protobuf::Map<std::string, double>& params) {
  return model::ToExprParameters(model::ParamMap(params.begin(), params.end()));
}

// The functional's names for a model the solve's validation accepted
// (`state_dim` components).
estimate::FunctionalScope ScopeOf(const v1::Model& m, int state_dim) {
  estimate::FunctionalScope scope;
  switch (m.kind_case()) {
    case v1::Model::kBuiltin: {
      const auto& models = model::BuiltinModels();
      const auto info = std::find_if(models.begin(), models.end(), [&](const model::ModelInfo& i) {
        return i.name == m.builtin().name();
      });
      if (info == models.end() || info->state_names.empty()) break;
      scope.state_names = info->state_dim > 0
                              ? info->state_names
                              : ComponentNames(info->state_names.front(), state_dim);
      // The values the model runs with: given ones, defaults elsewhere.
      const model::ParamMap given(m.builtin().params().begin(), m.builtin().params().end());
      absl::StatusOr<std::vector<double>> values = model::ResolveParams(info->params, given);
      if (!values.ok()) break;
      for (size_t i = 0; i < info->params.size(); ++i) {
        scope.parameters.push_back({info->params[i].name, (*values)[i]});
      }
      break;
    }
    case v1::Model::kExpression:
      scope.state_names.assign(m.expression().state().begin(), m.expression().state().end());
      scope.parameters = Parameters(m.expression().params());
      break;
    case v1::Model::kLangevin: {
      const int dim = state_dim / 2;  // the state is (x, v)
      scope.state_names = ComponentNames("x", dim);
      for (std::string& name : ComponentNames("v", dim)) scope.state_names.push_back(name);
      if (m.langevin().has_builtin()) {
        scope.parameters = Parameters(m.langevin().builtin().params());
      } else {
        scope.parameters = Parameters(m.langevin().params());
      }
      break;
    }
    default:
      break;
  }
  return scope;
}

absl::StatusOr<estimate::Estimator> EstimatorFromWire(v1::Estimator estimator) {
  switch (estimator) {
    case v1::ESTIMATOR_MULTILEVEL:
      return estimate::Estimator::kMultilevel;
    case v1::ESTIMATOR_MONTE_CARLO:
      return estimate::Estimator::kMonteCarlo;
    default:
      return Invalid("estimator",
                     absl::StrCat("unknown value ", static_cast<int>(estimator),
                                  " (known: ESTIMATOR_MULTILEVEL, ESTIMATOR_MONTE_CARLO)"));
  }
}

}  // namespace

absl::StatusOr<EstimateInputs> ValidateEstimateRequest(const v1::EstimateRequest& r,
                                                       const SolveLimits& solve_limits,
                                                       const EstimateLimits& limits,
                                                       expr::ProgramCache* cache) {
  if (r.max_path_steps() > limits.max_path_steps) {
    return absl::ResourceExhaustedError(
        absl::StrCat("max_path_steps: ", r.max_path_steps(),
                     " exceeds the limit max_estimate_path_steps = ", limits.max_path_steps));
  }
  EstimateInputs in;
  estimate::EstimateOptions& o = in.options;
  absl::StatusOr<estimate::Estimator> estimator = EstimatorFromWire(r.estimator());
  if (!estimator.ok()) return estimator.status();
  o.estimator = *estimator;
  o.t0 = r.t0();
  o.t1 = r.t1();
  o.y0.assign(r.y0().begin(), r.y0().end());
  o.seed = r.seed();
  o.functional = r.functional();
  o.target_rmse = r.target_rmse();
  o.coarsest_dt = r.coarsest_dt();
  o.max_level = static_cast<int>(std::min<uint32_t>(r.max_level(), INT_MAX));
  o.antithetic = r.antithetic();
  o.max_path_steps = r.max_path_steps() > 0
                         ? r.max_path_steps()
                         : std::min(estimate::kDefaultMaxPathSteps, limits.max_path_steps);
  o.brownian.tol = r.brownian().tol();
  // The options on their own (times, targets, levels, tol) before any model.
  if (absl::Status s = o.Validate(); !s.ok()) return FromCoreStatus(s, "");
  const double finest_dt = o.LevelDt(o.ResolvedMaxLevel());
  // Every path of the finest level must fit a path's step limit (the core's
  // max_steps, which the estimator's solves keep).
  const double finest_steps = std::ceil((o.t1 - o.t0) / finest_dt);
  if (finest_steps > static_cast<double>(integrate::kDefaultMaxSteps)) {
    return InvalidArgumentWithViolations(
        {{"max_level", absl::StrCat("the finest level's step coarsest_dt 2^-max_level = ",
                                    finest_dt, " needs ", finest_steps,
                                    " steps over [t0, t1], above the ", integrate::kDefaultMaxSteps,
                                    " a path may take; lower max_level or raise coarsest_dt")}});
  }

  // Model, method, y0 and the Brownian path, as the solve of the finest level.
  absl::StatusOr<SolveInputs> solve =
      ValidateSolveRequest(FinestLevelSolve(r, o), solve_limits, cache);
  if (!solve.ok()) return RenameStepErrors(solve.status(), finest_dt);
  in.sde = std::move(solve->sde);
  in.method = solve->method;
  o.y0 = std::move(solve->options.y0);  // as prepared for the method (Langevin: x0, v0)
  o.brownian.levy_area = solve->options.brownian.levy_area;

  in.scope = ScopeOf(r.model(), in.sde->state_dim());
  absl::StatusOr<estimate::Functional> functional =
      estimate::Functional::Compile(o.functional, in.scope);
  if (!functional.ok()) return FromCoreStatus(functional.status(), "");
  if (functional->state_dim() != static_cast<size_t>(in.sde->state_dim())) {
    return Invalid("model", absl::StrCat("the functional's names cover ", functional->state_dim(),
                                         " state components, the model has ", in.sde->state_dim()));
  }
  return in;
}

}  // namespace pathwise::server
