// An Sde compiled from text: the wire message ExpressionModel (docs/design/wire_contract.md).
//
// Drift, diffusion and the diffusion's Jacobian are three compiled programs,
// so that Drift() evaluates only f and Diffusion() only g (a program
// evaluates all its outputs). Its lane form (ForLanes) evaluates each
// program once for all lanes of an ensemble. The traits' noise class comes from the
// compiler's structure analysis, so the solver's method checks apply to
// expression models exactly as to built-in ones.
#ifndef PATHWISE_CORE_MODEL_EXPRESSION_SDE_H_
#define PATHWISE_CORE_MODEL_EXPRESSION_SDE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/expr/program.h"
#include "core/expr/program_cache.h"
#include "core/model/params.h"
#include "core/model/sde.h"

namespace pathwise::model {

// The fields of the wire ExpressionModel.
struct ExpressionModelSpec {
  std::vector<std::string> state;      // state names; state_dim = state.size()
  std::vector<std::string> drift;      // state_dim expressions
  std::vector<std::string> diffusion;  // DIAGONAL: state_dim; GENERAL: state_dim * noise_dim
  NoiseShape noise = NoiseShape::kDiagonal;
  uint32_t noise_dim = 0;  // GENERAL only (0 or state_dim is accepted for DIAGONAL)
  ParamMap params;
  Calculus calculus = Calculus::kIto;
};

class ExpressionSde final : public Sde {
 public:
  // Compiles `spec` through `cache` (compiled programs are shared by every
  // model with the same text and parameters), or directly when cache is null.
  // Errors (INVALID_ARGUMENT) name the wire field: "model.expression.state",
  // "model.expression.drift[1]", "model.expression.diffusion[3]",
  // "model.expression.noise_dim", "model.expression.params".
  static absl::StatusOr<std::unique_ptr<ExpressionSde>> Create(const ExpressionModelSpec& spec,
                                                               expr::ProgramCache* cache);

  absl::string_view name() const override { return "expression"; }
  void Drift(double t, const double* y, double* f) const override;
  void Diffusion(double t, const double* y, double* g) const override;
  void DiffusionJvp(double t, const double* y, const double* v, double* out) const override;
  // The same programs run over the lanes by the lane interpreter
  // (CompiledProgram::EvaluateLanesAt), whose lanes compute exactly what
  // EvaluateAt computes for one state; null above expr::kLaneBlock lanes.
  std::unique_ptr<Sde> ForLanes(int lanes) const override;

  const expr::CompiledProgram& drift_program() const { return *drift_; }
  const expr::CompiledProgram& diffusion_program() const { return *diffusion_; }

 private:
  ExpressionSde(const SdeTraits& traits, std::shared_ptr<const expr::CompiledProgram> drift,
                std::shared_ptr<const expr::CompiledProgram> diffusion,
                std::shared_ptr<const expr::CompiledProgram> jacobian);

  // program at (t, y) into out: one state, or traits().lanes lanes.
  void Evaluate(const expr::CompiledProgram& program, double t, const double* y, double* out) const;

  std::shared_ptr<const expr::CompiledProgram> drift_;
  std::shared_ptr<const expr::CompiledProgram> diffusion_;
  // d g_k / d y_j as outputs G + k n + j; null for additive noise (the JVP is 0).
  std::shared_ptr<const expr::CompiledProgram> jacobian_;
};

// expr::Parameter list of a ParamMap (in name order).
std::vector<expr::Parameter> ToExprParameters(const ParamMap& params);

// spec compiled through `cache` when not null, else directly.
absl::StatusOr<std::shared_ptr<const expr::CompiledProgram>> CompileCached(
    const expr::ProgramSpec& spec, expr::ProgramCache* cache);

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_EXPRESSION_SDE_H_
