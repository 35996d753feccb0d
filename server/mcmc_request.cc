#include "server/mcmc_request.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/solver/registry.h"
#include "server/bad_request.h"
#include "server/langevin_potential.h"
#include "server/solve_request.h"

namespace pathwise::server {
namespace {

absl::Status Invalid(std::string field, std::string description) {
  return InvalidArgumentWithViolations({{std::move(field), std::move(description)}});
}

absl::Status ResourceExhausted(absl::string_view field, uint64_t value, absl::string_view limit,
                               uint64_t limit_value) {
  return absl::ResourceExhaustedError(
      absl::StrCat(field, ": ", value, " exceeds the limit ", limit, " = ", limit_value));
}

std::string LangevinMethodNames() {
  std::vector<absl::string_view> names;
  for (const solver::Method* method : solver::AllMethods()) {
    if (method->info().form == solver::ModelForm::kLangevin) names.push_back(method->info().name);
  }
  return absl::StrJoin(names, ", ");
}

// Cheap bounds first: they bound the work of everything after.
absl::Status CheckLimits(const v1::McmcRequest& r, const McmcLimits& limits) {
  if (r.target().dim() > limits.max_dim) {
    return ResourceExhausted("target.dim", r.target().dim(), "max_mcmc_dim", limits.max_dim);
  }
  if (static_cast<uint64_t>(r.target().builtin().data_size()) > limits.max_data_values) {
    return ResourceExhausted("target.builtin.data", r.target().builtin().data_size(),
                             "max_mcmc_data_values", limits.max_data_values);
  }
  if (r.num_chains() > limits.max_chains) {
    return ResourceExhausted("num_chains", r.num_chains(), "max_mcmc_chains", limits.max_chains);
  }
  return absl::OkStatus();
}

// The wire method as the sampler's: unset for METHOD_UNSPECIFIED.
absl::Status ConvertMethod(v1::Method wire, mcmc::SamplerOptions& options) {
  if (wire == v1::METHOD_UNSPECIFIED) return absl::OkStatus();
  const solver::Method* method = MethodFromWire(wire);
  if (method == nullptr) {
    return Invalid("method", absl::StrCat("unknown value ", static_cast<int>(wire),
                                          " (Langevin methods: ", LangevinMethodNames(), ")"));
  }
  if (method->info().form != solver::ModelForm::kLangevin) {
    return Invalid("method", absl::StrCat(method->info().name, " is not a Langevin method (one of ",
                                          LangevinMethodNames(), ", or unset for the default)"));
  }
  options.method = method->info().id;
  return absl::OkStatus();
}

absl::Status ConvertPreconditioner(v1::Preconditioner wire, mcmc::SamplerOptions& options) {
  switch (wire) {
    case v1::PRECONDITIONER_DIAGONAL_ADAPTED:
      options.preconditioner = mcmc::Preconditioner::kDiagonalAdapted;
      return absl::OkStatus();
    case v1::PRECONDITIONER_NONE:
      options.preconditioner = mcmc::Preconditioner::kNone;
      return absl::OkStatus();
    case v1::PRECONDITIONER_DIAGONAL_GIVEN:
      options.preconditioner = mcmc::Preconditioner::kDiagonalGiven;
      return absl::OkStatus();
    default:
      return Invalid("preconditioner", absl::StrCat("unknown value ", static_cast<int>(wire)));
  }
}

absl::Status ConvertStep(const v1::McmcRequest& r, mcmc::SamplerOptions& options) {
  if (!r.has_step()) return absl::OkStatus();  // adapted during warm-up
  if (r.step().kind_case() == v1::StepControl::KIND_NOT_SET) {
    return Invalid("step",
                   "set step.constant or step.adaptive, or leave step unset for adapted steps");
  }
  options.step = ToStepControl(r.step());
  return absl::OkStatus();
}

// A constant step fixes the steps per chain: more than the limit is refused
// now rather than flagged unstable after max_steps_per_chain steps of work.
absl::Status CheckConstantStepWork(const mcmc::SamplerOptions& o, const McmcLimits& limits) {
  if (!o.step.has_value()) return absl::OkStatus();
  const auto* constant = std::get_if<control::ConstantStep>(&*o.step);
  if (constant == nullptr) return absl::OkStatus();
  const double dt = std::min(constant->dt, o.ResolvedThinTime());
  const double steps = std::ceil((o.warmup_time + o.num_draws * o.ResolvedThinTime()) / dt);
  if (steps > static_cast<double>(limits.max_steps_per_chain)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("step.constant.dt: (warmup_time + num_draws * thin_time) / dt = ", steps,
                     " steps per chain exceed the limit max_mcmc_steps_per_chain = ",
                     limits.max_steps_per_chain));
  }
  return absl::OkStatus();
}

}  // namespace

