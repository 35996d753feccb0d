#include "client/cli/estimate_flags.h"

#include <string>

#include "client/cli/model_file.h"
#include "client/cli/model_flags.h"
#include "client/cli/names.h"

namespace pathwise::cli {
namespace {

v1::Model ModelOf(const Args& args) {
  std::optional<v1::Model> model = ModelFromFlags(args);
  if (args.Has("model-file")) {
    if (model) throw UsageError{"--model-file gives the model; drop the other model options"};
    ModelFile file = LoadModelFile(args.String("model-file", ""));
    if (!file.model) {
      throw UsageError{"--model-file: an estimate reads a pathwise.v1.Model, not a whole request"};
    }
    model = *file.model;
  }
  if (!model) {
    throw UsageError{
        "give a model: --model NAME, --state with --drift and --diffusion, "
        "--langevin-potential EXPR, --langevin-builtin NAME or --model-file FILE"};
  }
  return *model;
}

}  // namespace

v1::Estimator ParseEstimator(const std::string& text) {
  if (text == "multilevel") return v1::ESTIMATOR_MULTILEVEL;
  if (text == "monte-carlo") return v1::ESTIMATOR_MONTE_CARLO;
  throw UsageError{"--estimator: '" + text + "' is not one of multilevel, monte-carlo"};
}

std::string EstimatorName(v1::Estimator estimator) {
  return estimator == v1::ESTIMATOR_MONTE_CARLO ? "monte-carlo" : "multilevel";
}

std::vector<FlagSpec> EstimateRequestFlagSpecs() {
  std::vector<FlagSpec> specs = ModelFlagSpecs();
  const std::vector<FlagSpec> more = {
      {"model-file"},  {"method"},    {"t0"},
      {"t1"},          {"y0"},        {"seed"},
      {"tol"},         {"levy"},      {"functional"},
      {"target-rmse"}, {"estimator"}, {"antithetic", FlagKind::kSwitch},
      {"coarsest-dt"}, {"max-level"}, {"max-path-steps"}};
  specs.insert(specs.end(), more.begin(), more.end());
  return specs;
}

v1::EstimateRequest BuildEstimateRequest(const Args& args) {
  v1::EstimateRequest request;
  *request.mutable_model() = ModelOf(args);
  if (!args.Has("method")) throw UsageError{"--method is required (one of " + MethodNames() + ")"};
  request.set_method(ParseMethod(args.String("method", "")));
  if (!args.Has("functional")) {
    throw UsageError{"--functional is required: f of the state at t1, e.g. 'max(y - 1, 0)'"};
  }
  request.set_functional(args.String("functional", ""));
  if (!args.Has("target-rmse")) throw UsageError{"--target-rmse is required (> 0)"};
  request.set_target_rmse(args.Double("target-rmse", 0.0));
  request.set_estimator(ParseEstimator(args.String("estimator", "multilevel")));
  request.set_antithetic(args.Switch("antithetic"));
  request.set_coarsest_dt(args.Double("coarsest-dt", 0.0));
  request.set_max_level(static_cast<uint32_t>(args.Unsigned("max-level", 0, UINT32_MAX)));
  request.set_max_path_steps(args.Unsigned("max-path-steps", 0));
  request.set_t0(args.Double("t0", 0.0));
  request.set_t1(args.Double("t1", 1.0));
  if (args.Has("y0")) {
    for (const double v : ParseDoubleList("y0", args.String("y0", ""))) request.add_y0(v);
  }
  request.set_seed(args.Unsigned("seed", 0));
  request.mutable_brownian()->set_tol(args.Double("tol", 0.0));
  request.mutable_brownian()->set_levy_area(ParseLevy(args.String("levy", "none")));
  return request;
}

}  // namespace pathwise::cli
