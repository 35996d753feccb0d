// The additive-noise stochastic Runge–Kutta scheme shared by SRA1, ShARK and SEA
// (the form of Diffrax's AbstractSRK for additive noise; Rößler 2010, Foster,
// dos Reis & Strange 2023). For dy = f(t, y) dt + g(t) dW with s stages:
//   z_j = y0 + h Σ_{i<j} a_ji f_i + g(t0)(aW_j W + aH_j H),   f_j = f(t0 + c_j h, z_j)
//   y1  = y0 + h Σ_j b_j f_j + g(t0)(bW W + bH H) [+ (g(t1) − g(t0))(½ W − H) if g depends on t]
//   err = h Σ_j e_j f_j   (when the tableau has an error row)
// with W, H the increment and space-time Lévy area (normalised) over [t0, t1].
#ifndef PATHWISE_CORE_SOLVER_ADDITIVE_SRK_H_
#define PATHWISE_CORE_SOLVER_ADDITIVE_SRK_H_

#include "core/solver/method.h"

namespace pathwise::solver {

struct AdditiveTableau {
  static constexpr int kMaxStages = 3;
  int stages = 1;
  double a[kMaxStages][kMaxStages] = {};  // strictly lower triangular
  double c[kMaxStages] = {};
  double b[kMaxStages] = {};
  bool has_error = false;
  double e[kMaxStages] = {};  // error weights (not differenced against b)
  double aw[kMaxStages] = {};
  double ah[kMaxStages] = {};
  double bw = 1.0;
  double bh = 0.0;
};

// Sizes work.scratch for AdditiveSrkStep. When g depends on neither y nor t
// (additive, time-independent), it is evaluated here once and reused by every step.
void AdditiveSrkPrepare(const model::Sde& sde, StepWork& work);

void AdditiveSrkStep(const AdditiveTableau& tab, const model::Sde& sde, double t,
                     const BrownianIncrement& dw, const double* y0, double* y1, double* err,
                     StepWork& work);

// A method defined by its additive tableau (SRA1, ShARK, SEA): Prepare and
// Step are the shared ones above; a subclass supplies the tableau and its info.
class AdditiveSrkMethod : public Method {
 public:
  void Prepare(const model::Sde& sde, StepWork& work) const final;
  void Step(const model::Sde& sde, double t, const BrownianIncrement& dw, const double* y0,
            double* y1, double* err, StepWork& work) const final;

 protected:
  explicit AdditiveSrkMethod(const AdditiveTableau& tableau) : tableau_(tableau) {}

 private:
  const AdditiveTableau& tableau_;
};

}  // namespace pathwise::solver

#endif  // PATHWISE_CORE_SOLVER_ADDITIVE_SRK_H_