int McmcLimits::MaxRequestBytes() const {
  // A packed double is 8 bytes; the rest of a request (expression, x0,
  // initial positions, inverse mass within the other limits) well under 4 MiB.
  const uint64_t bytes = max_data_values * 8 + (uint64_t{4} << 20);
  return static_cast<int>(std::min<uint64_t>(bytes, INT_MAX));
}

absl::StatusOr<McmcInputs> ValidateMcmcRequest(const v1::McmcRequest& r, const McmcLimits& limits,
                                               expr::ProgramCache* cache) {
  if (absl::Status s = CheckLimits(r, limits); !s.ok()) return s;

  McmcInputs in;
  mcmc::SamplerOptions& o = in.options;
  if (absl::Status s = ConvertMethod(r.method(), o); !s.ok()) return s;
  if (absl::Status s = ConvertPreconditioner(r.preconditioner(), o); !s.ok()) return s;
  if (absl::Status s = ConvertStep(r, o); !s.ok()) return s;
  if (!r.target().v0().empty()) {
    return Invalid("target.v0",
                   "not used by Sample: the sampler draws each chain's initial velocity "
                   "(docs/mcmc.md); leave it empty");
  }
  o.seed = r.seed();
  o.num_chains = r.num_chains();
  o.x0.assign(r.target().x0().begin(), r.target().x0().end());
  o.initial_positions.assign(r.initial_positions().begin(), r.initial_positions().end());
  o.gamma = r.target().gamma();
  o.u = r.target().u();
  o.warmup_time = r.warmup_time();
  o.num_draws = r.num_draws();
  o.thin_time = r.thin_time();
  o.inverse_mass.assign(r.inverse_mass().begin(), r.inverse_mass().end());
  o.keep_draws = false;
  o.max_steps_per_chain = limits.max_steps_per_chain;
  // The options on their own, before the potential is built.
  if (absl::Status s = o.Validate(); !s.ok()) return FromCoreStatus(s, "");
  if (absl::Status s = CheckConstantStepWork(o, limits); !s.ok()) return s;

  auto potential = PotentialFromWire(r.target(), "target", cache);
  if (!potential.ok()) return potential.status();
  in.potential = *std::move(potential);
  const int dim = in.potential->dim();
  if (static_cast<uint64_t>(dim) > limits.max_dim) {
    return ResourceExhausted("target dimension", dim, "max_mcmc_dim", limits.max_dim);
  }
  const uint64_t values = uint64_t{o.ResolvedNumChains()} * o.num_draws * dim;
  if (values > limits.max_draw_values) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "num_chains * num_draws * dim: ", o.ResolvedNumChains(), " * ", o.num_draws, " * ", dim,
        " = ", values, " exceeds the limit max_mcmc_draw_values = ", limits.max_draw_values));
  }
  if (absl::Status s = o.ValidateForDim(dim); !s.ok()) return FromCoreStatus(s, "");
  in.return_draws = r.return_draws();
  in.method_name = std::string(solver::GetMethod(o.ResolvedMethod()).info().name);
  return in;
}

}  // namespace pathwise::server
