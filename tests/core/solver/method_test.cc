// Methods: declared capabilities, compatibility errors, single steps against
// hand-computed formulas, coefficient helpers.
#include <cmath>

#include "core/solver/langevin_coeffs.h"
#include "core/solver/registry.h"
#include "gtest/gtest.h"
#include "tests/util/test_models.h"

namespace pathwise {
namespace {

using solver::BrownianIncrement;
using solver::MethodId;

solver::StepWork Prepared(const solver::Method& m, const model::Sde& sde) {
  solver::StepWork w;
  m.Prepare(sde, w);
  return w;
}

TEST(RegistryTest, NamesAndIdsRoundTrip) {
  for (const solver::Method* m : solver::AllMethods()) {
    auto found = solver::FindMethod(m->info().name);
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(*found, m);
    EXPECT_EQ(&solver::GetMethod(m->info().id), m);
  }
  EXPECT_FALSE(solver::FindMethod("rk4").ok());
}

TEST(RegistryTest, DeclaredCapabilities) {
  using brownian::LevyArea;
  EXPECT_EQ(solver::GetMethod(MethodId::kEuler).info().levy_area, LevyArea::kNone);
  EXPECT_EQ(solver::GetMethod(MethodId::kShark).info().levy_area, LevyArea::kSpaceTime);
  EXPECT_EQ(solver::GetMethod(MethodId::kQuicsort).info().levy_area, LevyArea::kSpaceTimeTime);
  for (MethodId id : {MethodId::kHeun, MethodId::kSra1, MethodId::kShark, MethodId::kSpark,
                      MethodId::kAlign, MethodId::kShould, MethodId::kQuicsort}) {
    EXPECT_TRUE(solver::GetMethod(id).info().embedded_error) << static_cast<int>(id);
  }
  for (MethodId id :
       {MethodId::kEuler, MethodId::kEulerHeun, MethodId::kMilstein, MethodId::kSea}) {
    EXPECT_FALSE(solver::GetMethod(id).info().embedded_error) << static_cast<int>(id);
  }
  // The third-order methods estimate with a second-order companion (local order 2.5).
  EXPECT_EQ(solver::GetMethod(MethodId::kShould).info().embedded_error_order, 2.5);
  EXPECT_EQ(solver::GetMethod(MethodId::kQuicsort).info().embedded_error_order, 2.5);
  EXPECT_EQ(solver::GetMethod(MethodId::kAlign).info().embedded_error_order, 0.0);
}

TEST(CompatibilityTest, MismatchNamesTheFittingMethods) {
  auto gbm = testing::Builtin("gbm", {}, 1);
  absl::Status s = solver::CheckCompatibility(solver::GetMethod(MethodId::kShark), *gbm);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("needs additive noise"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find("methods that fit: euler, milstein"), absl::string_view::npos) << s;

  auto heston = testing::Builtin("heston", {}, 2);
  s = solver::CheckCompatibility(solver::GetMethod(MethodId::kMilstein), *heston);
  EXPECT_NE(s.message().find("commutative"), absl::string_view::npos) << s;

  s = solver::CheckCompatibility(solver::GetMethod(MethodId::kHeun), *gbm);
  EXPECT_NE(s.message().find("stratonovich"), absl::string_view::npos) << s;

  auto ou = testing::Builtin("ou", {}, 3);
  EXPECT_TRUE(solver::CheckCompatibility(solver::GetMethod(MethodId::kHeun), *ou).ok());
  s = solver::CheckCompatibility(solver::GetMethod(MethodId::kAlign), *ou);
  EXPECT_NE(s.message().find("Langevin"), absl::string_view::npos) << s;
  auto lm = testing::SmallLangevin();
  EXPECT_TRUE(solver::CheckCompatibility(solver::GetMethod(MethodId::kQuicsort), *lm).ok());
  EXPECT_TRUE(solver::CheckCompatibility(solver::GetMethod(MethodId::kShark), *lm).ok());
}

TEST(StepTest, EulerAndMilsteinOnGbmMatchFormulas) {
  auto gbm = testing::Builtin("gbm", {{"mu", 0.3}, {"sigma", 0.5}}, 1);
  const double y0 = 2.0, w = 0.1, h = 0.01;
  const BrownianIncrement dw{h, &w, nullptr, nullptr};
  double y1;
  const solver::Method& euler = solver::GetMethod(MethodId::kEuler);
  auto we = Prepared(euler, *gbm);
  euler.Step(*gbm, 0.0, dw, &y0, &y1, nullptr, we);
  EXPECT_DOUBLE_EQ(y1, y0 + 0.3 * y0 * h + 0.5 * y0 * w);
  const solver::Method& milstein = solver::GetMethod(MethodId::kMilstein);
  auto wm = Prepared(milstein, *gbm);
  milstein.Step(*gbm, 0.0, dw, &y0, &y1, nullptr, wm);
  // Kloeden & Platen (10.3.1): + ½ σ² y (W² − h).
  EXPECT_DOUBLE_EQ(y1, y0 + 0.3 * y0 * h + 0.5 * y0 * w + 0.5 * 0.25 * y0 * (w * w - h));
}

TEST(StepTest, SeaIsShiftedEuler) {
  auto dw_model = testing::Builtin("double_well", {{"sigma", 0.7}}, 1);
  const double y0 = 0.4, w = 0.2, hh = -0.05, h = 0.1;
  const BrownianIncrement dw{h, &w, &hh, nullptr};
  double y1;
  const solver::Method& sea = solver::GetMethod(MethodId::kSea);
  auto ws = Prepared(sea, *dw_model);
  sea.Step(*dw_model, 0.0, dw, &y0, &y1, nullptr, ws);
  const double z = y0 + 0.7 * (0.5 * w + hh);
  EXPECT_NEAR(y1, y0 + (z - z * z * z) * h + 0.7 * w, 1e-15);
}

TEST(StepTest, SharkErrorEstimateIsDriftDifference) {
  auto ou = testing::Builtin("ou", {{"theta", 1.0}, {"mu", 0.0}, {"sigma", 1.0}}, 1);
  const double y0 = 1.0, w = 0.0, hh = 0.0, h = 0.1;
  const BrownianIncrement dw{h, &w, &hh, nullptr};
  double y1, err;
  const solver::Method& shark = solver::GetMethod(MethodId::kShark);
  auto ws = Prepared(shark, *ou);
  shark.Step(*ou, 0.0, dw, &y0, &y1, &err, ws);
  // Noise-free: stages f1 = −1, z2 = 1 − 5/6 h, f2 = −z2.
  const double f1 = -1.0, f2 = -(1.0 - 5.0 / 6.0 * h);
  EXPECT_NEAR(y1, 1.0 + h * (0.4 * f1 + 0.6 * f2), 1e-15);
  EXPECT_NEAR(err, h * (-0.6 * f1 + 0.6 * f2), 1e-15);
}

TEST(StepTest, CirMethodsStayNonNegative) {
  auto cir = testing::Builtin("cir", {{"a", 1.0}, {"b", 1.0}, {"sigma", 2.2}}, 1);
  for (MethodId id : {MethodId::kCirSplitting, MethodId::kCirImplicitEuler}) {
    const solver::Method& m = solver::GetMethod(id);
    auto work = Prepared(m, *cir);
    for (double w : {-3.0, -0.5, 0.0, 0.7}) {
      for (double y0 : {0.0, 1e-6, 0.5, 2.0}) {
        const double hh = 0.3 * w;
        double y1;
        m.Step(*cir, 0.0, BrownianIncrement{0.25, &w, &hh, nullptr}, &y0, &y1, nullptr, work);
        EXPECT_GE(y1, 0.0);
        EXPECT_TRUE(std::isfinite(y1));
      }
    }
  }
}

TEST(LangevinCoeffsTest, SeriesMatchesClosedForm) {
  // E_p(α) against (e^{−α} − Σ_{k<p} (−α)^k/k!)/(−α)^p where the closed form is accurate.
  for (double alpha : {0.5, 1.0, 1.9, 2.0, 3.0, 10.0}) {
    EXPECT_NEAR(solver::ExpRemainder(1, alpha), (1.0 - std::exp(-alpha)) / alpha, 1e-14);
    EXPECT_NEAR(solver::ExpRemainder(2, alpha), (std::exp(-alpha) + alpha - 1.0) / (alpha * alpha),
                1e-14);
  }
  EXPECT_DOUBLE_EQ(solver::ExpRemainder(3, 0.0), 1.0 / 6.0);
  EXPECT_DOUBLE_EQ(solver::ExpRemainder(5, 0.0), 1.0 / 120.0);
  // Continuity across the switch from series to closed form at α = 2.
  EXPECT_NEAR(solver::ExpRemainder(5, std::nextafter(2.0, 0.0)), solver::ExpRemainder(5, 2.0),
              1e-13);
}

}  // namespace
}  // namespace pathwise
