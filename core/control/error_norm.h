// The scaled error norm of adaptive stepping (Hairer, Nørsett & Wanner, ODE I, §II.4):
//   ‖e‖ = sqrt((1/n) Σ_i (e_i / (atol + rtol max(|y0_i|, |y1_i|)))²);
// a step is acceptable when ‖e‖ <= 1.
#ifndef PATHWISE_CORE_CONTROL_ERROR_NORM_H_
#define PATHWISE_CORE_CONTROL_ERROR_NORM_H_

namespace pathwise::control {

double ScaledErrorNorm(int n, const double* err, const double* y0, const double* y1, double rtol,
                       double atol);

}  // namespace pathwise::control

#endif  // PATHWISE_CORE_CONTROL_ERROR_NORM_H_
