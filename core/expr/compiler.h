// Expressions as text -> a CompiledProgram: parse, lower with constant
// folding and common-subexpression elimination, differentiate, analyse the
// structure, generate bytecode.
//
// Example (an Ornstein-Uhlenbeck model with its diffusion's derivative):
//
//   ProgramSpec spec;
//   spec.state_names = {"x"};
//   spec.parameters = {{"kappa", 2.0}, {"theta", 0.5}, {"sigma", 0.3}};
//   spec.expressions = {{"model.expression.drift[0]", "kappa*(theta - x)"},
//                       {"model.expression.diffusion[0]", "sigma"}};
//   spec.derivatives = {{1, 0}};  // d diffusion[0] / dx, output 2
//   spec.diffusion = DiffusionLayout{"model.expression.diffusion", 1, 1, 1, false};
//   absl::StatusOr<std::shared_ptr<const CompiledProgram>> program = Compile(spec);
#ifndef PATHWISE_CORE_EXPR_COMPILER_H_
#define PATHWISE_CORE_EXPR_COMPILER_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/expr/limits.h"
#include "core/expr/noise_structure.h"
#include "core/expr/program.h"
#include "core/expr/symbols.h"

namespace pathwise::expr {

// One expression and the label that names it in errors.
struct Expression {
  std::string label;  // e.g. "model.expression.drift[1]"
  std::string text;
  // When false the expression's own value is not computed and its output is
  // left unwritten; it is still compiled and can be differentiated (e.g. a
  // Langevin potential of which only the gradient is needed).
  bool value_needed = true;
};

// A derivative compiled as an extra output. Output indices: the expressions
// are outputs [0, n), derivative request r is output n + r; `output` may name
// an earlier derivative output, which gives second derivatives.
struct DerivativeRequest {
  static constexpr int kTime = -1;
  size_t output = 0;
  int wrt = 0;  // a state index, or kTime
};

struct ProgramSpec {
  std::vector<std::string> state_names;  // input 1 + j is state_names[j]
  std::vector<Parameter> parameters;     // bound at compile time
  std::vector<Expression> expressions;
  std::vector<DerivativeRequest> derivatives;
  // When set, the compiler checks the diffusion's dimensions and detects its
  // noise structure (CompiledProgram::noise_structure()).
  std::optional<DiffusionLayout> diffusion;
  Limits limits;
};

// Requests for every d output_k / d state_j, k in [first, first + count),
// j in [0, num_state), ordered by k then j: the Jacobian (e.g. of the
// diffusion, for Milstein) or, with count 1, a gradient (Langevin).
std::vector<DerivativeRequest> JacobianRequests(size_t first, size_t count, size_t num_state);

// Compiles `spec`. Errors (InvalidArgument, each naming the expression or
// field): invalid limits, names or parameter values; syntax and name errors
// with a caret; division by a constant zero; non-finite constants; the
// length, depth, node and output limits; bad derivative requests; diffusion
// dimensions that do not match the state and noise dimensions.
absl::StatusOr<std::shared_ptr<const CompiledProgram>> Compile(const ProgramSpec& spec);

}  // namespace pathwise::expr

#endif  // PATHWISE_CORE_EXPR_COMPILER_H_
