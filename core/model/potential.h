// A potential U: R^d -> R for underdamped Langevin dynamics (langevin.h).
#ifndef PATHWISE_CORE_MODEL_POTENTIAL_H_
#define PATHWISE_CORE_MODEL_POTENTIAL_H_

#include "absl/strings/string_view.h"

namespace pathwise::model {

class Potential {
 public:
  virtual ~Potential() = default;

  virtual absl::string_view name() const = 0;
  int dim() const { return dim_; }

  // U(x) for x of length dim().
  virtual double Value(const double* x) const = 0;
  // ∇U(x): writes dim() values to grad (not aliasing x).
  virtual void Gradient(const double* x, double* grad) const = 0;

 protected:
  explicit Potential(int dim) : dim_(dim) {}

 private:
  int dim_;
};

}  // namespace pathwise::model

#endif  // PATHWISE_CORE_MODEL_POTENTIAL_H_
