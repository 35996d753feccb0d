#include "core/model/expression_sde.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/expr/compiler.h"
#include "core/expr/interpreter.h"
#include "core/expr/symbols.h"
#include "core/util/status_macros.h"

namespace pathwise::model {
namespace {

constexpr absl::string_view kField = "model.expression";

// The compiler's name checks report "state variable name 'x y' ..."; the
// wire field is prefixed so a client can point at it.
absl::Status CheckNames(const ExpressionModelSpec& spec) {
  if (spec.state.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(kField, ".state: must name at least one state variable"));
  }
  if (auto s = expr::Symbols::Create(spec.state, {}); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(kField, ".state: ", s.status().message()));
  }
  if (auto s = expr::Symbols::Create(spec.state, ToExprParameters(spec.params)); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(kField, ".params: ", s.status().message()));
  }
  return absl::OkStatus();
}

// The noise dimension m and the expected diffusion count, checked against the shape.
absl::StatusOr<size_t> NoiseDim(const ExpressionModelSpec& spec) {
  const size_t n = spec.state.size();
  if (spec.drift.size() != n) {
    return absl::InvalidArgumentError(absl::StrCat(kField, ".drift: expected ", n,
                                                   " expressions (one per state variable), got ",
                                                   spec.drift.size()));
  }
  if (spec.noise == NoiseShape::kDiagonal) {
    if (spec.noise_dim != 0 && spec.noise_dim != n) {
      return absl::InvalidArgumentError(
          absl::StrCat(kField, ".noise_dim: diagonal noise has noise_dim = state_dim = ", n,
                       " (or 0), got ", spec.noise_dim));
    }
    return n;
  }
  if (spec.noise_dim == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(kField, ".noise_dim: must be >= 1 for general noise"));
  }
  return spec.noise_dim;
}

std::vector<expr::Expression> Labelled(absl::string_view group,
                                       const std::vector<std::string>& texts, bool value_needed) {
  std::vector<expr::Expression> out;
  out.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    out.push_back({absl::StrCat(kField, ".", group, "[", i, "]"), texts[i], value_needed});
  }
  return out;
}

// The most special class the structure proves; scalar before diagonal as the
// built-ins do for n = 1.
NoiseClass ClassOf(const expr::NoiseStructure& s) {
  if (s.additive) return NoiseClass::kAdditive;
  if (s.scalar) return NoiseClass::kScalar;
  if (s.diagonal) return NoiseClass::kDiagonal;
  if (s.commutative) return NoiseClass::kCommutative;
  return NoiseClass::kGeneral;
}

bool AnyDependsOnTime(const expr::CompiledProgram& program) {
  for (size_t k = 0; k < program.num_expressions(); ++k) {
    if (program.DependsOnTime(k)) return true;
  }
  return false;
}

}  // namespace

std::vector<expr::Parameter> ToExprParameters(const ParamMap& params) {
  std::vector<expr::Parameter> out;
  out.reserve(params.size());
  for (const auto& [name, value] : params) out.push_back({name, value});
  return out;
}

absl::StatusOr<std::shared_ptr<const expr::CompiledProgram>> CompileCached(
    const expr::ProgramSpec& spec, expr::ProgramCache* cache) {
  return cache != nullptr ? cache->GetOrCompile(spec) : expr::Compile(spec);
}

ExpressionSde::ExpressionSde(const SdeTraits& traits,
                             std::shared_ptr<const expr::CompiledProgram> drift,
                             std::shared_ptr<const expr::CompiledProgram> diffusion,
                             std::shared_ptr<const expr::CompiledProgram> jacobian)
    : Sde(traits),
      drift_(std::move(drift)),
      diffusion_(std::move(diffusion)),
      jacobian_(std::move(jacobian)) {}

