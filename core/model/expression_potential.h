// A Langevin potential U(x0 .. x{dim-1}; params) given as text (the wire
// field model.langevin.expression), with ∇U compiled symbolically. It plugs
// into LangevinModel like the built-in potentials.
#ifndef PATHWISE_CORE_MODEL_EXPRESSION_POTENTIAL_H_
#define PATHWISE_CORE_MODEL_EXPRESSION_POTENTIAL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/expr/program.h"
#include "core/expr/program_cache.h"
#include "core/model/params.h"
#include "core/model/potential.h"

namespace pathwise::model {

class ExpressionPotential final : public Potential {
 public:
  // Compiles U and ∇U through `cache` (or directly when null). Errors name
  // the wire field: "model.langevin.dim", "model.langevin.params",
  // "model.langevin.expression".
  static absl::StatusOr<std::shared_ptr<const ExpressionPotential>> Create(
      const std::string& text, int dim, const ParamMap& params, expr::ProgramCache* cache);

  absl::string_view name() const override { return "expression"; }
  double Value(const double* x) const override;
  void Gradient(const double* x, double* grad) const override;

 private:
  ExpressionPotential(int dim, std::shared_ptr<const expr::CompiledProgram> value,
                      std::shared_ptr<const expr::CompiledProgram> gradient);

  std::shared_ptr<const expr::CompiledProgram> value_;     // output 0: U
  std::shared_ptr<const expr::CompiledProgram> gradient_;  // outputs 1 .. dim: ∇U
};

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_EXPRESSION_POTENTIAL_H_
