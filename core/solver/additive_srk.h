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

// The coefficients of the formula above, as a literal per method (Diffrax's
// tableaus as data): only nonzero entries need naming. Rows and entries past
// `stages` are unused.
struct AdditiveTableau {
  static constexpr int kMaxStages = 3;
  int stages = 1;                         // s, in [1, kMaxStages]
  double a[kMaxStages][kMaxStages] = {};  // a_ji, strictly lower triangular
  double c[kMaxStages] = {};              // c_j, stage times as fractions of h
  double b[kMaxStages] = {};              // b_j, drift weights of y1
  bool has_error = false;                 // err is written only when true
  double e[kMaxStages] = {};              // e_j, error weights (not differenced against b)
  double aw[kMaxStages] = {};             // aW_j, stage weights of g W
  double ah[kMaxStages] = {};             // aH_j, stage weights of g H
  double bw = 1.0;                        // bW, weight of g W in y1
  double bh = 0.0;                        // bH, weight of g H in y1
};

// Sizes work.scratch for AdditiveSrkStep. When g depends on neither y nor t
// (additive, time-independent), it is evaluated here once and reused by every step.
void AdditiveSrkPrepare(const model::Sde& sde, StepWork& work);

void AdditiveSrkStep(const AdditiveTableau& tab, const model::Sde& sde, double t,
                     const BrownianIncrement& dw, const double* y0, double* y1, double* err,
                     StepWork& work);

// The info every additive SRK method shares: it reads H, accepts additive noise
// only (so one strong order serves every noise class) and has an embedded error
// estimate exactly when its tableau has an error row.
constexpr MethodInfo AdditiveSrkInfo(MethodId id, absl::string_view name,
                                     absl::string_view description, const AdditiveTableau& tab,
                                     double strong_order) {
  return MethodInfo{
      .id = id,
      .name = name,
      .description = description,
      .levy_area = brownian::LevyArea::kSpaceTime,
      .max_noise = model::NoiseClass::kAdditive,
      .order_additive = strong_order,
      .order_commutative = strong_order,
      .order_general = strong_order,
      .embedded_error = tab.has_error,
  };
}

// A method defined by its additive tableau (SRA1, ShARK, SEA): Prepare and
// Step are the shared ones above; a subclass supplies the tableau and its info
// (AdditiveSrkInfo).
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
