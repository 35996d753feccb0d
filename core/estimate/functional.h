// The quantity an estimate averages: f(y(t1)), an expression of the model's
// state names and parameters (and t, which is t1), compiled by the expression
// compiler. Errors read like the model's: "functional: unknown name 'Q' ..."
// with the text and a caret under the offending place.
#ifndef PATHWISE_CORE_ESTIMATE_FUNCTIONAL_H_
#define PATHWISE_CORE_ESTIMATE_FUNCTIONAL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/expr/program.h"
#include "core/expr/symbols.h"

namespace pathwise::estimate {

// The names a functional may use: one per state component (heston: S, v),
// and the model's parameters with their values.
struct FunctionalScope {
  std::vector<std::string> state_names;
  std::vector<expr::Parameter> parameters;
};

class Functional {
 public:
  // Compiles `text` in `scope`. Errors name the field "functional".
  static absl::StatusOr<Functional> Compile(const std::string& text, const FunctionalScope& scope);

  size_t state_dim() const { return program_->num_state(); }

  // f at time t and `state` (state_dim() values). Thread-safe.
  double operator()(double t, const double* state) const;

 private:
  explicit Functional(std::shared_ptr<const expr::CompiledProgram> program)
      : program_(std::move(program)) {}

  std::shared_ptr<const expr::CompiledProgram> program_;
};

}  // namespace pathwise::estimate

#endif  // PATHWISE_CORE_ESTIMATE_FUNCTIONAL_H_
