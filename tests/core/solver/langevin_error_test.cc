// The embedded error estimate of ShOULD and QUICSORT (langevin_method.h, the
// ALIGN-quadrature companion): its order in dt, that it bounds the method's own
// local error, that PID stepping with it keeps its tolerance, and what it costs
// in gradients against step doubling. The numbers of docs/solver.md §3 are the
// ones LogisticRegressionCostAgainstStepDoubling prints.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "core/brownian/brownian_path.h"
#include "core/brownian/cursor.h"
#include "core/integrate/ensemble.h"
#include "core/model/catalog.h"
#include "core/model/langevin.h"
#include "core/random/normal.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/adaptive_options.h"

namespace pathwise {
namespace {

using solver::MethodId;

// An anharmonic, coupled potential (every derivative of ∇U non-zero):
//   U(x) = Σ_i (x_i⁴/4 + x_i²/2) + c x_0 x_1.
class AnharmonicPotential final : public model::Potential {
 public:
  static constexpr double kCoupling = 0.5;
  AnharmonicPotential() : Potential(2) {}
  absl::string_view name() const override { return "anharmonic"; }
  double Value(const double* x) const override {
    double u = kCoupling * x[0] * x[1];
    for (int i = 0; i < 2; ++i) u += x[i] * x[i] * (0.25 * x[i] * x[i] + 0.5);
    return u;
  }
  void Gradient(const double* x, double* g) const override {
    for (int i = 0; i < 2; ++i) g[i] = x[i] * x[i] * x[i] + x[i] + kCoupling * x[1 - i];
  }
};

// U = 0: the velocity is an Ornstein–Uhlenbeck process.
class FlatPotential final : public model::Potential {
 public:
  FlatPotential() : Potential(2) {}
  absl::string_view name() const override { return "flat"; }
  double Value(const double*) const override { return 0.0; }
  void Gradient(const double*, double* g) const override { g[0] = g[1] = 0.0; }
};

std::unique_ptr<model::LangevinModel> Anharmonic(double gamma = 1.0, double u = 1.0) {
  auto m = model::LangevinModel::Create(std::make_shared<AnharmonicPotential>(), gamma, u);
  return m.ok() ? std::make_unique<model::LangevinModel>(std::move(m).value()) : nullptr;
}

// The same method with its estimate hidden: a solve with it falls back to step
// doubling, the baseline the embedded estimate replaces.
class WithoutEmbeddedError final : public solver::Method {
 public:
  explicit WithoutEmbeddedError(const solver::Method& m) : method_(m), info_(m.info()) {
    info_.embedded_error = false;
    info_.embedded_error_order = 0.0;
  }
  const solver::MethodInfo& info() const override { return info_; }
  void Prepare(const model::Sde& sde, solver::StepWork& work) const override {
    method_.Prepare(sde, work);
  }
  void Step(const model::Sde& sde, double t, const solver::BrownianIncrement& dw, const double* y0,
            double* y1, double* err, solver::StepWork& work) const override {
    method_.Step(sde, t, dw, y0, y1, err, work);
  }

