#include "core/estimate/functional.h"

#include "core/expr/compiler.h"
#include "core/util/status_macros.h"

namespace pathwise::estimate {

absl::StatusOr<Functional> Functional::Compile(const std::string& text,
                                               const FunctionalScope& scope) {
  expr::ProgramSpec spec;
  spec.state_names = scope.state_names;
  spec.parameters = scope.parameters;
  spec.expressions = {{"functional", text}};
  ASSIGN_OR_RETURN(std::shared_ptr<const expr::CompiledProgram> program, expr::Compile(spec));
  return Functional(std::move(program));
}

double Functional::operator()(double t, const double* state) const {
  double value = 0.0;
  program_->EvaluateAt(t, state, &value);
  return value;
}

}  // namespace pathwise::estimate