absl::StatusOr<std::unique_ptr<ExpressionSde>> ExpressionSde::Create(
    const ExpressionModelSpec& spec, expr::ProgramCache* cache) {
  RETURN_IF_ERROR(CheckNames(spec));
  ASSIGN_OR_RETURN(const size_t m, NoiseDim(spec));
  const size_t n = spec.state.size();
  const bool diagonal = spec.noise == NoiseShape::kDiagonal;

  expr::ProgramSpec base;
  base.state_names = spec.state;
  base.parameters = ToExprParameters(spec.params);

  expr::ProgramSpec drift_spec = base;
  drift_spec.expressions = Labelled("drift", spec.drift, true);
  ASSIGN_OR_RETURN(auto drift, CompileCached(drift_spec, cache));

  // The layout makes the compiler check the count against n and m (its error
  // names model.expression.diffusion) and detect the noise structure.
  expr::ProgramSpec diffusion_spec = base;
  diffusion_spec.expressions = Labelled("diffusion", spec.diffusion, true);
  diffusion_spec.diffusion = expr::DiffusionLayout{absl::StrCat(kField, ".diffusion"), 0,
                                                   spec.diffusion.size(), m, diagonal};
  ASSIGN_OR_RETURN(auto diffusion, CompileCached(diffusion_spec, cache));
  const expr::NoiseStructure& noise = *diffusion->noise_structure();

  std::shared_ptr<const expr::CompiledProgram> jacobian;
  if (!noise.additive) {
    expr::ProgramSpec jacobian_spec = base;
    jacobian_spec.expressions = Labelled("diffusion", spec.diffusion, false);
    jacobian_spec.derivatives = expr::JacobianRequests(0, spec.diffusion.size(), n);
    ASSIGN_OR_RETURN(jacobian, CompileCached(jacobian_spec, cache));
  }

  const SdeTraits traits{.state_dim = static_cast<int>(n),
                         .noise_dim = static_cast<int>(m),
                         .shape = spec.noise,
                         .noise = ClassOf(noise),
                         .calculus = spec.calculus,
                         .diffusion_depends_on_t = AnyDependsOnTime(*diffusion),
                         .has_diffusion_jvp = true};
  return std::unique_ptr<ExpressionSde>(
      new ExpressionSde(traits, std::move(drift), std::move(diffusion), std::move(jacobian)));
}

std::unique_ptr<Sde> ExpressionSde::ForLanes(int lanes) const {
  if (lanes < 1 || static_cast<size_t>(lanes) > expr::kLaneBlock) return nullptr;
  return std::unique_ptr<Sde>(
      new ExpressionSde(LaneTraits(traits(), lanes), drift_, diffusion_, jacobian_));
}

// Each program runs once per call, on one state or on all lanes (the layouts
// of SdeTraits::lanes are the programs' structure of arrays with stride
// lanes). The drift program's outputs are exactly f, so it writes straight
// into f; likewise g.
void ExpressionSde::Evaluate(const expr::CompiledProgram& program, double t, const double* y,
                             double* out) const {
  const int lanes = traits().lanes;
  if (lanes == 1) {
    program.EvaluateAt(t, y, out);
  } else {
    program.EvaluateLanesAt(t, y, static_cast<size_t>(lanes), out);
  }
}

void ExpressionSde::Drift(double t, const double* y, double* f) const {
  Evaluate(*drift_, t, y, f);
}

void ExpressionSde::Diffusion(double t, const double* y, double* g) const {
  Evaluate(*diffusion_, t, y, g);
}

void ExpressionSde::DiffusionJvp(double t, const double* y, const double* v, double* out) const {
  const size_t lanes = static_cast<size_t>(traits().lanes);
  const size_t count = diffusion_->num_expressions();
  if (jacobian_ == nullptr) {  // additive: g does not depend on y
    std::fill(out, out + count * lanes, 0.0);
    return;
  }
  // One buffer per thread: Jvp is const and called from every worker; the
  // first G outputs (the unneeded values) are left unwritten.
  thread_local std::vector<double> buffer;
  buffer.resize(jacobian_->num_outputs() * lanes);
  Evaluate(*jacobian_, t, y, buffer.data());
  // out_k = Σ_j (∂g_k/∂y_j) v_j per lane, from 0.0 with j ascending; a
  // chunk of lanes side by side (one lane: the plain sum).
  constexpr size_t kChunk = 8;
  const size_t n = static_cast<size_t>(state_dim()) / lanes;
  const double* jac = buffer.data() + count * lanes;
  for (size_t k = 0; k < count; ++k) {
    for (size_t l0 = 0; l0 < lanes; l0 += kChunk) {
      const size_t c = std::min(kChunk, lanes - l0);
      double acc[kChunk] = {};
      for (size_t j = 0; j < n; ++j) {
        const double* dg = jac + (k * n + j) * lanes + l0;
        const double* vj = v + j * lanes + l0;
        for (size_t l = 0; l < c; ++l) acc[l] += dg[l] * vj[l];
      }
      std::copy(acc, acc + c, out + k * lanes + l0);
    }
  }
}

}  // namespace pathwise::model
