// Validation and resolved defaults of SamplerOptions (sampler.h).
#include <cmath>
#include <string>
#include <variant>

#include "absl/strings/str_cat.h"
#include "core/mcmc/sampler.h"

namespace pathwise::mcmc {
namespace {

absl::Status Invalid(const std::string& msg) { return absl::InvalidArgumentError(msg); }

bool IsLangevinMethod(solver::MethodId id) {
  return id == solver::MethodId::kAlign || id == solver::MethodId::kShould ||
         id == solver::MethodId::kQuicsort;
}

// "0: chosen, else > 0 and finite", as gamma and u are on the wire.
absl::Status CheckZeroOrPositive(const char* field, double value) {
  if (value == 0.0 || (value > 0.0 && std::isfinite(value))) return absl::OkStatus();
  return Invalid(absl::StrCat(field, ": must be > 0 and finite (0: chosen), got ", value));
}

absl::Status CheckFiniteValues(const char* field, const std::vector<double>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return Invalid(absl::StrCat(field, "[", i, "]: must be finite, got ", values[i]));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SamplerOptions::Validate() const {
  if (method.has_value() && !IsLangevinMethod(*method)) {
    return Invalid(
        absl::StrCat("method: must be ALIGN, SHOULD or QUICSORT, got ", static_cast<int>(*method)));
  }
  if (num_chains > kMaxNumChains) {
    return Invalid(absl::StrCat("num_chains: must be <= ", kMaxNumChains,
                                " (0: ", kDefaultNumChains, "), got ", num_chains));
  }
  if (absl::Status s = CheckFiniteValues("target.x0", x0); !s.ok()) return s;
  if (absl::Status s = CheckFiniteValues("initial_positions", initial_positions); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckZeroOrPositive("target.gamma", gamma); !s.ok()) return s;
  if (absl::Status s = CheckZeroOrPositive("target.u", u); !s.ok()) return s;
  if (!(warmup_time >= 0.0) || !std::isfinite(warmup_time)) {
    return Invalid(absl::StrCat("warmup_time: must be >= 0 and finite, got ", warmup_time));
  }
  if (num_draws < static_cast<uint32_t>(kMinDrawsPerChain)) {
    return Invalid(absl::StrCat("num_draws: must be >= ", kMinDrawsPerChain, ", got ", num_draws));
  }
  if (!(thin_time >= 0.0) || !std::isfinite(thin_time)) {
    return Invalid(absl::StrCat("thin_time: must be > 0 and finite (0: ", kDefaultThinTime,
                                "), got ", thin_time));
  }
  const double total_time = warmup_time + num_draws * ResolvedThinTime();
  if (!std::isfinite(total_time)) {
    return Invalid("thin_time: warmup_time + num_draws * thin_time must be finite");
  }
  if (step.has_value()) {
    if (!std::holds_alternative<control::ConstantStep>(*step) &&
        !std::holds_alternative<control::AdaptiveStep>(*step)) {
      return Invalid(absl::StrCat("step.", control::StepControlName(*step),
                                  ": not supported for sampling (constant or adaptive, or "
                                  "unset for adapted steps)"));
    }
    const auto* adaptive = std::get_if<control::AdaptiveStep>(&*step);
    if (adaptive != nullptr && !adaptive->step_ts.empty()) {
      return Invalid(
          "step.adaptive.step_ts: not used for sampling (draws are at multiples of "
          "thin_time); leave it empty");
    }
    if (absl::Status s = control::ValidateStepControl(*step, 0.0, total_time); !s.ok()) {
      return Invalid(absl::StrCat("step.", control::StepControlName(*step), ".", s.message()));
    }
  }
  if (preconditioner != Preconditioner::kDiagonalAdapted &&
      preconditioner != Preconditioner::kNone && preconditioner != Preconditioner::kDiagonalGiven) {
    return Invalid(
        absl::StrCat("preconditioner: unknown value ", static_cast<int>(preconditioner)));
  }
  if (preconditioner == Preconditioner::kDiagonalGiven) {
    if (inverse_mass.empty()) {
      return Invalid("inverse_mass: required with PRECONDITIONER_DIAGONAL_GIVEN");
    }
    for (size_t i = 0; i < inverse_mass.size(); ++i) {
      if (!(inverse_mass[i] > 0.0) || !std::isfinite(inverse_mass[i])) {
        return Invalid(
            absl::StrCat("inverse_mass[", i, "]: must be > 0 and finite, got ", inverse_mass[i]));
      }
    }
  } else if (!inverse_mass.empty()) {
    return Invalid("inverse_mass: only with PRECONDITIONER_DIAGONAL_GIVEN");
  }
  if (threads < 1) return Invalid(absl::StrCat("threads: must be >= 1, got ", threads));
  return absl::OkStatus();
}

absl::Status SamplerOptions::ValidateForDim(int dim) const {
  const size_t d = static_cast<size_t>(dim);
  if (!x0.empty() && x0.size() != d) {
    return Invalid(
        absl::StrCat("target.x0: must hold dim = ", dim, " values or none, got ", x0.size()));
  }
  const uint64_t chains = ResolvedNumChains();
  if (!initial_positions.empty() && initial_positions.size() != chains * d) {
    return Invalid(absl::StrCat("initial_positions: must hold num_chains * dim = ", chains, " * ",
                                dim, " values or none, got ", initial_positions.size()));
  }
  if (preconditioner == Preconditioner::kDiagonalGiven && inverse_mass.size() != d) {
    return Invalid(
        absl::StrCat("inverse_mass: must hold dim = ", dim, " values, got ", inverse_mass.size()));
  }
  // In double: the product of three 32-bit-ish counts may overflow 64 bits.
  const double values = static_cast<double>(chains) * num_draws * static_cast<double>(d);
  if (values > static_cast<double>(kMaxDrawValues)) {
    return Invalid(absl::StrCat(
        "num_draws: num_chains * num_draws * dim must be <= ", kMaxDrawValues, ", got ", values));
  }
  return absl::OkStatus();
}

uint32_t SamplerOptions::ResolvedNumChains() const {
  return num_chains > 0 ? num_chains : kDefaultNumChains;
}

solver::MethodId SamplerOptions::ResolvedMethod() const { return method.value_or(kDefaultMethod); }

double SamplerOptions::ResolvedThinTime() const {
  return thin_time > 0.0 ? thin_time : kDefaultThinTime;
}

uint64_t SamplerOptions::ResolvedMaxStepsPerChain() const {
  return max_steps_per_chain > 0 ? max_steps_per_chain : kDefaultMaxStepsPerChain;
}

}  // namespace pathwise::mcmc