 private:
  const solver::Method& method_;
  solver::MethodInfo info_;
};

double Norm(const std::vector<double>& v) {
  double s = 0.0;
  for (double x : v) s += x * x;
  return std::sqrt(s);
}

// Least-squares slope of log(errors) against log(dts).
double LogLogSlope(const std::vector<double>& dts, const std::vector<double>& errors) {
  double mx = 0.0, my = 0.0;
  const double n = static_cast<double>(dts.size());
  for (size_t i = 0; i < dts.size(); ++i) {
    mx += std::log(dts[i]) / n;
    my += std::log(errors[i]) / n;
  }
  double sxy = 0.0, sxx = 0.0;
  for (size_t i = 0; i < dts.size(); ++i) {
    const double dx = std::log(dts[i]) - mx;
    sxy += dx * (std::log(errors[i]) - my);
    sxx += dx * dx;
  }
  return sxy / sxx;
}

// RMS over paths of one step of size dt from y0: the estimate ‖err‖, the
// method's own local error and the companion's (y − err), both against 64
// steps of the method on the same Brownian path (whose own error is 64^2.5
// times smaller than one step's).
struct LocalErrors {
  double estimate = 0.0, method = 0.0, companion = 0.0;
};

LocalErrors MeasureOneStep(const model::LangevinModel& lm, const solver::Method& m,
                           const std::vector<double>& y0, double dt, int paths) {
  constexpr int kFine = 64;
  const int n = 2 * lm.dim();
  brownian::PathSpec spec;
  spec.seed = 7;
  spec.dim = lm.dim();
  spec.t1 = dt;
  spec.tol = dt / kFine;
  spec.levy_area = brownian::LevyArea::kSpaceTimeTime;
  auto path = brownian::BrownianPath::Create(spec);
  EXPECT_TRUE(path.ok()) << path.status();
  std::vector<double> w(lm.dim()), h(lm.dim()), k(lm.dim());
  std::vector<double> y1(n), err(n), fine(n), next(n), diff(n);
  solver::StepWork work;
  m.Prepare(lm, work);
  LocalErrors sq;
  for (int p = 0; p < paths; ++p) {
    const brownian::BrownianPath member = path->WithPathIndex(p);  // the cursor refers to it
    brownian::BrownianCursor cursor(member);
    cursor.Increment(0.0, dt, w.data(), h.data(), k.data());
    work.fsal_valid = false;
    m.Step(lm, 0.0, {dt, w.data(), h.data(), k.data()}, y0.data(), y1.data(), err.data(), work);
    fine = y0;
    for (int j = 0; j < kFine; ++j) {
      const double s = dt * j / kFine, t = dt * (j + 1) / kFine;
      cursor.Increment(s, t, w.data(), h.data(), k.data());
      work.fsal_valid = false;
      m.Step(lm, s, {t - s, w.data(), h.data(), k.data()}, fine.data(), next.data(), nullptr, work);
      fine.swap(next);
    }
    const double e = Norm(err);
    sq.estimate += e * e / paths;
    for (int i = 0; i < n; ++i) diff[i] = y1[i] - fine[i];
    sq.method += Norm(diff) * Norm(diff) / paths;
    for (int i = 0; i < n; ++i) diff[i] = y1[i] - err[i] - fine[i];
    sq.companion += Norm(diff) * Norm(diff) / paths;
  }
  return {std::sqrt(sq.estimate), std::sqrt(sq.method), std::sqrt(sq.companion)};
}

class EmbeddedErrorTest : public ::testing::TestWithParam<MethodId> {};

// The estimate is O(dt^2.5) in mean square (docs/solver.md §3): its fitted
// log-log slope over dt = 2^-2 … 2^-7 (400 paths, seed 7) is 2.5 within 0.15.
// Its leading term is Gaussian given y0 (a linear function of the Brownian
// increments, weighted by ∇²U), so each RMS has a relative standard error of
// about 1/√(2·400) = 3.5 %, which moves the slope by < 0.03; the rest of the
// tolerance covers the O(dt^3) drift terms that are not yet negligible at the
// coarse end. The estimate is also the companion's local error to leading
// order (within 25 % at the finest dt, where the method's own error is < 10 %
// of it), and never below the method's own local error.
TEST_P(EmbeddedErrorTest, EstimateIsOrderTwoAndAHalfAndBoundsTheLocalError) {
  const solver::Method& m = solver::GetMethod(GetParam());
  auto lm = Anharmonic();
  const std::vector<double> y0 = {0.4, -0.3, 0.5, 0.2};
  std::vector<double> dts, estimates;
  std::string line;
  for (int level = 2; level <= 7; ++level) {
    const double dt = std::ldexp(1.0, -level);
    const LocalErrors e = MeasureOneStep(*lm, m, y0, dt, 400);
    dts.push_back(dt);
    estimates.push_back(e.estimate);
    char buf[160];
    std::snprintf(buf, sizeof(buf), "\n  dt=2^-%d estimate=%.3e method=%.3e companion=%.3e", level,
                  e.estimate, e.method, e.companion);
    line += buf;
    EXPECT_GT(e.estimate, e.method) << "dt = " << dt;
    if (level == 7) {
      EXPECT_LT(e.method, 0.1 * e.estimate);
      EXPECT_NEAR(e.companion / e.estimate, 1.0, 0.25);
    }
  }
  const double slope = LogLogSlope(dts, estimates);
  std::printf("[ estimate ] %s: slope %.3f (claimed 2.5)%s\n", std::string(m.info().name).c_str(),
              slope, line.c_str());
  EXPECT_NEAR(slope, 2.5, 0.15);
}

// On an Ornstein–Uhlenbeck velocity (U constant) the estimate, a difference
// of drift terms only, is exactly 0: the companion shares the method's noise
// terms, so the estimate charges nothing for them.
TEST_P(EmbeddedErrorTest, ZeroWhenTheGradientVanishes) {
  auto lm = model::LangevinModel::Create(std::make_shared<FlatPotential>(), 1.3, 0.7);
  ASSERT_TRUE(lm.ok());
  const solver::Method& m = solver::GetMethod(GetParam());
  solver::StepWork work;
  m.Prepare(*lm, work);
  const std::vector<double> y0 = {0.0, 0.0, 0.5, -0.2};
  const double w[2] = {0.3, -0.1}, h[2] = {0.05, 0.02}, k[2] = {0.01, -0.004};
  std::vector<double> y1(4), err(4, 1.0);
  m.Step(*lm, 0.0, {0.25, w, h, k}, y0.data(), y1.data(), err.data(), work);
  for (double e : err) EXPECT_EQ(std::abs(e), 0.0);
}

// Constant steps ask for no estimate: the solution and the gradient count are
// those of the method alone (QUICSORT's extra gradient only when asked).
TEST_P(EmbeddedErrorTest, NoEstimateNoExtraGradient) {
  const solver::Method& m = solver::GetMethod(GetParam());
  auto lm = Anharmonic();
  integrate::SolveOptions o;
  o.y0 = {0.4, -0.3, 0.5, 0.2};
  o.t1 = 1.0;
  o.step = control::ConstantStep{0x1p-5};
  o.seed = 3;
  auto sol = integrate::SolveEnsemble(*lm, m, o);
  ASSERT_TRUE(sol.ok()) << sol.status();
  const uint64_t fsal_start = GetParam() == MethodId::kShould ? 1 : 0;
  EXPECT_EQ(sol->summary.drift_evaluations, 2 * 32 + fsal_start);
}

// PID with the estimate keeps its tolerance: on the anharmonic potential, the
// final states of 16 adaptive paths against a constant-step reference at
// dt = 2^-12 on the same Brownian paths (the same tree tolerance) are within
// a small multiple of tol, and the error falls as tol falls. The estimate is
// of lower order than the method, so it over-estimates the local error and
// the multiple is below 1 (checked loosely: < 3).
TEST_P(EmbeddedErrorTest, PidKeepsItsTolerance) {
  const solver::Method& m = solver::GetMethod(GetParam());
  auto lm = Anharmonic();
  const std::vector<double> y0 = {0.4, -0.3, 0.5, 0.2};
  auto options = [&](control::StepControl step) {
    integrate::SolveOptions o;
    o.y0 = y0;
    o.t1 = 2.0;
    o.step = std::move(step);
    o.seed = 11;
    o.num_paths = 16;
    o.brownian.tol = 0x1p-14;
    o.keep_paths = true;
    return o;
  };
  auto ref = integrate::SolveEnsemble(*lm, m, options(control::ConstantStep{0x1p-12}));
  ASSERT_TRUE(ref.ok()) << ref.status();
  double previous = INFINITY;
  for (double tol : {1e-3, 1e-4, 1e-5, 1e-6}) {
    control::AdaptiveStep a;
    a.rtol = a.atol = tol;
    a.dtmin = 0x1p-13;
    auto sol = integrate::SolveEnsemble(*lm, m, options(a));
    ASSERT_TRUE(sol.ok()) << sol.status();
    EXPECT_FALSE(sol->summary.step_doubling);
    double worst = 0.0;
    for (size_t p = 0; p < sol->paths.size(); ++p) {
      ASSERT_EQ(sol->paths[p].status, integrate::SolveStatus::kSuccess);
      const std::vector<double>& ys = sol->paths[p].ys;
      const std::vector<double>& rs = ref->paths[p].ys;
      for (size_t i = 0; i < 4; ++i) {
        const double scale = tol * (1.0 + std::abs(rs[rs.size() - 4 + i]));
        worst = std::max(worst, std::abs(ys[ys.size() - 4 + i] - rs[rs.size() - 4 + i]) / scale);
      }
    }
    const double steps = static_cast<double>(sol->summary.steps_accepted) / 16.0;
    std::printf("[ pid      ] %s tol=%.0e: worst |error|/(tol(1+|y|)) = %.3f, %.1f steps/path\n",
                std::string(m.info().name).c_str(), tol, worst, steps);
    EXPECT_LT(worst, 3.0) << "tol " << tol;
    EXPECT_LT(worst * tol, previous) << "tol " << tol;
    previous = worst * tol;
  }
}

// The estimate's cost: gradients per attempted step (the Summary's
// drift_evaluations over accepted + rejected steps) is 2 for ShOULD and 3 for
// QUICSORT (plus one per path at its start), against step doubling's 6 (plus,
// for ShOULD, one after each rejection, when the slot sits at the midpoint).
TEST_P(EmbeddedErrorTest, FewerGradientsPerAttemptedStepThanStepDoubling) {
  const solver::Method& m = solver::GetMethod(GetParam());
  const WithoutEmbeddedError doubling(m);
  auto lm = Anharmonic();
  integrate::SolveOptions o = testing::AdaptiveOptions({0.4, -0.3, 0.5, 0.2}, 1e-5, 0x1p-14);
  o.t1 = 2.0;
  o.num_paths = 16;
  auto embedded = integrate::SolveEnsemble(*lm, m, o);
  auto doubled = integrate::SolveEnsemble(*lm, doubling, o);
  ASSERT_TRUE(embedded.ok() && doubled.ok());
  EXPECT_FALSE(embedded->summary.step_doubling);
  EXPECT_TRUE(doubled->summary.step_doubling);
  auto attempts = [](const integrate::Summary& s) {
    return static_cast<double>(s.steps_accepted + s.steps_rejected);
  };
  const double per_step = GetParam() == MethodId::kShould ? 2.0 : 3.0;
  const integrate::Summary& e = embedded->summary;
  EXPECT_EQ(static_cast<double>(e.drift_evaluations), per_step * attempts(e) + 16.0);
  const integrate::Summary& d = doubled->summary;
  EXPECT_GE(static_cast<double>(d.drift_evaluations), 6.0 * attempts(d));
}

INSTANTIATE_TEST_SUITE_P(ThirdOrderLangevin, EmbeddedErrorTest,
                         ::testing::Values(MethodId::kShould, MethodId::kQuicsort),
                         [](const auto& info) {
                           return std::string(solver::GetMethod(info.param).info().name);
                         });

// Bayesian logistic regression (d = 5, 200 rows drawn with Philox from a fixed
// key; features N(0, 1), labels Bernoulli(σ(a·θ*)) for θ* = (1, −0.5, 0.25,
// 0, 0.75)), γ = 1, u = 1, from x = 0, v = 0 over [0, 8], 16 paths: the
// embedded estimate against step doubling at the same rtol = atol. Printed per
// method and tol: gradients per accepted step, rejection rate, gradients per
// path and the RMS final-state error against a dt = 2^-11 reference on the same
// paths. The embedded estimate must cost fewer gradients per accepted step.
std::vector<double> SyntheticLogisticData(int rows, int d) {
  const double theta[] = {1.0, -0.5, 0.25, 0.0, 0.75};
  const random::PhiloxKey key = {0x5eed, 0x10c};
  std::vector<double> data;
  uint32_t counter = 0;
  for (int r = 0; r < rows; ++r) {
    double score = 0.0;
    for (int c = 0; c < d; c += 2) {
      const random::NormalPair z = random::NormalPairAt({counter++, 0, 0, 0}, key);
      data.push_back(z.first);
      score += theta[c] * z.first;
      if (c + 1 < d) {
        data.push_back(z.second);
        score += theta[c + 1] * z.second;
      }
    }
    const random::PhiloxBlock b = random::Philox4x32_10({counter++, 1, 0, 0}, key);
    const double uniform = random::UnitIntervalPlusOne((uint64_t{b[1]} << 32) | b[0]) - 1.0;
    data.push_back(uniform < 1.0 / (1.0 + std::exp(-score)) ? 1.0 : 0.0);
  }
  return data;
}

TEST(EmbeddedErrorCostTest, LogisticRegressionCostAgainstStepDoubling) {
  constexpr int d = 5, rows = 200, paths = 16;
  auto pot = model::MakeBuiltinPotential("logistic_regression", {}, SyntheticLogisticData(rows, d),
                                         d + 1, d);
  ASSERT_TRUE(pot.ok()) << pot.status();
  auto lm = model::LangevinModel::Create(*pot, 1.0, 1.0);
  ASSERT_TRUE(lm.ok());
  auto options = [&](control::StepControl step) {
    integrate::SolveOptions o;
    o.y0.assign(2 * d, 0.0);
    o.t1 = 8.0;
    o.step = std::move(step);
    o.seed = 2026;
    o.num_paths = paths;
    o.brownian.tol = 0x1p-14;
    o.keep_paths = true;
    return o;
  };
  for (MethodId id : {MethodId::kShould, MethodId::kQuicsort}) {
    const solver::Method& m = solver::GetMethod(id);
    const WithoutEmbeddedError doubling(m);
    auto ref = integrate::SolveEnsemble(*lm, m, options(control::ConstantStep{0x1p-11}));
    ASSERT_TRUE(ref.ok()) << ref.status();
    for (double tol : {1e-3, 1e-4, 1e-5}) {
      control::AdaptiveStep a;
      a.rtol = a.atol = tol;
      a.dtmin = 0x1p-13;
      double grads_per_accepted[2];
      for (int doubled = 0; doubled < 2; ++doubled) {
        auto sol = integrate::SolveEnsemble(
            *lm, doubled ? static_cast<const solver::Method&>(doubling) : m, options(a));
        ASSERT_TRUE(sol.ok()) << sol.status();
        const integrate::Summary& s = sol->summary;
        double sq = 0.0;
        for (size_t p = 0; p < sol->paths.size(); ++p) {
          const std::vector<double>& ys = sol->paths[p].ys;
          const std::vector<double>& rs = ref->paths[p].ys;
          for (int i = 0; i < 2 * d; ++i) {
            const double e = ys[ys.size() - 2 * d + i] - rs[rs.size() - 2 * d + i];
            sq += e * e / (paths * 2 * d);
          }
        }
        const double accepted = static_cast<double>(s.steps_accepted);
        grads_per_accepted[doubled] = static_cast<double>(s.drift_evaluations) / accepted;
        std::printf(
            "[ cost     ] %-8s %-9s tol=%.0e: %.2f gradients/accepted step, %.1f %% rejected, "
            "%.0f gradients/path, %.1f accepted steps/path, rms error %.2e\n",
            std::string(m.info().name).c_str(), doubled ? "doubling" : "embedded", tol,
            grads_per_accepted[doubled],
            100.0 * static_cast<double>(s.steps_rejected) / (accepted + s.steps_rejected),
            static_cast<double>(s.drift_evaluations) / paths, accepted / paths, std::sqrt(sq));
      }
      EXPECT_LT(grads_per_accepted[0], grads_per_accepted[1]) << m.info().name << " tol " << tol;
    }
  }
}

}  // namespace
}  // namespace pathwise
