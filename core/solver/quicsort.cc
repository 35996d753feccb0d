#include "core/solver/quicsort.h"

#include <cmath>
#include <cstring>

#include "core/solver/langevin_coeffs.h"
#include "core/solver/langevin_method.h"

namespace pathwise::solver {
namespace {

struct Coeffs {
  double beta, a, b;  // β_s, a_s, b_s for one s
};

Coeffs At(double s, double h, double gamma) {
  const double alpha = s * gamma * h;
  return {std::exp(-alpha), s * h * ExpRemainder(1, alpha), s * s * h * ExpRemainder(2, alpha)};
}

// All step coefficients for one h; a pure function of (h, γ), so caching it
// for the last h (constant steps) changes no bit.
struct StepCoeffs {
  Coeffs l, r, one;
  double a_third, a_div_h;
};

StepCoeffs Compute(double h, double gamma) {
  const double sqrt3_6 = std::sqrt(3.0) / 6.0;
  return {At(0.5 - sqrt3_6, h, gamma), At(0.5 + sqrt3_6, h, gamma), At(1.0, h, gamma),
          (h / 3.0) * ExpRemainder(1, gamma * h / 3.0), ExpRemainder(1, gamma * h)};
}

// Scratch layout: [cached h, StepCoeffs (11 doubles), fsal flag, ṽ, R, x_stage, F1, F2 (d each)].
constexpr int kCoeffDoubles = 1 + static_cast<int>(sizeof(StepCoeffs) / sizeof(double));
constexpr int kFsalFlag = kCoeffDoubles;  // 1 when the last step filled fsal_next
constexpr int kHeaderDoubles = kCoeffDoubles + 1;

StepCoeffs CachedCoeffs(double h, double gamma, StepWork& work) {
  double* slot = work.scratch.data();
  StepCoeffs c;
  if (slot[0] == h) {
    std::memcpy(&c, slot + 1, sizeof(c));
  } else {
    c = Compute(h, gamma);
    std::memcpy(slot + 1, &c, sizeof(c));
    slot[0] = h;
  }
  return c;
}

}  // namespace

const MethodInfo& Quicsort::info() const {
  static constexpr MethodInfo info = LangevinInfo(
      MethodId::kQuicsort, "quicsort",
      "QUICSORT (Foster & O'Kane), underdamped Langevin, uses H and K",
      brownian::LevyArea::kSpaceTimeTime, 3.0, /*embedded_error=*/true, kCompanionErrorOrder);
  return info;
}

void Quicsort::Prepare(const model::Sde& sde, StepWork& work) const {
  const int d = AsLangevin(sde).dim();
  work.scratch.assign(kHeaderDoubles + 5 * d, 0.0);
  work.scratch[0] = NAN;  // no coefficients cached yet
  work.fsal.assign(d, 0.0);
  work.fsal_next.assign(d, 0.0);
  work.fsal_valid = false;
}

void Quicsort::Step(const model::Sde& sde, double, const BrownianIncrement& dw, const double* y0,
                    double* y1, double* err, StepWork& work) const {
  const model::LangevinModel& lm = AsLangevin(sde);
  const int d = lm.dim();
  const double h = dw.dt, gamma = lm.gamma(), u = lm.u(), rho = lm.rho();
  const StepCoeffs coeffs = CachedCoeffs(h, gamma, work);
  const Coeffs& cl = coeffs.l;
  const Coeffs& cr = coeffs.r;
  const Coeffs& c1 = coeffs.one;
  const double a_third = coeffs.a_third, a_div_h = coeffs.a_div_h;
  const double uh = u * h;
  const double* x0 = y0;
  const double* v0 = y0 + d;
  double* vt = work.scratch.data() + kHeaderDoubles;
  double* rr = vt + d;
  double* xs = rr + d;
  double* f1 = xs + d;
  double* f2 = f1 + d;
  for (int i = 0; i < d; ++i) {
    vt[i] = v0[i] + rho * (dw.h[i] + 6.0 * dw.k[i]);
    rr[i] = rho * (dw.w[i] - 12.0 * dw.k[i]);
    xs[i] = x0[i] + cl.a * vt[i] + cl.b * rr[i];
  }
  GradientAt(lm, xs, f1, work);
  for (int i = 0; i < d; ++i) {
    f1[i] *= uh;
    xs[i] = x0[i] + cr.a * vt[i] + cr.b * rr[i] - a_third * f1[i];
  }
  GradientAt(lm, xs, f2, work);
  for (int i = 0; i < d; ++i) {
    f2[i] *= uh;
    y1[i] = x0[i] + c1.a * vt[i] + c1.b * rr[i] - 0.5 * (cr.a * f1[i] + cl.a * f2[i]);
    y1[d + i] = c1.beta * vt[i] - 0.5 * (cr.beta * f1[i] + cl.beta * f2[i]) + a_div_h * rr[i] -
                rho * (dw.h[i] - 6.0 * dw.k[i]);
  }
  double& fsal_filled = work.scratch[kFsalFlag];
  if (err == nullptr) {
    fsal_filled = 0.0;  // fsal_next not written: the next estimate starts afresh
    return;
  }
  // The error companion (langevin_method.h) needs ∇U at both ends: ∇U(y1) is
  // the one extra gradient, kept first-same-as-last for the next step's f0.
  // The slot is trusted only when the step before also filled it (a caller may
  // mix steps with and without an estimate).
  if (!work.fsal_valid || fsal_filled == 0.0) GradientAt(lm, x0, work.fsal.data(), work);
  const double* g0 = work.fsal.data();
  double* g1 = work.fsal_next.data();
  GradientAt(lm, y1, g1, work);
  fsal_filled = 1.0;
  const AlignDriftQuadrature companion = MakeAlignDriftQuadrature(h, c1.a, c1.b, u);
  for (int i = 0; i < d; ++i) {
    err[i] = -0.5 * (cr.a * f1[i] + cl.a * f2[i]) - companion.X(g0[i]);
    err[d + i] = -0.5 * (cr.beta * f1[i] + cl.beta * f2[i]) - companion.V(g0[i], g1[i]);
  }
}

}  // namespace pathwise::solver
