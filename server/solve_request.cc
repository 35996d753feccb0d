#include "server/solve_request.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/brownian/levy_area.h"
#include "core/integrate/model_for_method.h"
#include "core/model/catalog.h"
#include "core/model/expression_sde.h"
#include "core/model/langevin.h"
#include "core/model/params.h"
#include "core/solver/registry.h"
#include "server/bad_request.h"
#include "server/langevin_potential.h"

namespace pathwise::server {
namespace {

// One violation of `field`.
absl::Status Invalid(std::string field, std::string description) {
  return InvalidArgumentWithViolations({{std::move(field), std::move(description)}});
}

// Catalog errors that name y0 are about the request's y0, not the model's fields.
absl::Status FromCatalog(const absl::Status& status, absl::string_view prefix) {
  if (absl::StartsWith(status.message(), "y0:")) return FromCoreStatus(status, "");
  return FromCoreStatus(status, prefix);
}

model::ParamMap ToParamMap(const google::protobuf::Map<std::string, double>& params) {
  return model::ParamMap(params.begin(), params.end());
}

absl::Status ResourceExhausted(absl::string_view field, uint64_t value, absl::string_view limit,
                               uint64_t limit_value) {
  return absl::ResourceExhaustedError(
      absl::StrCat(field, ": ", value, " exceeds the limit ", limit, " = ", limit_value));
}

std::string KnownMethods() {
  std::vector<absl::string_view> names;
  for (const solver::Method* method : solver::AllMethods()) names.push_back(method->info().name);
  return absl::StrJoin(names, ", ");
}

absl::Status CheckLimits(const v1::SolveRequest& r, const SolveLimits& limits) {
  if (r.num_paths() > limits.max_paths) {
    return ResourceExhausted("num_paths", r.num_paths(), "max_paths", limits.max_paths);
  }
  if (static_cast<uint64_t>(r.y0_size()) > limits.max_state_dim) {
    return ResourceExhausted("y0", r.y0_size(), "max_state_dim", limits.max_state_dim);
  }
  // A Langevin state is (x, v): 2 * dim values. Checked before the core reads
  // the unsigned dim as an int.
  if (r.model().has_langevin() && r.model().langevin().dim() > limits.max_state_dim / 2) {
    return ResourceExhausted("model.langevin.dim", r.model().langevin().dim(), "max_state_dim / 2",
                             limits.max_state_dim / 2);
  }
  if (r.max_steps() > limits.max_steps) {
    return ResourceExhausted("max_steps", r.max_steps(), "max_steps", limits.max_steps);
  }
  if (static_cast<uint64_t>(r.saveat().ts_size()) > limits.max_times) {
    return ResourceExhausted("saveat.ts", r.saveat().ts_size(), "max_times", limits.max_times);
  }
  if (static_cast<uint64_t>(r.step().step_to().ts_size()) > limits.max_times) {
    return ResourceExhausted("step.step_to.ts", r.step().step_to().ts_size(), "max_times",
                             limits.max_times);
  }
  if (static_cast<uint64_t>(r.step().adaptive().step_ts_size()) > limits.max_times) {
    return ResourceExhausted("step.adaptive.step_ts", r.step().adaptive().step_ts_size(),
                             "max_times", limits.max_times);
  }
  return absl::OkStatus();
}

// A builtin model: its state dimension is the length of y0.
absl::StatusOr<std::shared_ptr<const model::Sde>> MakeBuiltin(const v1::BuiltinModel& m,
                                                              int state_dim) {
  if (state_dim == 0) return Invalid("y0", "must not be empty");
  auto sde = model::MakeBuiltinModel(m.name(), ToParamMap(m.params()), state_dim);
  if (!sde.ok()) return FromCatalog(sde.status(), "model.builtin.");
  return std::shared_ptr<const model::Sde>(std::move(*sde));
}

absl::StatusOr<std::shared_ptr<const model::Sde>> MakeExpression(const v1::ExpressionModel& m,
                                                                 expr::ProgramCache* cache) {
  model::ExpressionModelSpec spec;
  spec.state.assign(m.state().begin(), m.state().end());
  spec.drift.assign(m.drift().begin(), m.drift().end());
  spec.diffusion.assign(m.diffusion().begin(), m.diffusion().end());
  switch (m.noise()) {
    case v1::NOISE_DIAGONAL:
      spec.noise = model::NoiseShape::kDiagonal;
      break;
    case v1::NOISE_GENERAL:
      spec.noise = model::NoiseShape::kGeneral;
      break;
    default:
      return Invalid("model.expression.noise", absl::StrCat("unknown value ", m.noise()));
  }
  switch (m.calculus()) {
    case v1::ITO:
      spec.calculus = model::Calculus::kIto;
      break;
    case v1::STRATONOVICH:
      spec.calculus = model::Calculus::kStratonovich;
      break;
    default:
      return Invalid("model.expression.calculus", absl::StrCat("unknown value ", m.calculus()));
  }
  spec.noise_dim = m.noise_dim();
  spec.params = ToParamMap(m.params());
  // The core's messages already name the wire field ("model.expression.drift[1]: ...").
  auto sde = model::ExpressionSde::Create(spec, cache);
  if (!sde.ok()) return FromCoreStatus(sde.status(), "");
  return std::shared_ptr<const model::Sde>(std::move(*sde));
}

absl::StatusOr<std::shared_ptr<const model::Sde>> MakeLangevin(const v1::LangevinModel& m,
                                                               expr::ProgramCache* cache) {
  auto potential = PotentialFromWire(m, "model.langevin", cache);
  if (!potential.ok()) return potential.status();
  auto langevin = model::LangevinModel::Create(*std::move(potential), m.gamma(), m.u());
  if (!langevin.ok()) return FromCoreStatus(langevin.status(), "model.langevin.");
  return std::shared_ptr<const model::Sde>(
      std::make_shared<model::LangevinModel>(std::move(*langevin)));
}

}  // namespace

const solver::Method* MethodFromWire(v1::Method method) {
  // The wire enum numbers every core method by its MethodId (checked by the tests).
  if (method == v1::METHOD_UNSPECIFIED || !v1::Method_IsValid(method)) return nullptr;
  return &solver::GetMethod(static_cast<solver::MethodId>(method));
}

control::StepControl ToStepControl(const v1::StepControl& step) {
  switch (step.kind_case()) {
    case v1::StepControl::kAdaptive: {
      const v1::AdaptiveStep& a = step.adaptive();
      control::AdaptiveStep out;
      out.rtol = a.rtol();
      out.atol = a.atol();
      out.dt0 = a.dt0();
      out.dtmin = a.dtmin();
      if (a.dtmax() != 0.0) out.dtmax = a.dtmax();
      out.pcoeff = a.pcoeff();
      if (a.has_icoeff()) out.icoeff = a.icoeff();
      out.dcoeff = a.dcoeff();
      if (a.safety() != 0.0) out.safety = a.safety();
      if (a.factormin() != 0.0) out.factormin = a.factormin();
      if (a.factormax() != 0.0) out.factormax = a.factormax();
      out.step_ts.assign(a.step_ts().begin(), a.step_ts().end());
      return out;
    }
    case v1::StepControl::kStepTo:
      return control::StepTo{
          std::vector<double>(step.step_to().ts().begin(), step.step_to().ts().end())};
    case v1::StepControl::kConstant:
    default:
      return control::ConstantStep{step.constant().dt()};
  }
}

absl::StatusOr<SolveInputs> ValidateSolveRequest(const v1::SolveRequest& r,
                                                 const SolveLimits& limits,
                                                 expr::ProgramCache* cache) {
  // Limits first: cheap, and they bound the work of everything after.
  if (absl::Status s = CheckLimits(r, limits); !s.ok()) return s;

  SolveInputs in;
  in.method = MethodFromWire(r.method());
  if (in.method == nullptr) {
    return Invalid("method", r.method() == v1::METHOD_UNSPECIFIED
                                 ? absl::StrCat("required (one of ", KnownMethods(), ")")
                                 : absl::StrCat("unknown value ", static_cast<int>(r.method()),
                                                " (known: ", KnownMethods(), ")"));
  }
  in.block_moments = r.block_moments();
  switch (r.output()) {
    case v1::OUTPUT_PATHS:
    case v1::OUTPUT_STATISTICS:
    case v1::OUTPUT_PATHS_AND_STATISTICS:
      in.output = r.output();
      break;
    default:
      return Invalid("output", absl::StrCat("unknown value ", static_cast<int>(r.output())));
  }
  if (r.brownian().levy_area() < v1::LEVY_AREA_NONE ||
      r.brownian().levy_area() > v1::LEVY_AREA_SPACE_TIME_TIME) {
    return Invalid("brownian.levy_area",
                   absl::StrCat("unknown value ", static_cast<int>(r.brownian().levy_area())));
  }
  if (r.step().kind_case() == v1::StepControl::KIND_NOT_SET) {
    return Invalid("step", "required: set step.constant, step.adaptive or step.step_to");
  }

  integrate::SolveOptions& o = in.options;
  o.t0 = r.t0();
  o.t1 = r.t1();
  o.step = ToStepControl(r.step());
  o.saveat.ts.assign(r.saveat().ts().begin(), r.saveat().ts().end());
  o.saveat.t0 = r.saveat().t0();
  o.saveat.t1 = r.saveat().t1();
  o.saveat.steps = r.saveat().steps();
  o.seed = r.seed();
  o.first_path = r.first_path();
  o.num_paths = r.num_paths() == 0 ? 1 : r.num_paths();
  o.brownian.tol = r.brownian().tol();
  // LEVY_AREA_NONE is the wire's unset value: the core default (one path per seed).
  if (r.brownian().levy_area() != v1::LEVY_AREA_NONE) {
    o.brownian.levy_area =
        static_cast<brownian::LevyArea>(static_cast<int>(r.brownian().levy_area()));
  }
  o.max_steps = r.max_steps();
  o.keep_paths = in.output != v1::OUTPUT_STATISTICS;
  o.statistics.enabled = in.output != v1::OUTPUT_PATHS;
  if (o.statistics.enabled) {
    o.statistics.quantile_levels.assign(std::begin(kQuantileLevels), std::end(kQuantileLevels));
  }
  // The options on their own (times, steps, save times, y0's values) before
  // any model is built; y0's length is checked against the model below.
  o.y0.assign(r.y0().begin(), r.y0().end());
  if (absl::Status s = o.Validate(); !s.ok()) return FromCoreStatus(s, "");

  integrate::UserModel user;
  switch (r.model().kind_case()) {
    case v1::Model::kBuiltin: {
      auto sde = MakeBuiltin(r.model().builtin(), r.y0_size());
      if (!sde.ok()) return sde.status();
      user.sde = std::move(*sde);
      user.ito_as_written = true;
      break;
    }
    case v1::Model::kExpression: {
      auto sde = MakeExpression(r.model().expression(), cache);
      if (!sde.ok()) return sde.status();
      user.sde = std::move(*sde);
      break;
    }
    case v1::Model::kLangevin: {
      auto sde = MakeLangevin(r.model().langevin(), cache);
      if (!sde.ok()) return sde.status();
      user.sde = std::move(*sde);
      user.x0.assign(r.model().langevin().x0().begin(), r.model().langevin().x0().end());
      user.v0.assign(r.model().langevin().v0().begin(), r.model().langevin().v0().end());
      break;
    }
    default:
      return Invalid("model", "required: set model.builtin, model.expression or model.langevin");
  }
  const int n = user.sde->state_dim();
  if (static_cast<uint64_t>(n) > limits.max_state_dim) {
    return ResourceExhausted("model state dimension", n, "max_state_dim", limits.max_state_dim);
  }
  user.y0 = std::move(o.y0);
  auto prepared = integrate::ModelForMethod(std::move(user), *in.method);
  if (!prepared.ok()) return FromCoreStatus(prepared.status(), "");
  in.sde = std::move(prepared->sde);
  o.y0 = std::move(prepared->y0);

  // Everything together: finiteness of y0, method/model fit, Lévy area, tol.
  auto plan = integrate::MakePlan(o, *in.sde, *in.method);
  if (!plan.ok()) return FromCoreStatus(plan.status(), "");
  in.plan = std::move(*plan);

  // Paths are sent at (at least) the fixed save times, and statistics keep
  // every path's values there for the exact quantiles: either way the solve
  // holds or sends this many values.
  const uint64_t times = in.plan.fixed_save.size();
  const uint64_t per_path = times * static_cast<uint64_t>(n);
  if (per_path != 0 && o.num_paths > limits.max_points / per_path) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "num_paths, saveat: ", o.num_paths, " paths * ", times, " save times * state dimension ", n,
        " exceed the limit max_points = ", limits.max_points));
  }
  return in;
}

}  // namespace pathwise::server
